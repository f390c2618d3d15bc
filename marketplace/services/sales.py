"""A shop's sales per day. A sale is an order that was paid and has not been cancelled or refunded;
it counts on the (UTC) day its payment arrived, with the order's total in the shop's currency."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.models import Order, OrderEvent, OrderStatus, Shop
from marketplace.money import Money, total
from marketplace.services.errors import DomainError
from marketplace.services.orders import OrderAction

S = OrderStatus
SOLD = (S.PAID, S.SHIPPED, S.DELIVERED, S.COMPLETED, S.RELEASED)
MAX_DAYS = 366


@dataclass(frozen=True)
class DaySales:
    """What one day brought in."""

    day: date
    total: Money
    orders: int


@dataclass(frozen=True)
class SalesReport:
    """Every day of a period, days without sales included."""

    shop_id: int
    currency: str
    start: date
    end: date
    days: list[DaySales]

    @property
    def total(self) -> Money:
        """The period's takings."""
        return total([d.total for d in self.days], self.currency)

    @property
    def orders(self) -> int:
        """How many orders were paid in the period."""
        return sum(d.orders for d in self.days)


def check_period(start: date, end: date) -> None:
    """A period that ends after it starts and spans at most a year."""
    if end < start:
        raise DomainError("the period ends before it starts")
    if (end - start).days >= MAX_DAYS:
        raise DomainError(f"a period can span at most {MAX_DAYS} days")


def daily_sales(session: Session, shop: Shop, start: date, end: date) -> SalesReport:
    """Sales of `shop` from `start` to `end` (both included), summed exactly per UTC day."""
    check_period(start, end)
    since = datetime.combine(start, time.min, UTC)
    until = datetime.combine(end + timedelta(days=1), time.min, UTC)
    rows = session.execute(
        select(Order.total, Order.currency, OrderEvent.created_at)
        .join(OrderEvent, OrderEvent.order_id == Order.id)
        .where(Order.shop_id == shop.id, Order.status.in_(SOLD), OrderEvent.event == OrderAction.PAY.value,
               OrderEvent.created_at >= since, OrderEvent.created_at < until))
    amounts: dict[date, list[Money]] = defaultdict(list)
    for amount, currency, paid_at in rows:
        amounts[paid_at.astimezone(UTC).date()].append(Money(amount, currency))
    days = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        days.append(DaySales(day=day, total=total(amounts.get(day, []), shop.currency).quantize(),
                             orders=len(amounts.get(day, []))))
    return SalesReport(shop_id=shop.id, currency=shop.currency, start=start, end=end, days=days)
