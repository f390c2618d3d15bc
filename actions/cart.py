"""The buyer's cart: add (with quantity), view with totals per shop and in the buyer's currency, remove."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.buyer import conversation_language, current_buyer
from actions.catalog import entity, payload
from actions.marketplace import MarketplaceError, marketplace
from actions.texts import say

ACTION_ADD_TO_CART = "action_add_to_cart"
ACTION_VIEW_CART = "action_view_cart"
ACTION_REMOVE_FROM_CART = "action_remove_from_cart"


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def show_cart(dispatcher: CollectingDispatcher, cart: dict[str, Any], language: str) -> None:
    """One message: lines, per-shop totals (shop currency → buyer currency), grand total, buttons."""
    if not cart["items"]:
        dispatcher.utter_message(text=say("cart_empty", language))
        return
    lines = [f"• {i['quantity']} × {i['title']} — {i['line_total']['formatted']}" for i in cart["items"]]
    for shop in cart["shops"]:
        lines.append(f"{shop['shop_name']}: {shop['total']['formatted']} ≈ {shop['total_converted']['formatted']}")
    lines.append(say("cart_total", language, total=cart["total"]["formatted"]))
    buttons = [{"title": say("checkout", language), "payload": "/checkout"}]
    buttons += [{"title": say("remove", language, title=i["title"][:30]),
                 "payload": payload("remove_from_cart", product_id=i["product_id"])} for i in cart["items"]]
    dispatcher.utter_message(text="\n".join(lines), buttons=buttons)


class ActionAddToCart(Action):
    """Put a product (from a card's button or the message) in the cart, quantities adding up."""

    def name(self) -> str:
        return ACTION_ADD_TO_CART

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language = conversation_language(tracker)
        product_id = _int(entity(tracker, "product_id"))
        quantity = _int(entity(tracker, "quantity"), 1) or 1
        if product_id is None:
            dispatcher.utter_message(text=say("which_product", language))
            return []
        market = marketplace()
        try:
            buyer = await current_buyer(tracker, market)
            cart = await market.post(f"/customers/{buyer.telegram_user_id}/cart/items",
                                     {"product_id": product_id, "quantity": quantity})
        except MarketplaceError as exc:
            dispatcher.utter_message(text=exc.explain(language))
            return []
        line = next(i for i in cart["items"] if i["product_id"] == product_id)
        dispatcher.utter_message(text=say("added", language, quantity=quantity, title=line["title"]))
        show_cart(dispatcher, cart, language)
        return []


class ActionViewCart(Action):
    """Show the cart."""

    def name(self) -> str:
        return ACTION_VIEW_CART

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language, market = conversation_language(tracker), marketplace()
        try:
            buyer = await current_buyer(tracker, market)
            cart = await market.get(f"/customers/{buyer.telegram_user_id}/cart")
        except MarketplaceError:
            dispatcher.utter_message(text=say("unavailable", language))
            return []
        show_cart(dispatcher, cart, language)
        return []


class ActionRemoveFromCart(Action):
    """Take a product out of the cart."""

    def name(self) -> str:
        return ACTION_REMOVE_FROM_CART

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language, market = conversation_language(tracker), marketplace()
        product_id = _int(entity(tracker, "product_id"))
        try:
            buyer = await current_buyer(tracker, market)
            cart = await market.delete(f"/customers/{buyer.telegram_user_id}/cart/items/{product_id}")
        except MarketplaceError as exc:
            dispatcher.utter_message(text=exc.explain(language))
            return []
        show_cart(dispatcher, cart, language)
        return []
