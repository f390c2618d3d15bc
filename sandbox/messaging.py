"""Create, store and deliver messages from bots and from users."""

from __future__ import annotations

import copy
from typing import Any

from .errors import bad_request
from .state import Bot, Conversation, Json, State
from .updates import enqueue


def snapshot(msg: Json) -> Json:
    """Deep copy of a stored message safe to return."""
    return copy.deepcopy(msg)


def check_thread(state: State, conv: Conversation, thread_id: int | None) -> int | None:
    """Validate message_thread_id for the chat; returns the id to store."""
    if not thread_id:
        return None
    if conv.chat["type"] == "private":
        return None
    group = state.groups[conv.chat_id]
    if group.chat.get("is_forum") and thread_id not in group.topics:
        raise bad_request("message thread not found")
    return int(thread_id)


def reply_target(conv: Conversation, reply: Json | None) -> Json | None:
    """Resolve reply_parameters (or legacy reply_to_message_id) to the replied message."""
    if not reply:
        return None
    target = conv.messages.get(int(reply.get("message_id", 0)))
    if target is None:
        if reply.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    replied = snapshot(target)
    replied.pop("reply_to_message", None)
    return replied


def store(
    state: State,
    conv: Conversation,
    sender: Json,
    content: Json,
    thread_id: int | None = None,
    replied: Json | None = None,
) -> Json:
    """Append a message to the conversation and wake waiters."""
    msg: Json = {
        "message_id": conv.next_id,
        "from": dict(sender),
        "date": state.now(),
        "chat": dict(conv.chat),
    }
    if thread_id:
        msg["message_thread_id"] = thread_id
        msg["is_topic_message"] = True
    if replied is not None:
        msg["reply_to_message"] = replied
    msg.update(content)
    conv.next_id += 1
    conv.messages[msg["message_id"]] = msg
    state.notifier.changed()
    return msg


def bot_send(
    state: State, bot: Bot, conv: Conversation, content: Json, params: dict[str, Any]
) -> Json:
    """Store a message sent by a bot, honouring thread and reply parameters."""
    thread_id = check_thread(state, conv, params.get("message_thread_id"))
    reply = params.get("reply_parameters")
    if not reply and params.get("reply_to_message_id"):
        reply = {
            "message_id": params["reply_to_message_id"],
            "allow_sending_without_reply": params.get("allow_sending_without_reply", False),
        }
    replied = reply_target(conv, reply)
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        content = {**content, "reply_markup": markup}
    elif isinstance(markup, dict):
        conv.reply_keyboard = None if markup.get("remove_keyboard") else markup
    return snapshot(store(state, conv, bot.user, content, thread_id, replied))


def bots_of(state: State, conv: Conversation) -> list[Bot]:
    """Bots that receive updates from this conversation."""
    if conv.key[0] == "private":
        bot = state.bot_by_id(conv.key[1])
        return [bot] if bot else []
    group = state.groups[conv.chat_id]
    return [b for b in state.bots.values() if b.id in group.bot_ids]


def user_send(
    state: State,
    user: Json,
    conv: Conversation,
    content: Json,
    thread_id: int | None = None,
    reply_to: int | None = None,
) -> Json:
    """Store a message from a user and deliver it as a `message` update to the chat's bots."""
    thread = check_thread(state, conv, thread_id)
    if thread and conv.key[0] == "group" and thread in state.groups[conv.chat_id].closed_topics:
        raise bad_request("TOPIC_CLOSED")
    replied = reply_target(conv, {"message_id": reply_to}) if reply_to else None
    msg = store(state, conv, user, content, thread, replied)
    for bot in bots_of(state, conv):
        enqueue(state, bot, "message", snapshot(msg))
    return snapshot(msg)


def find_message(conv: Conversation, message_id: Any, missing: str) -> Json:
    """Stored message by id or a Bad Request with the given text."""
    try:
        msg = conv.messages.get(int(message_id))
    except (TypeError, ValueError):
        msg = None
    if msg is None:
        raise bad_request(missing)
    return msg
