"""The bot's request ids and metrics: one id per update, sent to Rasa in the metadata and to the real
marketplace as X-Request-ID; the counts and times served on METRICS_PORT while the bot runs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from prometheus_client import generate_latest
from sqlalchemy.orm import Session, sessionmaker

from bot.metrics import metrics
from marketplace.api.main import create_app as create_marketplace_app
from marketplace.core.config import MarketplaceSettings
from tests.bot.conftest import Emulator, bot_settings, running_bot
from tests.bot.rasa_standin import StandInRasa
from tests.bot.test_outbox_alerts import delivered, eventually, paid_order, person, settings_for
from tests.conftest import SERVICE_TOKEN
from tests.header_tap import HeaderTap
from tests.metrics_text import Scrape
from tests.support import free_port, start_server, stop_server


async def echo(_sender: str, text: str, _metadata: dict) -> list[dict]:
    return [{"text": f"(bot) {text}"}]


@pytest_asyncio.fixture
async def tapped_marketplace(settings: MarketplaceSettings) -> AsyncIterator[tuple[HeaderTap, str]]:
    tap = HeaderTap(create_marketplace_app(settings))
    server, task, url = await start_server(tap)
    yield tap, url
    await stop_server(server, task)


@pytest_asyncio.fixture
async def rasa() -> AsyncIterator[StandInRasa]:
    stand_in = StandInRasa(echo)
    server, task, stand_in.url = await start_server(stand_in.app())
    yield stand_in
    await stop_server(server, task)


def now() -> Scrape:
    return Scrape(generate_latest(metrics().registry).decode())


async def test_each_message_has_one_request_id_from_telegram_through_rasa_to_the_marketplace(
        emulator: Emulator, tapped_marketplace: tuple[HeaderTap, str], rasa: StandInRasa) -> None:
    tap, market = tapped_marketplace
    settings = bot_settings(emulator, rasa_url=rasa.url, marketplace_url=market, service_token=SERVICE_TOKEN)
    async with running_bot(settings):
        for name, text in (("Ana", "olá"), ("Ben", "hello")):
            user = await emulator.client.create_user(name, name.lower(), "en")
            await emulator.client.send_text(user["id"], text)
            assert (await emulator.client.wait_for_message(user["id"], timeout=6))["text"] == f"(bot) {text}"
    ids = [message["metadata"]["request_id"] for message in rasa.messages]
    assert len(ids) == 2 and len(set(ids)) == 2 and all(rid.startswith("tg") for rid in ids)
    for rid in ids:  # the role lookup for the metadata went to the marketplace under the same id
        assert ("GET", "/shops", rid) in tap.seen


async def test_metrics_port_serves_updates_rasa_latency_and_replies_while_the_bot_runs(
        emulator: Emulator, rasa: StandInRasa) -> None:
    port = free_port()
    before = now()
    async with running_bot(bot_settings(emulator, rasa_url=rasa.url, metrics_port=port)):
        user = await emulator.client.create_user("Chen", "chen", "zh")
        await emulator.client.send_text(user["id"], "你好")
        await emulator.client.wait_for_message(user["id"], timeout=6)
        await emulator.client.send_command(user["id"], "language")
        await emulator.client.wait_for_message(user["id"], timeout=6)
        async with httpx.AsyncClient() as http:
            response = await http.get(f"http://127.0.0.1:{port}/metrics")
    assert response.status_code == 200
    after = Scrape(response.text)

    def grew(name: str, **labels: str) -> float:
        return after.value(name, **labels) - before.value(name, **labels)

    assert grew("tradewind_bot_updates_total", type="message") == 2
    assert grew("tradewind_bot_update_duration_seconds_count", type="message") == 2
    assert grew("tradewind_bot_rasa_request_duration_seconds_count") == 1  # /language is answered by the bot
    assert grew("tradewind_bot_replies_sent_total") == 1
    assert {"tradewind_bot_alerts_sent_total", "tradewind_bot_alerts_retried_total",
            "tradewind_bot_handoffs_started_total"} <= after.names()
    with pytest.raises(httpx.ConnectError):  # stopped with the bot: the port is free again
        async with httpx.AsyncClient() as http:
            await http.get(f"http://127.0.0.1:{port}/metrics")


async def test_rasa_failures_are_counted_by_reason(emulator: Emulator) -> None:
    before = now()
    async with running_bot(bot_settings(emulator, rasa_url=f"http://127.0.0.1:{free_port()}")):
        user = await emulator.client.create_user("Dora", "dora", "de")
        await emulator.client.send_text(user["id"], "hallo")
        await emulator.client.wait_for_message(user["id"], timeout=6)
    assert now().value("tradewind_bot_rasa_failures_total", reason="unreachable") - \
        before.value("tradewind_bot_rasa_failures_total", reason="unreachable") == 1


async def test_order_alerts_are_counted_and_share_their_claim_rounds_request_id(
        emulator: Emulator, tapped_marketplace: tuple[HeaderTap, str], factory: sessionmaker[Session]) -> None:
    tap, market = tapped_marketplace
    seller, buyer = await person(emulator, "Kari", "nb"), await person(emulator, "María", "es")
    paid_order(factory, seller=seller, buyer=buyer)
    before = now()
    async with running_bot(settings_for(emulator, market)):
        await eventually(lambda: delivered(factory))
    assert now().value("tradewind_bot_alerts_sent_total") - before.value("tradewind_bot_alerts_sent_total") == 2
    acknowledged = {rid for _method, path, rid in tap.seen if path.endswith("/delivered")}
    claims = {rid for _method, path, rid in tap.seen if path == "/outbox/claim"}
    assert len(acknowledged) == 1 and acknowledged <= claims  # both recipients' acks: the round that claimed it
    assert all(rid and rid.startswith("outbox-") for rid in claims)
