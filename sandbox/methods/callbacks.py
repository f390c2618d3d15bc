"""answerCallbackQuery."""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from .base import Ctx

EXPIRED = "query is too old and response timeout expired or query ID is invalid"


async def answer_callback_query(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Record the bot's answer to a callback query (once)."""
    query = ctx.state.queries.get(str(p["callback_query_id"]))
    if (
        query is None
        or query.kind != "callback_query"
        or query.bot_id != ctx.bot.id
        or query.answer
    ):
        raise bad_request(EXPIRED)
    if len(p.get("text") or "") > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answer = {
        "text": p.get("text"),
        "show_alert": bool(p.get("show_alert")),
        "url": p.get("url"),
        "date": ctx.state.now(),
    }
    ctx.state.notifier.changed()
    return True


METHODS = {"answerCallbackQuery": answer_callback_query}
