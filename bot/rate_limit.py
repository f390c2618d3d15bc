"""Telegram's flood limits, kept by the bot so that no chat's burst stalls everyone else.

python-telegram-bot's AIORateLimiter paces the bot as a whole (30 requests a second) and groups
(20 a minute), but not private chats, where Telegram allows about one message a second with a short
burst. When a reply of several messages (a search's product cards) went over that, Telegram answered
429 and AIORateLimiter, as it must, held back *every* request of the bot until the retry time had
passed: one person's burst delayed everybody's answers by a second or more. Here each private chat
gets its own allowance (GCRA: `rate` a second, bursts of `burst`), waited for before the request
goes out, so the 429 never comes and other chats are not held up.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

# Methods that put a message into a chat (what Telegram's per-chat limit counts); chat actions,
# edits and callback answers are not counted.
COUNTED = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendInvoice", "sendMediaGroup", "sendVideo",
                     "sendAudio", "sendVoice", "sendAnimation", "sendSticker", "sendLocation", "sendContact",
                     "sendPoll", "sendDice", "sendVenue", "sendVideoNote", "copyMessage", "forwardMessage",
                     "copyMessages", "forwardMessages", "sendPaidMedia"})

# Requests that carry a chat_id but put no message into the chat: python-telegram-bot's limiter would count
# them against the bot's 30 messages a second (it counts every request with a chat_id); Telegram does not.
UNCOUNTED = frozenset({"sendChatAction"})


class ChatAllowance:
    """Per-chat message allowance as a generic cell rate algorithm: reservations, no locks, no tasks."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 margin: float = 0.05) -> None:
        # `margin` seconds more per message: Telegram's clock starts when a request arrives, ours when it
        # is booked, and a request that arrives a few milliseconds early is refused all the same.
        self._interval = 1.0 / rate + margin
        self._tolerance = (max(1, burst) - 1) * self._interval
        self._clock = clock
        self._tat: dict[int, float] = {}  # chat -> theoretical arrival time of its next message

    def reserve(self, chat_id: int) -> float:
        """Book one message for the chat; returns how long to wait before sending it."""
        now = self._clock()
        if len(self._tat) > 50_000:  # forget chats that have been quiet long enough to be at full burst
            self._tat = {chat: tat for chat, tat in self._tat.items() if tat > now}
        tat = max(self._tat.get(chat_id, now), now)
        self._tat[chat_id] = tat + self._interval
        return max(0.0, tat - self._tolerance - now)


class TelegramRateLimiter(AIORateLimiter):
    """AIORateLimiter plus Telegram's limit for private chats (positive chat ids)."""

    def __init__(self, *, overall_max_rate: float, chat_rate: float, chat_burst: int, max_retries: int,
                 overall_burst: int | None = None) -> None:
        # aiolimiter lets `max_rate` requests through at once, then `max_rate` per `time_period`: the same
        # rate with a smaller burst is `burst` per `burst / rate` seconds.
        burst = overall_burst or max(1, round(overall_max_rate))
        super().__init__(overall_max_rate=burst, overall_time_period=burst / overall_max_rate, max_retries=max_retries)
        self._chats = ChatAllowance(chat_rate, chat_burst)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for the private chat's allowance, then for the bot's (AIORateLimiter)."""
        chat_id = data.get("chat_id")
        if endpoint in UNCOUNTED:  # "typing…" is not a message: it must not take a message's place in the 30/s
            data = {key: value for key, value in data.items() if key != "chat_id"}
        if endpoint in COUNTED and isinstance(chat_id, int) and chat_id > 0:
            wait = self._chats.reserve(chat_id)
            if wait > 0:
                await asyncio.sleep(wait)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
