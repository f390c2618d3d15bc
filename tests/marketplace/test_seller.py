"""Seller routes on a real database: sales per day (exact Decimal sums), the chart, the inventory,
ownership refusals, one shop per person, pausing listings, photo uploads."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
from PIL import Image
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.db import transaction
from marketplace.models import Order, OrderEvent, Product, Shop
from marketplace.services import carts, checkout
from marketplace.services.orders import OrderAction, transition
from marketplace.services.sales import daily_sales
from tests.marketplace import builders

SELLER, OTHER, BUYER = 900001, 900002, 700001
A = OrderAction


def _sale(session: Session, shop: Shop, product: Product, *, paid_at: datetime | None,
          then: tuple[OrderAction, ...] = (), quantity: int = 1) -> Order:
    """An order of `product` by the buyer, paid at `paid_at` (None: never paid), then moved by `then`."""
    buyer = builders.customer(session, telegram_user_id=BUYER)
    cart = carts.open_cart(session, buyer)
    carts.set_item(session, cart=cart, product_id=product.id, quantity=quantity)
    [order] = checkout.checkout(session, cart=cart, customer=buyer, shipping_country="AR",
                                shipping_address="Av. Corrientes 1234, Buenos Aires")
    if paid_at is not None:
        transition(session, order=order, action=A.PAY, actor="system")
        session.execute(update(OrderEvent).where(OrderEvent.order_id == order.id, OrderEvent.event == "pay")
                        .values(created_at=paid_at))
    actors = {A.SHIP: f"seller:{shop.owner_telegram_id}", A.CONFIRM_DELIVERY: f"buyer:{BUYER}",
              A.RELEASE: "system", A.CANCEL: f"buyer:{BUYER}"}
    for action in then:
        fields = {"carrier": "Posten", "tracking_number": "LA1NO"} if action is A.SHIP else None
        transition(session, order=order, action=action, actor=actors[action], fields=fields)
    return order


def test_sales_per_day_count_paid_orders_only_on_the_day_the_money_came(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        builders.rates(session)
        shop = builders.shop(session)
        other_shop = builders.shop(session, owner=OTHER, name="Other")
        item = builders.product(session, shop, stock=50)
        other_item = builders.product(session, other_shop, stock=5)
        june = lambda day, hour=12, minute=0, second=0: datetime(2026, 6, day, hour, minute, second, tzinfo=UTC)  # noqa: E731
        first = _sale(session, shop, item, paid_at=june(1, 10))
        late = _sale(session, shop, item, paid_at=june(3, 23, 59, 59), then=(A.SHIP,), quantity=2)
        early = _sale(session, shop, item, paid_at=june(3, 0), then=(A.SHIP, A.CONFIRM_DELIVERY, A.RELEASE))
        _sale(session, shop, item, paid_at=june(4), then=(A.CANCEL,))  # refunded: not a sale
        _sale(session, shop, item, paid_at=None)  # never paid
        _sale(session, shop, item, paid_at=june(8, 0))  # the day after the period
        _sale(session, shop, item, paid_at=datetime(2026, 5, 31, 23, 59, 59, tzinfo=UTC))  # the day before
        _sale(session, other_shop, other_item, paid_at=june(2))  # another shop's
        report = daily_sales(session, shop, date(2026, 6, 1), date(2026, 6, 7))
    assert [d.day.day for d in report.days] == [1, 2, 3, 4, 5, 6, 7]
    totals = {d.day.day: (d.total.amount, d.orders) for d in report.days if d.orders}
    assert totals == {1: (Decimal(first.total), 1), 3: (Decimal(late.total) + Decimal(early.total), 2)}
    assert all(d.total.amount == Decimal("0.00") and d.total.currency == "NOK" for d in report.days if not d.orders)
    assert report.total.amount == Decimal(first.total) + Decimal(late.total) + Decimal(early.total)
    assert report.orders == 3 and isinstance(report.total.amount, Decimal)


async def _shop(api: httpx.AsyncClient, owner: int = SELLER) -> dict:
    response = await api.post("/shops", json={"owner_telegram_id": owner, "name": "Bergen Strikk", "country": "NO",
                                              "currency": "NOK", "language": "nb", "description": "Strikk fra Bergen"})
    assert response.status_code == 201, response.text
    return response.json()


async def _product(api: httpx.AsyncClient, shop_id: int, *, title: str, stock: int, owner: int = SELLER) -> dict:
    response = await api.post(f"/shops/{shop_id}/products", headers={"X-Acting-User": str(owner)}, json={
        "title": title, "description": "Håndstrikket av norsk ull", "category": "clothing", "price": "1450.00",
        "stock": stock})
    assert response.status_code == 201, response.text
    return response.json()


async def _paid_order(api: httpx.AsyncClient, product_id: int) -> dict:
    await api.put(f"/customers/{BUYER}", json={"language": "es", "country": "AR", "currency": "ARS"})
    await api.post(f"/customers/{BUYER}/cart/items", json={"product_id": product_id, "quantity": 1})
    [order] = (await api.post(f"/customers/{BUYER}/checkout", json={
        "shipping_country": "AR", "shipping_address": "Av. Corrientes 1234, CABA"})).json()
    paid = await api.post(f"/orders/{order['id']}/payments", json={
        "amount": order["total"], "currency": order["currency"], "charge_id": f"charge-{order['id']}"})
    assert paid.status_code in (200, 201), paid.text
    return order


async def test_sales_json_and_chart_answer_the_owner_only(api: httpx.AsyncClient) -> None:
    shop = await _shop(api)
    sweater = await _product(api, shop["id"], title="Lusekofte", stock=4)
    order = await _paid_order(api, sweater["id"])
    today = datetime.now(UTC).date()
    period = {"from": today.replace(day=1).isoformat(), "to": today.isoformat(), "lang": "nb"}
    response = await api.get(f"/shops/{shop['id']}/sales", params=period, headers={"X-Acting-User": str(SELLER)})
    assert response.status_code == 200, response.text
    sales = response.json()
    assert sales["total"]["amount"] == order["total"] and sales["orders"] == 1 and sales["currency"] == "NOK"
    assert sales["best_day"]["date"] == today.isoformat() and len(sales["days"]) == today.day
    assert "kr" in sales["total"]["formatted"] and "," in sales["total"]["formatted"]  # Babel, nb_NO
    for headers in ({"X-Acting-User": str(OTHER)}, {"X-Acting-User": "12"}):
        refused = await api.get(f"/shops/{shop['id']}/sales", params=period, headers=headers)
        assert refused.status_code == 404 and refused.json()["detail"] == f"shop {shop['id']} not found"
    assert (await api.get(f"/shops/{shop['id']}/sales", params=period)).status_code == 422  # who is asking?
    backwards = await api.get(f"/shops/{shop['id']}/sales", headers={"X-Acting-User": str(SELLER)},
                              params={"from": "2026-06-07", "to": "2026-06-01"})
    assert backwards.status_code == 400 and "ends before it starts" in backwards.json()["detail"]

    chart = await api.get(f"/shops/{shop['id']}/sales.png", params={**period, "user": SELLER})
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(chart.content)) as image:
        assert image.format == "PNG" and image.size == (800, 400)
    assert (await api.get(f"/shops/{shop['id']}/sales.png", params={**period, "user": OTHER})).status_code == 404


async def test_inventory_lists_paused_listings_for_the_owner_lowest_stock_first(api: httpx.AsyncClient) -> None:
    shop = await _shop(api)
    plenty = await _product(api, shop["id"], title="Votter i ull", stock=40)
    few = await _product(api, shop["id"], title="Lusekofte", stock=2)
    none = await _product(api, shop["id"], title="Sjal", stock=0)
    paused = await api.patch(f"/products/{few['id']}", json={"status": "paused"}, headers={"X-Acting-User": str(SELLER)})
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    owner = {"X-Acting-User": str(SELLER)}
    low = (await api.get(f"/shops/{shop['id']}/inventory", params={"max_stock": 3}, headers=owner)).json()
    assert [(p["id"], p["stock"], p["status"]) for p in low] == [(none["id"], 0, "active"), (few["id"], 2, "paused")]
    everything = (await api.get(f"/shops/{shop['id']}/inventory", headers=owner)).json()
    assert [p["id"] for p in everything] == [none["id"], few["id"], plenty["id"]]
    only_paused = (await api.get(f"/shops/{shop['id']}/inventory", params={"status": "paused"}, headers=owner)).json()
    assert [p["id"] for p in only_paused] == [few["id"]]
    stranger = await api.get(f"/shops/{shop['id']}/inventory", headers={"X-Acting-User": str(OTHER)})
    assert stranger.status_code == 404


async def test_a_paused_listing_leaves_search_and_carts_until_resumed(api: httpx.AsyncClient) -> None:
    shop = await _shop(api)
    sweater = await _product(api, shop["id"], title="Lusekofte genser", stock=4)
    await api.put(f"/customers/{BUYER}", json={"language": "nb", "country": "AR", "currency": "ARS"})
    assert (await api.post(f"/customers/{BUYER}/cart/items", json={"product_id": sweater["id"]})).status_code == 200
    owner = {"X-Acting-User": str(SELLER)}
    assert (await api.patch(f"/products/{sweater['id']}", json={"status": "paused"},
                            headers={"X-Acting-User": str(OTHER)})).status_code == 404  # not theirs
    await api.patch(f"/products/{sweater['id']}", json={"status": "paused"}, headers=owner)
    assert (await api.get("/search", params={"q": "lusekofte", "lang": "nb"})).json()["total"] == 0
    refused = await api.post(f"/customers/{BUYER}/checkout", json={"shipping_country": "AR",
                                                                   "shipping_address": "Av. Corrientes 1234, CABA"})
    assert refused.status_code == 409 and "not for sale right now" in refused.json()["detail"]
    assert (await api.get(f"/products/{sweater['id']}")).json()["stock"] == 4  # nothing was reserved
    await api.patch(f"/products/{sweater['id']}", json={"status": "active", "price": "1399.50", "stock": 9},
                    headers=owner)
    found = (await api.get("/search", params={"q": "lusekofte", "lang": "nb"})).json()
    assert found["total"] == 1 and found["items"][0]["seller_price"]["amount"] == "1399.50"
    assert found["items"][0]["stock"] == 9


async def test_one_shop_per_person(api: httpx.AsyncClient) -> None:
    first = await _shop(api)
    again = await api.post("/shops", json={"owner_telegram_id": SELLER, "name": "Second", "country": "NO",
                                           "currency": "NOK", "language": "nb"})
    assert again.status_code == 409 and again.json()["detail"] == f"you already own the shop 'Bergen Strikk' (#{first['id']})"
    assert len((await api.get("/shops", params={"owner_telegram_id": SELLER})).json()) == 1


async def test_shop_orders_in_several_statuses_for_their_owner_only(api: httpx.AsyncClient) -> None:
    shop = await _shop(api)
    sweater = await _product(api, shop["id"], title="Lusekofte", stock=4)
    paid = await _paid_order(api, sweater["id"])
    await api.post(f"/customers/{BUYER}/cart/items", json={"product_id": sweater["id"], "quantity": 1})
    [unpaid] = (await api.post(f"/customers/{BUYER}/checkout", json={
        "shipping_country": "AR", "shipping_address": "Av. Corrientes 1234, CABA"})).json()
    owner = {"X-Acting-User": str(SELLER)}
    both = (await api.get(f"/shops/{shop['id']}/orders", params={"status": ["paid", "pending_payment"]},
                          headers=owner)).json()
    assert [(o["id"], o["status"]) for o in both] == [(unpaid["id"], "pending_payment"), (paid["id"], "paid")]
    only_paid = (await api.get(f"/shops/{shop['id']}/orders", params={"status": "paid"}, headers=owner)).json()
    assert [o["id"] for o in only_paid] == [paid["id"]]
    assert (await api.get(f"/shops/{shop['id']}/orders", headers={"X-Acting-User": str(OTHER)})).status_code == 404


def _png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


async def test_uploaded_photos_are_checked_stored_once_and_served(api: httpx.AsyncClient) -> None:
    photo = _png("teal")
    first = await api.post("/media", files={"file": ("a.jpg", photo, "application/octet-stream")})
    assert first.status_code == 201, first.text
    path = first.json()["path"]
    assert path.startswith("uploads/") and path.endswith(".png")  # the content decides, not the name
    again = await api.post("/media", files={"file": ("b.png", photo, "image/png")})
    assert again.json()["path"] == path
    assert (await api.get(f"/media/{path}")).content == photo
    for junk in (b"", b"not a picture at all", photo[:40]):
        refused = await api.post("/media", files={"file": ("x.jpg", junk, "image/jpeg")})
        assert refused.status_code == 400, junk
    assert (await api.post("/media", files={"file": ("y.png", _png("navy"), "image/png")})).json()["path"] != path
