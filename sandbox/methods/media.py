"""sendPhoto, sendDocument and getFile."""

from __future__ import annotations

from typing import Any

from ..files import document, lookup, photo_sizes
from ..messaging import bot_send
from .base import Ctx, check_markup, check_text


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


async def get_file(ctx: Ctx, p: dict[str, Any]) -> Any:
    """File object with a file_path downloadable at /file/bot<token>/<file_path>."""
    stored = lookup(ctx.state, p["file_id"])
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "file_path": stored.file_path,
    }


METHODS = {"sendPhoto": send_photo, "sendDocument": send_document, "getFile": get_file}
