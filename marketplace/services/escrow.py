"""Escrow upkeep: remind buyers who have not confirmed delivery, then release the money to the seller.

Run periodically (the bot's job queue calls the API route). Each order is reminded once and
released once: reminders are logged as `remind` events and the release goes through the state
machine, so running this twice, or on two instances at once, changes nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
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


def _reminded(session: Session, order_id: int) -> bool:
    return session.scalar(select(OrderEvent.id).where(OrderEvent.order_id == order_id,
                                                      OrderEvent.event == "remind").limit(1)) is not None


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
                continue  # the buyer confirmed or disputed meanwhile
            released.append(order.id)
        elif now - shipped >= remind_after and not _reminded(session, order.id):
            session.add(OrderEvent(order_id=order.id, event="remind", from_status=OrderStatus.SHIPPED.value,
                                   to_status=OrderStatus.SHIPPED.value, actor="system",
                                   data={"release_on": (shipped + release_after).isoformat()}))
            session.add(OutboxMessage(topic="order.delivery_reminder", payload={
                "order_id": order.id, "customer_id": order.customer_id, "shop_id": order.shop_id,
                "release_on": (shipped + release_after).isoformat()}))
            reminded.append(order.id)
    session.flush()
    return EscrowRun(reminded=reminded, released=released)
