"""Telegram's per-chat limit kept by the bot: a burst to one person never stalls another person."""

from __future__ import annotations

import asyncio
import time

from bot.rate_limit import ChatAllowance
from tests.bot.conftest import Emulator, bot_settings, running_bot


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_one_a_second_per_chat() -> None:
    clock = Clock()
    allowance = ChatAllowance(rate=1.0, burst=3, clock=clock, margin=0.0)
    assert [allowance.reserve(7) for _ in range(5)] == [0.0, 0.0, 0.0, 1.0, 2.0]
    assert allowance.reserve(8) == 0.0  # another chat has its own allowance
    clock.now += 10  # quiet for a while: the full burst is back
    assert [allowance.reserve(7) for _ in range(3)] == [0.0, 0.0, 0.0]
    careful = ChatAllowance(rate=1.0, burst=1, clock=clock, margin=0.05)
    assert [round(careful.reserve(9), 2) for _ in range(3)] == [0.0, 1.05, 2.1]


async def test_a_burst_to_one_chat_gets_no_429_and_does_not_hold_up_another(emulator: Emulator) -> None:
    """With Telegram's real limits in the emulator (1/s per chat, burst 3)."""
    async with running_bot(bot_settings(emulator)) as app:
        ana = await emulator.client.create_user("Ana", "ana", "es")
        ben = await emulator.client.create_user("Ben", "ben", "en")
        for person in (ana, ben):  # they write first (a bot cannot start a chat); Rasa is down, so it says so
            await emulator.client.send_text(person["id"], "hi")
            await emulator.client.wait_for_message(person["id"], timeout=6)
        await asyncio.sleep(3)  # both chats back at their full burst
        started = time.monotonic()
        burst = [asyncio.create_task(app.bot.send_message(ana["id"], f"card {n}")) for n in range(6)]
        await asyncio.sleep(0.05)
        await app.bot.send_message(ben["id"], "your answer")
        ben_took = time.monotonic() - started
        await asyncio.gather(*burst)
        ana_took = time.monotonic() - started
        calls = [c for c in await emulator.client.calls() if c["method"] == "sendMessage"]
        assert [c["status"] for c in calls].count(429) == 0
        assert [m["text"] for m in await emulator.client.bot_messages(ana["id"])][-6:] == [f"card {n}" for n in range(6)]
        assert ben_took < 0.5  # not behind Ana's burst
        assert ana_took >= 2.5  # 2 at once (one fewer than Telegram allows), then one a second


async def test_typing_does_not_take_a_message_s_place_in_the_bot_s_rate() -> None:
    """python-telegram-bot counts every request with a chat_id against the 30/s; a chat action is not a message."""
    from bot.rate_limit import TelegramRateLimiter

    limiter = TelegramRateLimiter(overall_max_rate=2, chat_rate=1000, chat_burst=1000, max_retries=0)
    done: list[tuple[str, float]] = []
    started = time.monotonic()

    async def call(endpoint: str, chat: int) -> None:
        async def callback() -> bool:
            done.append((endpoint, time.monotonic() - started))
            return True
        await limiter.process_request(callback, (), {}, endpoint, {"chat_id": chat}, None)

    messages = [asyncio.create_task(call("sendMessage", 10 + n)) for n in range(5)]
    await asyncio.sleep(0.05)  # the bot's 2/s are taken for the next two seconds
    await asyncio.gather(*(call("sendChatAction", 20 + n) for n in range(5)))
    typing_took = time.monotonic() - started
    await asyncio.gather(*messages)
    assert typing_took < 0.5  # not queued behind the messages
    assert max(t for e, t in done if e == "sendMessage") >= 1.0  # while the messages were paced


async def test_the_bot_s_burst_is_smaller_than_telegram_s_but_the_rate_is_the_same() -> None:
    """30 a second, at most `burst` at once: a skew between our clock and Telegram's cannot draw a 429."""
    from bot.rate_limit import TelegramRateLimiter

    async def times(burst: int | None, count: int) -> list[float]:
        limiter = TelegramRateLimiter(overall_max_rate=30, overall_burst=burst, chat_rate=1000, chat_burst=1000,
                                      max_retries=0)
        started, done = time.monotonic(), []

        async def callback() -> bool:
            done.append(time.monotonic() - started)
            return True

        await asyncio.gather(*(limiter.process_request(callback, (), {}, "sendMessage", {"chat_id": 10 + n}, None)
                               for n in range(count)))
        return sorted(done)

    paced = await times(5, 20)
    assert paced[4] < 0.1 and paced[5] > 0.02  # five at once, then one every 1/30 s
    assert 0.4 < paced[-1] < 0.9  # 15 more at 30 a second: about half a second
    assert (await times(None, 20))[-1] < 0.1  # by default the burst is the rate: 20 of 30 go at once
