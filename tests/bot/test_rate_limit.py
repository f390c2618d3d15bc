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
        assert ana_took >= 2.5  # 3 at once, then one a second
