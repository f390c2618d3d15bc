"""The escrow state machine: legal moves only, logged with the actor, outbox in the same transaction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.db import make_engine, make_session_factory, transaction
from marketplace.models import Order, OrderEvent, OrderStatus, OutboxMessage, Product
from marketplace.services.errors import Conflict
from marketplace.services.orders import (
    FINAL,
    TRANSITIONS,
    OrderAction,
    transition,
)
from tests.marketplace import builders

A, S = OrderAction, OrderStatus


def test_happy_path_holds_money_until_delivery_then_releases_it(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order = builders.order(session)
        transition(session, order=order, action=A.PAY, actor="system")
        transition(session, order=order, action=A.SHIP, actor="seller:900001",
                   fields={"carrier": "Posten", "tracking_number": "LA123NO"})
        transition(session, order=order, action=A.CONFIRM_DELIVERY, actor="buyer:700001")
        outcome = transition(session, order=order, action=A.RELEASE, actor="buyer:700001")
        assert order.status == S.COMPLETED and order.tracking_number == "LA123NO"
        assert outcome.release_due and not outcome.refund_due
        events = session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)
                                 .order_by(OrderEvent.id)).all()
        assert [(e.event, e.to_status, e.actor) for e in events] == [
            ("place", "pending_payment", "buyer:700001"),
            ("pay", "paid", "system"),
            ("ship", "shipped", "seller:900001"),
            ("confirm_delivery", "delivered", "buyer:700001"),
            ("release", "completed", "buyer:700001"),
        ]
        assert all(e.created_at.tzinfo is not None for e in events)
        held = (Decimal("1450.00") + Decimal(order.shipping)).quantize(Decimal("0.01"))
        assert events[-1].data["release"] == {"amount": str(held), "currency": "NOK"}
        topics = session.scalars(select(OutboxMessage.topic).order_by(OutboxMessage.id)).all()
        assert topics == ["order.paid", "order.shipped", "order.delivered", "order.completed"]


def test_illegal_transition_is_refused_with_a_clear_message_and_changes_nothing(
        factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order = builders.order(session)
        order_id = order.id
    with pytest.raises(Conflict, match="is pending_payment: cannot ship .*allowed: pay, cancel"):
        with transaction(factory) as session:
            order = session.get(Order, order_id)
            transition(session, order=order, action=A.SHIP, actor="seller:900001")
    with factory() as session:
        assert session.get(Order, order_id).status == S.PENDING_PAYMENT
        assert session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_outbox_rows_roll_back_with_the_transition(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order_id = builders.order(session).id
    with pytest.raises(RuntimeError):
        with transaction(factory) as session:
            order = session.get(Order, order_id)
            transition(session, order=order, action=A.PAY, actor="system")
            raise RuntimeError("crash in the middle of an order")
    with factory() as session:
        assert session.get(Order, order_id).status == S.PENDING_PAYMENT
        assert session.scalar(select(func.count(OutboxMessage.id))) == 0
        assert session.scalar(select(func.count(OrderEvent.id))) == 1  # only "place"


def test_cancel_returns_reserved_stock_and_refunds_a_paid_order(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order = builders.order(session, quantity=2, stock=5)
        product_id = order.items[0].product_id
        assert session.get(Product, product_id).stock == 3
        transition(session, order=order, action=A.PAY, actor="system")
        outcome = transition(session, order=order, action=A.CANCEL, actor="buyer:700001")
        assert outcome.refund_due
        session.expire_all()
        assert session.get(Product, product_id).stock == 5


def test_stale_copy_of_an_order_cannot_transition_twice(engine) -> None:  # noqa: ANN001
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        order_id = builders.order(session).id
    first, second = factory(), factory()
    a, b = first.get(Order, order_id), second.get(Order, order_id)
    transition(first, order=a, action=A.PAY, actor="system")
    first.commit()
    with pytest.raises(Conflict):
        transition(second, order=b, action=A.PAY, actor="system")
    second.rollback()
    first.close(), second.close()


actions = st.lists(st.sampled_from(list(OrderAction)), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=actions)
def test_random_event_sequences_never_skip_states_nor_release_or_refund_twice(
        database_url: str, sequence: list[OrderAction]) -> None:
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    try:
        with transaction(factory) as session:
            order = builders.order(session)
            releases = refunds = 0
            for action in sequence:
                before = S(order.status)
                try:
                    outcome = transition(session, order=order, action=action, actor="system")
                except Conflict:
                    assert (before, action) not in TRANSITIONS
                    assert order.status == before
                    continue
                assert TRANSITIONS[(before, action)] == order.status
                assert before not in FINAL
                releases += outcome.release_due
                refunds += outcome.refund_due
            assert releases <= 1 and refunds <= 1 and releases + refunds <= 1
            logged = session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)
                                     .order_by(OrderEvent.id)).all()
            for earlier, later in zip(logged, logged[1:], strict=False):
                assert later.from_status == earlier.to_status  # never out of order
            session.rollback()
    finally:
        engine.dispose()
