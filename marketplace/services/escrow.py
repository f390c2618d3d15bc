"""Escrow upkeep: remind buyers who have not confirmed delivery, then release the money to the seller.

Run periodically: every bot instance's job queue calls the API route, so several runs may overlap.
Each order is reminded once and released once, whoever runs first. A run claims a reminder by
setting `orders.reminded_at` with a conditional UPDATE (`... WHERE reminded_at IS NULL`); the release
goes through the state machine, whose UPDATE is conditional on the status and version it read. On
PostgreSQL a second run's UPDATE waits for the first's row lock, then finds the condition false; SQLite
lets one writer at a time. Only the run whose UPDATE changed the row writes the event and the outbox
message. Orders are taken in id order, so overlapping runs lock rows in the same order and never
deadlock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from marketplace.models import Order, OrderEvent, OrderStatus, OutboxMessage
from marketplace.services.errors import Conflict
from marketplace.services.orders import OrderAction, transition


@dataclass(frozen=True)
class EscrowRun:
    """What one run did."""

    reminded: list[int]
    released: list[int]


def _shipped_at(session: Session, order_id: int) -> datetime | None:
    return session.scalar(select(OrderEvent.created_at).where(
        OrderEvent.order_id == order_id, OrderEvent.to_status == OrderStatus.SHIPPED.value,
        OrderEvent.event == OrderAction.SHIP.value).order_by(OrderEvent.id.desc()).limit(1))


def _claim_reminder(session: Session, order_id: int, now: datetime) -> bool:
    """Mark a shipped order reminded; False when another run did (or it left `shipped`) meanwhile."""
    claimed = session.execute(
        update(Order)
        .where(Order.id == order_id, Order.status == OrderStatus.SHIPPED, Order.reminded_at.is_(None))
        .values(reminded_at=now, updated_at=Order.updated_at)  # not a change of the order itself
        .execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def run_escrow(session: Session, *, now: datetime, remind_after: timedelta, release_after: timedelta) -> EscrowRun:
    """Remind, then auto-release, shipped orders the buyer stayed silent about."""
    reminded, released = [], []
    for order in session.scalars(select(Order).where(Order.status == OrderStatus.SHIPPED).order_by(Order.id)):
        shipped = _shipped_at(session, order.id)
        if shipped is None:
            continue
        if now - shipped >= release_after:
            try:
                transition(session, order=order, action=OrderAction.RELEASE, actor="system",
                           note=f"released automatically {release_after.days} days after shipping")
            except Conflict:
                continue  # another run released it, or the buyer confirmed or disputed, meanwhile
            released.append(order.id)
        elif (now - shipped >= remind_after and order.reminded_at is None
              and _claim_reminder(session, order.id, now)):
            session.add(OrderEvent(order_id=order.id, event="remind", from_status=OrderStatus.SHIPPED.value,
                                   to_status=OrderStatus.SHIPPED.value, actor="system",
                                   data={"release_on": (shipped + release_after).isoformat()}))
            session.add(OutboxMessage(topic="order.delivery_reminder", payload={
                "order_id": order.id, "customer_id": order.customer_id, "shop_id": order.shop_id,
                "release_on": (shipped + release_after).isoformat()}))
            reminded.append(order.id)
    session.flush()
    return EscrowRun(reminded=reminded, released=released)
