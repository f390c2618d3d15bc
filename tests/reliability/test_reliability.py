"""Issue #8's reliability scenarios (bench/reliability.py) on the real processes, with a small N.

The same code runs with N=1,000 by hand (`make reliability`); here N stays small so CI stays fast.
Each test fails with the scenario's own list of violations.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from bench.reliability import STACK_ENV, Verdict, say, scenario_kill, scenario_replay
from bench.reliability_outages import scenario_outage
from bench.reliability_world import World, build_world, close_world
from sandbox.client import SandboxClient
from tests.e2e.stack import Stack, start_stack
from tests.translation_server import StandInTranslator

N = int(os.environ.get("TRADEWIND_RELIABILITY_N", "50"))
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def translator() -> Iterator[StandInTranslator]:
    """The translation provider's stand-in (its `status` and `delay` break it on purpose)."""
    with StandInTranslator() as server:
        yield server


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, translator: StandInTranslator) -> Iterator[Stack]:
    """Every process of the product, started for this module (the scenarios kill and pause them)."""
    running = start_stack(Path(tmp_path_factory.mktemp("reliability")), translator_url=translator.url,
                          env=STACK_ENV, train=os.environ.get("TRADEWIND_E2E_TRAIN", "1") == "1")
    yield running
    running.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(stack: Stack) -> AsyncIterator[World]:
    """Sellers with shops and buyers who started the bot."""
    async with SandboxClient(stack.urls["emulator"]) as client:
        built = await build_world(stack, client, sellers=4, buyers=8, say=say)
        yield built
        await close_world(built)


def passed(verdict: Verdict) -> None:
    assert not verdict.violations, "\n".join(verdict.violations)


async def test_replayed_payments_messages_and_buttons_change_nothing(world: World) -> None:
    passed(await scenario_replay(world, N))


async def test_sigkill_of_each_process_loses_no_payment_and_repeats_no_alert(world: World) -> None:
    passed(await scenario_kill(world, N))


async def test_a_service_down_or_slow_gets_a_clear_reply_and_recovers_without_restart(
        world: World, translator: StandInTranslator) -> None:
    passed(await scenario_outage(world, translator, Verdict, say))
