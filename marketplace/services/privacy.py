"""A person's data: export everything we hold about them, or forget them.

Forgetting deletes the customer, their carts and the personal fields of their orders; the orders
themselves stay (anonymised) for the sellers' books. While an order is still in progress we
refuse, because the seller needs the address to deliver it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload

from marketplace.models import Cart, CartItem, Order, Review
from marketplace.services import conversations, handoffs
from marketplace.services.carts import get_customer
from marketplace.services.errors import Conflict
from marketplace.services.orders import FINAL


def export_customer(session: Session, telegram_user_id: int) -> dict[str, Any]:
    """Everything stored about a customer, as plain JSON-ready data."""
    customer = get_customer(session, telegram_user_id)
    carts = session.scalars(select(Cart).where(Cart.customer_id == customer.id)
                            .options(selectinload(Cart.items).selectinload(CartItem.product))).all()
    orders = session.scalars(select(Order).where(Order.customer_id == customer.id).order_by(Order.id)
                             .options(selectinload(Order.items), selectinload(Order.events))).all()
    reviews = session.scalars(select(Review).where(Review.customer_id == customer.id)).all()
    return {
        "customer": {"telegram_user_id": customer.telegram_user_id, "name": customer.name,
                     "language": customer.language, "country": customer.country, "currency": customer.currency,
                     "created_at": customer.created_at.isoformat(),
                     "last_seen_at": customer.last_seen_at.isoformat() if customer.last_seen_at else None},
        "carts": [{"id": c.id, "status": c.status,
                   "items": [{"product_id": i.product_id, "quantity": i.quantity} for i in c.items]} for c in carts],
        "orders": [{"id": o.id, "shop_id": o.shop_id, "status": o.status, "currency": o.currency,
                    "total": str(o.total), "shipping_country": o.shipping_country,
                    "shipping_address": o.shipping_address, "carrier": o.carrier,
                    "tracking_number": o.tracking_number, "created_at": o.created_at.isoformat(),
                    "items": [{"title": i.title, "quantity": i.quantity, "unit_price": str(i.unit_price),
                               "currency": i.currency} for i in o.items],
                    "events": [{"event": e.event, "to_status": e.to_status, "actor": e.actor,
                                "at": e.created_at.isoformat()} for e in o.events]} for o in orders],
        "reviews": [{"order_id": r.order_id, "stars": r.stars, "text": r.text,
                     "created_at": r.created_at.isoformat()} for r in reviews],
        "support": handoffs.export_handoffs(session, telegram_user_id),
        "conversations": conversations.export_conversations(session, customer.id),
    }


def forget_customer(session: Session, telegram_user_id: int) -> int:
    """Delete the person's data; returns how many orders were anonymised."""
    customer = get_customer(session, telegram_user_id)
    orders = session.scalars(select(Order).where(Order.customer_id == customer.id)).all()
    open_orders = [o.id for o in orders if o.status not in FINAL]
    if open_orders:
        raise Conflict("orders still in progress need your address: "
                       f"{', '.join(f'#{i}' for i in open_orders)}; try again once they are completed or cancelled")
    handoffs.forget_handoffs(session, telegram_user_id)  # refused while support is talking to them
    conversations.forget_conversations(session, customer.id)
    session.execute(update(Order).where(Order.customer_id == customer.id)
                    .values(shipping_address=None, customer_id=None))
    session.execute(update(Review).where(Review.customer_id == customer.id).values(customer_id=None, text=None))
    session.execute(delete(Cart).where(Cart.customer_id == customer.id))  # items go with them (cascade)
    session.delete(customer)
    session.flush()
    return len(orders)
