"""The buyer's orders: status and tracking, cancel before shipping, confirm delivery, rate the shop.

Only orders from the buyer's own list are acted on; a forged order id in a button finds nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.buyer import Buyer, conversation_language, current_buyer
from actions.catalog import entity, payload
from actions.marketplace import Marketplace, MarketplaceError, marketplace
from actions.texts import STATUS, say

CANCELLABLE, ARRIVING = ("pending_payment", "paid"), ("shipped",)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def describe(order: dict[str, Any], language: str) -> str:
    """One line: id, total in the shop's currency, status in the buyer's language, tracking."""
    status = STATUS.get(order["status"], {}).get(language, order["status"])
    line = say("order_line", language, id=order["id"], total=f"{order['total']} {order['currency']}", status=status)
    if order.get("tracking_number"):
        line += " · " + say("tracking", language, carrier=order["carrier"], number=order["tracking_number"])
    return line


def buttons_for(order: dict[str, Any], language: str) -> list[dict[str, str]]:
    """What the buyer can do next with an order."""
    if order["status"] in CANCELLABLE:
        return [{"title": say("cancel", language, id=order["id"]), "payload": payload("cancel_order", order_id=order["id"])}]
    if order["status"] in ARRIVING:
        return [{"title": say("arrived", language, id=order["id"]),
                 "payload": payload("confirm_delivery", order_id=order["id"])}]
    return []


def message_button(order: dict[str, Any], language: str) -> dict[str, str]:
    """Write to the order's seller (the bot opens a translated conversation; see bot/handlers/relay.py)."""
    return {"title": say("message_seller", language, id=order["id"]),
            "payload": payload("ask_seller", order_id=order["id"])}


async def my_orders(market: Marketplace, buyer: Buyer) -> list[dict[str, Any]]:
    """The buyer's orders, newest first."""
    return await market.get(f"/customers/{buyer.telegram_user_id}/orders")


def pick(tracker: Tracker, orders: list[dict[str, Any]], states: tuple[str, ...]) -> dict[str, Any] | None:
    """The order named in the message (if it is the buyer's), or the only one in `states`."""
    wanted = _int(entity(tracker, "order_id"))
    if wanted is not None:
        return next((o for o in orders if o["id"] == wanted), None)
    candidates = [o for o in orders if o["status"] in states]
    return candidates[0] if len(candidates) == 1 else None


class ActionOrderStatus(Action):
    """List the buyer's recent orders with status, tracking and next steps."""

    def name(self) -> str:
        return "action_order_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language, market = conversation_language(tracker), marketplace()
        try:
            orders = await my_orders(market, await current_buyer(tracker, market))
        except MarketplaceError:
            dispatcher.utter_message(text=say("unavailable", language))
            return []
        if not orders:
            dispatcher.utter_message(text=say("no_orders", language))
            return []
        wanted = _int(entity(tracker, "order_id"))
        shown = [o for o in orders if o["id"] == wanted] or orders[:5]
        dispatcher.utter_message(text="\n".join(describe(o, language) for o in shown),
                                 buttons=[b for o in shown for b in [*buttons_for(o, language),
                                                                     message_button(o, language)]])
        return []


class _OrderStep(Action, ABC):
    """Shared shape: find the buyer's order, move it, report; refusals are explained.
    Abstract, so rasa_sdk does not register it as an action of its own."""

    states: tuple[str, ...] = ()

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language, market = conversation_language(tracker), marketplace()
        try:
            buyer = await current_buyer(tracker, market)
            orders = await my_orders(market, buyer)
            order = pick(tracker, orders, self.states)
            if order is None:
                candidates = [o for o in orders if o["status"] in self.states]
                dispatcher.utter_message(text=say("which_order", language) + "\n" + "\n".join(
                    describe(o, language) for o in candidates) if candidates else say("no_orders", language),
                    buttons=[b for o in candidates for b in buttons_for(o, language)])
                return []
            await self.act(dispatcher, market, buyer, order, language)
        except MarketplaceError as exc:
            dispatcher.utter_message(text=exc.explain(language))
        return []

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, market: Marketplace, buyer: Buyer,
                  order: dict[str, Any], language: str) -> None:
        """Move the order and tell the buyer."""


class ActionCancelOrder(_OrderStep):
    """Cancel before shipping; a paid order is refunded."""

    states = CANCELLABLE

    def name(self) -> str:
        return "action_cancel_order"

    async def act(self, dispatcher: CollectingDispatcher, market: Marketplace, buyer: Buyer,
                  order: dict[str, Any], language: str) -> None:
        moved = await market.post(f"/orders/{order['id']}/actions",
                                  {"action": "cancel", "actor": f"buyer:{buyer.telegram_user_id}"})
        refund = moved["events"][-1]["data"].get("refund")
        extra = say("refund", language, amount=f"{refund['amount']} {refund['currency']}") if refund else ""
        dispatcher.utter_message(text=say("cancelled", language, id=order["id"], refund=extra))


class ActionConfirmDelivery(_OrderStep):
    """The buyer confirms the parcel arrived: the held money goes to the seller; ask for a rating."""

    states = ARRIVING

    def name(self) -> str:
        return "action_confirm_delivery"

    async def act(self, dispatcher: CollectingDispatcher, market: Marketplace, buyer: Buyer,
                  order: dict[str, Any], language: str) -> None:
        await market.post(f"/orders/{order['id']}/actions",
                          {"action": "confirm_delivery", "actor": f"buyer:{buyer.telegram_user_id}"})
        await market.post(f"/orders/{order['id']}/actions", {"action": "release", "actor": "system",
                                                             "note": "buyer confirmed delivery"})
        stars = [{"title": "★" * n, "payload": payload("rate", order_id=order["id"], stars=n)} for n in range(5, 0, -1)]
        dispatcher.utter_message(text=say("thanks_delivery", language, id=order["id"]), buttons=stars)


class ActionRate(Action):
    """Record the buyer's 1-5 star review of a completed order."""

    def name(self) -> str:
        return "action_rate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language, market = conversation_language(tracker), marketplace()
        order_id, stars = _int(entity(tracker, "order_id")), _int(entity(tracker, "stars"))
        try:
            buyer = await current_buyer(tracker, market)
            await market.post(f"/orders/{order_id}/review", {"telegram_user_id": buyer.telegram_user_id, "stars": stars})
        except MarketplaceError as exc:
            dispatcher.utter_message(text=say("refused", language, reason=exc.message))
            return []
        dispatcher.utter_message(text=say("reviewed", language, stars=stars))
        return []
