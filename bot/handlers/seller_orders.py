"""The buttons on a seller's order alert: Accept (`sa:<order>`) and Mark shipped (`ss:<order>`).

Mark shipped asks for the carrier and tracking number with a ForceReply prompt that starts with
"🚚 #<order>"; the seller's reply to it ships the order through the marketplace, which stores both
and tells the buyer (outbox). The marketplace checks that the person owns the order's shop, so a
forged button for another shop's order is refused. "Message the buyer" (`sm:<order>`) is the
buyer <-> seller relay's (bot/handlers/relay.py: `on_message_buyer`).
"""

from __future__ import annotations

import logging
import re

import httpx
from telegram import ForceReply, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import filters

from bot import callback_data
from bot.alert_texts import say
from bot.handlers.conversation import language_of
from bot.services import Context
from bot.texts import text

log = logging.getLogger(__name__)

ACCEPT_PATTERN = rf"^{callback_data.SELLER_ACCEPT}:"
SHIP_PATTERN = rf"^{callback_data.SELLER_SHIP}:"
PROMPT = re.compile(r"^🚚 #(\d{1,12})\b")
TRACKING = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{3,39}")
MAX_CARRIER = 60


class _ShipPromptReply(filters.MessageFilter):
    """A reply to the bot's "carrier and tracking number" prompt."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return bool(replied is not None and replied.from_user is not None and replied.from_user.is_bot
                     and replied.text and PROMPT.match(replied.text))


SHIP_REPLY = (filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
              & _ShipPromptReply())


def order_of(data: str | None) -> int | None:
    """The order id of an `sa:`/`ss:` button, None for anything malformed."""
    value = (data or "").partition(":")[2]
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 12 else None  # not "²"


def parse_shipment(reply: str) -> tuple[str, str] | None:
    """(carrier, tracking number) from "DHL 00340434161094042557", "Posten Norge, LA 123 NO" …; None if unclear."""
    parts = [p.strip() for p in re.split(r"[,;\n]+", reply.strip()) if p.strip()]
    if len(parts) >= 2:
        carrier, tracking = parts[0], "".join(parts[1:]).replace(" ", "")
    else:
        words = reply.split()
        if len(words) < 2:
            return None
        carrier, tracking = " ".join(words[:-1]), words[-1]
    if not 1 <= len(carrier) <= MAX_CARRIER or not TRACKING.fullmatch(tracking) or not re.search(r"\d", tracking):
        return None
    return carrier, tracking.upper()


def without_button(markup: InlineKeyboardMarkup | None, data: str) -> InlineKeyboardMarkup | None:
    """The keyboard minus the button with this callback data."""
    if markup is None:
        return None
    rows = [[b for b in row if b.callback_data != data] for row in markup.inline_keyboard]
    return InlineKeyboardMarkup([row for row in rows if row])


async def ask_for_tracking(context: Context, chat_id: int, order_id: int, language: str) -> None:
    """Send the ForceReply prompt for the carrier and tracking number of one order."""
    await context.bot.send_message(chat_id, say("ship_prompt", language, order=order_id), reply_markup=ForceReply(
        selective=True, input_field_placeholder=say("ship_placeholder", language)))


async def on_accept(update: Update, context: Context) -> None:
    """The seller accepts a paid order: logged in the order's events, the buyer is told."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and context.bot_data.marketplace is not None
    language, order_id = language_of(update, context), order_of(query.data)
    if order_id is None:
        await query.answer(text("button_expired", language), show_alert=True)
        return
    try:
        status, _ = await context.bot_data.marketplace.order_action(order_id, "accept", f"seller:{user.id}")
    except httpx.HTTPError as exc:
        log.warning("marketplace unavailable to accept order %s: %s", order_id, exc)
        await query.answer(text("unavailable", language), show_alert=True)
        return
    if status != 200:
        log.info("accept of order %s by %s refused (%s)", order_id, user.id, status)
        await query.answer(say("accept_too_late" if status == 409 else "not_yours", language, order=order_id),
                           show_alert=True)
        return
    await query.answer(say("accepted_ok", language, order=order_id))
    message = query.message if isinstance(query.message, Message) else None
    if message is not None and query.data:
        try:
            await query.edit_message_reply_markup(without_button(message.reply_markup, query.data))
        except BadRequest as exc:  # already edited (pressed twice)
            log.debug("accept button not removed: %s", exc)


async def on_ship_button(update: Update, context: Context) -> None:
    """The seller pressed Mark shipped: ask for the carrier and tracking number (their own paid orders only)."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    assert query is not None and user is not None and chat is not None
    assert context.bot_data.marketplace is not None
    language, order_id = language_of(update, context), order_of(query.data)
    if order_id is None:
        await query.answer(text("button_expired", language), show_alert=True)
        return
    try:
        order = await context.bot_data.marketplace.seller_order(order_id, user.id)
    except httpx.HTTPError as exc:
        log.warning("marketplace unavailable to ship order %s: %s", order_id, exc)
        await query.answer(text("unavailable", language), show_alert=True)
        return
    if order is None:
        log.info("mark shipped of order %s by %s refused: not their shop", order_id, user.id)
        await query.answer(say("not_yours", language), show_alert=True)
        return
    if order["status"] != "paid":
        await query.answer(say("ship_too_late", language, order=order_id), show_alert=True)
        return
    await query.answer()
    await ask_for_tracking(context, chat.id, order_id, language)


async def on_ship_reply(update: Update, context: Context) -> None:
    """The reply to the tracking prompt: ship the order with that carrier and tracking number."""
    message, user = update.message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    assert message.reply_to_message is not None and message.reply_to_message.text is not None
    marketplace, language = context.bot_data.marketplace, language_of(update, context)
    assert marketplace is not None
    order_id = int(PROMPT.match(message.reply_to_message.text).group(1))  # type: ignore[union-attr]
    shipment = parse_shipment(message.text)
    if shipment is None:
        await message.reply_text(say("ship_bad_format", language))
        await ask_for_tracking(context, message.chat_id, order_id, language)
        return
    carrier, tracking = shipment
    try:
        status, body = await marketplace.order_action(order_id, "ship", f"seller:{user.id}", carrier=carrier,
                                                      tracking_number=tracking)
    except httpx.HTTPError as exc:
        log.warning("marketplace unavailable to ship order %s: %s", order_id, exc)
        await message.reply_text(text("unavailable", language))
        return
    if status == 200:
        await message.reply_text(say("shipped_ok", language, order=order_id, carrier=body["carrier"],
                                     tracking=body["tracking_number"]))
    elif status in (400, 422):
        await message.reply_text(say("ship_bad_format", language))
        await ask_for_tracking(context, message.chat_id, order_id, language)
    else:
        log.info("shipping order %s by %s refused (%s): %s", order_id, user.id, status, body.get("detail"))
        await message.reply_text(say("ship_too_late" if status == 409 else "not_yours", language, order=order_id))
