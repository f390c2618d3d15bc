"""Listing a product from the chat: a form asks title, price, stock, category, description and a
photo; a preview card offers Publish / Cancel; publishing creates the product in the seller's shop."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from babel.numbers import get_currency_precision
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.buyer import conversation_language, metadata
from actions.catalog import entity
from actions.marketplace import Marketplace, MarketplaceError, marketplace
from actions.seller import (
    SKIP_INTENTS,
    AskAction,
    SellerAction,
    answer,
    choice_button,
    intent_of,
    money,
    own_shop,
    reset,
    sender,
)
from actions.seller_texts import tell
from actions.seller_words import CATEGORIES, category_in, parse_amount, whole_number

LISTING_SLOTS = ("listing_title", "listing_price", "listing_stock", "listing_category", "listing_description",
                 "listing_photo")
MAX_PRICE = Decimal("9999999999")  # the marketplace keeps 14 digits, 4 after the point
MAX_STOCK = 100_000
PHOTO_PATH = re.compile(r"^uploads/[0-9a-f]{16,64}\.(?:jpg|png|webp|gif)$")  # what the marketplace's upload answers


async def shop_currency(tracker: Tracker) -> str:
    """The currency of the sender's shop (prices are asked and shown in it)."""
    shop = await own_shop(marketplace(), sender(tracker))
    return shop["currency"] if shop else "EUR"


def example_price(currency: str, language: str) -> str:
    """'149.50' written the seller's way, in their currency's precision."""
    return money(Decimal("149.50") if get_currency_precision(currency) else Decimal(15000), currency, language)


class ActionStartListing(SellerAction):
    """'Add a product': a shop owner starts the listing form (with a clean sheet)."""

    def name(self) -> str:
        return "action_start_listing"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, market: Marketplace,
                  shop: dict[str, Any], user: int, language: str) -> list[dict[str, Any]]:
        return reset(*LISTING_SLOTS) + [FollowupAction("listing_form")]


class ValidateListingForm(FormValidationAction):
    """Reads and checks each answer of the listing form."""

    def name(self) -> str:
        return "validate_listing_form"

    async def extract_listing_title(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        """The words written when the title was asked."""
        value = answer(tracker, "listing_title")
        return {"listing_title": value} if value is not None else {}

    async def extract_listing_price(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        """The words written when the price was asked."""
        value = answer(tracker, "listing_price")
        return {"listing_price": value} if value is not None else {}

    async def extract_listing_stock(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        """A quantity the NLU understood ('five'), else the words written."""
        value = answer(tracker, "listing_stock")
        if value is None:
            return {}
        return {"listing_stock": entity(tracker, "quantity") or value}

    async def extract_listing_category(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> dict[str, Any]:
        """A pressed category or its name."""
        value = answer(tracker, "listing_category")
        return {"listing_category": value} if value is not None else {}

    async def extract_listing_description(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                          domain: DomainDict) -> dict[str, Any]:
        """The words written; 'Skip' (or 'no') leaves it empty."""
        if tracker.get_slot("requested_slot") == "listing_description" and intent_of(tracker) in SKIP_INTENTS:
            return {"listing_description": ""}
        value = answer(tracker, "listing_description")
        return {"listing_description": value} if value is not None else {}

    async def extract_listing_photo(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        """A photo sent at any point of the form; 'No photo' (or 'no') when asked leaves none;
        anything else when asked is not a photo (and is said so)."""
        photo = metadata(tracker).get("photo")
        if photo:
            return {"listing_photo": str(photo)}
        if tracker.get_slot("requested_slot") != "listing_photo":
            return {}
        return {"listing_photo": "" if intent_of(tracker) in SKIP_INTENTS else None}

    async def validate_listing_title(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        """3 to 200 characters."""
        title = " ".join(str(slot_value or "").split())
        if not 3 <= len(title) <= 200:
            dispatcher.utter_message(text=tell("bad_title", conversation_language(tracker)))
            return {"listing_title": None}
        return {"listing_title": title}

    async def validate_listing_price(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        """A positive amount, rounded to the shop currency's smallest unit."""
        language = conversation_language(tracker)
        try:
            currency = await shop_currency(tracker)
        except MarketplaceError as exc:
            dispatcher.utter_message(text=exc.explain(language))
            return {"listing_price": None}
        amount = parse_amount(slot_value)
        if amount is not None:
            amount = amount.quantize(Decimal(1).scaleb(-get_currency_precision(currency)), ROUND_HALF_EVEN)
        if amount is None or not 0 < amount <= MAX_PRICE:
            dispatcher.utter_message(text=tell("bad_price", language, value=slot_value,
                                               example=example_price(currency, language)))
            return {"listing_price": None}
        return {"listing_price": str(amount)}

    async def validate_listing_stock(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        """A whole number from 0 to 100000."""
        stock = slot_value if isinstance(slot_value, int) else whole_number(str(slot_value))
        if stock is None or not 0 <= stock <= MAX_STOCK:
            dispatcher.utter_message(text=tell("bad_stock", conversation_language(tracker)))
            return {"listing_stock": None}
        return {"listing_stock": stock}

    async def validate_listing_category(self, slot_value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        """One of the marketplace's categories, by key or by name in any of the eight languages."""
        key = category_in(str(slot_value or ""))
        if key is None:
            dispatcher.utter_message(text=tell("bad_category", conversation_language(tracker)))
        return {"listing_category": key}

    async def validate_listing_description(self, slot_value: Any, dispatcher: CollectingDispatcher,
                                           tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        """At most 4000 characters (empty is fine)."""
        text = str(slot_value or "").strip()
        if len(text) > 4000:
            dispatcher.utter_message(text=tell("bad_listing_description", conversation_language(tracker)))
            return {"listing_description": None}
        return {"listing_description": text}

    async def validate_listing_photo(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        """A photo stored by the marketplace, or none (empty)."""
        if slot_value == "" or (isinstance(slot_value, str) and PHOTO_PATH.match(slot_value)):
            return {"listing_photo": slot_value}
        dispatcher.utter_message(text=tell("bad_photo", conversation_language(tracker)))
        return {"listing_photo": None}


class ActionAskListingTitle(AskAction):
    """Asks what is for sale."""

    key = "ask_listing_title"

    def name(self) -> str:
        return "action_ask_listing_title"


class ActionAskListingPrice(AskAction):
    """Asks the price, in the shop's currency."""

    def name(self) -> str:
        return "action_ask_listing_price"

    async def question(self, tracker: Tracker, language: str) -> tuple[str, list[dict[str, str]]]:
        try:
            currency = await shop_currency(tracker)
        except MarketplaceError:
            currency = "EUR"
        return tell("ask_listing_price", language, currency=currency, example=example_price(currency, language)), []


class ActionAskListingStock(AskAction):
    """Asks how many are in stock."""

    key = "ask_listing_stock"

    def name(self) -> str:
        return "action_ask_listing_stock"


class ActionAskListingCategory(AskAction):
    """Asks the category, one button each."""

    def name(self) -> str:
        return "action_ask_listing_category"

    async def question(self, tracker: Tracker, language: str) -> tuple[str, list[dict[str, str]]]:
        return tell("ask_listing_category", language), [
            choice_button(names.get(language, names["en"]), key) for key, names in CATEGORIES.items()]


class ActionAskListingDescription(AskAction):
    """Asks for a description (may be skipped)."""

    def name(self) -> str:
        return "action_ask_listing_description"

    async def question(self, tracker: Tracker, language: str) -> tuple[str, list[dict[str, str]]]:
        return tell("ask_listing_description", language), [{"title": tell("skip", language), "payload": "/skip"}]


class ActionAskListingPhoto(AskAction):
    """Asks for a photo (may be skipped)."""

    def name(self) -> str:
        return "action_ask_listing_photo"

    async def question(self, tracker: Tracker, language: str) -> tuple[str, list[dict[str, str]]]:
        return tell("ask_listing_photo", language), [{"title": tell("no_photo", language), "payload": "/skip"}]


def draft(tracker: Tracker) -> dict[str, Any] | None:
    """The listing as the form collected it, or None when an answer is missing."""
    values = {slot: tracker.get_slot(slot) for slot in LISTING_SLOTS}
    return None if any(v is None for v in values.values()) else values


class ActionPreviewListing(Action):
    """The listing as buyers will see it (the product card), with Publish / Cancel buttons."""

    def name(self) -> str:
        return "action_preview_listing"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language, listing = conversation_language(tracker), draft(tracker)
        if listing is None:
            dispatcher.utter_message(text=tell("stale_button", language))
            return []
        try:
            currency = await shop_currency(tracker)
        except MarketplaceError as exc:
            dispatcher.utter_message(text=exc.explain(language))
            return []
        category = CATEGORIES[listing["listing_category"]]
        text = tell("preview", language, title=listing["listing_title"], stock=listing["listing_stock"],
                    price=money(listing["listing_price"], currency, language),
                    category=category.get(language, category["en"]), description=listing["listing_description"])
        dispatcher.utter_message(json_message={
            "type": "product_card", "text": text.strip(), "photo": listing["listing_photo"] or None,
            "buttons": [{"title": tell("publish", language), "payload": "/affirm"},
                        {"title": tell("discard", language), "payload": "/deny"}]})
        return []


class ActionPublishListing(SellerAction):
    """'Publish': the product is created in the sender's shop (the marketplace checks they own it)."""

    def name(self) -> str:
        return "action_publish_listing"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, market: Marketplace,
                  shop: dict[str, Any], user: int, language: str) -> list[dict[str, Any]]:
        listing = draft(tracker)
        if listing is None:
            dispatcher.utter_message(text=tell("stale_button", language))
            return []
        photo = listing["listing_photo"]
        body = {"title": listing["listing_title"], "description": listing["listing_description"],
                "category": listing["listing_category"], "price": listing["listing_price"],
                "stock": listing["listing_stock"], "photos": [photo] if photo else []}
        try:
            product = await market.post(f"/shops/{shop['id']}/products", body, acting=user)
        except MarketplaceError as exc:
            dispatcher.utter_message(text=exc.explain(language))
            if exc.status is None or exc.status >= 500:  # keep the draft and offer Publish again
                return [FollowupAction("action_preview_listing")]
            return reset(*LISTING_SLOTS)
        price = money(product["seller_price"]["amount"], product["seller_price"]["currency"], language)
        dispatcher.utter_message(text=tell("published", language, id=product["id"], title=product["title"],
                                           price=price))
        return reset(*LISTING_SLOTS)


class ActionDropListing(Action):
    """'Cancel' (or 'no' while the form asks): the draft is forgotten."""

    def name(self) -> str:
        return "action_drop_listing"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=tell("listing_dropped", conversation_language(tracker)))
        return reset(*LISTING_SLOTS)
