"""sendPhoto, sendDocument, editMessageMedia and getFile."""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from ..files import Upload, document, lookup, photo_sizes
from ..messaging import bot_send, snapshot
from .base import Ctx, check_markup, check_text
from .messages import COPYABLE, NOT_MODIFIED, _own_message, _set_markup


def _caption(ctx: Ctx, p: dict[str, Any]) -> dict[str, Any]:
    """Parsed caption fields for a media message."""
    if not p.get("caption"):
        return {}
    caption, ents = check_text(
        ctx, p["caption"], p.get("parse_mode"), p.get("caption_entities"), caption=True
    )
    out: dict[str, Any] = {"caption": caption} if caption else {}
    if ents:
        out["caption_entities"] = ents
    if p.get("show_caption_above_media"):
        out["show_caption_above_media"] = True
    return out


async def send_photo(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Send a photo given as upload, file_id or URL."""
    conv = ctx.chat(p)
    caption = _caption(ctx, p)
    check_markup(ctx, p.get("reply_markup"))
    photos = photo_sizes(ctx.state, p["photo"])
    ctx.flood(conv)
    content = {"photo": photos, **caption}
    if p.get("has_spoiler"):
        content["has_media_spoiler"] = True
    return bot_send(ctx.state, ctx.bot, conv, content, p)


async def send_document(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Send a general file."""
    conv = ctx.chat(p)
    caption = _caption(ctx, p)
    check_markup(ctx, p.get("reply_markup"))
    doc = document(ctx.state, p["document"])
    ctx.flood(conv)
    return bot_send(ctx.state, ctx.bot, conv, {"document": doc, **caption}, p)


async def edit_message_media(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Replace a bot message's content with a photo or document (new file, file_id or URL), caption, keyboard."""
    conv, msg = _own_message(ctx, p)
    media = p.get("media")
    if not isinstance(media, dict) or media.get("type") not in ("photo", "document"):
        raise bad_request("can't parse InputMedia: media type is not supported by the emulator")
    source = media.get("media")
    if isinstance(source, str) and source.startswith("attach://"):
        source = p.get(source[len("attach://"):])
        if not isinstance(source, Upload):
            raise bad_request(f"file {media['media']} not found in the request")
    if not source:
        raise bad_request("there is no media in the request")
    caption = _caption(ctx, media)
    markup = p.get("reply_markup")
    check_markup(ctx, markup)
    current = (msg.get("photo") or [{}])[-1].get("file_id") if media["type"] == "photo" else None
    if (isinstance(source, str) and source == current and caption.get("caption") == msg.get("caption")
            and (markup or None) == msg.get("reply_markup")):
        raise bad_request(NOT_MODIFIED)
    content = ({"photo": photo_sizes(ctx.state, source)} if media["type"] == "photo"
               else {"document": document(ctx.state, source)})
    for key in COPYABLE:
        msg.pop(key, None)
    msg.update(content, **caption)
    _set_markup(msg, markup)
    msg["edit_date"] = ctx.state.now()
    ctx.state.notifier.changed()
    return snapshot(msg)


async def get_file(ctx: Ctx, p: dict[str, Any]) -> Any:
    """File object with a file_path downloadable at /file/bot<token>/<file_path>."""
    stored = lookup(ctx.state, p["file_id"])
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "file_path": stored.file_path,
    }


METHODS = {"sendPhoto": send_photo, "sendDocument": send_document, "editMessageMedia": edit_message_media,
           "getFile": get_file}
