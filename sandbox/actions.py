"""What users do: send text/photos/documents, press inline buttons, pay invoices."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from typing import Any

from .entities import detect
from .files import document, photo_sizes
from .messaging import snapshot, user_send
from .params import Upload
from .runtime import Runtime
from .state import Bot, Conversation, Json, PendingQuery
from .updates import enqueue


class ActionError(Exception):
    """A user action that cannot be performed (answered as 400 by the client API)."""


def conversation(rt: Runtime, bot: Bot | None, user_id: int, chat_id: int | None) -> Conversation:
    """The chat a user acts in: their private chat with bot, or a group they belong to."""
    st = rt.state
    if user_id not in st.users:
        raise ActionError(f"user {user_id} not found")
    if chat_id is None or int(chat_id) == user_id:
        if bot is None:
            raise ActionError("bot is required for a private chat")
        conv = st.private_conv(bot, user_id, create=True)
        assert conv is not None
        return conv
    group = st.groups.get(int(chat_id))
    if group is None:
        raise ActionError(f"chat {chat_id} not found")
    if user_id not in group.members:
        raise ActionError(f"user {user_id} is not a member of chat {chat_id}")
    return st.convs[("group", group.id)]


def send_text(
    rt: Runtime,
    user_id: int,
    conv: Conversation,
    text: str,
    thread_id: int | None = None,
    reply_to: int | None = None,
) -> Json:
    """User sends text; commands and mentions get entities like Telegram adds them."""
    if not text.strip():
        raise ActionError("text is empty")
    content: Json = {"text": text}
    ents = detect(text)
    if ents:
        content["entities"] = ents
    return user_send(rt.state, rt.state.users[user_id], conv, content, thread_id, reply_to)


def send_media(
    rt: Runtime,
    user_id: int,
    conv: Conversation,
    kind: str,
    upload: Upload,
    caption: str | None = None,
    thread_id: int | None = None,
) -> Json:
    """User sends a photo or a document."""
    content: Json = (
        {"photo": photo_sizes(rt.state, upload)}
        if kind == "photo"
        else {"document": document(rt.state, upload)}
    )
    if caption:
        content["caption"] = caption
    return user_send(rt.state, rt.state.users[user_id], conv, content, thread_id)


def _buttons(msg: Json) -> list[Json]:
    """Flattened inline keyboard of a message."""
    return [b for row in (msg.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def press_button(
    rt: Runtime,
    user_id: int,
    conv: Conversation,
    message_id: int,
    data: str | None = None,
    text: str | None = None,
) -> str:
    """Press an inline button (by callback_data or label); returns the callback query id."""
    st = rt.state
    msg = conv.messages.get(int(message_id))
    if msg is None:
        raise ActionError(f"message {message_id} not found in chat {conv.chat_id}")
    match = [
        b
        for b in _buttons(msg)
        if "callback_data" in b
        and (b["callback_data"] == data if data is not None else b["text"] == text)
    ]
    if not match:
        raise ActionError(
            f"no button with {'data' if data is not None else 'text'} "
            f"{data if data is not None else text!r} on message {message_id}"
        )
    bot = st.bot_by_id(msg["from"]["id"])
    if bot is None:
        raise ActionError("message was not sent by a bot")
    qid = st.new_query_id()
    instance = str(int(hashlib.sha1(f"{bot.id}:{conv.chat_id}".encode()).hexdigest()[:15], 16))
    payload = {
        "id": qid,
        "from": dict(st.users[user_id]),
        "message": snapshot(msg),
        "chat_instance": instance,
        "data": match[0]["callback_data"],
    }
    st.queries[qid] = PendingQuery(
        qid,
        bot.id,
        "callback_query",
        payload,
        context={"chat_id": conv.chat_id, "message_id": message_id},
    )
    enqueue(st, bot, "callback_query", payload)
    return qid


async def pay_invoice(
    rt: Runtime,
    user_id: int,
    conv: Conversation,
    message_id: int,
    total_amount: int | None = None,
    order_info: Json | None = None,
    timeout: float | None = None,
) -> Json:
    """Pay: pre_checkout_query, then successful_payment only if the bot answered ok=True."""
    st = rt.state
    msg = conv.messages.get(int(message_id))
    extra = conv.extras.get(int(message_id))
    if msg is None or "invoice" not in msg or extra is None:
        raise ActionError(f"message {message_id} is not an invoice")
    if extra["paid"]:
        raise ActionError("invoice already paid")
    bot = st.bot_by_id(msg["from"]["id"])
    assert bot is not None
    amount = extra["total_amount"] if total_amount is None else int(total_amount)
    qid = st.new_query_id()
    payload: Json = {
        "id": qid,
        "from": dict(st.users[user_id]),
        "currency": extra["currency"],
        "total_amount": amount,
        "invoice_payload": extra["payload"],
    }
    if order_info:
        payload["order_info"] = order_info
    query = st.queries[qid] = PendingQuery(qid, bot.id, "pre_checkout_query", payload)
    enqueue(st, bot, "pre_checkout_query", payload)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + (rt.settings.precheckout_timeout if timeout is None else timeout)
    while query.answer is None and loop.time() < deadline and not st.closing:
        await st.notifier.wait(deadline - loop.time())
    if query.answer is None:
        return {"status": "timeout", "pre_checkout_query_id": qid}
    if not query.answer["ok"]:
        return {
            "status": "declined",
            "pre_checkout_query_id": qid,
            "error_message": query.answer["error_message"],
        }
    extra["paid"] = True
    success: Json = {
        "currency": extra["currency"],
        "total_amount": amount,
        "invoice_payload": extra["payload"],
        "telegram_payment_charge_id": f"sandbox_tg_{secrets.token_hex(8)}",
        "provider_payment_charge_id": f"sandbox_provider_{secrets.token_hex(8)}",
    }
    if order_info:
        success["order_info"] = order_info
    paid = user_send(
        st, st.users[user_id], conv, {"successful_payment": success}, msg.get("message_thread_id")
    )
    return {"status": "paid", "pre_checkout_query_id": qid, "message": paid}


def callback_answer(rt: Runtime, qid: str) -> Any:
    """The bot's answer to a callback query (None while unanswered)."""
    query = rt.state.queries.get(qid)
    if query is None:
        raise ActionError(f"query {qid} not found")
    return query.answer
