"""The outbox for the bot's delivery worker: claim due messages, report them delivered or failed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from marketplace.api.deps import SessionDep, SettingsDep
from marketplace.api.routing import ReleasingRoute
from marketplace.api.schemas import RowId
from marketplace.models import Order, OutboxMessage, utcnow
from marketplace.money import Money
from marketplace.services import outbox

router = APIRouter(tags=["outbox"], route_class=ReleasingRoute)


class ClaimIn(BaseModel):
    """How many due messages to take, and for how long nobody else may take them."""

    limit: int = Field(default=50, ge=1, le=500)
    lease_seconds: float = Field(default=60.0, ge=1, le=3600)


class DeliveredIn(BaseModel):
    """Who was told; without a recipient the whole message counts as delivered."""

    recipient: Literal["seller", "buyer"] | None = None


class FailedIn(BaseModel):
    """Why sending failed, and Telegram's `retry_after` when it gave one."""

    error: str = Field(min_length=1, max_length=outbox.MAX_ERROR)
    retry_after: float | None = Field(default=None, ge=0, le=86400)


class DeliveryOut(BaseModel):
    """One message to send."""

    recipient: str
    chat_id: int
    language: str
    country: str | None


class AlertItemOut(BaseModel):
    """An order line as the seller listed it."""

    title: str
    quantity: int
    unit_price: str
    currency: str


class AlertOrderOut(BaseModel):
    """What the messages about an order show. Amounts in the shop's currency, as strings."""

    id: int
    status: str
    currency: str
    subtotal: str
    shipping: str
    total: str
    paid: bool
    shipping_country: str | None
    shipping_address: str | None
    carrier: str | None
    tracking_number: str | None
    items: list[AlertItemOut]


class AlertShopOut(BaseModel):
    """The shop and its owner's chat."""

    id: int
    name: str
    owner_telegram_id: int
    country: str
    currency: str
    language: str


class AlertBuyerOut(BaseModel):
    """The buyer, when they have not deleted their data."""

    telegram_user_id: int
    language: str
    country: str | None
    currency: str


class OutboxMessageOut(BaseModel):
    """A claimed message with everything needed to render it; `deliveries` lists who still needs it."""

    id: int
    topic: str
    attempts: int
    payload: dict
    created_at: datetime
    lease_until: datetime
    deliveries: list[DeliveryOut]
    order: AlertOrderOut | None
    shop: AlertShopOut | None
    buyer: AlertBuyerOut | None


class ClaimOut(BaseModel):
    """The claimed messages, oldest first."""

    messages: list[OutboxMessageOut]


class StateOut(BaseModel):
    """A message's delivery state after a report."""

    id: int
    delivered: bool
    delivered_to: list[str]
    attempts: int
    available_at: datetime
    last_error: str | None

    @classmethod
    def of(cls, row: OutboxMessage) -> StateOut:
        """Serialise a row's delivery state."""
        return cls(id=row.id, delivered=row.delivered_at is not None,
                   delivered_to=[r for r in row.delivered_to.split(",") if r], attempts=row.attempts,
                   available_at=row.available_at, last_error=row.last_error)


def _order(order: Order, paid: bool) -> AlertOrderOut:
    def amount(value: object) -> str:
        return str(Money(value, order.currency).quantize().amount)  # type: ignore[arg-type]
    return AlertOrderOut(
        id=order.id, status=order.status, currency=order.currency, subtotal=amount(order.subtotal),
        shipping=amount(order.shipping), total=amount(order.total), paid=paid,
        shipping_country=order.shipping_country, shipping_address=order.shipping_address, carrier=order.carrier,
        tracking_number=order.tracking_number,
        items=[AlertItemOut(title=i.title, quantity=i.quantity, unit_price=str(Money(i.unit_price, i.currency)
                                                                               .quantize().amount),
                            currency=i.currency) for i in order.items])


def _message(item: outbox.Claimed) -> OutboxMessageOut:
    row, order, customer = item.message, item.order, item.customer
    shop = order.shop if order is not None else None
    return OutboxMessageOut(
        id=row.id, topic=row.topic, attempts=row.attempts, payload=row.payload, created_at=row.created_at,
        lease_until=item.lease_until,
        deliveries=[DeliveryOut(recipient=d.recipient, chat_id=d.chat_id, language=d.language, country=d.country)
                    for d in item.deliveries],
        order=_order(order, item.paid) if order is not None else None,
        shop=AlertShopOut(id=shop.id, name=shop.name, owner_telegram_id=shop.owner_telegram_id, country=shop.country,
                          currency=shop.currency, language=shop.language) if shop is not None else None,
        buyer=AlertBuyerOut(telegram_user_id=customer.telegram_user_id, language=customer.language,
                            country=customer.country, currency=customer.currency) if customer is not None else None)


@router.post("/outbox/claim")
def claim(body: ClaimIn, session: SessionDep) -> ClaimOut:
    """Claim up to `limit` due messages for `lease_seconds`; nobody else gets them meanwhile."""
    claimed = outbox.claim(session, limit=body.limit, lease=timedelta(seconds=body.lease_seconds), now=utcnow())
    messages = [_message(item) for item in claimed]
    session.commit()
    return ClaimOut(messages=messages)


@router.post("/outbox/{message_id}/delivered")
def delivered(message_id: RowId, session: SessionDep, body: DeliveredIn | None = None) -> StateOut:
    """Record a recipient (or the whole message) as told. Safe to repeat."""
    row = outbox.mark_delivered(session, message_id, recipient=body.recipient if body else None, now=utcnow())
    session.commit()
    return StateOut.of(row)


@router.post("/outbox/{message_id}/failed")
def failed(message_id: RowId, body: FailedIn, session: SessionDep, settings: SettingsDep) -> StateOut:
    """Put a message back after a failed send: after `retry_after`, or with capped exponential backoff."""
    row = outbox.mark_failed(session, message_id, error=body.error, retry_after=body.retry_after, now=utcnow(),
                             base=settings.outbox_backoff_base_seconds, cap=settings.outbox_backoff_cap_seconds)
    session.commit()
    return StateOut.of(row)
