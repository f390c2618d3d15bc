"""The outbox: what the bot must tell people, claimed with a lease and acknowledged per recipient.

Rows are written in the same transaction as the change that caused them (`orders.transition`,
`orders.accept`, the escrow upkeep). A worker claims due rows with one conditional UPDATE, which
pushes `available_at` forward by a lease (so nobody else gets them) and counts the attempt; on
PostgreSQL the candidates are picked with `FOR UPDATE SKIP LOCKED`, on SQLite the write lock does
the same. The worker then reports each recipient told (`mark_delivered`, idempotent) or a failure
(`mark_failed`: capped exponential backoff, or exactly Telegram's `retry_after`). A worker that
dies just lets its lease run out; the row comes back and only the recipients not yet told are sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from marketplace.core.metrics import count_on_commit, metrics
from marketplace.models import Customer, Order, OrderEvent, OutboxMessage, Shop
from marketplace.services.errors import DomainError, NotFound

SELLER, BUYER = "seller", "buyer"

# Who hears about what (before leaving out whoever caused the event).
RECIPIENTS: dict[str, tuple[str, ...]] = {
    "order.paid": (SELLER, BUYER),
    "order.accepted": (BUYER,),
    "order.shipped": (BUYER,),
    "order.delivered": (SELLER, BUYER),
    "order.completed": (SELLER, BUYER),
    "order.cancelled": (SELLER, BUYER),
    "order.disputed": (SELLER, BUYER),
    "order.refunded": (SELLER, BUYER),
    "order.released": (SELLER, BUYER),
    "order.delivery_reminder": (BUYER,),
}
MAX_ERROR = 2000


def recipients(topic: str, payload: dict) -> tuple[str, ...]:
    """Who must be told: never the person who caused the event (they already saw the result)."""
    role = str(payload.get("actor") or "").partition(":")[0]
    return tuple(r for r in RECIPIENTS.get(topic, ()) if r != role)


def _done(row: OutboxMessage) -> set[str]:
    return {r for r in (row.delivered_to or "").split(",") if r}


def _join(done: set[str]) -> str:
    return ",".join(sorted(done))


def backoff(attempts: int, *, base: float, cap: float) -> timedelta:
    """Delay before the next try: base, 2×base, 4×base, … never more than cap."""
    return timedelta(seconds=min(cap, base * 2 ** max(0, min(attempts, 64) - 1)))


@dataclass(frozen=True)
class Delivery:
    """One message to send: to whom (Telegram chat id) and in which language."""

    recipient: str
    chat_id: int
    language: str
    country: str | None


@dataclass
class Claimed:
    """A claimed row with everything needed to render its messages."""

    message: OutboxMessage
    lease_until: datetime
    order: Order | None = None
    customer: Customer | None = None
    paid: bool = False
    deliveries: list[Delivery] = field(default_factory=list)


def _due(now: datetime) -> tuple:
    return OutboxMessage.delivered_at.is_(None), OutboxMessage.available_at <= now


def claim(session: Session, *, limit: int, lease: timedelta, now: datetime) -> list[Claimed]:
    """Take up to `limit` due rows for `lease`; two claimers never get the same row."""
    picked = (select(OutboxMessage.id).where(*_due(now))
              .order_by(OutboxMessage.available_at, OutboxMessage.id).limit(limit)
              .with_for_update(skip_locked=True).cte("picked"))
    lease_until = now + lease
    ids = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(select(picked.c.id)), *_due(now))  # re-checked under the row lock
        .values(available_at=lease_until, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).scalars().all()
    if not ids:
        return []
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
                           .execution_options(populate_existing=True)).all()
    count_on_commit(session, metrics().outbox_claimed, len(rows))
    count_on_commit(session, metrics().outbox_retried, sum(1 for r in rows if r.attempts > 1))
    order_ids = {int(r.payload["order_id"]) for r in rows if r.payload.get("order_id") is not None}
    orders = {o.id: o for o in session.scalars(
        select(Order).where(Order.id.in_(order_ids)).options(selectinload(Order.items), selectinload(Order.shop)))}
    customers = {c.id: c for c in session.scalars(
        select(Customer).where(Customer.id.in_({o.customer_id for o in orders.values() if o.customer_id})))}
    paid = set(session.scalars(select(OrderEvent.order_id).where(
        OrderEvent.order_id.in_(order_ids), OrderEvent.event == "pay")))
    claimed = []
    for row in rows:
        order = orders.get(int(row.payload.get("order_id") or 0))
        customer = customers.get(order.customer_id) if order and order.customer_id else None
        item = Claimed(message=row, lease_until=lease_until, order=order, customer=customer,
                       paid=order is not None and order.id in paid)
        done = _done(row)
        for recipient in recipients(row.topic, row.payload):
            if recipient in done:
                continue
            delivery = _delivery(recipient, order, customer)
            if delivery is None:
                done.add(recipient)  # nobody to tell (no such order, or the buyer deleted their data)
            else:
                item.deliveries.append(delivery)
        row.delivered_to = _join(done)
        if item.deliveries:
            claimed.append(item)
            continue
        row.delivered_at = now  # everyone was told already, or nobody can be
        if row.topic not in RECIPIENTS:
            row.last_error = f"no recipients for topic {row.topic}"
    session.flush()
    return claimed


def _delivery(recipient: str, order: Order | None, customer: Customer | None) -> Delivery | None:
    if order is None:
        return None
    if recipient == SELLER:
        shop: Shop = order.shop
        return Delivery(SELLER, shop.owner_telegram_id, shop.language, shop.country)
    if customer is None:
        return None
    return Delivery(BUYER, customer.telegram_user_id, customer.language, customer.country or order.shipping_country)


def _get(session: Session, message_id: int) -> OutboxMessage:
    row = session.get(OutboxMessage, message_id, populate_existing=True)
    if row is None:
        raise NotFound(f"outbox message {message_id} not found")
    return row


def mark_delivered(session: Session, message_id: int, *, recipient: str | None, now: datetime) -> OutboxMessage:
    """Record that `recipient` was told (all of them when None); the row is delivered once everyone was.

    Repeating it changes nothing. Compare-and-set on `delivered_to`, so concurrent reports for the
    same row never lose one another."""
    if recipient is not None and recipient not in (SELLER, BUYER):
        raise DomainError(f"unknown recipient {recipient!r}; use {SELLER} or {BUYER}")
    while True:
        row = _get(session, message_id)
        if row.delivered_at is not None:
            return row
        done = _done(row) | ({recipient} if recipient else set())
        finished = recipient is None or set(recipients(row.topic, row.payload)) <= done
        values: dict = {"delivered_to": _join(done)}
        if finished:
            values["delivered_at"] = now
        result = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.delivered_at.is_(None),
                   OutboxMessage.delivered_to == row.delivered_to)
            .values(**values).execution_options(synchronize_session=False))
        if result.rowcount == 1:
            if finished:
                count_on_commit(session, metrics().outbox_delivered)
            return _get(session, message_id)


def mark_failed(session: Session, message_id: int, *, error: str, retry_after: float | None, now: datetime,
                base: float, cap: float) -> OutboxMessage:
    """Store the error and put the row back: after `retry_after` when Telegram said so, else with backoff."""
    row = _get(session, message_id)
    if row.delivered_at is not None:
        return row
    delay = timedelta(seconds=retry_after) if retry_after is not None else backoff(row.attempts, base=base, cap=cap)
    session.execute(update(OutboxMessage)
                    .where(OutboxMessage.id == message_id, OutboxMessage.delivered_at.is_(None))
                    .values(available_at=now + delay, last_error=error[:MAX_ERROR])
                    .execution_options(synchronize_session=False))
    count_on_commit(session, metrics().outbox_failed)
    return _get(session, message_id)


def lag(session: Session, *, now: datetime) -> tuple[float, int]:
    """How long the oldest due, undelivered message has waited since it became due (seconds; 0 when
    none), and how many are due: a worker that keeps up holds both near 0."""
    oldest, due = session.execute(select(func.min(OutboxMessage.available_at), func.count())
                                  .where(*_due(now))).one()
    return (max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0), int(due)
