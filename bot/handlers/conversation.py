"""Handlers that carry a person's words and button presses to Rasa and its answers back."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot import callback_data
from bot.edits import edit_pressed
from bot.handoff import Person
from bot.handoff import begin as begin_handoff
from bot.metrics import metrics
from bot.rasa_client import RasaUnavailable
from bot.render import send_reply
from bot.services import Context
from bot.texts import LANGUAGES, pick_language, text
from tradewind import request_id

log = logging.getLogger(__name__)


def language_of(update: Update, context: Context) -> str:
    """The person's chosen language, else what their Telegram app says."""
    chosen = context.user_data.get("language") if context.user_data is not None else None
    user = update.effective_user
    return chosen or pick_language(user.language_code if user else None)


async def metadata(update: Update, context: Context) -> dict:
    """What Rasa and the actions need to know about the sender (role: buyer or seller)."""
    user, chat = update.effective_user, update.effective_chat
    marketplace = context.bot_data.marketplace
    role = await marketplace.role_of(user.id) if user and marketplace else "buyer"
    data = {"telegram_user_id": user.id if user else None, "chat_id": chat.id if chat else None,
            "language_code": user.language_code if user else None, "first_name": user.first_name if user else None,
            "role": role}
    if context.user_data and context.user_data.get("language"):
        data["preferred_language"] = context.user_data["language"]
    if (current := request_id.REQUEST_ID.get()) is not None:  # the actions log and forward it
        data["request_id"] = current
    return data


TYPING_DELAY = 0.5  # seconds before "typing…" is shown while Rasa works


async def typing_after(context: Context, chat_id: int, delay: float) -> None:
    """Show "typing…" in the chat if the answer is not ready after `delay` seconds."""
    await asyncio.sleep(delay)
    try:
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError as exc:  # only a courtesy: never let it break the answer
        log.debug("typing action failed: %s", exc)


async def relay(update: Update, context: Context, message: str, extra: dict | None = None,
                pressed: Message | None = None) -> None:
    """Send `message` to Rasa as this person (with `extra` metadata) and render the answers in their chat.

    `pressed` is the message whose button sent it: a product card browsed with ◀ ▶ is edited in place."""
    chat, services = update.effective_chat, context.bot_data
    assert chat is not None and services.rasa is not None and services.media is not None
    # "typing…" only when the answer takes noticeable time (Telegram's advice): a fast answer then costs
    # one API call instead of two, and every call counts against the bot's 30 requests a second.
    typing = asyncio.get_running_loop().create_task(typing_after(context, chat.id, TYPING_DELAY))
    try:
        replies = await services.rasa.send(sender=str(chat.id), text=message,
                                           metadata={**await metadata(update, context), **(extra or {})})
    except RasaUnavailable as exc:
        log.warning("rasa unavailable: %s", exc)
        await context.bot.send_message(chat.id, text("unavailable", language_of(update, context)))
        return
    finally:
        typing.cancel()
    if not message.startswith("/"):  # button payloads are not words; the support summary shows words
        await services.shared.add(chat.id, "person", message)
    for reply in replies:
        if reply.custom is not None and isinstance(reply.custom.get("handoff"), dict) and services.desk:
            user = update.effective_user  # an action handed the conversation to support staff
            assert user is not None
            await begin_handoff(context.bot, services.desk, Person(user.id, user.first_name), reply.custom["handoff"])
            continue
        if reply.text:
            await services.shared.add(chat.id, "bot", reply.text)
        await send_reply(context.bot, chat.id, reply, services.media, services.provider_token(), pressed=pressed)
        metrics().replies.inc()


async def on_text(update: Update, context: Context) -> None:
    """Forward a text message to Rasa."""
    assert update.message is not None and update.message.text is not None
    await relay(update, context, update.message.text)


def intent(name: str, language: str) -> str:
    """A Rasa intent payload that also sets the conversation's language."""
    return f'/{name}{{"language":"{language}"}}'


async def on_start(update: Update, context: Context) -> None:
    """Greet a new or returning person (/start), in their Telegram app's language."""
    await relay(update, context, intent("greet", language_of(update, context)))


async def on_help(update: Update, context: Context) -> None:
    """Explain what the bot can do (/help)."""
    await relay(update, context, intent("help", language_of(update, context)))


async def on_language(update: Update, context: Context) -> None:
    """Offer the eight languages as buttons (/language)."""
    assert update.effective_chat is not None
    rows = [[InlineKeyboardButton(name, callback_data=callback_data.encode(callback_data.LANGUAGE, code))]
            for code, name in LANGUAGES.items()]
    await context.bot.send_message(update.effective_chat.id, text("choose_language", language_of(update, context)),
                                   reply_markup=InlineKeyboardMarkup(rows))


async def on_button(update: Update, context: Context) -> None:
    """Answer every button press, then act on it: a Rasa payload or a language choice."""
    query = update.callback_query
    assert query is not None
    parsed = callback_data.decode(query.data)
    if parsed is None or (parsed.kind == callback_data.LANGUAGE and parsed.value not in LANGUAGES):
        await query.answer(text("button_expired", language_of(update, context)), show_alert=True)
        return
    await query.answer()
    if parsed.kind == callback_data.LANGUAGE:
        if context.user_data is not None and update.effective_user is not None:  # every instance honours it
            await context.bot_data.shared.choose_language(update.effective_user.id, parsed.value, context.user_data)
        await edit_pressed(query, text("language_set", parsed.value))
        await relay(update, context, intent("help", parsed.value))  # Rasa switches too, and says what it can do
        return
    await relay(update, context, parsed.value, pressed=query.message if isinstance(query.message, Message) else None)


async def on_other(update: Update, context: Context) -> None:
    """Say politely what the bot understands when it gets a sticker, voice note, etc."""
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text("only_text", language_of(update, context)))
