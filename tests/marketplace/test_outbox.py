"""The outbox: claimed with a lease by one worker at a time, acknowledged per recipient, retried with backoff."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.db import transaction
from marketplace.models import OrderEvent, OutboxMessage, utcnow
from marketplace.services import outbox
from marketplace.services.orders import OrderAction, transition
from tests.marketplace import builders

LEASE = timedelta(seconds=60)


def paid_order(session: Session) -> int:
    order = builders.order(session, quantity=2)
    transition(session, order=order, action=OrderAction.PAY, actor="system")
    return order.id


def test_a_paid_order_is_claimed_once_with_all_it_takes_to_render_it(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order_id = paid_order(session)
    now = utcnow()
    with transaction(factory) as session:
        [item] = outbox.claim(session, limit=10, lease=LEASE, now=now)
        assert item.message.topic == "order.paid" and item.message.attempts == 1
        assert [(d.recipient, d.chat_id, d.language, d.country) for d in item.deliveries] == [
            ("seller", 900001, "nb", "NO"), ("buyer", 700001, "es", "AR")]
        assert item.order.id == order_id and item.paid
        assert [(i.title, i.quantity) for i in item.order.items] == [("Lusekofte genser i ull", 2)]
        assert item.order.shipping_address == "Av. Corrientes 1234, Buenos Aires"
        assert item.order.shop.currency == "NOK" and item.customer.country == "AR"
    with transaction(factory) as session:  # leased: nobody gets it again meanwhile
        assert outbox.claim(session, limit=10, lease=LEASE, now=now + timedelta(seconds=59)) == []
    with transaction(factory) as session:  # the worker died: the lease ran out, the row comes back
        [again] = outbox.claim(session, limit=10, lease=LEASE, now=now + timedelta(seconds=61))
        assert again.message.attempts == 2 and len(again.deliveries) == 2


def test_recipients_are_acknowledged_one_by_one_and_never_sent_again(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        paid_order(session)
    now = utcnow()
    with transaction(factory) as session:
        [item] = outbox.claim(session, limit=10, lease=LEASE, now=now)
        row_id = item.message.id
        row = outbox.mark_delivered(session, row_id, recipient="seller", now=now)
        assert row.delivered_to == "seller" and row.delivered_at is None
    with transaction(factory) as session:  # crash before the buyer was told: only the buyer is left
        [item] = outbox.claim(session, limit=10, lease=LEASE, now=now + 2 * LEASE)
        assert [d.recipient for d in item.deliveries] == ["buyer"]
        row = outbox.mark_delivered(session, row_id, recipient="buyer", now=now)
        assert row.delivered_at is not None and row.delivered_to == "buyer,seller"
    with transaction(factory) as session:
        assert outbox.mark_delivered(session, row_id, recipient="buyer", now=now).delivered_at is not None
        assert outbox.claim(session, limit=10, lease=LEASE, now=now + 10 * LEASE) == []


def test_whoever_caused_an_event_is_not_told_about_it(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order = builders.order(session)
        transition(session, order=order, action=OrderAction.PAY, actor="system")
        transition(session, order=order, action=OrderAction.SHIP, actor="seller:900001",
                   fields={"carrier": "Posten", "tracking_number": "LA123NO"})
        transition(session, order=order, action=OrderAction.CONFIRM_DELIVERY, actor="buyer:700001")
    with transaction(factory) as session:
        claimed = {c.message.topic: c for c in outbox.claim(session, limit=10, lease=LEASE, now=utcnow())}
    assert [d.recipient for d in claimed["order.shipped"].deliveries] == ["buyer"]
    assert claimed["order.shipped"].order.carrier == "Posten"
    assert [d.recipient for d in claimed["order.delivered"].deliveries] == ["seller"]


def test_failures_back_off_exponentially_up_to_a_cap_and_retry_after_is_obeyed(
        factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        paid_order(session)
    now = utcnow()
    delays = []
    for attempt in range(1, 6):
        with transaction(factory) as session:
            [item] = outbox.claim(session, limit=1, lease=LEASE, now=now)
            assert item.message.attempts == attempt
            row = outbox.mark_failed(session, item.message.id, error=f"Forbidden: blocked ({attempt})",
                                     retry_after=None, now=now, base=5, cap=30)
            delays.append((row.available_at - now).total_seconds())
            assert row.last_error == f"Forbidden: blocked ({attempt})"
            now = row.available_at
    assert delays == [5, 10, 20, 30, 30]
    with transaction(factory) as session:
        [item] = outbox.claim(session, limit=1, lease=LEASE, now=now)
        row = outbox.mark_failed(session, item.message.id, error="Flood control exceeded", retry_after=7,
                                 now=now, base=5, cap=30)
        assert (row.available_at - now).total_seconds() == 7


def test_concurrent_claimers_never_share_a_row(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order_id = paid_order(session)
        session.add_all(OutboxMessage(topic="order.paid", payload={"order_id": order_id, "actor": "system"})
                        for _ in range(299))
    now = utcnow()

    def worker(_: int) -> list[int]:
        got: list[int] = []
        while True:
            with transaction(factory) as session:
                batch = [c.message.id for c in outbox.claim(session, limit=7, lease=LEASE, now=now)]
            if not batch:
                return got
            got.extend(batch)

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(worker, range(6)))
    claimed = [row_id for batch in results for row_id in batch]
    assert len(claimed) == 300 and len(set(claimed)) == 300
    assert sum(1 for batch in results if batch) >= 2  # they really ran side by side
    with factory() as session:
        assert set(session.scalars(select(OutboxMessage.attempts))) == {1}


async def test_the_api_claims_reports_and_refuses_bad_input(api: httpx.AsyncClient,
                                                            factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order_id = paid_order(session)
    assert (await api.post("/outbox/claim", json={"limit": 0})).status_code == 422
    claimed = (await api.post("/outbox/claim", json={"limit": 5, "lease_seconds": 30})).json()["messages"]
    [message] = claimed
    assert message["topic"] == "order.paid" and message["order"]["id"] == order_id
    assert message["shop"]["owner_telegram_id"] == 900001 and message["buyer"]["language"] == "es"
    assert message["order"]["items"][0] == {"title": "Lusekofte genser i ull", "quantity": 2,
                                            "unit_price": "1450.00", "currency": "NOK"}
    amounts = message["order"]
    assert amounts["paid"] and amounts["subtotal"] == "2900.00" and amounts["currency"] == "NOK"
    assert Decimal(amounts["total"]) == Decimal(amounts["subtotal"]) + Decimal(amounts["shipping"]) > 2900
    assert (await api.post("/outbox/claim", json={})).json() == {"messages": []}
    row = f"/outbox/{message['id']}"
    assert (await api.post(f"{row}/delivered", json={"recipient": "courier"})).status_code == 422
    assert (await api.post(f"{row}/delivered", json={"recipient": "seller"})).json()["delivered"] is False
    failed = (await api.post(f"{row}/failed", json={"error": "Forbidden: bot was blocked by the user"})).json()
    assert failed["last_error"] == "Forbidden: bot was blocked by the user" and failed["attempts"] == 1
    for _ in range(2):  # idempotent
        done = await api.post(f"{row}/delivered")
        assert done.status_code == 200 and done.json()["delivered"] is True
    assert (await api.post("/outbox/999999/delivered")).status_code == 404


async def test_the_seller_accepts_a_paid_order_once_and_strangers_cannot(
        api: httpx.AsyncClient, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order_id = paid_order(session)
    stranger = await api.post(f"/orders/{order_id}/actions", json={"action": "accept", "actor": "seller:900002"})
    assert stranger.status_code == 404
    for _ in range(2):
        accepted = await api.post(f"/orders/{order_id}/actions", json={"action": "accept", "actor": "seller:900001"})
        assert accepted.status_code == 200 and accepted.json()["status"] == "paid"
    buyer = await api.post(f"/orders/{order_id}/actions", json={"action": "accept", "actor": "buyer:700001"})
    assert buyer.status_code == 400 and "cannot accept" in buyer.json()["detail"]
    with factory() as session:
        events = session.scalars(select(OrderEvent).where(OrderEvent.event == "accept")).all()
        assert [(e.actor, e.from_status, e.to_status) for e in events] == [("seller:900001", "paid", "paid")]
        assert session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.topic == "order.accepted")) == 1
    shipped = await api.post(f"/orders/{order_id}/actions", json={
        "action": "ship", "actor": "seller:900001", "carrier": "Posten", "tracking_number": "LA123456789NO"})
    assert shipped.json()["tracking_number"] == "LA123456789NO"
    late = await api.post(f"/orders/{order_id}/actions", json={"action": "accept", "actor": "seller:900001"})
    assert late.status_code == 409 and "only a paid order can be accepted" in late.json()["detail"]
