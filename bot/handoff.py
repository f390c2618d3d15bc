"""Support handoff in the bot: one topic per handed-off conversation in the staff forum group.

How it fits together: an action (Rasa) opens the handoff in the marketplace and answers with a custom
message `{"handoff": {"id": ...}}`; `begin` then opens the topic with a summary and tells the person
how many are waiting. While the handoff is active the person's messages go to the topic (translated
for staff) and never to Rasa, and staff messages in the topic go to the person (translated, original
shown). `/done` closes it, asks the person for a rating and tells Rasa that the bot has the
conversation again. The marketplace holds the state; bot/handoff_cache.py caches it briefly (in Redis
when several bot instances share one, so a handoff opened or closed by one routes at once on all).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, User
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot import handoff_views as views
from bot.config import BotSettings
from bot.handoff_cache import HandoffCache
from bot.handoff_texts import say, staff
from bot.marketplace_client import MarketplaceClient
from bot.metrics import metrics
from bot.rasa_client import RasaClient
from bot.redis_link import RedisLink
from bot.shared_state import SharedState
from bot.support_client import SupportClient, SupportRefused
from bot.texts import pick_language

log = logging.getLogger(__name__)

RATING_PREFIX = "h"
RATING_PATTERN = rf"^{RATING_PREFIX}:"
STAFF_STATUSES = frozenset({"creator", "administrator", "member"})
CAPTION_PART = 450  # two parts (translation + original) fit Telegram's 1024-character caption
# Seconds to ask whether a person is with support: with the role lookup (1 s) and Rasa (3.5 s) the
# person still gets an answer within 5 s when the marketplace hangs.
PERSON_CHECK_TIMEOUT = 0.5


def rating_data(handoff_id: int, stars: int) -> str:
    """Callback data of a rating button: `h:<handoff id>:<stars>`."""
    return f"{RATING_PREFIX}:{handoff_id}:{stars}"


def parse_rating(data: str | None) -> tuple[int, int] | None:
    """(handoff id, stars) from a rating button; None for anything we did not make."""
    found = re.fullmatch(rf"{RATING_PREFIX}:(\d{{1,15}}):([1-5])", data or "")
    return (int(found[1]), int(found[2])) if found else None


def rating_keyboard(handoff_id: int) -> InlineKeyboardMarkup:
    """1-5 stars in one row."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"{n} ⭐", callback_data=rating_data(handoff_id, n))
                                  for n in range(1, 6)]])


@dataclass(frozen=True)
class Person:
    """The person whose conversation is handed over (their private chat id is their user id)."""

    telegram_user_id: int
    first_name: str | None = None


class HandoffDesk:
    """Shared state of the support desk: clients, settings, short caches and per-handoff locks."""

    def __init__(self, support: SupportClient, marketplace: MarketplaceClient, rasa: RasaClient,
                 history: SharedState, settings: BotSettings, redis: RedisLink | None = None) -> None:
        self.support, self.marketplace, self.rasa, self.history = support, marketplace, rasa, history
        self.chat_id = settings.support_chat_id
        self.staff_language = pick_language(settings.staff_language)
        self._staff_ttl = settings.staff_cache_seconds
        self._active = HandoffCache(settings.handoff_cache_seconds, redis)  # shared by instances with Redis
        self._staff: dict[int, tuple[float, bool]] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    def lock(self, handoff_id: int) -> asyncio.Lock:
        """Serialises topic creation and relays of one handoff (messages keep their order)."""
        return self._locks.setdefault(handoff_id, asyncio.Lock())

    @staticmethod
    def _cached(cache: dict, key: int) -> tuple[bool, object]:
        hit = cache.get(key)
        return (True, hit[1]) if hit and hit[0] > time.monotonic() else (False, None)

    async def for_person(self, telegram_user_id: int) -> dict | None:
        """The person's active handoff, cached briefly. Asked on every message of a person the cache
        does not know, so the wait is short; when the marketplace cannot say, the last known answer holds."""
        known, handoff = await self._active.get("person", telegram_user_id)
        if known:
            return handoff
        try:
            handoff = await self.support.active_for_person(telegram_user_id, timeout=PERSON_CHECK_TIMEOUT)
        except (httpx.HTTPError, SupportRefused):
            log.warning("cannot check for an active handoff of %s", telegram_user_id, exc_info=True)
            return self._active.last("person", telegram_user_id)
        await self._active.learned("person", telegram_user_id, handoff)
        return handoff

    async def for_topic(self, thread_id: int) -> dict | None:
        """The active handoff of a topic of the staff group (cached briefly)."""
        known, handoff = await self._active.get("topic", thread_id)
        if known:
            return handoff
        assert self.chat_id is not None
        handoff = await self.support.active_for_topic(self.chat_id, thread_id)
        await self._active.learned("topic", thread_id, handoff)
        return handoff

    async def remember(self, handoff: dict) -> None:
        """This instance opened or claimed the handoff: every instance routes by it at once."""
        await self._set(handoff, handoff)

    async def forget(self, handoff: dict) -> None:
        """This instance ended the handoff: on every instance the person's messages go to Rasa again."""
        await self._set(handoff, None)
        self._locks.pop(handoff["id"], None)

    async def _set(self, handoff: dict, active: dict | None) -> None:
        if handoff.get("telegram_user_id"):
            await self._active.changed("person", handoff["telegram_user_id"], active)
        if handoff.get("thread_id"):
            await self._active.changed("topic", handoff["thread_id"], active)

    async def is_staff(self, bot: Bot, user: User | None) -> bool:
        """Whether the user is a member of the staff group (asked with getChatMember, cached briefly)."""
        if user is None or user.is_bot or self.chat_id is None:
            return False
        known, verdict = self._cached(self._staff, user.id)
        if known:
            return bool(verdict)
        try:
            member = await bot.get_chat_member(self.chat_id, user.id)
        except TelegramError:
            log.warning("cannot check staff membership of %s", user.id, exc_info=True)
            return False
        verdict = member.status in STAFF_STATUSES
        self._staff[user.id] = (time.monotonic() + self._staff_ttl, verdict)
        return verdict

    async def translate(self, text: str, source: str, target: str) -> dict:
        """Through the marketplace's /translate; never raises (the original comes back on trouble)."""
        return await self.marketplace.translate(text, source, target)


async def _summary(desk: HandoffDesk, handoff: dict) -> str:
    person = handoff.get("telegram_user_id")
    history = await desk.history.last(person) if person else []
    attached = await desk.support.order(handoff["order_id"]) if handoff.get("order_id") else None
    own = await desk.support.orders_of(person) if person and handoff["role"] == "buyer" else []
    orders = views.related(handoff, attached, own)
    shops = {}
    for shop_id in {o["shop_id"] for o in orders}:
        shop = await desk.support.shop(shop_id)
        shops[shop_id] = shop["name"] if shop else f"shop {shop_id}"
    lines = await views.history_lines(history, handoff["language"], desk.staff_language, desk.translate)
    return views.summary(handoff, lines, views.order_lines(orders, shops, desk.staff_language))


async def open_topic(bot: Bot, desk: HandoffDesk, handoff: dict) -> dict:
    """Create the handoff's topic and post the summary; call with the handoff's lock held."""
    assert desk.chat_id is not None
    topic = await bot.create_forum_topic(desk.chat_id, views.topic_title(handoff))
    try:
        handoff = await desk.support.set_topic(handoff["id"], desk.chat_id, topic.message_thread_id)
    except SupportRefused:  # another bot process opened one meanwhile: keep theirs, close ours
        await bot.close_forum_topic(desk.chat_id, topic.message_thread_id)
        return await desk.support.get(handoff["id"])
    await bot.send_message(desk.chat_id, await _summary(desk, handoff), parse_mode=ParseMode.HTML,
                           message_thread_id=topic.message_thread_id)
    return handoff


async def begin(bot: Bot, desk: HandoffDesk, person: Person, payload: dict) -> None:
    """The actions opened (or found) a handoff: make sure its topic exists, tell the person the wait."""
    handoff = await desk.support.get(int(payload["id"]))
    language = handoff["language"]
    if desk.chat_id is not None:
        try:
            async with desk.lock(handoff["id"]):
                handoff = await desk.support.get(handoff["id"])
                if handoff["thread_id"] is None:
                    handoff = await open_topic(bot, desk, handoff)
                elif not payload.get("created"):
                    await bot.send_message(desk.chat_id, staff("asked_again", name=views.esc(views.person_name(
                        handoff)), reason=views.esc(views.reason_text(handoff))), parse_mode=ParseMode.HTML,
                                           message_thread_id=handoff["thread_id"])
        except TelegramError:  # no topic: nobody would read the person; with a topic, staff carry on
            log.exception("cannot open the topic of handoff %s in the staff group", handoff["id"])
            handoff = await desk.support.get(handoff["id"])
    if desk.chat_id is None or handoff["thread_id"] is None:
        await desk.support.close(handoff["id"], None, "no staff group reachable")
        await desk.forget(handoff)
        await bot.send_message(person.telegram_user_id, say("no_support", language))
        return
    await desk.remember(handoff)
    metrics().handoffs.inc()
    if handoff["state"] == "claimed":
        await bot.send_message(person.telegram_user_id, say("with_staff", language,
                                                                    name=handoff["assignee_name"] or "—"))
    else:
        await bot.send_message(person.telegram_user_id, say("waiting", language,
                                                            position=handoff["queue_position"] or 1))


async def for_staff(desk: HandoffDesk, name: str, text: str, language: str, limit: int) -> str:
    """A person's words for staff: the translation, then the original in italics."""
    result = await desk.translate(text, language, desk.staff_language)
    if result.get("translated") and result.get("text") != text:
        return (staff("from_person", name=views.esc(name), text=views.esc(views.cut(result["text"], limit))) + "\n"
                + staff("original", language=views.esc(language), text=views.esc(views.cut(text, limit))))
    line = staff("from_person", name=views.esc(name), text=views.esc(views.cut(text, limit)))
    if language != desk.staff_language and result.get("note"):
        line += staff("untranslated", note=views.esc(result["note"]))
    return line


async def relay_to_staff(bot: Bot, desk: HandoffDesk, handoff: dict, message: Message) -> None:
    """The person wrote during the handoff: post it in the topic (text, photo, or a copy of anything else)."""
    assert desk.chat_id is not None
    name = views.person_name(handoff)
    async with desk.lock(handoff["id"]):
        if handoff.get("thread_id") is None:
            handoff = await open_topic(bot, desk, await desk.support.get(handoff["id"]))
            await desk.remember(handoff)
        thread, body = handoff["thread_id"], message.text or message.caption
        if message.text:
            await bot.send_message(desk.chat_id, await for_staff(desk, name, message.text, handoff["language"], 1800),
                                   parse_mode=ParseMode.HTML, message_thread_id=thread)
        elif message.photo:
            caption = await for_staff(desk, name, body, handoff["language"], CAPTION_PART) if body else \
                staff("from_person", name=views.esc(name), text="📷")
            await bot.send_photo(desk.chat_id, message.photo[-1].file_id, caption=caption,
                                 parse_mode=ParseMode.HTML, message_thread_id=thread)
        else:
            await bot.send_message(desk.chat_id, staff("from_person", name=views.esc(name), text="📎"),
                                   parse_mode=ParseMode.HTML, message_thread_id=thread)
            await bot.copy_message(desk.chat_id, message.chat_id, message.message_id, message_thread_id=thread)
    metrics().handoff_messages.labels(direction="to_staff").inc()


async def for_person(desk: HandoffDesk, sender: User, text: str, language: str, limit: int) -> str:
    """Staff words for the person: who writes, the translation, and the original when it differs."""
    header = say("staff_says", language, name=views.esc(sender.first_name))
    result = await desk.translate(text, "auto", language)
    if not (result.get("translated") and result.get("text") != text):
        return f"{header}\n{views.esc(views.cut(text, limit))}"
    source = result.get("source") if result.get("source") not in (None, "auto") else desk.staff_language
    original = say("original", language, code=views.esc(source))
    return (f"{header}\n{views.esc(views.cut(result['text'], limit))}\n\n"
            f"<i>{original}: {views.esc(views.cut(text, limit))}</i>")


async def relay_to_person(bot: Bot, desk: HandoffDesk, handoff: dict, message: Message, sender: User) -> bool:
    """A staff message in the topic: deliver it to the person; the first one counts as first response."""
    person, language = handoff["telegram_user_id"], handoff["language"]
    body = message.text or message.caption
    try:
        if message.text:
            await bot.send_message(person, await for_person(desk, sender, message.text, language, 1800),
                                   parse_mode=ParseMode.HTML)
        elif message.photo:
            caption = await for_person(desk, sender, body, language, CAPTION_PART) if body else \
                say("staff_says", language, name=views.esc(sender.first_name))
            await bot.send_photo(person, message.photo[-1].file_id, caption=caption[:MessageLimit.CAPTION_LENGTH],
                                 parse_mode=ParseMode.HTML)
        else:
            await bot.copy_message(person, message.chat_id, message.message_id)
    except (Forbidden, BadRequest) as exc:
        await bot.send_message(message.chat_id, staff("not_delivered", reason=views.esc(exc.message)),
                               message_thread_id=message.message_thread_id, parse_mode=ParseMode.HTML)
        return False
    metrics().handoff_messages.labels(direction="to_person").inc()
    await desk.support.staff_replied(handoff["id"], sender.id)
    return True


async def finish(bot: Bot, desk: HandoffDesk, handoff: dict, sender: User) -> dict:
    """/done: close the handoff and its topic, hand the person back to Rasa, ask for a rating."""
    closed = await desk.support.close(handoff["id"], sender.id)
    await desk.forget(closed)
    thread, person = closed["thread_id"], closed["telegram_user_id"]
    await bot.send_message(desk.chat_id, staff("closed", staff=views.esc(sender.first_name),
                                               outcome=views.esc(closed["outcome"])),
                           parse_mode=ParseMode.HTML, message_thread_id=thread)
    try:
        await bot.close_forum_topic(desk.chat_id, thread)
    except TelegramError:  # e.g. the bot may not manage topics: the handoff is closed all the same
        log.warning("cannot close topic %s of handoff %s", thread, closed["id"], exc_info=True)
    if person:
        await desk.rasa.end_handoff(str(person))
        try:
            await bot.send_message(person, say("closed", closed["language"]),
                                   reply_markup=rating_keyboard(closed["id"]))
        except (Forbidden, BadRequest) as exc:
            log.info("cannot ask %s for a rating: %s", person, exc.message)
    return closed
