"""Finding products: search with filters from the message, one product card to browse with ◀ ▶."""

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
# One card per answer, browsed in place: ◀ ▶ turn to the previous or next match and the bot edits the
# card instead of sending another message. A search is one message in the chat (Telegram allows a
# private chat about one a second, and a bot 30 a second in all), however many products match.
PAGE_SIZE = 1


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
        item, index = result["items"][0], result["page"]
        shown = card(item, language)
        position = say("position", language, index=index, total=result["total"], query=words)
        notice = say("related", language) + "\n\n" if result.get("relaxed") else ""
        shown["text"] = f"{notice}{shown['text']}\n\n{position}"
        shown["nav"] = ([{"title": say("previous", language), "payload": payload("search_product", page=index - 1)}]
                        if index > 1 else []) + (
                       [{"title": say("next", language), "payload": payload("search_product", page=index + 1)}]
                       if index < result["pages"] else [])
        shown["replace"] = entity(tracker, "page") is not None  # a page turn: the bot edits the card pressed
        dispatcher.utter_message(json_message=shown)
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

