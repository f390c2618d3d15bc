"""Render Rasa's replies as Telegram messages: escaped text, inline keyboards, photos."""

from __future__ import annotations

import html
import logging

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LabeledPrice, Message
from telegram.constants import MessageLimit, ParseMode

from bot import callback_data
from bot.media import MediaCache
from bot.rasa_client import BotReply, Button

log = logging.getLogger(__name__)


def keyboard(buttons: list[Button]) -> InlineKeyboardMarkup | None:
    """One button per row; buttons whose payload cannot fit in 64 bytes are dropped (and logged)."""
    rows = []
    for button in buttons:
        try:
            data = callback_data.encode(callback_data.RASA, button.payload)
        except callback_data.CallbackDataTooLong:
            log.error("dropping button %r: payload too long", button.title)
            continue
        rows.append([InlineKeyboardButton(button.title[:64], callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None


def escape(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> str:
    """HTML-escape text from Rasa and cut it to what Telegram accepts."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=False)


def from_custom(custom: dict) -> BotReply | None:
    """A product card (or any custom payload with text/photo/buttons) as a plain reply."""
    buttons = [Button(str(b.get("title", "")), str(b.get("payload", "")))
               for b in custom.get("buttons") or [] if isinstance(b, dict) and b.get("payload")]
    text, photo = custom.get("text"), custom.get("photo")
    if not (text or photo):
        return None
    return BotReply(text=str(text) if text else None, buttons=buttons, image=str(photo) if photo else None)


INVOICE_PREFIX = "order:"


async def send_invoice(bot: Bot, chat_id: int, invoice: dict, provider_token: str) -> Message:
    """An order's invoice as the action described it (amounts in the currency's smallest unit)."""
    return await bot.send_invoice(
        chat_id, title=str(invoice["title"])[:32], description=str(invoice["description"])[:255],
        payload=f"{INVOICE_PREFIX}{int(invoice['order_id'])}", provider_token=provider_token,
        currency=invoice["currency"],
        prices=[LabeledPrice(str(p["label"])[:32], int(p["amount"])) for p in invoice["prices"]])


async def send_reply(bot: Bot, chat_id: int, reply: BotReply, media: MediaCache,
                     provider_token: str = "") -> Message | None:
    """Send one reply: a photo with caption when there is an image, otherwise text."""
    if reply.custom is not None and reply.custom.get("type") == "invoice":
        return await send_invoice(bot, chat_id, reply.custom, provider_token)
    if reply.custom is not None:
        converted = from_custom(reply.custom)
        if converted is None:
            log.warning("ignoring a custom payload the bot cannot render: %s", sorted(reply.custom))
            return None
        reply = converted
    markup = keyboard(reply.buttons)
    if reply.image:
        photo = await media.resolve(reply.image)
        message = await bot.send_photo(chat_id, photo=photo, parse_mode=ParseMode.HTML, reply_markup=markup,
                                       caption=escape(reply.text or "", MessageLimit.CAPTION_LENGTH) or None)
        if message.photo:
            media.remember(reply.image, message.photo[-1].file_id)
        return message
    return await bot.send_message(chat_id, escape(reply.text or ""), parse_mode=ParseMode.HTML,
                                  reply_markup=markup)
