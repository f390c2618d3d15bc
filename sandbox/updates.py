"""Per-bot update queue: enqueue with allowed_updates filtering, confirm by offset, long polling."""

from __future__ import annotations

import asyncio
from typing import Any

from .errors import ApiError
from .state import DEFAULT_UPDATES, Bot, Json, State


SENT_KEPT = 10_000  # how many past updates each bot keeps for `resend`


def allowed(bot: Bot, kind: str) -> bool:
    """Whether the bot currently wants updates of this kind."""
    if bot.allowed_updates:
        return kind in bot.allowed_updates
    return kind not in DEFAULT_UPDATES


def enqueue(state: State, bot: Bot, kind: str, payload: Json) -> Json | None:
    """Queue an update for bot unless filtered out; wake pollers and webhook senders."""
    if not allowed(bot, kind):
        return None
    update = {"update_id": bot.next_update_id, kind: payload}
    bot.next_update_id += 1
    bot.updates.append(update)
    bot.sent[update["update_id"]] = update
    if len(bot.sent) > SENT_KEPT:
        del bot.sent[next(iter(bot.sent))]
    state.notifier.changed()
    return update


def find_sent(bot: Bot, chat_id: int, message_id: int) -> int:
    """The update_id that carried a given message to the bot."""
    for update_id, update in reversed(bot.sent.items()):
        message = update.get("message") or update.get("edited_message") or {}
        if message.get("message_id") == message_id and message.get("chat", {}).get("id") == chat_id:
            return update_id
    raise ApiError(400, f"Bad Request: no update carried message {message_id} in chat {chat_id}")


QUERY_KINDS = ("callback_query", "pre_checkout_query", "shipping_query", "inline_query")


def find_query(bot: Bot, query_id: str) -> int:
    """The update_id that carried a given query (a button press, a pre-checkout query) to the bot."""
    for update_id, update in reversed(bot.sent.items()):
        if any((update.get(kind) or {}).get("id") == query_id for kind in QUERY_KINDS):
            return update_id
    raise ApiError(400, f"Bad Request: no update carried query {query_id}")


def resend(state: State, bot: Bot, update_id: int, same_id: bool = False) -> Json:
    """Deliver an earlier update again, as Telegram does when it is unsure the bot got it.

    With same_id the copy keeps its update_id (a webhook retry, or a poller that had not confirmed
    the offset yet); otherwise it comes under a new id, as a second copy of the same event."""
    original = bot.sent.get(update_id)
    if original is None:
        raise ApiError(400, f"Bad Request: update {update_id} not found")
    kind = _kind(original)
    if same_id:
        copy = dict(original)
        bot.updates.append(copy)
        bot.updates.sort(key=lambda u: u["update_id"])
    else:
        copy = {"update_id": bot.next_update_id, kind: original[kind]}
        bot.next_update_id += 1
        bot.updates.append(copy)
    state.notifier.changed()
    return copy


def confirm(bot: Bot, offset: int | None) -> None:
    """Forget updates below offset (negative offset keeps only the last -offset updates)."""
    if offset is None or offset == 0:
        return
    if offset < 0:
        del bot.updates[: max(0, len(bot.updates) + offset)]
    else:
        bot.updates[:] = [u for u in bot.updates if u["update_id"] >= offset]


def set_allowed(bot: Bot, allowed_updates: list[str] | None) -> None:
    """Store allowed_updates (empty list means default) and drop queued updates now filtered out."""
    if allowed_updates is None:
        return
    bot.allowed_updates = list(allowed_updates) or None
    bot.updates[:] = [u for u in bot.updates if allowed(bot, _kind(u))]


def _kind(update: Json) -> str:
    """The update type key."""
    return next(k for k in update if k != "update_id")


async def get_updates(
    state: State, bot: Bot, params: dict[str, Any], max_timeout: float
) -> list[Json]:
    """Implement getUpdates long polling; a newer poll terminates an older one with 409."""
    if bot.webhook is not None:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    set_allowed(bot, params.get("allowed_updates"))
    confirm(bot, params.get("offset"))
    limit = min(100, max(1, int(params.get("limit") or 100)))
    timeout = min(max_timeout, max(0.0, float(params.get("timeout") or 0)))
    bot.poll_generation += 1
    generation = bot.poll_generation
    state.notifier.changed()
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        if bot.poll_generation != generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        if bot.updates or bot.webhook is not None:
            return list(bot.updates[:limit]) if bot.webhook is None else []
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0 or state.closing:
            return []
        await state.notifier.wait(remaining)
