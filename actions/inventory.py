"""A seller's listings after publishing: change price or stock, pause and resume, see what runs low.
The marketplace checks that the sender owns the product (someone else's answers 404)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.catalog import entity, payload
from actions.marketplace import Marketplace, MarketplaceError
from actions.seller import SellerAction, money
from actions.seller_texts import tell
from actions.seller_words import change_in, product_and_value, stock_added, whole_number

LOW_STOCK = 3  # "running low" unless the seller names a number
SHOWN = 15


def _text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def toggle_button(product_id: int, paused: bool, language: str) -> dict[str, str]:
    """'Resume #12' for a paused listing, 'Pause #12' for a live one."""
    if paused:
        return {"title": tell("resume_button", language, id=product_id),
                "payload": payload("edit_product", product_id=product_id, change="resume")}
    return {"title": tell("pause_button", language, id=product_id),
            "payload": payload("edit_product", product_id=product_id, change="pause")}


def requested_change(tracker: Tracker) -> tuple[str | None, int | None, Decimal | None]:
    """(change, product id, value) from a button's entities, else from the seller's words."""
    text = _text(tracker)
    change = entity(tracker, "change") or change_in(text)
    product_id, value = product_and_value(text)
    if entity(tracker, "product_id") is not None:
        product_id = int(entity(tracker, "product_id"))
    return change, product_id, value


class ActionEditProduct(SellerAction):
    """'set price of 12 to 450', 'stock of 12 is 8', 'pause product 12', 'resume product 12'."""

    def name(self) -> str:
        return "action_edit_product"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, market: Marketplace,
                  shop: dict[str, Any], user: int, language: str) -> list[dict[str, Any]]:
        change, product_id, value = requested_change(tracker)
        body: dict[str, Any] | None = None
        if change == "pause":
            body = {"status": "paused"}
        elif change == "resume":
            body = {"status": "active"}
        elif change == "price" and value is not None:
            body = {"price": str(value)}
        elif change == "stock" and value is not None and value == value.to_integral_value():
            body = {"stock": int(value)}
        elif change == "stock" and (added := stock_added(_text(tracker))):
            body = {"add_stock": added}  # "i have 20 more of item 5": added atomically by the marketplace
        if body is None or product_id is None:
            dispatcher.utter_message(text=tell("which_change", language))
            return []
        try:
            product = await market.patch(f"/products/{product_id}", body, acting=user)
        except MarketplaceError as exc:
            if exc.status == 404:
                dispatcher.utter_message(text=tell("not_your_product", language, id=product_id))
            else:
                dispatcher.utter_message(text=exc.explain(language))
            return []
        values = {"id": product["id"], "title": product["title"], "stock": product["stock"],
                  "price": money(product["seller_price"]["amount"], product["seller_price"]["currency"], language)}
        key = {"pause": "paused", "resume": "resumed", "price": "price_set", "stock": "stock_set"}[change]
        buttons = [toggle_button(product["id"], product["status"] == "paused", language)] if key in (
            "paused", "resumed") else []
        dispatcher.utter_message(text=tell(key, language, **values), buttons=buttons)
        return []


class ActionLowStock(SellerAction):
    """Listings at or below a threshold (3, or the number the seller names), lowest first."""

    def name(self) -> str:
        return "action_low_stock"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, market: Marketplace,
                  shop: dict[str, Any], user: int, language: str) -> list[dict[str, Any]]:
        named = whole_number(_text(tracker))
        threshold = named if named is not None and named <= 100_000 else LOW_STOCK
        products = await market.get(f"/shops/{shop['id']}/inventory", acting=user, max_stock=threshold)
        if not products:
            dispatcher.utter_message(text=tell("low_stock_none", language, threshold=threshold))
            return []
        lines = [tell("low_stock", language, threshold=threshold)]
        for product in products[:SHOWN]:
            line = tell("stock_line", language, id=product["id"], title=product["title"], stock=product["stock"])
            lines.append(line + (tell("is_paused", language) if product["status"] == "paused" else ""))
        dispatcher.utter_message(text="\n".join(lines))
        return []
