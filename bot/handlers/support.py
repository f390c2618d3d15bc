"""Support handoff handlers: the person's side (their messages go to the staff topic while a handoff is
active) and the staff side (replies and commands in the staff forum group). See bot/handoff.py.

Only members of the staff group act as staff (getChatMember, cached briefly); anyone else gets no
answer at all. Every staff-group update is consumed here, so nothing from that chat reaches Rasa.
"""

from __future__ import annotations

import logging

import httpx
from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import handoff
from bot import handoff_views as views
from bot.config import BotSettings
from bot.handoff_texts import say, staff
from bot.services import Context
from bot.support_client import SupportRefused
from bot.texts import text

log = logging.getLogger(__name__)

PRIVACY_COMMANDS = filters.Regex(r"^/(mydata|forgetme)(@\w+)?(\s|$)")
PERSON_MESSAGES = (filters.ChatType.PRIVATE & ~PRIVACY_COMMANDS & ~filters.SUCCESSFUL_PAYMENT
                   & ~filters.StatusUpdate.ALL)
BOT_BUTTONS = r"^(r|l):"  # Rasa payloads and language choices: both would talk to Rasa
DEFAULT_DAYS, MAX_DAYS = 7, 366


async def on_person_message(update: Update, context: Context) -> None:
    """While support has the conversation, take the person's message to the topic (never to Rasa)."""
    message, user, desk = update.effective_message, update.effective_user, context.bot_data.desk
    if desk is None or desk.chat_id is None or message is None or user is None:
        return
    active = await desk.for_person(user.id)
    if active is None:
        return
    try:
        await handoff.relay_to_staff(context.bot, desk, active, message)
    except (TelegramError, httpx.HTTPError, SupportRefused):
        log.exception("could not relay a message of %s to handoff %s", user.id, active["id"])
        await context.bot.send_message(message.chat_id, say("not_delivered", active["language"]))
    raise ApplicationHandlerStop


async def on_person_button(update: Update, context: Context) -> None:
    """While support has the conversation, the bot's old buttons only say who has it now."""
    query, desk = update.callback_query, context.bot_data.desk
    if query is None or desk is None or desk.chat_id is None:
        return
    active = await desk.for_person(query.from_user.id)
    if active is None:
        return
    await query.answer(say("busy", active["language"]), show_alert=True)
    raise ApplicationHandlerStop


async def on_rating(update: Update, context: Context) -> None:
    """Record the person's 1-5 rating of the help; forged or repeated presses are refused."""
    query, desk = update.callback_query, context.bot_data.desk
    assert query is not None and desk is not None
    language = query.from_user.language_code
    parsed = handoff.parse_rating(query.data)
    if parsed is None:
        await query.answer(text("button_expired", language), show_alert=True)
        return
    try:
        rated = await desk.support.rate(parsed[0], query.from_user.id, parsed[1])
    except SupportRefused as exc:
        key = "already_rated" if exc.status == 409 else None
        await query.answer(say(key, language) if key else text("button_expired", language), show_alert=True)
        return
    await query.answer()
    await query.edit_message_text(say("rated", rated["language"], stars=rated["rating"]))
    if desk.chat_id is not None and rated.get("thread_id"):
        await context.bot.send_message(desk.chat_id, staff("rated", name=views.esc(views.person_name(rated)),
                                                           stars=rated["rating"]),
                                       message_thread_id=rated["thread_id"], parse_mode=ParseMode.HTML)


async def _answer(update: Update, context: Context, html: str) -> None:
    """Reply in the staff group, in the same topic."""
    message = update.effective_message
    assert message is not None
    await context.bot.send_message(message.chat_id, html, parse_mode=ParseMode.HTML,
                                   message_thread_id=message.message_thread_id if message.is_topic_message else None)


async def _is_staff(update: Update, context: Context) -> bool:
    desk = context.bot_data.desk
    return desk is not None and await desk.is_staff(context.bot, update.effective_user)


async def _topic_handoff(update: Update, context: Context) -> dict | None:
    """The active handoff of the topic a staff command was sent in (says so when there is none)."""
    message, desk = update.effective_message, context.bot_data.desk
    assert message is not None and desk is not None
    active = await desk.for_topic(message.message_thread_id) if message.is_topic_message else None
    if active is None:
        await _answer(update, context, staff("not_handoff"))
    return active


async def on_claim(update: Update, context: Context) -> None:
    """/claim in a handoff topic: assign it to me and tell the person who is helping."""
    desk, user = context.bot_data.desk, update.effective_user
    if not await _is_staff(update, context) or (active := await _topic_handoff(update, context)) is None:
        return
    assert desk is not None and user is not None
    claimed = await desk.support.claim(active["id"], user.id, user.first_name)
    await desk.remember(claimed)
    await _answer(update, context, staff("claimed", staff=views.esc(user.first_name)))
    await context.bot.send_message(claimed["telegram_user_id"], say("claimed", claimed["language"],
                                                                    name=user.first_name))


async def on_done(update: Update, context: Context) -> None:
    """/done in a handoff topic: close it, hand the person back to the bot, ask them for a rating."""
    desk, user = context.bot_data.desk, update.effective_user
    if not await _is_staff(update, context) or (active := await _topic_handoff(update, context)) is None:
        return
    assert desk is not None and user is not None
    await handoff.finish(context.bot, desk, active, user)


async def _resolve(update: Update, context: Context, action: str) -> None:
    """/refund or /release <order>: through the order state machine, as staff:<my id>."""
    desk, user = context.bot_data.desk, update.effective_user
    if not await _is_staff(update, context) or (active := await _topic_handoff(update, context)) is None:
        return
    assert desk is not None and user is not None
    args = context.args or []
    number = args[0].lstrip("#") if len(args) == 1 else ""
    if not (number.isascii() and number.isdigit()):  # not "²" either
        await _answer(update, context, staff("resolve_usage", action=action))
        return
    try:
        result = await desk.support.resolve(active["id"], user.id, action, int(number))
    except SupportRefused as exc:
        await _answer(update, context, staff("refused", reason=views.esc(exc.detail)))
        return
    order = result["order"]
    amount = views.money(order["total"], order["currency"], desk.staff_language)
    await _answer(update, context, staff("refunded" if action == "refund" else "released", order=order["id"],
                                         amount=views.esc(amount), staff=user.id))


async def on_refund(update: Update, context: Context) -> None:
    """/refund <order>: the buyer gets the held money back."""
    await _resolve(update, context, "refund")


async def on_release(update: Update, context: Context) -> None:
    """/release <order>: the held money goes to the seller."""
    await _resolve(update, context, "release")


async def on_note(update: Update, context: Context) -> None:
    """/note <text>: an internal note on the handoff, never sent to the person."""
    desk, user, message = context.bot_data.desk, update.effective_user, update.effective_message
    if not await _is_staff(update, context) or (active := await _topic_handoff(update, context)) is None:
        return
    assert desk is not None and user is not None and message is not None and message.text is not None
    note = message.text.partition(" ")[2].strip()
    if not note:
        await _answer(update, context, staff("note_usage"))
        return
    await desk.support.note(active["id"], user.id, note[:2000])
    await _answer(update, context, staff("noted"))


async def on_queue(update: Update, context: Context) -> None:
    """/queue in the staff group: open handoffs with waiting time and assignee."""
    desk = context.bot_data.desk
    if not await _is_staff(update, context):
        return
    assert desk is not None and desk.chat_id is not None
    await _answer(update, context, views.queue_text(await desk.support.queue(), desk.chat_id))


async def on_stats(update: Update, context: Context) -> None:
    """/stats [days] in the staff group: handoff rate, median first response, average rating."""
    desk = context.bot_data.desk
    if not await _is_staff(update, context):
        return
    assert desk is not None
    args = context.args or []
    given = args[0] if len(args) == 1 and args[0].isascii() and args[0].isdigit() else None
    days = int(given) if given else (DEFAULT_DAYS if not args else 0)
    if not 1 <= days <= MAX_DAYS:
        await _answer(update, context, staff("stats_usage"))
        return
    await _answer(update, context, views.stats_text(await desk.support.stats(days)))


async def on_staff_message(update: Update, context: Context) -> None:
    """A staff message in a handoff topic goes to the person, translated, with the original."""
    desk, message, user = context.bot_data.desk, update.effective_message, update.effective_user
    if not await _is_staff(update, context):
        return
    assert desk is not None and message is not None and user is not None
    active = await desk.for_topic(message.message_thread_id) if message.message_thread_id else None
    if active is not None:
        await handoff.relay_to_person(context.bot, desk, active, message, user)


async def on_staff_chat_other(update: Update, context: Context) -> None:
    """Anything else in the staff group (chatter, service messages) is not for the bot: ignore it."""


def register(app: Application, settings: BotSettings) -> None:
    """Support handlers. The person's side runs in group -1 (before anything that talks to Rasa);
    the staff side is filtered by the staff group's chat id and registered before the text handlers."""
    app.add_handler(MessageHandler(PERSON_MESSAGES, on_person_message), group=-1)
    app.add_handler(CallbackQueryHandler(on_person_button, pattern=BOT_BUTTONS), group=-1)
    app.add_handler(CallbackQueryHandler(on_rating, pattern=handoff.RATING_PATTERN))
    if settings.support_chat_id is None:
        return
    staff_chat = filters.Chat(chat_id=settings.support_chat_id)
    for command, callback in (("claim", on_claim), ("done", on_done), ("refund", on_refund),
                              ("release", on_release), ("note", on_note), ("queue", on_queue), ("stats", on_stats)):
        app.add_handler(CommandHandler(command, callback, filters=staff_chat))
    app.add_handler(MessageHandler(staff_chat & filters.IS_TOPIC_MESSAGE & ~filters.COMMAND
                                   & ~filters.StatusUpdate.ALL, on_staff_message))
    app.add_handler(MessageHandler(staff_chat, on_staff_chat_other))
