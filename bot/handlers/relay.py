"""Buyer <-> seller messages about an order or a product, relayed by the bot and translated.

A buyer taps "Ask the seller" on a product card or "Message the seller" on an order (both are the
Rasa payload `/ask_seller{...}`), a seller taps "Message the buyer" on an order alert (`sm:<order>`).
The bot opens the thread in the marketplace and asks for the message with a ForceReply prompt. The
reply is recorded, translated into the other side's language and delivered with a "Show original"
button (`so:<message>`); the other side answers by replying to it, and so on. The marketplace decides
who may write (only the order's buyer and the shop's owner), so a forged button is refused.
"""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import MessageLimit
from telegram.error import BadRequest, Forbidden
from telegram.ext import filters

from bot import callback_data
from bot.handlers import conversation
from bot.handlers.conversation import language_of
from bot.marketplace_client import ConversationRefused
from bot.relay_texts import TEXTS, say
from bot.services import Context
from bot.texts import LANGUAGES, text

log = logging.getLogger(__name__)

ASK_PREFIX = "r:/ask_seller"
ASK_PATTERN = r"^r:/ask_seller\{"
MESSAGE_BUYER, SHOW_ORIGINAL = "sm", "so"
MESSAGE_BUYER_PATTERN = rf"^{MESSAGE_BUYER}:\d{{1,15}}$"
SHOW_ORIGINAL_PATTERN = rf"^{SHOW_ORIGINAL}:\d{{1,15}}$"
DELIVERY_RETRIES, DELIVERY_WAIT = 10, 0.2  # seconds
PROMPT_MARK = "✍️"  # every prompt starts with it
REPLY_FILTER = (filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.TEXT & filters.REPLY
                & ~filters.COMMAND)


def ask_subject(data: str | None) -> dict[str, int] | None:
    """`{"product_id": n}` or `{"order_id": n}` from an ask-the-seller button, None if malformed."""
    if not data or not data.startswith(ASK_PREFIX):
        return None
    try:
        entities = json.loads(data[len(ASK_PREFIX):])
    except ValueError:
        return None
    for key in ("order_id", "product_id"):
        value = entities.get(key) if isinstance(entities, dict) else None
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return {key: value}
    return None


def looks_relayed(message: Message) -> bool:
    """Whether a bot message has the shape of a prompt or a relayed message (their ids are recorded
    just after they are sent, so a very quick reply may have to wait a moment for the record)."""
    content = message.text or ""
    return content.startswith(PROMPT_MARK) or any(content.endswith(hint) for hint in TEXTS["reply_hint"].values())


def prompt_text(thread: dict) -> str:
    """The "type your message" prompt, in the language of the person who opened the thread."""
    language, shop, order = thread["language"], thread["shop_name"], thread["order_id"]
    if thread["product_id"] is not None:
        return say("prompt_product", language, title=thread["product_title"], shop=shop)
    return say("prompt_order_buyer" if thread["role"] == "buyer" else "prompt_order_seller", language,
               shop=shop, order=order)


def relayed_text(message: dict) -> str:
    """What the recipient reads: who writes about what, the (translated) text, a note, how to answer."""
    language = message["language"]
    values = {"order": message["order_id"], "title": message["product_title"], "shop": message["shop_name"]}
    subject = "product" if message["product_id"] is not None else "order"
    header = say(f"from_{message['sender_role']}_{subject}", language, **values)
    parts = [header, message["text"]]
    if not message["translated"] and message["note"]:
        parts.append(say("not_translated", language))
    parts.append(say("reply_hint", language))
    return "\n\n".join(parts)


async def open_thread(update: Update, context: Context, *, role: str, order_id: int | None = None,
                      product_id: int | None = None) -> None:
    """Open the thread in the marketplace (which checks who may write) and send the ForceReply prompt."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    assert query is not None and user is not None and chat is not None
    marketplace = context.bot_data.marketplace
    assert marketplace is not None
    language = language_of(update, context)
    try:
        thread = await marketplace.open_conversation(user.id, role, order_id=order_id, product_id=product_id,
                                                     language=language)
    except ConversationRefused as refused:
        log.warning("conversation refused for user %s (%s): %s", user.id, query.data, refused)
        await query.answer(say("not_participant", language), show_alert=True)
        return
    except httpx.HTTPError as exc:
        log.warning("marketplace unavailable for a conversation: %s", exc)
        await query.answer(text("unavailable", language), show_alert=True)
        return
    await query.answer()
    prompt = await context.bot.send_message(chat.id, prompt_text(thread), reply_markup=ForceReply(
        selective=True, input_field_placeholder=say("placeholder", thread["language"])))
    await marketplace.set_prompt(thread["id"], user.id, prompt.message_id)


async def on_ask_seller(update: Update, context: Context) -> None:
    """A buyer tapped "Ask the seller" (product card) or "Message the seller" (order): open the thread."""
    query = update.callback_query
    assert query is not None
    subject = ask_subject(query.data)
    if subject is None:
        await query.answer(text("button_expired", language_of(update, context)), show_alert=True)
        return
    await open_thread(update, context, role="buyer", **subject)


async def on_message_buyer(update: Update, context: Context) -> None:
    """A seller tapped "Message the buyer" on an order alert (`sm:<order_id>`): open the thread."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await open_thread(update, context, role="seller", order_id=int(query.data.partition(":")[2]))


async def deliver(message: Message, context: Context, thread: dict) -> None:
    """Record the message, send it translated to the other side, and confirm to the sender."""
    marketplace, user = context.bot_data.marketplace, message.from_user
    assert marketplace is not None and user is not None and message.text is not None
    language = thread["language"]
    try:
        relayed = await marketplace.post_message(thread["id"], user.id, message.text, message.message_id)
    except ConversationRefused:
        await message.reply_text(say("not_participant", language))
        return
    except httpx.HTTPError as exc:
        log.warning("could not record a conversation message: %s", exc)
        await message.reply_text(text("unavailable", language))
        return
    if relayed["recipient_message_id"] is None:  # not yet delivered (a retried update is delivered once)
        markup = None
        if relayed["translated"]:
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(
                say("show_original", relayed["language"]),
                callback_data=callback_data.encode(SHOW_ORIGINAL, str(relayed["id"])))]])
        try:
            sent = await context.bot.send_message(relayed["recipient_telegram_id"], relayed_text(relayed),
                                                  reply_markup=markup)
        except (Forbidden, BadRequest) as exc:
            log.info("conversation message %s not delivered: %s", relayed["id"], exc)
            await message.reply_text(say("undelivered", language))
            return
        await marketplace.mark_delivered(relayed["id"], sent.message_id)
    confirmation = (say("sent_to_seller", language, shop=thread["shop_name"]) if thread["role"] == "buyer"
                    else say("sent_to_buyer", language))
    await message.reply_text(confirmation)


async def on_reply(update: Update, context: Context) -> None:
    """A reply to a prompt or a relayed message goes to the other side; any other text goes to Rasa."""
    message, user = update.message, update.effective_user
    assert message is not None and user is not None
    replied, marketplace = message.reply_to_message, context.bot_data.marketplace
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id or marketplace is None:
        await conversation.on_text(update, context)
        return
    try:
        thread = await marketplace.conversation_for_reply(user.id, replied.message_id)
        for _ in range(DELIVERY_RETRIES if thread is None and looks_relayed(replied) else 0):
            await asyncio.sleep(DELIVERY_WAIT)  # a very quick reply can overtake the bookkeeping
            thread = await marketplace.conversation_for_reply(user.id, replied.message_id)
            if thread is not None:
                break
    except httpx.HTTPError as exc:
        log.warning("marketplace unavailable for a reply: %s", exc)
        await message.reply_text(text("unavailable", language_of(update, context)))
        return
    if thread is None:
        await conversation.on_text(update, context)
        return
    await deliver(message, context, thread)


async def on_show_original(update: Update, context: Context) -> None:
    """Show a relayed message's original text under its translation (for its sender or recipient only)."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    marketplace = context.bot_data.marketplace
    assert marketplace is not None
    language = language_of(update, context)
    try:
        relayed = await marketplace.conversation_message(int(query.data.partition(":")[2]), user.id)
    except ConversationRefused:
        await query.answer(say("not_participant", language), show_alert=True)
        return
    except httpx.HTTPError:
        await query.answer(text("unavailable", language), show_alert=True)
        return
    await query.answer()
    name = LANGUAGES.get(relayed["original_language"], relayed["original_language"])
    block = f"{say('original', relayed['language'], name=name)}\n{relayed['original']}"
    shown = query.message if isinstance(query.message, Message) else None
    if shown is not None and shown.text and len(shown.text) + len(block) + 2 <= MessageLimit.MAX_TEXT_LENGTH:
        await query.edit_message_text(f"{shown.text}\n\n{block}")  # the button goes: the original is shown
    elif update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, block[:MessageLimit.MAX_TEXT_LENGTH],
                                       reply_to_message_id=shown.message_id if shown is not None else None)
