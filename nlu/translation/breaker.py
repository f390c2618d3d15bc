"""A small circuit breaker: stop calling a failing service for a while."""

from __future__ import annotations

import threading
import time
from typing import Callable


class CircuitBreaker:
    """closed -> (``failure_threshold`` failures in a row) -> open -> (``reset_after`` s)
    -> half-open: one trial call; success closes, failure opens again."""

    def __init__(
        self,
        failure_threshold: int = 3,
        reset_after: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failure_threshold = max(1, failure_threshold)
        self.reset_after = reset_after
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        with self._lock:
            return self._state()

    def _state(self) -> str:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.reset_after:
            return "half-open"
        return "open"

    def allow(self) -> bool:
        """May we call the service now?"""
        with self._lock:
            return self._state() != "open"

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._state() == "half-open" or self._failures >= self.failure_threshold:
                self._opened_at = self._clock()
