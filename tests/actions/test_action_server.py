"""`tradewind actions` as Rasa calls it over HTTP: the message's request id reaches the real marketplace
as X-Request-ID and every log line, and GET /metrics on the same port counts actions and NLU."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest_asyncio

from marketplace.api.main import create_app
from marketplace.core.config import MarketplaceSettings
from tests.actions.conftest import TRACKERS
from tests.conftest import SERVICE_TOKEN
from tests.header_tap import HeaderTap
from tests.metrics_text import Scrape
from tests.support import free_port, start_server, stop_server

TRADEWIND = Path(sys.executable).with_name("tradewind")
DOMAIN = {"intents": ["search_product", "greet", "affirm"]}


def call(action: str, message_id: str, *, text: str = "busco un suéter de lana de Noruega",
         intent: str = "search_product", confidence: float = 0.98, rid: str | None = None) -> dict[str, Any]:
    """The body Rasa POSTs to /webhook, with the tracker of tests/actions/trackers/search_es.json."""
    tracker = json.loads((TRACKERS / "search_es.json").read_text(encoding="utf-8"))
    latest = tracker["latest_message"]
    latest |= {"text": text, "message_id": message_id, "intent": {"name": intent, "confidence": confidence}}
    if rid:
        latest["metadata"]["request_id"] = rid
    return {"next_action": action, "sender_id": tracker["sender_id"], "tracker": tracker, "domain": DOMAIN,
            "version": "3.6.0"}


@pytest_asyncio.fixture
async def action_server(settings: MarketplaceSettings, tmp_path: Path) -> AsyncIterator[tuple[str, HeaderTap, Path]]:
    """The real action server process, its marketplace (tapped) in this event loop, and its log file."""
    tap = HeaderTap(create_app(settings))
    server, task, market = await start_server(tap)
    port, log = free_port(), tmp_path / "actions.log"
    env = {**os.environ, "MARKETPLACE_URL": market, "SERVICE_TOKEN": SERVICE_TOKEN, "LOG_FORMAT": "json",
           "SANIC_HOST": "127.0.0.1", "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        process = subprocess.Popen([str(TRADEWIND), "actions", "--port", str(port)], env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(300):
                try:
                    if (await http.get(f"{url}/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    assert process.poll() is None, log.read_text()
                await asyncio.sleep(0.1)
        yield url, tap, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the Sanic primary and its worker
        try:
            await asyncio.to_thread(process.wait, 15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        await stop_server(server, task)


async def test_the_request_id_from_the_bot_reaches_the_marketplace_and_the_logs(
        action_server: tuple[str, HeaderTap, Path]) -> None:
    url, tap, log = action_server
    async with httpx.AsyncClient(base_url=url, timeout=15) as http:
        answer = await http.post("/webhook", json=call("action_search_products", "m-1", rid="tg41-5eed"))
        assert answer.status_code == 200, answer.text
        first = [rid for _method, _path, rid in tap.seen]
        without = await http.post("/webhook", json=call("action_search_products", "m-2"))
        assert without.status_code == 200
        second = [rid for _method, _path, rid in tap.seen[len(first):]]
    assert first and set(first) == {"tg41-5eed"}  # every call the action made carried the message's id
    assert len(set(second)) == 1 and second[0].startswith("act-")  # no id from Rasa: one made for the run
    await asyncio.sleep(0.2)  # the log line is written right after the answer
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    ran = [line for line in lines if line.get("logger") == "actions.server" and line.get("action")]
    assert {(line["request_id"], line["conversation_id"], line["outcome"]) for line in ran} >= {
        ("tg41-5eed", "700001", "ok")}
    assert SERVICE_TOKEN not in log.read_text()


async def test_metrics_count_actions_latency_failures_confidence_and_fallbacks(
        action_server: tuple[str, HeaderTap, Path]) -> None:
    url, _tap, _log = action_server
    async with httpx.AsyncClient(base_url=url, timeout=15) as http:
        for message_id in ("m-1", "m-1"):  # two actions answering one message: NLU counts it once
            assert (await http.post("/webhook", json=call("action_search_products", message_id))).status_code == 200
        unsure = call("action_default_ask_affirmation", "m-2", text="blorp glimf", intent="nlu_fallback",
                      confidence=0.2)
        assert (await http.post("/webhook", json=unsure)).status_code == 200
        button = call("action_search_products", "m-3", text='/search_product{"product":"lue"}', confidence=1.0)
        assert (await http.post("/webhook", json=button)).status_code == 200
        assert (await http.post("/webhook", json=call("action_made_up", "m-4"))).status_code == 404
        response = await http.get("/metrics")
    assert response.status_code == 200
    scrape = Scrape(response.text)
    assert scrape.value("tradewind_action_runs_total", action="action_search_products") == 3
    assert scrape.value("tradewind_action_duration_seconds_count", action="action_search_products") == 3
    assert scrape.value("tradewind_action_runs_total", action="action_default_ask_affirmation") == 1
    assert scrape.value("tradewind_action_failures_total", action="unknown") == 1  # never the made-up name
    assert scrape.value("tradewind_action_failures_total", action="action_search_products") == 0
    assert scrape.value("tradewind_nlu_messages_total", intent="search_product") == 2  # m-1 and m-4
    assert scrape.value("tradewind_nlu_messages_total", intent="nlu_fallback") == 1
    assert scrape.value("tradewind_nlu_fallbacks_total") == 1
    assert scrape.value("tradewind_nlu_intent_confidence_count") == 3  # the button payload is not NLU's
    assert scrape.value("tradewind_nlu_intent_confidence_bucket", le="0.3") == 1
    assert not [name for name, labels in scrape.samples if ("action", "action_made_up") in labels]
