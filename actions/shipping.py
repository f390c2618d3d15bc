"""A seller's orders: what waits for them, and 'order 45 shipped with Posten LA123NO'. Shipping goes
through the marketplace's order state machine as `seller:<id>`, which checks the seller owns the order
and logs the event with its actor; what is missing (order, carrier, tracking) is asked by a form."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.buyer import conversation_language
from actions.catalog import entity, payload
from actions.marketplace import Marketplace, MarketplaceError, marketplace
from actions.seller import AskAction, SellerAction, answer, choice_button, intent_of, money, own_shop, reset, sender
from actions.seller_texts import tell
from actions.seller_words import carrier_in, order_number, tracking_in

SHIP_SLOTS = ("ship_order", "ship_carrier", "ship_tracking")
OPEN = ("paid", "pending_payment")
SHOWN = 10
TRACKING = re.compile(r"^[A-Z0-9-]{5,80}$")


def accepted(order: dict[str, Any]) -> bool:
    """Whether the seller took the order on (an `accept` event in its log)."""
    return any(e["event"] == "accept" for e in order.get("events", []))


def order_line(order: dict[str, Any], language: str) -> str:
    """'#45 · kr 1 450,00 · 2 × Lusekofte → AR — new, paid: accept and ship it'."""
    items = ", ".join(f"{i['quantity']} × {i['title']}" for i in order["items"])
    state = ("order_unpaid" if order["status"] == "pending_payment"
             else "order_accepted" if accepted(order) else "order_new")
    where = f" → {order['shipping_country']}" if order.get("shipping_country") else ""
    return f"#{order['id']} · {money(Decimal(order['total']), order['currency'], language)} · {items}{where} — " + tell(
        state, language)


async def to_ship(market: Marketplace, shop: dict[str, Any], user: int) -> list[dict[str, Any]]:
    """The shop's paid orders, not shipped yet (asked as the owner)."""
    return await market.get(f"/shops/{shop['id']}/orders", acting=user, status="paid")


class ActionListOrders(SellerAction):
    """New (paid) orders, those accepted and waiting to ship, and those awaiting payment."""

    def name(self) -> str:
        return "action_list_orders"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, market: Marketplace,
                  shop: dict[str, Any], user: int, language: str) -> list[dict[str, Any]]:
        orders = await market.get(f"/shops/{shop['id']}/orders", acting=user, status=list(OPEN))
        if not orders:
            dispatcher.utter_message(text=tell("no_open_orders", language))
            return []
        orders.sort(key=lambda o: (o["status"] != "paid", accepted(o), o["id"]))  # new first, then to ship
        shown = orders[:SHOWN]
        buttons = [{"title": tell("ship_button", language, id=o["id"]),
                    "payload": payload("mark_shipped", order_id=o["id"])} for o in shown if o["status"] == "paid"][:5]
        lines = [tell("open_orders", language)] + [order_line(o, language) for o in shown]
        dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
        return []


class ActionStartShipping(SellerAction):
    """'Order 45 shipped with Posten LA123NO': the ship form takes what was said and asks the rest."""

    def name(self) -> str:
        return "action_start_shipping"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, market: Marketplace,
                  shop: dict[str, Any], user: int, language: str) -> list[dict[str, Any]]:
        if not await to_ship(market, shop, user):
            dispatcher.utter_message(text=tell("nothing_to_ship", language))
            return []
        return reset(*SHIP_SLOTS) + [FollowupAction("ship_form")]


def _starting(tracker: Tracker) -> bool:
    """The form is reading the message that started it."""
    return tracker.get_slot("requested_slot") is None and intent_of(tracker) == "mark_shipped"


def _text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


class ValidateShipForm(FormValidationAction):
    """Reads the order, carrier and tracking number, from the first message or the answers."""

    def name(self) -> str:
        return "validate_ship_form"

    async def extract_ship_order(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict[str, Any]:
        """The order id of a button, or the order number written."""
        if _starting(tracker):
            value = entity(tracker, "order_id") or order_number(_text(tracker))
        else:
            written = answer(tracker, "ship_order")
            value = written and (order_number(written) or written)
        return {"ship_order": value} if value else {}

    async def extract_ship_carrier(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        """A carrier named in the first message, or the answer to 'which carrier?'."""
        if _starting(tracker):
            value = carrier_in(_text(tracker), tracking_in(_text(tracker)))
        else:
            written = answer(tracker, "ship_carrier")
            value = written and (carrier_in(written) or written)
        return {"ship_carrier": value} if value else {}

    async def extract_ship_tracking(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        """A tracking number in the first message, or the answer to 'tracking number?'."""
        if _starting(tracker):
            value = tracking_in(_text(tracker), order_number(_text(tracker)))
        else:
            written = answer(tracker, "ship_tracking")
            value = written and (tracking_in(written) or written)
        return {"ship_tracking": value} if value else {}

    async def validate_ship_order(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        """One of the sender's paid orders."""
        language, market, user = conversation_language(tracker), marketplace(), sender(tracker)
        try:
            shop = await own_shop(market, user)
            waiting = {o["id"] for o in await to_ship(market, shop, user)} if shop and user else set()
        except MarketplaceError as exc:
            dispatcher.utter_message(text=exc.explain(language))
            return {"ship_order": None}
        wanted = order_number(str(slot_value))
        if wanted not in waiting:
            dispatcher.utter_message(text=tell("bad_ship_order", language, id=wanted if wanted else slot_value))
            return {"ship_order": None}
        return {"ship_order": wanted}

    async def validate_ship_carrier(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        """2 to 60 characters."""
        carrier = " ".join(str(slot_value or "").split())
        if not 2 <= len(carrier) <= 60:
            dispatcher.utter_message(text=tell("bad_carrier", conversation_language(tracker)))
            return {"ship_carrier": None}
        return {"ship_carrier": carrier}

    async def validate_ship_tracking(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        """5 to 80 letters, digits and dashes with at least one digit; spaces between groups are dropped,
        but a sentence ('it is LA 123…': a word of 5+ letters among the groups) is not a number."""
        groups = str(slot_value or "").split()
        number = "".join(groups).upper()
        wordy = len(groups) > 1 and any(g.isalpha() and len(g) > 4 for g in groups)
        if wordy or not TRACKING.match(number) or not any(ch.isdigit() for ch in number):
            dispatcher.utter_message(text=tell("bad_tracking", conversation_language(tracker), value=slot_value))
            return {"ship_tracking": None}
        return {"ship_tracking": number}


class ActionAskShipOrder(AskAction):
    """Asks which order, offering the paid ones as buttons."""

    def name(self) -> str:
        return "action_ask_ship_order"

    async def question(self, tracker: Tracker, language: str) -> tuple[str, list[dict[str, str]]]:
        market, user = marketplace(), sender(tracker)
        try:
            shop = await own_shop(market, user)
            waiting = await to_ship(market, shop, user) if shop and user else []
        except MarketplaceError:
            waiting = []
        return tell("ask_ship_order", language), [choice_button(f"#{o['id']}", str(o["id"])) for o in waiting[:5]]


class ActionAskShipCarrier(AskAction):
    """Asks the carrier."""

    key = "ask_ship_carrier"

    def name(self) -> str:
        return "action_ask_ship_carrier"


class ActionAskShipTracking(AskAction):
    """Asks the tracking number."""

    key = "ask_ship_tracking"

    def name(self) -> str:
        return "action_ask_ship_tracking"


class ActionShipOrder(Action):
    """Marks the order shipped as `seller:<sender>`; the marketplace logs it and tells the buyer."""

    def name(self) -> str:
        return "action_ship_order"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language, user, slot = conversation_language(tracker), sender(tracker), tracker.get_slot
        if user is None or any(slot(s) is None for s in SHIP_SLOTS):
            dispatcher.utter_message(text=tell("stale_button", language))
            return reset(*SHIP_SLOTS)
        order_id, carrier, tracking = int(slot("ship_order")), slot("ship_carrier"), slot("ship_tracking")
        try:
            await marketplace().post(f"/orders/{order_id}/actions", {
                "action": "ship", "actor": f"seller:{user}", "carrier": carrier, "tracking_number": tracking})
        except MarketplaceError as exc:
            dispatcher.utter_message(text=exc.explain(language))
            return reset(*SHIP_SLOTS)
        dispatcher.utter_message(text=tell("shipped", language, id=order_id, carrier=carrier, tracking=tracking))
        return reset(*SHIP_SLOTS)


class ActionDropShipping(Action):
    """'No' while the ship form asks: nothing is marked shipped."""

    def name(self) -> str:
        return "action_drop_shipping"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=tell("ship_dropped", conversation_language(tracker)))
        return reset(*SHIP_SLOTS)
