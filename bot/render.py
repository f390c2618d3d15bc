"""Render Rasa's replies as Telegram messages: escaped text, inline keyboards, photos."""

from __future__ import annotations

import html
import logging

from telegram import (Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, InputMediaPhoto, LabeledPrice,
                      Message)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest

from bot import callback_data
from bot.media import MediaCache
from bot.rasa_client import BotReply, Button

log = logging.getLogger(__name__)


def keyboard(buttons: list[Button], row: list[Button] | None = None) -> InlineKeyboardMarkup | None:
    """One button per row, then `row` side by side; buttons whose payload cannot fit in 64 bytes are dropped."""

    def button(each: Button) -> InlineKeyboardButton | None:
        try:
            return InlineKeyboardButton(each.title[:64], callback_data=callback_data.encode(callback_data.RASA,
                                                                                            each.payload))
        except callback_data.CallbackDataTooLong:
            log.error("dropping button %r: payload too long", each.title)
            return None

    rows = [[made] for made in map(button, buttons) if made is not None]
    if shared := [made for made in map(button, row or []) if made is not None]:
        rows.append(shared)
    return InlineKeyboardMarkup(rows) if rows else None


def escape(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> str:
    """HTML-escape text from Rasa and cut it to what Telegram accepts."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=False)


def from_custom(custom: dict) -> BotReply | None:
    """A product card (or any custom payload with text/photo/buttons, and a `nav` row) as a plain reply."""

    def buttons(key: str) -> list[Button]:
        return [Button(str(b.get("title", "")), str(b.get("payload", "")))
                for b in custom.get(key) or [] if isinstance(b, dict) and b.get("payload")]

    text, photo = custom.get("text"), custom.get("photo")
    if not (text or photo):
        return None
    return BotReply(text=str(text) if text else None, buttons=buttons("buttons"), image=str(photo) if photo else None,
                    row=buttons("nav"))


INVOICE_PREFIX = "order:"


async def send_invoice(bot: Bot, chat_id: int, invoice: dict, provider_token: str) -> Message:
    """An order's invoice as the action described it (amounts in the currency's smallest unit)."""
    return await bot.send_invoice(
        chat_id, title=str(invoice["title"])[:32], description=str(invoice["description"])[:255],
        payload=f"{INVOICE_PREFIX}{int(invoice['order_id'])}", provider_token=provider_token,
        currency=invoice["currency"],
        prices=[LabeledPrice(str(p["label"])[:32], int(p["amount"])) for p in invoice["prices"]])


async def send_reply(bot: Bot, chat_id: int, reply: BotReply, media: MediaCache,
                     provider_token: str = "", pressed: Message | None = None) -> Message | None:
    """Send one reply: a photo with caption when there is an image, otherwise text.

    A card marked `replace` (a page turn) takes the place of the card whose button was `pressed`."""
    if reply.custom is not None and reply.custom.get("type") == "invoice":
        return await send_invoice(bot, chat_id, reply.custom, provider_token)
    replace = reply.custom is not None and reply.custom.get("replace") is True
    if reply.custom is not None:
        converted = from_custom(reply.custom)
        if converted is None:
            log.warning("ignoring a custom payload the bot cannot render: %s", sorted(reply.custom))
            return None
        reply = converted
    markup = keyboard(reply.buttons, reply.row)
    if reply.image:
        photo = await media.resolve(reply.image)
        caption = escape(reply.text or "", MessageLimit.CAPTION_LENGTH) or None
        message = None
        if replace and pressed is not None and pressed.photo:
            message = await edit_card(bot, pressed, photo, caption, markup)
        if message is None:
            message = await bot.send_photo(chat_id, photo=photo, parse_mode=ParseMode.HTML, reply_markup=markup,
                                           caption=caption)
        if isinstance(message, Message) and message.photo:
            media.remember(reply.image, message.photo[-1].file_id)
        return message
    return await bot.send_message(chat_id, escape(reply.text or ""), parse_mode=ParseMode.HTML,
                                  reply_markup=markup)


async def edit_card(bot: Bot, pressed: Message, photo: object, caption: str | None,
                    markup: InlineKeyboardMarkup | None) -> Message | None:
    """Show another product in the card that was pressed; None when Telegram refuses (a new card is sent)."""
    if isinstance(photo, InputFile) and photo.attach_name is None:  # inside InputMedia an upload goes as attach://
        photo = InputFile(photo.input_file_content, filename=photo.filename, attach=True)
    try:
        edited = await bot.edit_message_media(InputMediaPhoto(photo, caption=caption, parse_mode=ParseMode.HTML),
                                              chat_id=pressed.chat_id, message_id=pressed.message_id,
                                              reply_markup=markup)
    except BadRequest as exc:
        if "not modified" in exc.message.lower():  # a second press of the same ◀ ▶: it already shows that
            return pressed
        log.info("card %s not edited (%s): sending a new one", pressed.message_id, exc.message)  # too old, deleted
        return None
    return edited if isinstance(edited, Message) else None
