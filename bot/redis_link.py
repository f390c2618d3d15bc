"""The bot's optional Redis (REDIS_URL): what several bot instances share, with short timeouts.

Every caller keeps an in-process fallback. When Redis is down the bot goes on with that fallback
rather than stopping or dropping updates; after a failure Redis is left alone for a few seconds,
so an outage costs one short wait now and then instead of one per update.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import redis.asyncio as redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

T = TypeVar("T")
TIMEOUT = 0.5  # seconds per Redis call: the person's answer is due within 5 s
PAUSE = 5.0  # seconds without trying Redis after a failure


class RedisDown(Exception):
    """Redis did not answer (or was skipped after a recent failure): use the in-process fallback."""


class RedisLink:
    """One Redis client for the whole bot process and the key namespace of this bot."""

    def __init__(self, client: redis.Redis, namespace: str, *, pause: float = PAUSE) -> None:
        self.client, self.namespace, self._pause = client, namespace, pause
        self._skip_until = 0.0
        self._down = False

    @classmethod
    def from_url(cls, url: str, bot_id: int) -> RedisLink:
        """A client for `url` (which may hold a password: never log it); keys under `tradewind:<bot id>`."""
        client = redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT,
                                health_check_interval=30)
        return cls(client, f"tradewind:{bot_id}")

    def key(self, *parts: object) -> str:
        """A key of this bot, e.g. key("language", 42) -> "tradewind:<bot id>:language:42"."""
        return ":".join([self.namespace, *map(str, parts)])

    async def run(self, what: str, call: Callable[[redis.Redis], Awaitable[T]]) -> T:
        """Run one Redis call; raises RedisDown when Redis fails (logged once per outage)."""
        if time.monotonic() < self._skip_until:
            raise RedisDown(what)
        try:
            result = await call(self.client)
        except (RedisError, OSError) as exc:
            self._skip_until = time.monotonic() + self._pause
            if not self._down:
                log.warning("Redis unreachable (%s while %s): going on with this process's own memory",
                            type(exc).__name__, what)
            self._down = True
            raise RedisDown(what) from exc
        if self._down:
            log.info("Redis reachable again")
            self._down = False
        return result

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self.client.aclose()
