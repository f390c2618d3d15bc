"""Which support handoff is active for a person or a staff topic, as every bot instance sees it.

Routing hangs on it: while a person has an active handoff their messages go to the staff topic, else
to Rasa. The marketplace holds the truth; asking it on every message would be slow, so answers are
cached for HANDOFF_CACHE_SECONDS. With REDIS_URL the cache is in Redis, shared by every instance: the
instance that opens, claims or closes a handoff overwrites the entry (`changed`), so the next message
is routed the new way whichever instance takes it. An answer read from the marketplace is only added
where there is none (`learned`, `SET NX`): a read that started before a change and ends after it
never hides the change. Without Redis (one instance), or while Redis is down, this process's own
memory serves.
"""

from __future__ import annotations

import json
import time
from typing import Literal

from bot.redis_link import RedisDown, RedisLink

Kind = Literal["person", "topic"]  # keyed by Telegram user id, or by the staff topic's thread id


class HandoffCache:
    """Active handoffs (or None for "none") by person and by topic, trusted for `ttl` seconds."""

    def __init__(self, ttl: float, redis: RedisLink | None = None) -> None:
        self._ttl, self._redis = ttl, redis
        self._local: dict[tuple[Kind, int], tuple[float, dict | None]] = {}

    async def get(self, kind: Kind, key: int) -> tuple[bool, dict | None]:
        """(True, the handoff or None) when the answer is known, (False, None) when the marketplace must say."""
        if self._redis is not None:
            name = self._redis.key("handoff", kind, key)
            try:
                raw = await self._redis.run("reading a handoff", lambda r: r.get(name))
            except RedisDown:
                pass  # this process's own memory, below
            else:
                return (False, None) if raw is None else (True, json.loads(raw))
        hit = self._local.get((kind, key))
        return (True, hit[1]) if hit and hit[0] > time.monotonic() else (False, None)

    def last(self, kind: Kind, key: int) -> dict | None:
        """The last answer this process saw, however old (for when the marketplace cannot say)."""
        hit = self._local.get((kind, key))
        return hit[1] if hit else None

    async def learned(self, kind: Kind, key: int, handoff: dict | None) -> None:
        """What the marketplace answered: cached unless another instance changed it meanwhile."""
        await self._store(kind, key, handoff, overwrite=False)

    async def changed(self, kind: Kind, key: int, handoff: dict | None) -> None:
        """This instance opened, claimed or closed the handoff: every instance sees it at once."""
        await self._store(kind, key, handoff, overwrite=True)

    async def _store(self, kind: Kind, key: int, handoff: dict | None, *, overwrite: bool) -> None:
        self._local[(kind, key)] = (time.monotonic() + self._ttl, handoff)
        if self._redis is None or self._ttl <= 0:
            return
        name, value = self._redis.key("handoff", kind, key), json.dumps(handoff)
        ttl_ms = max(1, int(self._ttl * 1000))
        try:
            await self._redis.run("saving a handoff", lambda r: r.set(name, value, px=ttl_ms, nx=not overwrite))
        except RedisDown:
            pass  # the other instances keep their answer until it expires (HANDOFF_CACHE_SECONDS)
