"""The API's request ids, access log and Prometheus metrics, over the real app and database."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.db import transaction
from marketplace.models import OutboxMessage, utcnow
from marketplace.services.orders import OrderAction, transition
from tests.marketplace import builders
from tests.metrics_text import Scrape


async def scrape(api: httpx.AsyncClient) -> Scrape:
    response = await api.get("/metrics", headers={"Authorization": ""})  # Prometheus has no service token
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return Scrape(response.text)


async def test_requests_are_counted_by_route_template_and_the_outbox_lag_is_read_at_scrape(
        api: httpx.AsyncClient, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order = builders.order(session)
        transition(session, order=order, action=OrderAction.PAY, actor="system")
    with transaction(factory) as session:  # the alert became due 90 s ago and nobody sent it yet
        session.execute(update(OutboxMessage).values(available_at=utcnow() - timedelta(seconds=90)))
    before = await scrape(api)
    assert before.value("tradewind_outbox_lag_seconds") >= 90
    assert before.value("tradewind_outbox_due_messages") == 1

    [message] = (await api.post("/outbox/claim", json={"limit": 10, "lease_seconds": 60})).json()["messages"]
    for recipient in ("seller", "buyer"):
        assert (await api.post(f"/outbox/{message['id']}/delivered", json={"recipient": recipient})).status_code == 200
    assert (await api.get("/shops/999999?owner=secret-looking")).status_code == 404
    after = await scrape(api)

    assert after.value("tradewind_outbox_lag_seconds") == 0 and after.value("tradewind_outbox_due_messages") == 0
    route = {"route": "/outbox/{message_id}/delivered", "method": "POST"}
    assert after.value("tradewind_http_requests_total", **route, status="200") - \
        before.value("tradewind_http_requests_total", **route, status="200") == 2
    assert after.value("tradewind_http_request_duration_seconds_count", **route) - \
        before.value("tradewind_http_request_duration_seconds_count", **route) == 2
    missing = {"route": "/shops/{shop_id}", "method": "GET", "status": "404"}
    assert after.value("tradewind_http_requests_total", **missing) - \
        before.value("tradewind_http_requests_total", **missing) == 1
    assert not [name for name, labels in after.samples if any("999999" in v for _, v in labels)]  # no raw paths
    for name in ("tradewind_outbox_claimed_total", "tradewind_outbox_delivered_total"):
        assert after.value(name) - before.value(name) == 1


async def test_the_request_id_is_kept_or_made_echoed_and_logged_without_the_query(
        api: httpx.AsyncClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="marketplace.access"):
        given = await api.get("/shops", params={"owner_telegram_id": 4242}, headers={"X-Request-ID": "tg17-abc"})
        made = await api.get("/healthz")
        forged = await api.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert given.headers["X-Request-ID"] == "tg17-abc"
    assert made.headers["X-Request-ID"].startswith("api-")
    assert forged.headers["X-Request-ID"].startswith("api-")  # unsafe ids are replaced, never logged
    lines = [r for r in caplog.records if r.name == "marketplace.access"]
    shops = next(r for r in lines if r.route == "/shops")
    assert (shops.method, shops.status, shops.request_id) == ("GET", 200, "tg17-abc")
    assert shops.duration_ms >= 0 and "4242" not in shops.getMessage() and "owner_telegram_id" not in shops.getMessage()
    assert all("script" not in r.getMessage() for r in lines)


async def test_metrics_are_public_but_not_in_the_api_schema(api: httpx.AsyncClient) -> None:
    schema = (await api.get("/openapi.json")).json()
    assert "/metrics" not in schema["paths"]
    assert (await api.get("/metrics", headers={"Authorization": ""})).status_code == 200
    assert (await api.get("/shops", headers={"Authorization": ""})).status_code == 401  # the rest stays closed


async def test_order_changes_count_once_committed_and_never_when_rolled_back(
        api: httpx.AsyncClient, factory: sessionmaker[Session]) -> None:
    before = await scrape(api)
    with factory() as session:  # one session, as a request uses it: a rollback, then more work
        with session.begin():
            order = builders.order(session)
            transition(session, order=order, action=OrderAction.PAY, actor="system")
        with pytest.raises(RuntimeError), session.begin():
            with session.begin_nested():  # a savepoint's commit is not the transaction's
                transition(session, order=order, action=OrderAction.SHIP, actor="seller:900001")
            raise RuntimeError("the request failed after shipping")
        with session.begin():
            transition(session, order=builders.order(session, buyer_id=700002), action=OrderAction.PAY,
                       actor="system")
    after = await scrape(api)
    paid = {"action": "pay", "status": "paid"}
    shipped = {"action": "ship", "status": "shipped"}
    assert after.value("tradewind_order_transitions_total", **paid) - \
        before.value("tradewind_order_transitions_total", **paid) == 2
    assert after.value("tradewind_order_transitions_total", **shipped) == \
        before.value("tradewind_order_transitions_total", **shipped)
