"""Cart actions against the seeded marketplace: add, view with totals, refuse forged or impossible adds."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.cart import ActionAddToCart, ActionRemoveFromCart, ActionViewCart
from actions.marketplace import Marketplace
from tests.actions.conftest import tracker_from


def pressed(payload_entities: list[dict], text: str = "/add_to_cart") -> dict:
    return {"text": text, "intent": {"name": "add_to_cart"}, "entities": payload_entities,
            "metadata": {"telegram_user_id": 700001, "language_code": "es-AR"}}


async def test_add_two_then_view_shows_shop_total_in_kroner_and_pesos(market: Marketplace) -> None:
    dispatcher = CollectingDispatcher()
    tracker = tracker_from("search_es", latest_message=pressed([{"entity": "product_id", "value": 1},
                                                                {"entity": "quantity", "value": 2}]))
    await ActionAddToCart().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["text"] == "Añadí 2 × Suéter de lana Lusekofte a tu carrito."
    view = CollectingDispatcher()
    await ActionViewCart().run(view, tracker_from("search_es"), {})
    text = view.messages[0]["text"]
    assert "• 2 × Suéter de lana Lusekofte" in text
    assert "Bergen Strikkestue: NOK2.900,00 ≈ $" in text and text.splitlines()[-1].startswith("Total: $")
    assert [b["payload"] for b in view.messages[0]["buttons"]] == ["/checkout", '/remove_from_cart{"product_id":1}']


async def test_more_than_in_stock_or_a_forged_product_is_refused_clearly(market: Marketplace) -> None:
    too_many = CollectingDispatcher()
    await ActionAddToCart().run(too_many, tracker_from("search_es", latest_message=pressed(
        [{"entity": "product_id", "value": 1}, {"entity": "quantity", "value": 90}])), {})
    assert too_many.messages[0]["text"].startswith("No pude hacerlo: solo quedan ")
    assert too_many.messages[0]["text"].endswith(" del producto #1.")
    forged = CollectingDispatcher()
    await ActionAddToCart().run(forged, tracker_from("search_es", latest_message=pressed(
        [{"entity": "product_id", "value": 999999}])), {})
    assert forged.messages[0]["text"] == "No pude hacerlo: el producto #999999 ya no está disponible."
    view = CollectingDispatcher()
    await ActionViewCart().run(view, tracker_from("search_es"), {})
    assert view.messages[0]["text"] == "Tu carrito está vacío."


async def test_remove_empties_the_cart(market: Marketplace) -> None:
    await ActionAddToCart().run(CollectingDispatcher(), tracker_from(
        "search_es", latest_message=pressed([{"entity": "product_id", "value": 1}])), {})
    removed = CollectingDispatcher()
    await ActionRemoveFromCart().run(removed, tracker_from("search_es", latest_message=pressed(
        [{"entity": "product_id", "value": 1}], "/remove_from_cart")), {})
    assert removed.messages[0]["text"] == "Tu carrito está vacío."
