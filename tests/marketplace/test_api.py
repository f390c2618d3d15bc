"""The marketplace API through httpx.ASGITransport on a real database."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from marketplace.models import Order, OrderEvent, Product

BUYER, SELLER = 700001, 900001
SWEATER = {
    "title": "Lusekofte genser i ull", "description": "Håndstrikket genser av norsk ull",
    "category": "clothing", "price": "1450.00", "stock": 3,
    "translations": {"es": {"title": "Suéter noruego de lana", "description": "Tejido a mano en Bergen"}},
}


async def open_shop(api: httpx.AsyncClient) -> dict:
    response = await api.post("/shops", json={"owner_telegram_id": SELLER, "name": "Bergen Strikk",
                                              "country": "no", "currency": "nok", "language": "nb"})
    assert response.status_code == 201, response.text
    return response.json()


async def list_sweater(api: httpx.AsyncClient, shop_id: int, **overrides) -> dict:
    response = await api.post(f"/shops/{shop_id}/products", json={**SWEATER, **overrides},
                              headers={"X-Acting-User": str(SELLER)})
    assert response.status_code == 201, response.text
    return response.json()


async def buyer_with_cart(api: httpx.AsyncClient, product_id: int, quantity: int = 1) -> None:
    response = await api.put(f"/customers/{BUYER}", json={"language": "es", "country": "AR", "currency": "ARS"})
    assert response.status_code == 200, response.text
    response = await api.post(f"/customers/{BUYER}/cart/items", json={"product_id": product_id, "quantity": quantity})
    assert response.status_code == 200, response.text


async def place(api: httpx.AsyncClient) -> dict:
    response = await api.post(f"/customers/{BUYER}/checkout",
                              json={"shipping_country": "AR", "shipping_address": "Av. Corrientes 1234, CABA"})
    assert response.status_code == 201, response.text
    [order] = response.json()
    return order


async def test_every_route_needs_the_service_token(api: httpx.AsyncClient) -> None:
    for token in (None, "Bearer wrong", "Basic test-service-token"):
        headers = {"Authorization": token} if token else {}
        response = await api.get("/shops", headers=headers) if token else await httpx.AsyncClient(
            transport=api._transport, base_url="http://marketplace").get("/shops")
        assert response.status_code == 401
    assert (await api.get("/healthz")).json() == {"status": "ok"}
    paths = [path for path in (await api.get("/openapi.json")).json()["paths"] if path != "/healthz"]
    async with httpx.AsyncClient(transport=api._transport, base_url="http://marketplace") as anonymous:
        for path in paths:
            concrete = path.replace("{", "").replace("}", "").replace("path", "x")
            for name in ("shop_id", "product_id", "order_id", "telegram_user_id"):
                concrete = concrete.replace(name, "1")
            assert (await anonymous.get(concrete)).status_code in (401, 405), path


async def test_validation_errors_are_readable_4xx(api: httpx.AsyncClient) -> None:
    response = await api.post("/shops", json={"owner_telegram_id": SELLER, "name": "X", "country": "ZZ",
                                              "currency": "NOK", "language": "nb"})
    assert response.status_code == 400 and "unknown country code" in response.json()["detail"]
    response = await api.post("/shops", json={"name": "", "country": "NO"})
    assert response.status_code == 422
    assert "owner_telegram_id: Field required" in response.json()["detail"]
    shop = await open_shop(api)
    response = await api.post(f"/shops/{shop['id']}/products", json={**SWEATER, "price": "-3"},
                              headers={"X-Acting-User": str(SELLER)})
    assert response.status_code == 422 and "price" in response.json()["detail"]


async def test_listing_is_shown_in_the_buyers_language_and_currency(api: httpx.AsyncClient) -> None:
    shop = await open_shop(api)
    product = await list_sweater(api, shop["id"])
    shown = (await api.get(f"/products/{product['id']}", params={"lang": "es", "currency": "ARS", "buyer_country": "AR"})).json()
    assert shown["title"] == "Suéter noruego de lana" and shown["translated"] is True
    assert shown["original_title"] == "Lusekofte genser i ull"
    assert shown["price"]["currency"] == "ARS" and shown["seller_price"]["amount"] == "1450.00"
    assert shown["price"]["formatted"].startswith("$") and "," in shown["price"]["formatted"]  # es_AR
    fallback = (await api.get(f"/products/{product['id']}", params={"lang": "zh", "currency": "CNY"})).json()
    assert fallback["title"] == "Lusekofte genser i ull" and fallback["translated"] is False


async def test_only_the_owner_may_list_or_edit(api: httpx.AsyncClient) -> None:
    shop = await open_shop(api)
    response = await api.post(f"/shops/{shop['id']}/products", json=SWEATER, headers={"X-Acting-User": "12345"})
    assert response.status_code == 404
    product = await list_sweater(api, shop["id"])
    response = await api.patch(f"/products/{product['id']}", json={"price": "1"}, headers={"X-Acting-User": "12345"})
    assert response.status_code == 404
    response = await api.patch(f"/products/{product['id']}", json={"price": "1399.5", "status": "paused"},
                               headers={"X-Acting-User": str(SELLER)})
    assert response.json()["seller_price"]["amount"] == "1399.50" and response.json()["status"] == "paused"


async def test_cart_totals_per_shop_and_in_the_buyers_currency(api: httpx.AsyncClient) -> None:
    shop = await open_shop(api)
    product = await list_sweater(api, shop["id"])
    await buyer_with_cart(api, product["id"], quantity=2)
    cart = (await api.get(f"/customers/{BUYER}/cart")).json()
    assert cart["currency"] == "ARS"
    assert cart["shops"][0]["total"]["amount"] == "2900.00" and cart["shops"][0]["total"]["currency"] == "NOK"
    assert cart["total"] == cart["shops"][0]["total_converted"]
    response = await api.post(f"/customers/{BUYER}/cart/items", json={"product_id": product["id"], "quantity": 5})
    assert response.status_code == 400 and "only 3 left" in response.json()["detail"]
    response = await api.delete(f"/customers/{BUYER}/cart/items/{product['id']}")
    assert response.json()["items"] == []


async def test_full_escrow_journey_with_review_and_rating(api: httpx.AsyncClient) -> None:
    shop = await open_shop(api)
    product = await list_sweater(api, shop["id"])
    await buyer_with_cart(api, product["id"])
    order = await place(api)
    assert order["status"] == "pending_payment" and order["subtotal"] == "1450.00"
    assert Decimal(order["total"]) == Decimal("1450.00") + Decimal(order["shipping"]) > Decimal("1450.00")
    paid = (await api.post(f"/orders/{order['id']}/payments",
                           json={"amount": order["total"], "currency": "NOK", "charge_id": "tg_1"})).json()
    assert paid["status"] == "paid"
    ship = await api.post(f"/orders/{order['id']}/actions", json={"action": "ship", "actor": f"seller:{SELLER}"})
    assert ship.status_code == 400 and "carrier" in ship.json()["detail"]
    await api.post(f"/orders/{order['id']}/actions", json={"action": "ship", "actor": f"seller:{SELLER}",
                                                           "carrier": "Posten", "tracking_number": "LA1NO"})
    await api.post(f"/orders/{order['id']}/actions", json={"action": "confirm_delivery", "actor": f"buyer:{BUYER}"})
    released = await api.post(f"/orders/{order['id']}/actions", json={"action": "release", "actor": "system"})
    assert released.json()["status"] == "completed"
    assert [e["actor"] for e in released.json()["events"]] == [
        f"buyer:{BUYER}", "system", f"seller:{SELLER}", f"buyer:{BUYER}", "system"]
    review = await api.post(f"/orders/{order['id']}/review", json={"telegram_user_id": BUYER, "stars": 5})
    assert review.status_code == 201
    again = await api.post(f"/orders/{order['id']}/review", json={"telegram_user_id": BUYER, "stars": 1})
    assert again.status_code == 409
    assert (await api.get(f"/shops/{shop['id']}")).json()["rating"] == "5.0"


async def test_payment_for_the_wrong_amount_is_refused_and_a_repeat_is_harmless(
        api: httpx.AsyncClient, factory: sessionmaker[Session]) -> None:
    shop = await open_shop(api)
    product = await list_sweater(api, shop["id"])
    await buyer_with_cart(api, product["id"])
    order = await place(api)
    wrong = await api.post(f"/orders/{order['id']}/payments", json={"amount": "14.50", "currency": "NOK", "charge_id": "c1"})
    assert wrong.status_code == 400 and "does not match the order total" in wrong.json()["detail"]
    other = await api.post(f"/orders/{order['id']}/payments", json={"amount": order["total"], "currency": "EUR", "charge_id": "c1"})
    assert other.status_code == 400
    codes = []
    for _ in range(2):  # Telegram may deliver successful_payment twice
        ok = await api.post(f"/orders/{order['id']}/payments", json={"amount": order["total"], "currency": "NOK", "charge_id": "c2"})
        assert ok.json()["status"] == "paid"
        codes.append(ok.status_code)
    assert codes == [201, 200]  # recorded, then recognised as the same payment
    with factory() as session:
        pays = session.scalar(select(func.count(OrderEvent.id)).where(OrderEvent.event == "pay"))
        assert pays == 1


async def test_someone_elses_order_cannot_be_touched(api: httpx.AsyncClient) -> None:
    shop = await open_shop(api)
    product = await list_sweater(api, shop["id"])
    await buyer_with_cart(api, product["id"])
    order = await place(api)
    forged = await api.post(f"/orders/{order['id']}/actions", json={"action": "cancel", "actor": "buyer:42"})
    assert forged.status_code == 404
    forged = await api.post(f"/orders/{order['id']}/actions", json={"action": "refund", "actor": f"buyer:{BUYER}"})
    assert forged.status_code == 400 and "cannot refund" in forged.json()["detail"]
    bad = await api.post(f"/orders/{order['id']}/actions", json={"action": "teleport", "actor": "system"})
    assert bad.status_code == 400 and "unknown action" in bad.json()["detail"]


async def test_checkout_is_all_or_nothing(api: httpx.AsyncClient, factory: sessionmaker[Session]) -> None:
    shop = await open_shop(api)
    first = await list_sweater(api, shop["id"])
    second = await list_sweater(api, shop["id"], title="Votter i ull", stock=1)
    await buyer_with_cart(api, first["id"], quantity=2)
    await api.post(f"/customers/{BUYER}/cart/items", json={"product_id": second["id"], "quantity": 1})
    with factory() as session:  # someone else buys the last mittens meanwhile
        session.get(Product, second["id"]).stock = 0
        session.commit()
    response = await api.post(f"/customers/{BUYER}/checkout",
                              json={"shipping_country": "AR", "shipping_address": "Av. Corrientes 1234, CABA"})
    assert response.status_code == 409 and "sold out" in response.json()["detail"]
    with factory() as session:
        assert session.get(Product, first["id"]).stock == 3  # reservation rolled back
        assert session.scalar(select(func.count(Order.id))) == 0
    cart = (await api.get(f"/customers/{BUYER}/cart")).json()
    assert len(cart["items"]) == 2  # the cart is kept


async def test_conversion_route(api: httpx.AsyncClient) -> None:
    response = await api.get("/rates/convert", params={"amount": "100", "from": "EUR", "to": "NOK", "locale": "nb"})
    assert response.json()["amount"] == "1179.50" and "kr" in response.json()["formatted"]
    assert (await api.get("/rates/convert", params={"amount": "1", "from": "EUR", "to": "XXX"})).status_code == 400


async def test_checkout_quotes_shipping_itself_and_the_cart_quote_shows_landed_cost(api: httpx.AsyncClient) -> None:
    shop = await open_shop(api)
    product = await list_sweater(api, shop["id"])
    await buyer_with_cart(api, product["id"])
    quote = (await api.get(f"/customers/{BUYER}/cart/quote", params={"shipping_country": "AR"})).json()
    [part] = quote["shops"]
    assert part["goods"]["amount"] == "1450.00" and part["shipping"]["currency"] == "NOK"
    assert part["min_days"] <= part["max_days"] and part["import_estimate"]["table_date"]
    assert quote["landed_total"]["currency"] == "ARS" and quote["estimate_note"]
    order = await place(api)
    assert order["shipping"] == part["shipping"]["amount"]  # the marketplace's quote, not the caller's
    assert order["total"] == str(Decimal(order["subtotal"]) + Decimal(order["shipping"]))
    refused = await api.get(f"/customers/{BUYER}/cart/quote", params={"shipping_country": "AU"})
    assert refused.status_code == 400
