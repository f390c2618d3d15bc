"""sendMessage, edits, copyMessage and deleteMessage."""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from ..messaging import bot_send, find_message, snapshot
from .base import Ctx, check_markup, check_text

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
COPYABLE = (
    "text",
    "entities",
    "photo",
    "document",
    "caption",
    "caption_entities",
    "video",
    "audio",
    "voice",
    "sticker",
    "animation",
    "location",
    "contact",
    "venue",
    "poll",
    "dice",
)
SERVICE = (
    "new_chat_members",
    "left_chat_member",
    "forum_topic_created",
    "successful_payment",
    "pinned_message",
    "invoice",
    "new_chat_title",
)


async def send_message(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Send a text message."""
    conv = ctx.chat(p)
    text, ents = check_text(ctx, p["text"], p.get("parse_mode"), p.get("entities"))
    check_markup(ctx, p.get("reply_markup"))
    ctx.flood(conv)
    content: dict[str, Any] = {"text": text}
    if ents:
        content["entities"] = ents
    if p.get("link_preview_options"):
        content["link_preview_options"] = p["link_preview_options"]
    return bot_send(ctx.state, ctx.bot, conv, content, p)


def _own_message(ctx: Ctx, p: dict[str, Any], missing: str = "message to edit not found") -> Any:
    """The bot's own stored message addressed by chat_id+message_id."""
    if p.get("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    if p.get("chat_id") is None or p.get("message_id") is None:
        raise bad_request("message identifier is not specified")
    conv = ctx.chat(p)
    msg = find_message(conv, p["message_id"], missing)
    if msg["from"]["id"] != ctx.bot.id:
        raise bad_request("message can't be edited")
    return conv, msg


async def edit_message_text(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Edit the text (and optionally the inline keyboard) of a bot message."""
    conv, msg = _own_message(ctx, p)
    if "text" not in msg:
        raise bad_request("there is no text in the message to edit")
    text, ents = check_text(ctx, p.get("text") or "", p.get("parse_mode"), p.get("entities"))
    markup = p.get("reply_markup")
    check_markup(ctx, markup)
    if (
        text == msg["text"]
        and ents == msg.get("entities", [])
        and markup == msg.get("reply_markup")
    ):
        raise bad_request(NOT_MODIFIED)
    msg["text"] = text
    msg.pop("entities", None)
    if ents:
        msg["entities"] = ents
    _set_markup(msg, markup)
    msg["edit_date"] = ctx.state.now()
    ctx.state.notifier.changed()
    return snapshot(msg)


def _set_markup(msg: dict[str, Any], markup: Any) -> None:
    """Replace or remove the inline keyboard of a stored message."""
    if markup and markup.get("inline_keyboard"):
        msg["reply_markup"] = markup
    else:
        msg.pop("reply_markup", None)


async def edit_message_reply_markup(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Replace or remove a bot message's inline keyboard."""
    conv, msg = _own_message(ctx, p)
    markup = p.get("reply_markup")
    check_markup(ctx, markup)
    if (markup or None) == msg.get("reply_markup") or (not markup and "reply_markup" not in msg):
        raise bad_request(NOT_MODIFIED)
    _set_markup(msg, markup)
    msg["edit_date"] = ctx.state.now()
    ctx.state.notifier.changed()
    return snapshot(msg)


async def copy_message(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Copy a message's content to another chat without a link to the original."""
    source = ctx.chat(p, "from_chat_id")
    original = find_message(source, p["message_id"], "message to copy not found")
    if any(k in original for k in SERVICE):
        raise bad_request("message can't be copied")
    target = ctx.chat(p)
    content = {k: v for k, v in snapshot(original).items() if k in COPYABLE}
    if "caption" in p:
        caption, ents = check_text(
            ctx,
            p.get("caption") or "",
            p.get("parse_mode"),
            p.get("caption_entities"),
            caption=True,
        )
        content.pop("caption_entities", None)
        content.update({"caption": caption, **({"caption_entities": ents} if ents else {})})
        if not caption:
            content.pop("caption")
    check_markup(ctx, p.get("reply_markup"))
    ctx.flood(target)
    msg = bot_send(ctx.state, ctx.bot, target, content, p)
    return {"message_id": msg["message_id"]}


async def delete_message(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Delete a message from the chat history."""
    conv = ctx.chat(p)
    find_message(conv, p["message_id"], "message to delete not found")
    conv.messages.pop(int(p["message_id"]))
    ctx.state.notifier.changed()
    return True


METHODS = {
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "copyMessage": copy_message,
    "deleteMessage": delete_message,
}
