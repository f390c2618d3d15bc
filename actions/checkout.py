"""Checkout: a form asks where to ship (validated), then orders are placed and invoices sent.

Before the buyer pays, they see shipping, delivery time and an estimate of the import charges at
their border, so the bill at the door is no surprise.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pycountry
from babel import Locale
from babel.numbers import get_currency_precision
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.buyer import conversation_language, current_buyer
from actions.marketplace import MarketplaceError, marketplace
from actions.texts import LANGUAGES, say

ACTION_PLACE_ORDER = "action_place_order"
VALIDATE_CHECKOUT_FORM = "validate_checkout_form"


def country_code(value: Any) -> str | None:
    """ISO alpha-2 from a code or a country name in any of the eight languages (Babel, pycountry)."""
    text = str(value or "").strip()
    if len(text) == 2 and pycountry.countries.get(alpha_2=text.upper()):
        return text.upper()
    folded = text.casefold()
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and name.casefold() == folded:
                return code
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


class ValidateCheckoutForm(FormValidationAction):
    """Checks the shipping country (one we ship to) and address."""

    def name(self) -> str:
        return VALIDATE_CHECKOUT_FORM

    async def validate_shipping_country(self, slot_value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        """A country we can ship to, as ISO alpha-2."""
        code = country_code(slot_value)
        try:
            supported = await marketplace().get("/shipping/countries")
        except MarketplaceError:
            supported = [code]  # cannot check now; the checkout itself refuses an unknown lane
        if code is None or code not in supported:
            dispatcher.utter_message(text=say("bad_country", conversation_language(tracker), value=slot_value))
            return {"shipping_country": None}
        return {"shipping_country": code}

    async def validate_shipping_address(self, slot_value: Any, dispatcher: CollectingDispatcher,
                                        tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        """At least a street with a number and a place."""
        text = str(slot_value or "").strip()
        if len(text) < 10 or not any(ch.isdigit() for ch in text):
            dispatcher.utter_message(text=say("bad_address", conversation_language(tracker)))
            return {"shipping_address": None}
        return {"shipping_address": text}


def _quote_text(quote: dict[str, Any], language: str) -> str:
    lines = []
    for shop in quote["shops"]:
        lines.append(say("quote_line", language, shop=shop["shop_name"], goods=shop["goods"]["formatted"],
                         shipping=shop["shipping"]["formatted"], carrier=shop["carrier"],
                         min_days=shop["min_days"], max_days=shop["max_days"]))
        charges = shop["import_estimate"]
        if charges["collected_at_sale"]:
            lines.append(say("collected", language))
        elif charges["total"]["amount"] not in ("0", "0.00", "0.000"):
            lines.append(say("import_line", language, total=charges["total"]["formatted"], vat=charges["vat"]["formatted"],
                             duty=charges["duty"]["formatted"], fees=charges["fees"]["formatted"],
                             date=charges["table_date"]))
    lines.append(say("landed", language, total=quote["landed_total"]["formatted"]))
    return "\n".join(lines)


def invoice(order: dict[str, Any], language: str) -> dict[str, Any]:
    """A custom payload the bot turns into a Telegram invoice (amounts in the smallest unit)."""
    exponent = get_currency_precision(order["currency"])

    def minor(amount: str) -> int:
        return int(Decimal(amount).scaleb(exponent))

    titles = ", ".join(f"{i['quantity']} × {i['title']}" for i in order["items"])
    prices = [{"label": titles[:32] or "Items", "amount": minor(order["subtotal"])}]
    if minor(order["shipping"]):
        prices.append({"label": "Shipping", "amount": minor(order["shipping"])})
    return {"type": "invoice", "order_id": order["id"], "title": say("invoice_title", language, order=order["id"]),
            "description": titles[:255], "currency": order["currency"], "prices": prices}


class ActionPlaceOrder(Action):
    """After the form: show the landed cost, place the orders (one per shop) and send their invoices."""

    def name(self) -> str:
        return ACTION_PLACE_ORDER

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language, market = conversation_language(tracker), marketplace()
        country, address = tracker.get_slot("shipping_country"), tracker.get_slot("shipping_address")
        try:
            buyer = await current_buyer(tracker, market)
            quote = await market.get(f"/customers/{buyer.telegram_user_id}/cart/quote", shipping_country=country)
            orders = await market.post(f"/customers/{buyer.telegram_user_id}/checkout",
                                       {"shipping_country": country, "shipping_address": address})
        except MarketplaceError as exc:
            dispatcher.utter_message(text=exc.explain(language))
            return [SlotSet("shipping_address", None)]
        dispatcher.utter_message(text=_quote_text(quote, language))
        for order in orders:
            dispatcher.utter_message(json_message=invoice(order, language))
        return [SlotSet("shipping_address", None)]


class ActionAskShippingCountry(Action):
    """The checkout form's question for the country, in the conversation's language."""

    def name(self) -> str:
        return "action_ask_shipping_country"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=say("ask_country", conversation_language(tracker)))
        return []


class ActionAskShippingAddress(Action):
    """The checkout form's question for the address."""

    def name(self) -> str:
        return "action_ask_shipping_address"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=say("ask_address", conversation_language(tracker)))
        return []
