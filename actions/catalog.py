"""Finding products: search with filters from the message, product cards, pages."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.buyer import Buyer, conversation_language, current_buyer
from actions.marketplace import Marketplace, MarketplaceError, marketplace
from actions.texts import say

ACTION_SEARCH_PRODUCTS = "action_search_products"
PAGE_SIZE = 3


def payload(intent: str, **entities: Any) -> str:
    """A button payload that triggers `intent` with entities (kept short: Telegram allows 64 bytes)."""
    return f"/{intent}{json.dumps(entities, separators=(',', ':'), ensure_ascii=False)}" if entities else f"/{intent}"


def entity(tracker: Tracker, name: str) -> Any:
    """The first value of an entity in the latest message."""
    return next(tracker.get_latest_entity_values(name), None)


def card(item: dict[str, Any], language: str) -> dict[str, Any]:
    """A product card: photo, title in the buyer's language, both prices, shop, and buttons."""
    shop = item["shop"]
    rating = f" · ★ {shop['rating']} ({shop['rating_count']})" if shop.get("rating") else ""
    price = item["price"]["formatted"]
    if item["seller_price"]["currency"] != item["price"]["currency"]:
        price += f"  ({item['seller_price']['formatted']})"
    text = f"{item['title']}\n{price}\n{shop['name']} · {shop['country']}{rating}"
    product_id = item["id"]
    return {"type": "product_card", "product_id": product_id, "text": text,
            "photo": item["photos"][0] if item["photos"] else None,
            "buttons": [{"title": say("add_to_cart", language), "payload": payload("add_to_cart", product_id=product_id)},
                        {"title": say("ask_seller", language), "payload": payload("ask_seller", product_id=product_id)},
                        {"title": say("more_like_this", language), "payload": payload("search_product", similar=product_id)}]}


class ActionSearchProducts(Action):
    """Search the catalogue with what the buyer said (words, max price in any currency, seller country)."""

    def name(self) -> str:
        return ACTION_SEARCH_PRODUCTS

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        market = marketplace()
        page = int(entity(tracker, "page") or 1)
        similar = entity(tracker, "similar")
        try:
            buyer = await current_buyer(tracker, market)
            query = await self._query(tracker, market, buyer, page, similar)
            result = await market.get("/search", **query)
        except MarketplaceError:
            dispatcher.utter_message(text=say("unavailable", conversation_language(tracker)))
            return []
        language, words = buyer.language, query["q"]
        if not result["items"]:
            hints = (say("hint_price", language) if query.get("max_price") else "") + (
                say("hint_country", language) if query.get("country") else "")
            dispatcher.utter_message(text=say("no_results", language, query=words, hints=hints))
            return self._remember(query)
        if result.get("relaxed"):
            dispatcher.utter_message(text=say("related", language))
        for item in result["items"]:
            dispatcher.utter_message(json_message=card(item, language))
        pager = []
        if result["page"] > 1:
            pager.append({"title": say("previous", language), "payload": payload("search_product", page=result["page"] - 1)})
        if result["page"] < result["pages"]:
            pager.append({"title": say("next", language), "payload": payload("search_product", page=result["page"] + 1)})
        dispatcher.utter_message(text=say("results", language, total=result["total"], query=words,
                                          page=result["page"], pages=result["pages"]), buttons=pager)
        return self._remember(query)

    async def _query(self, tracker: Tracker, market: Marketplace, buyer: Buyer, page: int,
                     similar: Any) -> dict[str, Any]:
        if similar:  # "more like this": the product's own title is the query
            product = await market.get(f"/products/{int(similar)}", lang=buyer.language)
            words, max_price, price_currency, country = product["title"], None, None, None
        elif entity(tracker, "page") is not None:  # paging keeps the previous search
            words = tracker.get_slot("search_query") or ""
            max_price, price_currency = tracker.get_slot("search_max_price"), tracker.get_slot("search_currency")
            country = tracker.get_slot("search_country")
        else:
            products = list(tracker.get_latest_entity_values("product"))
            words = " ".join(products) or (tracker.latest_message or {}).get("text", "")
            max_price, price_currency = entity(tracker, "max_price"), entity(tracker, "currency")
            country = entity(tracker, "country")
        return {"q": words, "lang": buyer.language, "currency": buyer.currency, "buyer_country": buyer.country,
                "max_price": max_price, "max_price_currency": price_currency if max_price else None,
                "country": country, "page": page, "page_size": PAGE_SIZE}

    @staticmethod
    def _remember(query: dict[str, Any]) -> list[dict[str, Any]]:
        return [SlotSet("search_query", query["q"]), SlotSet("search_max_price", query["max_price"]),
                SlotSet("search_currency", query["max_price_currency"]), SlotSet("search_country", query["country"])]

