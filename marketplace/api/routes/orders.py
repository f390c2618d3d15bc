"""Checkout, orders, payments and reviews."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.api.deps import SessionDep, SettingsDep
from marketplace.api.routing import ReleasingRoute
from marketplace.api.schemas import (
    ActionIn,
    CheckoutIn,
    OrderOut,
    PaymentIn,
    PreCheckoutIn,
    ReviewIn,
    RowId,
    TelegramId,
)
from marketplace.models import Customer, Order, utcnow
from marketplace.money import Money
from marketplace.services import carts, checkout
from marketplace.services.errors import Conflict, DomainError, NotFound
from marketplace.services.escrow import run_escrow
from marketplace.services.orders import OrderAction, accept, transition
from marketplace.services.policy import check_actor, is_party
from marketplace.services.sellers import owned_shop

router = APIRouter(tags=["orders"], route_class=ReleasingRoute)
_LOADED = (selectinload(Order.items), selectinload(Order.events))


@router.post("/customers/{telegram_user_id}/checkout", status_code=status.HTTP_201_CREATED)
def place_orders(telegram_user_id: TelegramId, body: CheckoutIn, session: SessionDep) -> list[OrderOut]:
    """Turn the cart into one order per shop, reserving stock; all or nothing."""
    customer = carts.get_customer(session, telegram_user_id)
    cart = carts.open_cart(session, customer)
    orders = checkout.checkout(session, cart=cart, customer=customer, shipping_country=body.shipping_country,
                               shipping_address=body.shipping_address)
    session.commit()
    return [OrderOut.of(checkout.get_order(session, o.id)) for o in orders]


@router.get("/customers/{telegram_user_id}/orders")
def customer_orders(telegram_user_id: TelegramId, session: SessionDep) -> list[OrderOut]:
    """A buyer's orders, newest first."""
    customer = carts.get_customer(session, telegram_user_id)
    orders = session.scalars(select(Order).where(Order.customer_id == customer.id)
                             .order_by(Order.id.desc()).options(*_LOADED))
    return [OrderOut.of(o) for o in orders]


@router.get("/shops/{shop_id}/orders")
def shop_orders(shop_id: RowId, session: SessionDep, status: Annotated[list[str] | None, Query()] = None,
                x_acting_user: Annotated[TelegramId | None, Header()] = None) -> list[OrderOut]:
    """A shop's orders, newest first, optionally in some statuses. With `X-Acting-User`, only the
    shop's owner gets an answer (anyone else: 404)."""
    if x_acting_user is not None:
        owned_shop(session, shop_id, x_acting_user)
    query = select(Order).where(Order.shop_id == shop_id).order_by(Order.id.desc()).options(*_LOADED)
    if status:
        query = query.where(Order.status.in_(status))
    return [OrderOut.of(o) for o in session.scalars(query)]


@router.get("/orders/{order_id}")
def get_order(order_id: RowId, session: SessionDep,
              x_acting_user: Annotated[TelegramId | None, Header()] = None) -> OrderOut:
    """One order with its event log. With `X-Acting-User`, only the order's buyer or its shop's owner
    gets an answer (anyone else: 404); without, it is for our services (support staff, jobs)."""
    order = checkout.get_order(session, order_id)
    if x_acting_user is not None:
        customer = session.get(Customer, order.customer_id) if order.customer_id else None
        if not is_party(order, customer, x_acting_user):
            raise NotFound(f"order {order_id} not found")
    return OrderOut.of(order)


@router.post("/orders/{order_id}/actions")
def act(order_id: RowId, body: ActionIn, session: SessionDep) -> OrderOut:
    """Move an order through its state machine, if the actor may."""
    try:
        action = OrderAction(body.action)
    except ValueError:
        raise DomainError(f"unknown action {body.action!r}; use one of {', '.join(OrderAction)}") from None
    order = checkout.get_order(session, order_id, for_update=True)
    customer = session.get(Customer, order.customer_id) if order.customer_id else None
    check_actor(order=order, actor=body.actor, action=action, customer=customer)
    if action is OrderAction.ACCEPT:  # logged, not a status change; repeating it changes nothing
        accept(session, order=order, actor=body.actor)
        session.commit()
        return OrderOut.of(checkout.get_order(session, order_id))
    fields = {}
    if action is OrderAction.SHIP:
        if not (body.carrier and body.tracking_number):
            raise DomainError("shipping needs a carrier and a tracking number")
        fields = {"carrier": body.carrier, "tracking_number": body.tracking_number}
    transition(session, order=order, action=action, actor=body.actor, note=body.note, fields=fields,
               data={k: v for k, v in fields.items()})
    session.commit()
    return OrderOut.of(checkout.get_order(session, order_id))


@router.post("/orders/{order_id}/precheckout")
def precheckout(order_id: RowId, body: PreCheckoutIn, session: SessionDep) -> dict[str, object]:
    """Re-check amount, currency, owner and state before Telegram takes the money."""
    order = checkout.get_order(session, order_id)
    reason = checkout.check_invoice(session, order=order, telegram_user_id=body.telegram_user_id,
                                    amount=Money(body.amount, body.currency))
    return {"ok": reason is None, "reason": reason}


@router.post("/orders/{order_id}/payments",
             responses={201: {"model": OrderOut, "description": "This call recorded the payment"}})
def pay(order_id: RowId, body: PaymentIn, session: SessionDep, response: Response) -> OrderOut:
    """Record a successful payment: the money is held until delivery. Idempotent per charge:
    201 when this call recorded it, 200 when the same charge was already recorded."""
    order = checkout.get_order(session, order_id, for_update=True)
    try:
        recorded = checkout.record_payment(session, order=order, amount=Money(body.amount, body.currency),
                                           charge_id=body.charge_id, actor="system")
        session.commit()
    except Conflict:
        session.rollback()  # a concurrent delivery of the same payment may have won the race
        if checkout.get_order(session, order_id).payment_charge_id != body.charge_id:
            raise
        recorded = False
    response.status_code = status.HTTP_201_CREATED if recorded else status.HTTP_200_OK
    return OrderOut.of(checkout.get_order(session, order_id))


@router.post("/escrow/run")
def escrow_run(session: SessionDep, settings: SettingsDep) -> dict[str, list[int]]:
    """Remind silent buyers and auto-release overdue shipped orders (called periodically)."""
    run = run_escrow(session, now=utcnow(), remind_after=timedelta(days=settings.escrow_remind_after_days),
                     release_after=timedelta(days=settings.escrow_release_after_days))
    session.commit()
    return {"reminded": run.reminded, "released": run.released}


@router.post("/orders/{order_id}/review", status_code=status.HTTP_201_CREATED)
def review(order_id: RowId, body: ReviewIn, session: SessionDep) -> dict[str, int]:
    """A buyer reviews a completed order."""
    order = checkout.get_order(session, order_id)
    customer = carts.get_customer(session, body.telegram_user_id)
    created = checkout.add_review(session, order=order, customer=customer, stars=body.stars, text=body.text)
    session.commit()
    return {"id": created.id, "stars": created.stars}
