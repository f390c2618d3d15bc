"""Opening a shop from the chat: a form asks name, country, currency, language and a description,
the seller confirms, and the marketplace creates the shop owned by the sender (one per person)."""

from __future__ import annotations

from typing import Any

from babel.numbers import get_territory_currencies
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.buyer import conversation_language
from actions.catalog import entity
from actions.checkout import country_code
from actions.marketplace import MarketplaceError, marketplace
from actions.seller import (
    LANGUAGE_NAMES,
    AskAction,
    answer,
    choice_button,
    country_name,
    intent_of,
    own_shop,
    reset,
    sender,
)
from actions.seller_texts import tell
from actions.seller_words import currency_in, language_in

SHOP_SLOTS = ("shop_name", "shop_country", "shop_currency", "shop_language", "shop_description")


def usual_currency(country: str | None) -> str:
    """The currency a country uses today (EUR when unknown)."""
    currencies = get_territory_currencies(country) if country else []
    return currencies[0] if currencies else "EUR"


def already_seller(shop: dict[str, Any], language: str) -> str:
    """'You already have a shop: …'."""
    return tell("already_seller", language, name=shop["name"], country=country_name(shop["country"], language),
                currency=shop["currency"])


class ActionStartShop(Action):
    """'I want to sell': someone who owns a shop is told so; anyone else starts the shop form."""

    def name(self) -> str:
        return "action_start_shop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language = conversation_language(tracker)
        try:
            shop = await own_shop(marketplace(), sender(tracker))
        except MarketplaceError as exc:
            dispatcher.utter_message(text=exc.explain(language))
            return []
        if shop is not None:
            dispatcher.utter_message(text=already_seller(shop, language))
            return []
        if sender(tracker) is None:  # no Telegram user: nobody could own the shop
            dispatcher.utter_message(text=tell("unavailable", language))
            return []
        return reset(*SHOP_SLOTS) + [FollowupAction("shop_form")]


class ValidateShopForm(FormValidationAction):
    """Reads and checks each answer of the shop form."""

    def name(self) -> str:
        return "validate_shop_form"

    async def extract_shop_name(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict[str, Any]:
        """The words written when the name was asked."""
        value = answer(tracker, "shop_name")
        return {"shop_name": value} if value is not None else {}

    async def extract_shop_country(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        """A recognised country (also in 'I want to sell from Norway'), else the words written."""
        asked = tracker.get_slot("requested_slot") == "shop_country"
        if not asked and not (tracker.get_slot("requested_slot") is None and intent_of(tracker) == "sell_register"):
            return {}
        value = entity(tracker, "country") or (answer(tracker, "shop_country") if asked else None)
        return {"shop_country": value} if value else {}

    async def extract_shop_currency(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        """A pressed currency, a recognised currency, or the words written."""
        value = answer(tracker, "shop_currency")
        if value is None:
            return {}
        recognised = entity(tracker, "currency") if intent_of(tracker) != "choose" else None
        return {"shop_currency": recognised or value}

    async def extract_shop_language(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        """A pressed language or its name."""
        value = answer(tracker, "shop_language")
        return {"shop_language": value} if value is not None else {}

    async def extract_shop_description(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> dict[str, Any]:
        """The words written."""
        value = answer(tracker, "shop_description")
        return {"shop_description": value} if value is not None else {}

    async def validate_shop_name(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict[str, Any]:
        """2 to 120 characters."""
        name = " ".join(str(slot_value or "").split())
        if not 2 <= len(name) <= 120:
            dispatcher.utter_message(text=tell("bad_shop_name", conversation_language(tracker)))
            return {"shop_name": None}
        return {"shop_name": name}

    async def validate_shop_country(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        """A country (name in any of the eight languages, or code) that parcels can leave from."""
        language, code = conversation_language(tracker), country_code(slot_value)
        try:
            supported = await marketplace().get("/shipping/countries")
        except MarketplaceError as exc:
            dispatcher.utter_message(text=exc.explain(language))
            return {"shop_country": None}
        if code not in supported:
            names = ", ".join(sorted(country_name(c, language) for c in supported))
            dispatcher.utter_message(text=tell("bad_shop_country", language, value=slot_value, countries=names))
            return {"shop_country": None}
        return {"shop_country": code}

    async def validate_shop_currency(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        """An ISO 4217 currency that the marketplace can convert for buyers."""
        language, code = conversation_language(tracker), currency_in(slot_value)
        try:
            convertible = {r["currency"] for r in await marketplace().get("/rates")} | {"EUR"}
        except MarketplaceError as exc:
            dispatcher.utter_message(text=exc.explain(language))
            return {"shop_currency": None}
        if code not in convertible:
            example = usual_currency(tracker.get_slot("shop_country"))
            dispatcher.utter_message(text=tell("bad_currency", language, value=slot_value, example=example))
            return {"shop_currency": None}
        return {"shop_currency": code}

    async def validate_shop_language(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        """One of the eight languages, by code or name."""
        code = language_in(slot_value)
        if code is None:
            dispatcher.utter_message(text=tell("bad_language", conversation_language(tracker)))
        return {"shop_language": code}

    async def validate_shop_description(self, slot_value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        """5 to 2000 characters."""
        text = str(slot_value or "").strip()
        if not 5 <= len(text) <= 2000:
            dispatcher.utter_message(text=tell("bad_shop_description", conversation_language(tracker)))
            return {"shop_description": None}
        return {"shop_description": text}


class ActionAskShopName(AskAction):
    """Asks the shop's name."""

    key = "ask_shop_name"

    def name(self) -> str:
        return "action_ask_shop_name"


class ActionAskShopCountry(AskAction):
    """Asks where parcels leave from."""

    key = "ask_shop_country"

    def name(self) -> str:
        return "action_ask_shop_country"


class ActionAskShopCurrency(AskAction):
    """Asks the currency, offering the country's own, euros and dollars."""

    def name(self) -> str:
        return "action_ask_shop_currency"

    async def question(self, tracker: Tracker, language: str) -> tuple[str, list[dict[str, str]]]:
        offered = dict.fromkeys([usual_currency(tracker.get_slot("shop_country")), "EUR", "USD"])
        return tell("ask_shop_currency", language), [choice_button(code, code) for code in offered]


class ActionAskShopLanguage(AskAction):
    """Asks the listings' language, offering the eight."""

    def name(self) -> str:
        return "action_ask_shop_language"

    async def question(self, tracker: Tracker, language: str) -> tuple[str, list[dict[str, str]]]:
        return tell("ask_shop_language", language), [choice_button(n, c) for c, n in LANGUAGE_NAMES.items()]


class ActionAskShopDescription(AskAction):
    """Asks for a sentence about the shop."""

    key = "ask_shop_description"

    def name(self) -> str:
        return "action_ask_shop_description"


class ActionConfirmShop(Action):
    """Shows the shop as it will be opened, with Open / Not now buttons."""

    def name(self) -> str:
        return "action_confirm_shop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language, slot = conversation_language(tracker), tracker.get_slot
        text = tell("confirm_shop", language, name=slot("shop_name"),
                    country=country_name(slot("shop_country"), language),
                    currency=slot("shop_currency"), listings_in=LANGUAGE_NAMES.get(slot("shop_language"), ""),
                    description=slot("shop_description"))
        dispatcher.utter_message(text=text, buttons=[{"title": tell("open_it", language), "payload": "/affirm"},
                                                     {"title": tell("not_now", language), "payload": "/deny"}])
        return []


class ActionCreateShop(Action):
    """Opens the confirmed shop in the marketplace, owned by the sender."""

    def name(self) -> str:
        return "action_create_shop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language, market, user, slot = conversation_language(tracker), marketplace(), sender(tracker), tracker.get_slot
        if user is None or any(slot(s) is None for s in SHOP_SLOTS):
            dispatcher.utter_message(text=tell("stale_button", language))
            return reset(*SHOP_SLOTS)
        body = {"owner_telegram_id": user, "name": slot("shop_name"), "country": slot("shop_country"),
                "currency": slot("shop_currency"), "language": slot("shop_language"),
                "description": slot("shop_description")}
        try:
            shop = await market.post("/shops", body)
        except MarketplaceError as exc:
            if exc.status == 409 and (existing := await own_shop(market, user)) is not None:
                dispatcher.utter_message(text=already_seller(existing, language))
                return reset(*SHOP_SLOTS)
            dispatcher.utter_message(text=exc.explain(language))
            if exc.status is None or exc.status >= 500:  # keep the answers and ask again: nothing is lost
                return [FollowupAction("action_confirm_shop")]
            return reset(*SHOP_SLOTS)
        dispatcher.utter_message(text=tell("shop_open", language, name=shop["name"]))
        return reset(*SHOP_SLOTS)


class ActionDropShop(Action):
    """'No' to the shop form or its summary: nothing is created, the answers are forgotten."""

    def name(self) -> str:
        return "action_drop_shop"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=tell("shop_dropped", conversation_language(tracker)))
        return reset(*SHOP_SLOTS)
