"""Silent buyers are reminded once, then the held money is released to the seller once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.db import transaction
from marketplace.models import Order, OrderEvent, OutboxMessage, utcnow
from marketplace.services.escrow import run_escrow
from marketplace.services.orders import OrderAction, transition
from tests.marketplace import builders

REMIND, RELEASE = timedelta(days=12), timedelta(days=14)


def shipped_order(session: Session) -> Order:
    order = builders.order(session)
    transition(session, order=order, action=OrderAction.PAY, actor="system")
    transition(session, order=order, action=OrderAction.SHIP, actor="seller:900001",
               fields={"carrier": "Posten", "tracking_number": "LA1NO"})
    return order


def test_reminder_once_then_release_once(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order_id = shipped_order(session).id
    now = utcnow()
    with transaction(factory) as session:
        assert run_escrow(session, now=now + timedelta(days=5), remind_after=REMIND, release_after=RELEASE).reminded == []
    for _ in range(2):
        with transaction(factory) as session:
            run = run_escrow(session, now=now + timedelta(days=13), remind_after=REMIND, release_after=RELEASE)
    with factory() as session:
        assert session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.topic == "order.delivery_reminder")) == 1
    assert run.reminded == []  # the second run did not remind again
    for _ in range(2):
        with transaction(factory) as session:
            run = run_escrow(session, now=now + timedelta(days=15), remind_after=REMIND, release_after=RELEASE)
    with factory() as session:
        order = session.get(Order, order_id)
        assert order.status == "completed"
        releases = session.scalars(select(OrderEvent).where(OrderEvent.event == "release")).all()
        assert len(releases) == 1 and releases[0].actor == "system" and "automatically" in releases[0].note


def test_a_confirmed_or_disputed_order_is_left_alone(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order = shipped_order(session)
        transition(session, order=order, action=OrderAction.DISPUTE, actor="buyer:700001")
    with transaction(factory) as session:
        run = run_escrow(session, now=utcnow() + timedelta(days=30), remind_after=REMIND, release_after=RELEASE)
    assert run.released == [] and run.reminded == []


async def test_escrow_route_runs_the_upkeep(api, factory: sessionmaker[Session]) -> None:  # noqa: ANN001
    with transaction(factory) as session:
        order = shipped_order(session)
        event = session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id,
                                                         OrderEvent.event == "ship")).one()
        event.created_at = utcnow() - timedelta(days=20)
    assert (await api.post("/escrow/run")).json() == {"reminded": [], "released": [order.id]}
