"""Escrow upkeep run by several bot instances at once: each order is reminded once and released once."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from alembic import command
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.db import transaction
from marketplace.core.migrate import alembic_config
from marketplace.models import Order, OrderEvent, OutboxMessage, utcnow
from marketplace.services.escrow import EscrowRun, run_escrow
from marketplace.services.orders import OrderAction, transition
from tests.marketplace import builders

REMIND, RELEASE = timedelta(days=12), timedelta(days=14)
RUNNERS = 6  # concurrent upkeep runs, as from six bot instances' hourly jobs


def shipped_days_ago(session: Session, days: int, buyer_id: int) -> int:
    """A paid order shipped `days` ago (the ship event is back-dated)."""
    order = builders.order(session, buyer_id=buyer_id)
    transition(session, order=order, action=OrderAction.PAY, actor="system")
    shipped = transition(session, order=order, action=OrderAction.SHIP, actor="seller:900001",
                         fields={"carrier": "Posten", "tracking_number": f"LA{order.id}NO"})
    shipped.event.created_at = utcnow() - timedelta(days=days)
    return order.id


def run_together(factory: sessionmaker[Session]) -> list[EscrowRun]:
    """RUNNERS upkeep runs, each in its own session and transaction, released at the same instant."""
    start = threading.Barrier(RUNNERS)

    def upkeep(_: int) -> EscrowRun:
        start.wait()
        with transaction(factory) as session:
            return run_escrow(session, now=utcnow(), remind_after=REMIND, release_after=RELEASE)

    with ThreadPoolExecutor(max_workers=RUNNERS) as pool:
        return list(pool.map(upkeep, range(RUNNERS)))


def test_concurrent_runs_remind_each_silent_buyer_once_and_release_each_order_once(
        factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        due = [shipped_days_ago(session, 13, 710000 + n) for n in range(8)]
        overdue = [shipped_days_ago(session, 20, 720000 + n) for n in range(8)]
        fresh = shipped_days_ago(session, 3, 730000)

    runs = run_together(factory)

    reminded = Counter(order_id for run in runs for order_id in run.reminded)
    released = Counter(order_id for run in runs for order_id in run.released)
    assert reminded == Counter(due), "each due order is reported reminded by exactly one run"
    assert released == Counter(overdue), "each overdue order is reported released by exactly one run"
    with factory() as session:
        reminders = Counter(m.payload["order_id"] for m in session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == "order.delivery_reminder")))
        completed = Counter(m.payload["order_id"] for m in session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == "order.completed")))
        events = Counter((e.order_id, e.event) for e in session.scalars(
            select(OrderEvent).where(OrderEvent.event.in_(["remind", "release"]))))
        statuses = {order_id: status for order_id, status in session.execute(select(Order.id, Order.status))}
    assert reminders == Counter(due)
    assert completed == Counter(overdue)
    assert events == Counter([(o, "remind") for o in due] + [(o, "release") for o in overdue])
    assert {statuses[o] for o in due} == {"shipped"} and {statuses[o] for o in overdue} == {"completed"}
    assert statuses[fresh] == "shipped"

    again = run_together(factory)  # the next hour: nothing left to do
    assert all(run.reminded == [] and run.released == [] for run in again)


def test_reminders_sent_before_the_claim_column_existed_are_not_sent_again(
        database_url: str, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order_id = shipped_days_ago(session, 13, 740000)
    with transaction(factory) as session:
        assert run_escrow(session, now=utcnow(), remind_after=REMIND, release_after=RELEASE).reminded == [order_id]
    config = alembic_config(database_url)
    command.downgrade(config, "0004")  # the schema before `reminded_at`; the remind event stays
    command.upgrade(config, "head")
    with factory() as session:
        order = session.get(Order, order_id)
        remind = session.scalars(select(OrderEvent).where(OrderEvent.event == "remind")).one()
        assert order.reminded_at == remind.created_at and len(order.items) == 1
    with transaction(factory) as session:
        assert run_escrow(session, now=utcnow(), remind_after=REMIND, release_after=RELEASE).reminded == []
