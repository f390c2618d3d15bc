"""Each Telegram update acts once, however often it is delivered and whichever bot instance gets it.

Telegram delivers updates at least once: a webhook call that timed out, or a poller that had not
confirmed its offset, brings the same `update_id` again, possibly to another instance behind the
load balancer. The first instance to claim an update_id handles it; later copies stop here, before
any handler. With REDIS_URL the claim is `SET ... NX EX` in Redis, shared by every instance;
without it, a bounded in-process set (enough for one instance).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.redis_link import RedisDown, RedisLink

if TYPE_CHECKING:
    from bot.services import Context

log = logging.getLogger(__name__)

GROUP = -10  # before every other handler group
KEEP_SECONDS = 26 * 3600  # Telegram keeps an undelivered update for 24 hours


class LocalClaims:
    """The update_ids this process has seen lately (bounded in count and time)."""

    def __init__(self, size: int = 100_000, ttl: float = KEEP_SECONDS) -> None:
        self._size, self._ttl = size, ttl
        self._seen: OrderedDict[int, float] = OrderedDict()

    def claim(self, update_id: int) -> bool:
        """True the first time an update_id comes (within the window), False for a copy."""
        now = time.monotonic()
        while self._seen and next(iter(self._seen.values())) <= now:
            self._seen.popitem(last=False)  # expired (kept in arrival order, so oldest first)
        if update_id in self._seen:
            return False
        if len(self._seen) >= self._size:
            self._seen.popitem(last=False)  # full: the oldest makes room
        self._seen[update_id] = now + self._ttl
        return True


class UpdateClaims:
    """Claims shared by every instance through Redis, or this process's own when Redis is absent or down."""

    def __init__(self, redis: RedisLink | None = None, local: LocalClaims | None = None,
                 ttl: float = KEEP_SECONDS) -> None:
        self._redis, self._local, self._ttl = redis, local or LocalClaims(ttl=ttl), ttl

    async def claim(self, update_id: int) -> bool:
        """Whether this instance may handle the update (nobody claimed it before)."""
        local = self._local.claim(update_id)
        if self._redis is None:
            return local
        key = self._redis.key("update", update_id)
        try:
            return bool(await self._redis.run("claiming an update", lambda r: r.set(key, 1, nx=True,
                                                                                   ex=int(self._ttl))))
        except RedisDown:
            # A choice: with Redis down we act on what this process has not seen itself, so a copy that
            # went to another instance may act twice; the alternative, dropping updates, loses messages.
            return local


async def drop_repeats(update: Update, context: Context) -> None:
    """Stop an update that this bot (any instance) has already taken."""
    claims = context.bot_data.claims
    if claims is not None and not await claims.claim(update.update_id):
        log.info("update %s was delivered again: ignored", update.update_id)
        raise ApplicationHandlerStop
