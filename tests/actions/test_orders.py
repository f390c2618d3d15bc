"""Order actions against the seeded marketplace: status, cancel with refund, confirm delivery, rate."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.cart import ActionAddToCart
from actions.checkout import ActionPlaceOrder
from actions.marketplace import Marketplace
from actions.orders import ActionCancelOrder, ActionConfirmDelivery, ActionOrderStatus, ActionRate
from tests.actions.conftest import tracker_from

SELLER = 900001  # owner of the seeded Bergen shop


def said(intent: str, **entities: object) -> dict:
    return {"text": f"/{intent}", "intent": {"name": intent},
            "entities": [{"entity": k, "value": v} for k, v in entities.items()],
            "metadata": {"telegram_user_id": 700001, "language_code": "es-AR"}}


async def paid_order(market: Marketplace) -> dict:
    await ActionAddToCart().run(CollectingDispatcher(), tracker_from("search_es", latest_message=said(
        "add_to_cart", product_id=1)), {})
    placing = CollectingDispatcher()
    await ActionPlaceOrder().run(placing, tracker_from("search_es", slots={
        "language": "es", "shipping_country": "AR", "shipping_address": "Av. Corrientes 1234, Buenos Aires"}), {})
    order = await market.get(f"/orders/{placing.messages[1]['custom']['order_id']}")
    await market.post(f"/orders/{order['id']}/payments",
                      {"amount": order["total"], "currency": order["currency"], "charge_id": f"c{order['id']}"})
    return order


async def run(action, intent: str, **entities: object) -> CollectingDispatcher:  # noqa: ANN001
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker_from("search_es", latest_message=said(intent, **entities)), {})
    return dispatcher


async def test_status_then_cancel_refunds_a_paid_order(market: Marketplace) -> None:
    order = await paid_order(market)
    status = (await run(ActionOrderStatus(), "order_status")).messages[0]
    assert f"#{order['id']} · {order['total']} NOK · pagado (dinero retenido hasta la entrega)" == status["text"]
    assert status["buttons"] == [
        {"title": f"Cancelar #{order['id']}", "payload": f'/cancel_order{{"order_id":{order["id"]}}}'},
        {"title": f"💬 Escribir al vendedor #{order['id']}", "payload": f'/ask_seller{{"order_id":{order["id"]}}}'}]
    cancelled = (await run(ActionCancelOrder(), "cancel_order", order_id=order["id"])).messages[0]["text"]
    assert cancelled == f"El pedido #{order['id']} está cancelado. Te devolveremos {order['total']} NOK."
    assert (await market.get(f"/orders/{order['id']}"))["status"] == "cancelled"


async def test_confirm_delivery_releases_the_money_and_the_rating_counts(market: Marketplace) -> None:
    order = await paid_order(market)
    await market.post(f"/orders/{order['id']}/actions", {"action": "ship", "actor": f"seller:{SELLER}",
                                                         "carrier": "Posten", "tracking_number": "LA123456789NO"})
    status = (await run(ActionOrderStatus(), "order_status")).messages[0]
    assert "enviado · seguimiento Posten LA123456789NO" in status["text"]
    confirmed = (await run(ActionConfirmDelivery(), "confirm_delivery", order_id=order["id"])).messages[0]
    assert confirmed["text"].startswith(f"¡Gracias! El pedido #{order['id']} está completo")
    assert confirmed["buttons"][0]["payload"] == f'/rate{{"order_id":{order["id"]},"stars":5}}'
    assert (await market.get(f"/orders/{order['id']}"))["status"] == "completed"
    rated = (await run(ActionRate(), "rate", order_id=order["id"], stars=5)).messages[0]["text"]
    assert rated == "Gracias por valorar la tienda con 5★."
    assert (await market.get("/shops/1"))["rating"] == "5.0"
    again = (await run(ActionRate(), "rate", order_id=order["id"], stars=1)).messages[0]["text"]
    assert again.startswith("No pude hacerlo:")


async def test_a_forged_order_id_finds_nothing_and_changes_nothing(market: Marketplace) -> None:
    order = await paid_order(market)
    await market.put("/customers/4242", {"language": "es"})
    dispatcher = CollectingDispatcher()
    stranger = said("cancel_order", order_id=order["id"])
    stranger["metadata"]["telegram_user_id"] = 4242
    await ActionCancelOrder().run(dispatcher, tracker_from("search_es", latest_message=stranger), {})
    assert dispatcher.messages[0]["text"] == "Todavía no tienes pedidos."
    assert (await market.get(f"/orders/{order['id']}"))["status"] == "paid"
