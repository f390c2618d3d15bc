"""What the bot remembers about a person that every bot instance must see: the language they chose with
/language and their chat's last messages (for the support summary).

Without REDIS_URL both live in this process, as with a single bot. With it they live in Redis, so a
language chosen through instance A is honoured by instance B and staff see the last messages whichever
instance carried them. The handlers keep reading the language from `context.user_data`;
`load_person` copies it there from Redis before any handler runs. Both are kept in this process too,
which is what the bot uses while Redis is down.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from telegram import Update

from bot.history import ChatHistory, Line
from bot.redis_link import RedisDown, RedisLink

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from bot.services import Context

GROUP = -9  # after bot/dedupe.py, before every handler
LANGUAGE_DAYS = 365  # a chosen language is forgotten after a year without choosing again (or at /forgetme)
HISTORY_HOURS = 24  # the support summary wants recent messages only
HISTORY_SIZE = 10  # messages kept per chat


class SharedState:
    """The chosen language and the recent messages, in Redis when there is one, else in this process."""

    def __init__(self, redis: RedisLink | None = None, history: ChatHistory | None = None) -> None:
        self._redis = redis
        self.local_history = history or ChatHistory(size=HISTORY_SIZE)

    async def load_language(self, user_id: int, user_data: dict) -> None:
        """Bring the person's chosen language from Redis into `user_data` (as it is, when Redis cannot say)."""
        if self._redis is None:
            return
        key = self._redis.key("language", user_id)
        try:
            chosen = await self._redis.run("reading a language", lambda r: r.get(key))
        except RedisDown:
            return
        if chosen:
            user_data["language"] = chosen.decode()
        else:
            user_data.pop("language", None)

    async def choose_language(self, user_id: int, language: str, user_data: dict) -> None:
        """Remember the person's choice here and for every instance."""
        user_data["language"] = language
        if self._redis is not None:
            key = self._redis.key("language", user_id)
            try:
                await self._redis.run("saving a language",
                                      lambda r: r.set(key, language, ex=LANGUAGE_DAYS * 86400))
            except RedisDown:
                pass  # this instance honours it; the others use the person's app language meanwhile

    async def add(self, chat_id: int, who: str, text: str) -> None:
        """Remember a message of the chat (empty texts are ignored)."""
        if not text.strip():
            return
        self.local_history.add(chat_id, who, text)
        if self._redis is None:
            return
        key = self._redis.key("history", chat_id)
        line = json.dumps({"who": who, "text": text.strip(), "at": datetime.now(UTC).isoformat()})

        async def push(r: Redis) -> list:
            """One round trip: append, keep the last HISTORY_SIZE, expire."""
            async with r.pipeline(transaction=True) as pipe:
                return await pipe.rpush(key, line).ltrim(key, -HISTORY_SIZE, -1).expire(
                    key, HISTORY_HOURS * 3600).execute()

        try:
            await self._redis.run("saving a message", push)
        except RedisDown:
            pass

    async def last(self, chat_id: int) -> list[Line]:
        """The chat's recent messages, oldest first."""
        if self._redis is None:
            return self.local_history.last(chat_id)
        key = self._redis.key("history", chat_id)
        try:
            raw = await self._redis.run("reading messages", lambda r: r.lrange(key, 0, -1))
        except RedisDown:
            return self.local_history.last(chat_id)
        lines = [json.loads(item) for item in raw]
        return [Line(line["who"], line["text"], datetime.fromisoformat(line["at"])) for line in lines]

    async def forget(self, user_id: int) -> None:
        """/forgetme: drop the person's language and messages (their private chat id is their user id)."""
        self.local_history.forget(user_id)
        if self._redis is not None:
            keys = [self._redis.key("language", user_id), self._redis.key("history", user_id)]
            try:
                await self._redis.run("forgetting a person", lambda r: r.delete(*keys))
            except RedisDown:
                pass  # the keys expire on their own (a year and a day at most)


async def load_person(update: Update, context: Context) -> None:
    """Before any handler: the sender's chosen language as every instance knows it."""
    user, state = update.effective_user, context.bot_data.shared
    if user is not None and context.user_data is not None:
        await state.load_language(user.id, context.user_data)
