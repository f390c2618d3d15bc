"""Flood control with token buckets: per bot, per private chat and per group."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from .errors import too_many
from .settings import Limits


@dataclass
class Bucket:
    """A token bucket refilled continuously at rate tokens per second."""

    rate: float
    capacity: float
    tokens: float
    stamp: float

    def refill(self, now: float) -> None:
        """Add tokens accrued since the last call."""
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.stamp) * self.rate)
        self.stamp = now

    def wait_time(self) -> float:
        """Seconds until one token is available (0 if available now)."""
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


class FloodControl:
    """Checks and consumes send quota; raises 429 with retry_after when exceeded."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        """Keep limits and an injectable clock."""
        self.limits = limits
        self.clock = clock
        self._buckets: dict[tuple[object, ...], Bucket] = {}
        self.refused: dict[str, int] = {"bot": 0, "chat": 0}  # 429s given, by the limit that was hit

    def _bucket(self, key: tuple[object, ...], rate: float, capacity: float, now: float) -> Bucket:
        """Get or create the bucket for key."""
        b = self._buckets.get(key)
        if b is None or b.rate != rate or b.capacity != capacity:
            b = self._buckets[key] = Bucket(rate, capacity, capacity, now)
        b.refill(now)
        return b

    def check(self, bot_id: int, chat_id: int, chat_type: str) -> None:
        """Consume one message of quota for bot in chat or raise 429."""
        lim = self.limits
        if not lim.flood_control:
            return
        now = self.clock()
        buckets = [self._bucket(("bot", bot_id), lim.bot_per_second, max(1, lim.bot_burst), now)]
        if chat_type == "private":
            buckets.append(
                self._bucket(
                    ("chat", bot_id, chat_id),
                    lim.private_per_second,
                    max(1, lim.private_burst),
                    now,
                )
            )
        else:
            buckets.append(
                self._bucket(
                    ("chat", bot_id, chat_id),
                    lim.group_per_minute / 60.0,
                    max(1, lim.group_burst),
                    now,
                )
            )
        wait = max(b.wait_time() for b in buckets)
        if wait > 0:
            self.refused["bot" if buckets[0].wait_time() > 0 else "chat"] += 1
            raise too_many(max(1, math.ceil(wait)))
        for b in buckets:
            b.tokens -= 1

    def reset(self) -> None:
        """Forget all quota usage."""
        self._buckets.clear()
