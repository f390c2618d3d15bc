"""The order state machine: every change of an order's status goes through `transition`.

Money is held (escrow) from `paid` until it is released to the seller (`completed`, or
`released` after a dispute) or refunded to the buyer (`cancelled` after payment, `refunded`).
Each transition is checked, logged in `order_events` with its actor, and writes its outbox rows
in the same transaction. The status update is conditional on the status read, so two racing
transitions cannot both win.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from marketplace.core.metrics import count_on_commit, metrics
from marketplace.models import Order, OrderEvent, OrderStatus, OutboxMessage, Product, utcnow
from marketplace.money import Money
from marketplace.services.errors import Conflict

S = OrderStatus


class OrderAction(enum.StrEnum):
    """What can happen to an order."""

    PAY = "pay"
    CANCEL = "cancel"
    SHIP = "ship"
    CONFIRM_DELIVERY = "confirm_delivery"
    RELEASE = "release"  # funds to the seller: after delivery, automatically, or by staff
    DISPUTE = "dispute"
    REFUND = "refund"  # staff resolves a dispute for the buyer
    ACCEPT = "accept"  # the seller takes a paid order on; logged, the status stays `paid` (see `accept`)


TRANSITIONS: dict[tuple[OrderStatus, OrderAction], OrderStatus] = {
    (S.PENDING_PAYMENT, OrderAction.PAY): S.PAID,
    (S.PENDING_PAYMENT, OrderAction.CANCEL): S.CANCELLED,
    (S.PAID, OrderAction.CANCEL): S.CANCELLED,
    (S.PAID, OrderAction.SHIP): S.SHIPPED,
    (S.PAID, OrderAction.DISPUTE): S.DISPUTED,
    (S.SHIPPED, OrderAction.CONFIRM_DELIVERY): S.DELIVERED,
    (S.SHIPPED, OrderAction.RELEASE): S.COMPLETED,  # auto-release after N days of silence
    (S.SHIPPED, OrderAction.DISPUTE): S.DISPUTED,
    (S.DELIVERED, OrderAction.RELEASE): S.COMPLETED,
    (S.DELIVERED, OrderAction.DISPUTE): S.DISPUTED,
    (S.DISPUTED, OrderAction.REFUND): S.REFUNDED,
    (S.DISPUTED, OrderAction.RELEASE): S.RELEASED,
}

# Where the held money goes when an order enters a state.
FUNDS_RELEASED = frozenset({S.COMPLETED, S.RELEASED})
FUNDS_REFUNDED = frozenset({S.REFUNDED})
FINAL = frozenset({S.COMPLETED, S.RELEASED, S.REFUNDED, S.CANCELLED})

# Outbox topics written with each transition (delivered by the bot's worker).
OUTBOX_TOPICS: dict[OrderStatus, tuple[str, ...]] = {
    S.PAID: ("order.paid",),
    S.SHIPPED: ("order.shipped",),
    S.DELIVERED: ("order.delivered",),
    S.COMPLETED: ("order.completed",),
    S.CANCELLED: ("order.cancelled",),
    S.DISPUTED: ("order.disputed",),
    S.REFUNDED: ("order.refunded",),
    S.RELEASED: ("order.released",),
}


@dataclass(frozen=True)
class Outcome:
    """What a transition did."""

    order: Order
    event: OrderEvent
    refund_due: bool
    release_due: bool


def allowed_actions(status: OrderStatus) -> list[OrderAction]:
    """Actions that are legal from a status."""
    return [action for (state, action) in TRANSITIONS if state == status]


def transition(
    session: Session,
    *,
    order: Order,
    action: OrderAction,
    actor: str,
    note: str | None = None,
    data: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
) -> Outcome:
    """Move `order` by `action`, or raise Conflict. Caller owns the transaction."""
    current = OrderStatus(order.status)
    target = TRANSITIONS.get((current, OrderAction(action)))
    if target is None:
        legal = ", ".join(allowed_actions(current)) or "none (final state)"
        raise Conflict(f"order {order.id} is {current.value}: cannot {action.value} (allowed: {legal})",
                       code="order_state", order=order.id, status=current.value, action=action.value)
    values: dict[str, Any] = {"status": target, "version": Order.version + 1, "updated_at": utcnow()}
    values.update(fields or {})
    result = session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status == current, Order.version == order.version)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(f"order {order.id} changed meanwhile; reload and try again", code="order_changed",
                       order=order.id)
    session.refresh(order)
    if target is S.CANCELLED:
        _restock(session, order)
    payload = dict(data or {})
    refund_due = target in FUNDS_REFUNDED or (target is S.CANCELLED and current is not S.PENDING_PAYMENT)
    release_due = target in FUNDS_RELEASED
    held = Money(order.total, order.currency).quantize()
    if refund_due:
        payload["refund"] = {"amount": str(held.amount), "currency": held.currency}
    if release_due:
        payload["release"] = {"amount": str(held.amount), "currency": held.currency}
    event = OrderEvent(order_id=order.id, event=action.value, from_status=current.value,
                       to_status=target.value, actor=actor, note=note, data=payload)
    session.add(event)
    for topic in OUTBOX_TOPICS.get(target, ()):
        session.add(OutboxMessage(topic=topic, payload={
            "order_id": order.id, "shop_id": order.shop_id, "customer_id": order.customer_id,
            "status": target.value, "actor": actor}))
    session.flush()
    count_on_commit(session, metrics().order_transitions.labels(action=action.value, status=target.value))
    return Outcome(order=order, event=event, refund_due=refund_due, release_due=release_due)


def _restock(session: Session, order: Order) -> None:
    """Give reserved stock back when an order is cancelled."""
    for item in order.items:
        if item.product_id is not None:
            session.execute(update(Product).where(Product.id == item.product_id)
                            .values(stock=Product.stock + item.quantity))


def accept(session: Session, *, order: Order, actor: str) -> OrderEvent | None:
    """The seller takes a paid order on: an `accept` event and a note to the buyer, once.

    Not a transition: the order stays `paid` (money held) until it ships. Returns None when the
    order was already accepted; raises Conflict when it is no longer waiting to be accepted."""
    if OrderStatus(order.status) is not S.PAID:
        raise Conflict(f"order {order.id} is {OrderStatus(order.status).value}: only a paid order can be accepted")
    done = session.scalar(select(OrderEvent.id).where(OrderEvent.order_id == order.id,
                                                      OrderEvent.event == OrderAction.ACCEPT.value).limit(1))
    if done is not None:
        return None
    event = OrderEvent(order_id=order.id, event=OrderAction.ACCEPT.value, from_status=S.PAID.value,
                       to_status=S.PAID.value, actor=actor, data={})
    session.add(event)
    session.add(OutboxMessage(topic="order.accepted", payload={
        "order_id": order.id, "shop_id": order.shop_id, "customer_id": order.customer_id,
        "status": S.PAID.value, "actor": actor}))
    session.flush()
    count_on_commit(session, metrics().order_transitions.labels(action=OrderAction.ACCEPT.value, status=S.PAID.value))
    return event
