"""Checkout form validation and placing orders with the landed cost shown first."""

from __future__ import annotations

from decimal import Decimal

from rasa_sdk.executor import CollectingDispatcher

from actions.cart import ActionAddToCart
from actions.checkout import ActionPlaceOrder, ValidateCheckoutForm
from actions.marketplace import Marketplace
from tests.actions.conftest import tracker_from


async def test_country_names_in_any_language_become_codes_we_ship_to(market: Marketplace) -> None:
    form, tracker = ValidateCheckoutForm(), tracker_from("search_es")
    for said, code in (("Argentina", "AR"), ("Noruega", "NO"), ("阿根廷", "AR"), ("Schweiz", "CH")):
        assert await form.validate_shipping_country(said, CollectingDispatcher(), tracker, {}) == {"shipping_country": code}
    dispatcher = CollectingDispatcher()
    assert await form.validate_shipping_country("Australia", dispatcher, tracker, {}) == {"shipping_country": None}
    assert "todavía no enviamos allí" in dispatcher.messages[0]["text"]
    dispatcher = CollectingDispatcher()
    assert await form.validate_shipping_address("casa", dispatcher, tracker, {}) == {"shipping_address": None}
    assert dispatcher.messages[0]["text"].startswith("Esa dirección parece demasiado corta")


async def test_place_order_shows_landed_cost_then_an_invoice_per_shop(market: Marketplace) -> None:
    add = tracker_from("search_es", latest_message={
        "text": "/add_to_cart", "intent": {"name": "add_to_cart"},
        "entities": [{"entity": "product_id", "value": 1}],
        "metadata": {"telegram_user_id": 700001, "language_code": "es-AR"}})
    await ActionAddToCart().run(CollectingDispatcher(), add, {})
    tracker = tracker_from("search_es", slots={"language": "es", "shipping_country": "AR",
                                               "shipping_address": "Av. Corrientes 1234, C1043 Buenos Aires"})
    dispatcher = CollectingDispatcher()
    events = await ActionPlaceOrder().run(dispatcher, tracker, {})
    summary = dispatcher.messages[0]["text"]
    assert summary.startswith("Bergen Strikkestue: productos NOK")
    assert "días)" in summary and summary.splitlines()[-1].startswith("En total, unos $")
    invoice = dispatcher.messages[1]["custom"]
    assert invoice["type"] == "invoice" and invoice["currency"] == "NOK" and invoice["title"].startswith("Pedido #")
    order = await market.get(f"/orders/{invoice['order_id']}")
    assert sum(p["amount"] for p in invoice["prices"]) == int(Decimal(order["total"]) * 100)
    assert [(e["name"], e["value"]) for e in events] == [("shipping_address", None)]


async def test_place_order_with_an_empty_cart_says_why(market: Marketplace) -> None:
    tracker = tracker_from("search_es", slots={"language": "es", "shipping_country": "AR",
                                               "shipping_address": "Av. Corrientes 1234, Buenos Aires"})
    dispatcher = CollectingDispatcher()
    await ActionPlaceOrder().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"] == "No pude hacerlo: tu carrito está vacío."
