"""Method registry, call context and shared validation helpers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..entities import format_text
from ..errors import bad_request
from ..state import Bot, Conversation, Json, State

if TYPE_CHECKING:
    from ..runtime import Runtime

Handler = Callable[["Ctx", dict[str, Any]], Awaitable[Any]]
SEND_METHODS = {"sendmessage", "sendphoto", "senddocument", "sendinvoice", "copymessage"}


@dataclass
class Ctx:
    """Everything a method handler needs."""

    rt: Runtime
    bot: Bot

    @property
    def state(self) -> State:
        """The world state."""
        return self.rt.state

    def chat(self, params: dict[str, Any], key: str = "chat_id") -> Conversation:
        """Resolve params[key] to a conversation."""
        return self.state.resolve_chat(self.bot, params.get(key))

    def flood(self, conv: Conversation) -> None:
        """Apply flood control for one outgoing message."""
        self.rt.flood.check(self.bot.id, conv.chat_id, conv.chat["type"])


def registry() -> dict[str, Handler]:
    """Map lower-cased method names to handlers (built on demand, no import-time state)."""
    from . import bot_info, callbacks, forum, media, members, messages, payments, polling

    table: dict[str, Handler] = {}
    for module in (bot_info, callbacks, forum, media, members, messages, payments, polling):
        for name, fn in module.METHODS.items():
            table[name.lower()] = fn
    return table


def check_text(
    ctx: Ctx, text: str, parse_mode: str | None, entities: list[Json] | None, caption: bool = False
) -> tuple[str, list[Json]]:
    """Parse and length-check message text or caption."""
    text, ents = format_text(text or "", parse_mode, entities)
    limits = ctx.rt.settings.limits
    if caption:
        if len(text) > limits.max_caption:
            raise bad_request("message caption is too long")
    else:
        if not text:
            raise bad_request("message text is empty")
        if len(text) > limits.max_text:
            raise bad_request("message is too long")
    return text, ents


def check_markup(ctx: Ctx, markup: Any) -> None:
    """Validate reply_markup like Telegram: inline keyboards and their buttons."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        if not any(k in markup for k in ("keyboard", "remove_keyboard", "force_reply")):
            raise bad_request("can't parse reply keyboard markup JSON object")
        return
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    actions = (
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    )
    for row in rows:
        for button in row:
            if not isinstance(button, dict):
                raise bad_request(
                    "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                )
            if not button.get("text"):
                raise bad_request("BUTTON_TEXT_INVALID")
            if not any(k in button for k in actions):
                raise bad_request(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
            if "callback_data" in button:
                data = str(button["callback_data"]).encode("utf-8")
                if not 1 <= len(data) <= ctx.rt.settings.limits.max_callback_data:
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button and not str(button["url"]).startswith(
                ("http://", "https://", "tg://")
            ):
                raise bad_request("BUTTON_URL_INVALID")
