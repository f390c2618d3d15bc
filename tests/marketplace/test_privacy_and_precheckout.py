"""/mydata and /forgetme at the API, and the pre-checkout re-check of an invoice."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.db import transaction
from marketplace.models import Customer, Order
from marketplace.services.orders import OrderAction, transition
from tests.marketplace import builders

BUYER = 700001


async def test_export_holds_everything_about_the_person(api: httpx.AsyncClient, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order_id = builders.order(session).id
    data = (await api.get(f"/customers/{BUYER}/export")).json()
    assert data["customer"]["telegram_user_id"] == BUYER and data["customer"]["country"] == "AR"
    assert [o["id"] for o in data["orders"]] == [order_id]
    assert data["orders"][0]["shipping_address"].startswith("Av. Corrientes")
    assert data["orders"][0]["events"][0]["actor"] == f"buyer:{BUYER}"
    assert (await api.get("/customers/4242/export")).status_code == 404


async def test_forget_refuses_while_an_order_is_in_progress(api: httpx.AsyncClient, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order = builders.order(session)
        transition(session, order=order, action=OrderAction.PAY, actor="system")
    response = await api.delete(f"/customers/{BUYER}")
    assert response.status_code == 409 and "in progress" in response.json()["detail"]
    with factory() as session:
        assert session.scalar(select(func.count(Customer.id))) == 1


async def test_forget_deletes_personal_data_and_keeps_anonymised_orders(
        api: httpx.AsyncClient, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order = builders.order(session)
        transition(session, order=order, action=OrderAction.CANCEL, actor=f"buyer:{BUYER}")
        order_id = order.id
    response = await api.delete(f"/customers/{BUYER}")
    assert response.json() == {"orders_anonymised": 1}
    with factory() as session:
        kept = session.get(Order, order_id)
        assert kept is not None and kept.customer_id is None and kept.shipping_address is None
        assert session.scalar(select(func.count(Customer.id))) == 0
    assert (await api.get(f"/customers/{BUYER}/export")).status_code == 404


async def test_precheckout_accepts_the_right_invoice_and_explains_every_refusal(
        api: httpx.AsyncClient, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order = builders.order(session)
        order_id, total = order.id, str(order.total)

    async def check(**body) -> dict:  # noqa: ANN003
        payload = {"telegram_user_id": BUYER, "amount": total, "currency": "NOK", **body}
        return (await api.post(f"/orders/{order_id}/precheckout", json=payload)).json()

    assert await check() == {"ok": True, "reason": None}
    assert "does not match the order total" in (await check(amount="14.50"))["reason"]
    assert "order is in NOK" in (await check(currency="EUR"))["reason"]
    assert "someone else" in (await check(telegram_user_id=4242))["reason"]
    with transaction(factory) as session:
        order = session.get(Order, order_id)
        order.created_at = order.created_at - timedelta(days=2)
    assert "expired" in (await check())["reason"]
    with transaction(factory) as session:
        transition(session, order=session.get(Order, order_id), action=OrderAction.CANCEL, actor="system")
    assert "is cancelled, not awaiting payment" in (await check())["reason"]
