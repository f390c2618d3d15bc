"""A redelivered Telegram update acts once (on one instance, and across instances sharing Redis), a language
chosen through one instance is honoured by another, and a Redis that is down never costs an update."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import pytest_asyncio
import redis
import redis.asyncio as aioredis
from telegram.ext import Application

from bot.dedupe import LocalClaims
from bot.redis_link import RedisLink
from bot.shared_state import SharedState
from sandbox import create_app
from sandbox.client import SandboxClient
from sandbox.settings import Settings
from tests.bot.conftest import Emulator, bot_settings, running_webhook_bot
from tests.bot.rasa_standin import StandInRasa
from tests.support import free_port, start_server, stop_server

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET = "dedupe-webhook-secret"


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not redis_reachable(), reason=f"no Redis at {REDIS_URL}")


@pytest_asyncio.fixture
async def world() -> AsyncIterator[tuple[Emulator, str]]:
    """A fresh emulator with a bot of its own random id (update ids start at 1 in every emulator, so
    Redis claims of another test's bot must never match), and that bot's token."""
    token = f"{secrets.randbelow(10**9) + 10**9}:AAdedupe-{secrets.token_hex(8)}"
    app = create_app(Settings())
    app.state.rt.state.add_bot(token, "tradewind_bot", "Tradewind")
    server, task, url = await start_server(app)
    async with SandboxClient(url) as client:
        try:
            yield Emulator(url, app.state.rt, client), token
        finally:
            await app.state.rt.shutdown()
            await stop_server(server, task)
    if redis_reachable():
        keys = redis.Redis.from_url(REDIS_URL)
        for key in keys.scan_iter(f"tradewind:{token.split(':')[0]}:*"):
            keys.delete(key)


@pytest_asyncio.fixture
async def rasa() -> AsyncIterator[tuple[StandInRasa, str]]:
    """A Rasa stand-in that records what it is sent and answers "ok <language>"."""
    async def reply(sender: str, _text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"recipient_id": sender, "text": f"ok {metadata.get('preferred_language', '-')}"}]

    stand_in = StandInRasa(reply)
    server, task, url = await start_server(stand_in.app())
    yield stand_in, url
    await stop_server(server, task)


@asynccontextmanager
async def instance(emulator: Emulator, token: str, rasa_url: str, **overrides: Any) -> AsyncIterator[Application]:
    """One bot instance in webhook mode on its own port; it registers its own URL as the webhook."""
    port = free_port()
    settings = bot_settings(emulator, telegram_bot_token=token, rasa_url=rasa_url, mode="webhook",
                            webhook_url=f"http://127.0.0.1:{port}/", webhook_secret=SECRET, webhook_port=port,
                            **overrides)
    async with running_webhook_bot(settings) as app:
        yield app


async def delivered(emulator: Emulator, token: str) -> None:
    """Wait until the emulator has handed every queued update to the webhook."""
    for _ in range(200):
        if not await emulator.client.pending_updates(token):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the webhook never took the update")


async def quiet(emulator: Emulator, user: int, seconds: float = 1.5) -> None:
    """No further bot message arrives in the person's chat."""
    with pytest.raises(TimeoutError):
        extra = await emulator.client.wait_for_message(user, timeout=seconds)
        pytest.fail(f"the copy acted: {extra.get('text')!r}")


async def test_a_redelivered_update_acts_once_on_the_same_instance(
        world: tuple[Emulator, str], rasa: tuple[StandInRasa, str]) -> None:
    (emulator, token), (stand_in, rasa_url) = world, rasa
    user = (await emulator.client.create_user("Joana", "joana", "pt"))["id"]
    async with instance(emulator, token, rasa_url):
        sent = await emulator.client.send_text(user, "olá", bot=token)
        assert (await emulator.client.wait_for_message(user, timeout=8))["text"] == "ok -"
        await emulator.client.resend_update(message=sent, bot=token, same_id=True)  # Telegram's retry
        await delivered(emulator, token)
        await quiet(emulator, user)
        assert stand_in.said(user) == ["olá"]
        await emulator.client.resend_update(message=sent, bot=token)  # a new update_id is a new update
        assert (await emulator.client.wait_for_message(user, timeout=8))["text"] == "ok -"
        assert stand_in.said(user) == ["olá", "olá"]


@needs_redis
async def test_a_redelivered_update_sent_to_another_instance_does_nothing_there(
        world: tuple[Emulator, str], rasa: tuple[StandInRasa, str]) -> None:
    (emulator, token), (stand_in, rasa_url) = world, rasa
    user = (await emulator.client.create_user("Ingrid", "ingrid", "nb"))["id"]
    async with instance(emulator, token, rasa_url, redis_url=REDIS_URL) as first:
        sent = await emulator.client.send_text(user, "hei", bot=token)
        assert (await emulator.client.wait_for_message(user, timeout=8))["text"] == "ok -"
        async with instance(emulator, token, rasa_url, redis_url=REDIS_URL) as second:  # now the webhook's target
            assert first.bot_data.redis is not None and second.bot_data.redis is not None
            await emulator.client.resend_update(message=sent, bot=token, same_id=True)
            await delivered(emulator, token)
            await quiet(emulator, user)
            assert stand_in.said(user) == ["hei"]
            await emulator.client.send_text(user, "hallo", bot=token)  # the second instance does serve
            assert (await emulator.client.wait_for_message(user, timeout=8))["text"] == "ok -"
            assert stand_in.said(user) == ["hei", "hallo"]


@needs_redis
async def test_a_language_chosen_through_one_instance_is_honoured_by_another(
        world: tuple[Emulator, str], rasa: tuple[StandInRasa, str]) -> None:
    (emulator, token), (stand_in, rasa_url) = world, rasa
    user = (await emulator.client.create_user("Lucía", "lucia", "es"))["id"]
    async with instance(emulator, token, rasa_url, redis_url=REDIS_URL):
        await emulator.client.send_command(user, "language", bot=token)
        menu = await emulator.client.wait_for_message(user, timeout=8)
        await emulator.client.press_button(user, menu["message_id"], text="Deutsch", bot=token)
        assert (await emulator.client.wait_for_message(user, timeout=8))["text"] == "ok de"
    async with instance(emulator, token, rasa_url, redis_url=REDIS_URL):  # a fresh process knows nothing itself
        await emulator.client.send_text(user, "ich suche einen Pullover", bot=token)
        assert (await emulator.client.wait_for_message(user, timeout=8))["text"] == "ok de"
        assert stand_in.messages[-1]["metadata"]["preferred_language"] == "de"


async def test_without_redis_a_language_stays_with_the_instance(
        world: tuple[Emulator, str], rasa: tuple[StandInRasa, str]) -> None:
    (emulator, token), (_stand_in, rasa_url) = world, rasa
    user = (await emulator.client.create_user("Lucía", "lucia", "es"))["id"]
    async with instance(emulator, token, rasa_url):
        await emulator.client.send_command(user, "language", bot=token)
        menu = await emulator.client.wait_for_message(user, timeout=8)
        await emulator.client.press_button(user, menu["message_id"], text="Deutsch", bot=token)
        assert (await emulator.client.wait_for_message(user, timeout=8))["text"] == "ok de"
        await emulator.client.send_text(user, "noch etwas", bot=token)
        assert (await emulator.client.wait_for_message(user, timeout=8))["text"] == "ok de"
    async with instance(emulator, token, rasa_url):
        await emulator.client.send_text(user, "hola", bot=token)
        assert (await emulator.client.wait_for_message(user, timeout=8))["text"] == "ok -"


async def test_with_redis_down_updates_are_still_served_and_copies_to_the_same_instance_dropped(
        world: tuple[Emulator, str], rasa: tuple[StandInRasa, str], caplog: pytest.LogCaptureFixture) -> None:
    (emulator, token), (stand_in, rasa_url) = world, rasa
    user = (await emulator.client.create_user("Kari", "kari", "nb"))["id"]
    nobody = f"redis://:not-logged-{secrets.token_hex(4)}@127.0.0.1:{free_port()}/0"
    with caplog.at_level(logging.INFO):
        async with instance(emulator, token, rasa_url, redis_url=nobody):
            sent = await emulator.client.send_text(user, "hei", bot=token)
            assert (await emulator.client.wait_for_message(user, timeout=8))["text"] == "ok -"
            await emulator.client.resend_update(message=sent, bot=token, same_id=True)
            await delivered(emulator, token)
            await quiet(emulator, user)
            await emulator.client.send_text(user, "hallo", bot=token)
            assert (await emulator.client.wait_for_message(user, timeout=8))["text"] == "ok -"
    assert stand_in.said(user) == ["hei", "hallo"]
    assert any("Redis unreachable" in r.getMessage() for r in caplog.records)
    assert "not-logged" not in caplog.text


def test_local_claims_forget_the_oldest_when_full_and_after_their_time() -> None:
    claims = LocalClaims(size=3, ttl=60)
    assert [claims.claim(n) for n in (1, 2, 3, 1)] == [True, True, True, False]
    assert claims.claim(4) and claims.claim(1)  # 1 was the oldest: dropped to make room
    expiring = LocalClaims(size=10, ttl=0.05)
    assert expiring.claim(7)
    assert not expiring.claim(7)
    time.sleep(0.06)
    assert expiring.claim(7)


@needs_redis
async def test_shared_history_is_seen_by_another_instance_and_forgotten_for_both() -> None:
    namespace = f"tradewind:test{secrets.token_hex(6)}"
    links = [RedisLink(aioredis.from_url(REDIS_URL), namespace) for _ in range(2)]
    first, second = SharedState(links[0]), SharedState(links[1])
    try:
        for n in range(12):
            await first.add(42, "person", f"m{n}")
        await first.add(42, "bot", "   ")
        await second.add(42, "bot", "svar")
        lines = await second.last(42)
        assert [line.text for line in lines] == [f"m{n}" for n in range(3, 12)] + ["svar"]
        assert lines[0].who == "person" and lines[-1].who == "bot" and lines[0].at.tzinfo is not None
        await second.forget(42)
        assert await first.last(42) == []
    finally:
        for link in links:
            await link.aclose()
