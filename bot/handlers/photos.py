"""Photos from sellers: stored in the marketplace, then handed to Rasa for the listing being written."""

from __future__ import annotations

import logging

import httpx
from telegram import Update
from telegram.error import TelegramError

from bot.handlers.conversation import language_of, on_other, relay
from bot.services import Context
from bot.texts import text

log = logging.getLogger(__name__)
PHOTO_INTENT = "/send_photo"


async def on_photo(update: Update, context: Context) -> None:
    """A shop owner's photo goes to the marketplace and to Rasa (metadata `photo`); others get the text-only hint."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    services = context.bot_data
    if message is None or not message.photo or user is None or chat is None or services.marketplace is None:
        return
    try:
        seller = await services.marketplace.owns_shop(user.id)
    except httpx.HTTPError:
        seller = False  # cannot tell: treat it like any other picture
    if not seller:
        await on_other(update, context)
        return
    largest = message.photo[-1]
    try:
        picture = await largest.get_file()
        data = bytes(await picture.download_as_bytearray())
        path = await services.marketplace.upload_photo(data, f"{largest.file_unique_id}.jpg")
    except (TelegramError, httpx.HTTPError) as exc:
        log.warning("could not store a photo from %s: %s", user.id, exc)
        await context.bot.send_message(chat.id, text("photo_failed", language_of(update, context)))
        return
    if services.media is not None:
        services.media.remember(path, largest.file_id)  # the preview card re-sends it without an upload
    await relay(update, context, PHOTO_INTENT, extra={"photo": path})
