"""Two bot instances sharing Redis route a person the same way the moment either of them opens or closes
the person's support handoff: neither trusts a "with support?" answer it cached before the change.

Both instances run in webhook mode against one emulator; the test points the webhook at one or the other
(as a load balancer would) and talks to the real marketplace, with Rasa's part played by a stand-in that
runs the real handoff action."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import pytest_asyncio
import redis
import redis.asyncio as aioredis
from telegram.ext import Application

from actions.handoff import ActionRequestHandoff
from bot.handoff_cache import HandoffCache
from bot.redis_link import RedisLink
from sandbox import create_app
from sandbox.client import SandboxClient
from sandbox.settings import Settings
from tests.bot.conftest import Emulator
from tests.bot.rasa_standin import StandInRasa, run_action, serving_with_marketplace
from tests.bot.test_support_handoff import thread_message, topic_of
from tests.bot.test_update_dedupe import REDIS_URL, SECRET, instance, needs_redis, redis_reachable
from tests.conftest import SERVICE_TOKEN
from tests.support import free_port, start_server, stop_server

MARIA, SAM = 700001, 600001
HUMAN, ANYONE = "quiero hablar con una persona", "¿Hay alguien ahí?"
WAITING = "Una persona del equipo de soporte te responderá aquí"
HANDED_BACK = "El equipo de soporte te ha devuelto conmigo"


async def scripted(sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
    """Rasa's part: asking for a person runs the real handoff action; anything else is echoed."""
    if text == HUMAN:
        return await run_action(ActionRequestHandoff(), sender, text, metadata, intent="talk_to_human",
                                slots={"language": "es"})
    return [{"recipient_id": sender, "text": f"(bot) {text}"}]


@pytest_asyncio.fixture
async def rasa(marketplace_url: str) -> AsyncIterator[StandInRasa]:
    """The Rasa stand-in; its actions reach the marketplace over HTTP like the action server does."""
    async with serving_with_marketplace(scripted, marketplace_url) as stand_in:
        yield stand_in


@pytest_asyncio.fixture
async def world() -> AsyncIterator[tuple[Emulator, str, int]]:
    """An emulator with a bot of a random id (its Redis keys are its own), María, Sam and the staff forum."""
    token = f"{secrets.randbelow(10**9) + 10**9}:AAhandoff-{secrets.token_hex(8)}"
    app = create_app(Settings())
    app.state.rt.state.add_bot(token, "tradewind_bot", "Tradewind")
    server, task, url = await start_server(app)
    async with SandboxClient(url) as client:
        try:
            await client.set_limits(flood_control=False)
            app.state.rt.state.add_user("María", "maria", "es", user_id=MARIA)
            app.state.rt.state.add_user("Sam", "sam", "en", user_id=SAM)
            group = await client.create_group("Tradewind support", members=[SAM], bots=[token], forum=True)
            yield Emulator(url, app.state.rt, client), token, group["id"]
        finally:
            await app.state.rt.shutdown()
            await stop_server(server, task)
    if redis_reachable():
        keys = redis.Redis.from_url(REDIS_URL)
        for key in keys.scan_iter(f"tradewind:{token.split(':')[0]}:*"):
            keys.delete(key)


async def two_instances(stack: AsyncExitStack, world: tuple[Emulator, str, int], rasa: StandInRasa,
                        marketplace_url: str) -> tuple[Application, Application]:
    """Instances A and B of the bot, sharing Redis, trusting a cached answer for 30 s (the default)."""
    emulator, token, group = world
    settings = {"redis_url": REDIS_URL, "marketplace_url": marketplace_url, "service_token": SERVICE_TOKEN,
                "support_chat_id": group, "outbox_enabled": False, "handoff_cache_seconds": 30.0}
    return (await stack.enter_async_context(instance(emulator, token, rasa.url, **settings)),
            await stack.enter_async_context(instance(emulator, token, rasa.url, **settings)))


async def balance_to(app: Application) -> None:
    """The load balancer sends the next updates to this instance."""
    await app.bot.set_webhook(app.bot_data.settings.webhook_url, secret_token=SECRET)


async def said_to(emulator: Emulator, token: str, start: str) -> dict:
    """The next bot message to María that starts with `start` (others before it are skipped)."""
    for _ in range(5):
        message = await emulator.client.wait_for_message(MARIA, bot=token, timeout=8)
        if (message.get("text") or "").startswith(start):
            return message
    raise AssertionError(f"María was never told {start!r}")


async def opened_through(app: Application, emulator: Emulator, token: str) -> int:
    """María asks for a person through `app`: the handoff opens there; returns its topic's thread id."""
    await balance_to(app)
    await emulator.client.send_text(MARIA, HUMAN, bot=token)
    await said_to(emulator, token, WAITING)
    return (await topic_of(emulator))["message_thread_id"]


@needs_redis
async def test_b_routes_to_staff_at_once_after_a_opened_the_handoff(
        world: tuple[Emulator, str, int], rasa: StandInRasa, marketplace_url: str) -> None:
    emulator, token, group = world
    async with AsyncExitStack() as stack:
        a, b = await two_instances(stack, world, rasa, marketplace_url)
        await balance_to(b)
        await emulator.client.send_text(MARIA, "hola", bot=token)
        assert (await emulator.client.wait_for_message(MARIA, bot=token, timeout=8))["text"] == "(bot) hola"
        # B has just seen María without a handoff; now A opens one
        thread = await opened_through(a, emulator, token)
        to_rasa = list(rasa.said(MARIA))
        await balance_to(b)
        await emulator.client.send_text(MARIA, ANYONE, bot=token)
        relayed = await thread_message(emulator, group, thread, ANYONE)
        assert relayed["text"].startswith("👤 María")
        assert rasa.said(MARIA) == to_rasa


@needs_redis
async def test_b_routes_to_rasa_at_once_after_a_closed_the_handoff(
        world: tuple[Emulator, str, int], rasa: StandInRasa, marketplace_url: str) -> None:
    emulator, token, group = world
    async with AsyncExitStack() as stack:
        a, b = await two_instances(stack, world, rasa, marketplace_url)
        thread = await opened_through(a, emulator, token)
        await balance_to(b)
        await emulator.client.send_text(MARIA, ANYONE, bot=token)
        await thread_message(emulator, group, thread, ANYONE)  # B has seen María with support
        await balance_to(a)
        await emulator.client.send_command(SAM, "done", chat_id=group, thread_id=thread, bot=token)
        handed_back = await said_to(emulator, token, HANDED_BACK)
        await balance_to(b)
        await emulator.client.send_text(MARIA, "gracias", bot=token)
        answer = await emulator.client.wait_for_message(MARIA, bot=token, timeout=8,
                                                        after=handed_back["message_id"])
        assert answer["text"] == "(bot) gracias"
        assert rasa.said(MARIA)[-1] == "gracias"


def links(count: int, url: str = REDIS_URL) -> list[RedisLink]:
    """`count` bot processes' Redis links under one fresh namespace."""
    namespace = f"tradewind:test{secrets.token_hex(6)}"
    return [RedisLink(aioredis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5), namespace)
            for _ in range(count)]


@needs_redis
async def test_a_slow_answer_read_before_a_change_never_overwrites_the_change() -> None:
    first_link, second_link = links(2)
    first, second = HandoffCache(30.0, first_link), HandoffCache(30.0, second_link)
    handoff = {"id": 7, "telegram_user_id": MARIA, "thread_id": 12}
    try:
        assert await second.get("person", MARIA) == (False, None)
        await first.changed("person", MARIA, handoff)  # A opened it
        await second.learned("person", MARIA, None)  # B's marketplace answer from just before
        assert await second.get("person", MARIA) == (True, handoff)
        await second.changed("person", MARIA, None)  # B closed it
        assert await first.get("person", MARIA) == (True, None)
    finally:
        for link in (first_link, second_link):
            await link.aclose()


async def test_without_redis_or_with_redis_down_the_process_remembers_for_itself() -> None:
    [down] = links(1, f"redis://127.0.0.1:{free_port()}/0")
    try:
        for cache in (HandoffCache(30.0), HandoffCache(30.0, down)):
            await cache.learned("topic", 12, {"id": 7})
            assert await cache.get("topic", 12) == (True, {"id": 7})
            await cache.changed("topic", 12, None)
            assert await cache.get("topic", 12) == (True, None)
        expiring = HandoffCache(0.0)
        await expiring.learned("person", MARIA, {"id": 7})
        assert await expiring.get("person", MARIA) == (False, None)
        assert expiring.last("person", MARIA) == {"id": 7}  # what for_person falls back to when the API is down
    finally:
        await down.aclose()
