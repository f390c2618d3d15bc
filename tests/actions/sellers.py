"""Helpers for the seller-assistant action tests: messages, trackers, the domain, paid orders."""

from __future__ import annotations

from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.marketplace import Marketplace
from tests.actions.conftest import tracker_from
from tradewind.paths import REPO_ROOT

SELLER, OTHER_SELLER, BUYER = 900001, 900002, 700001  # owners of the seeded shops 1 and 2; a buyer
DOMAIN: dict[str, Any] = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))


def message(text: str, intent: str, *, user: int | None = SELLER, language: str = "nb",
            metadata: dict[str, Any] | None = None, **entities: Any) -> dict[str, Any]:
    """A parsed user message as Rasa hands it to the actions."""
    meta = {"telegram_user_id": user, "chat_id": user, "language_code": language, **(metadata or {})}
    return {"text": text, "intent": {"name": intent, "confidence": 0.95},
            "entities": [{"entity": "language", "value": language}]
            + [{"entity": k, "value": v} for k, v in entities.items()],
            "metadata": {k: v for k, v in meta.items() if v is not None}}


def tracker(text: str, intent: str, *, user: int | None = SELLER, language: str = "nb",
            slots: dict[str, Any] | None = None, metadata: dict[str, Any] | None = None,
            **entities: Any) -> Tracker:
    """The seller tracker (tests/actions/trackers/seller_nb.json) with this message and these slots."""
    return tracker_from("seller_nb", latest_message=message(text, intent, user=user, language=language,
                                                            metadata=metadata, **entities),
                        slots={"language": language, **(slots or {})},
                        sender_id=str(user) if user is not None else "anonymous")


async def run(action: Any, the_tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run an action: (messages sent, events returned)."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, the_tracker, DOMAIN)
    return dispatcher.messages, events


def slots_set(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots an action set, by name (last value wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def paid_order(market: Marketplace, product_id: int = 1, *, quantity: int = 1, buyer: int = BUYER) -> dict:
    """A buyer in Argentina orders and pays `product_id` (of the seeded shop 1 by default)."""
    await market.put(f"/customers/{buyer}", {"language": "es", "country": "AR", "currency": "ARS"})
    await market.post(f"/customers/{buyer}/cart/items", {"product_id": product_id, "quantity": quantity})
    [order] = await market.post(f"/customers/{buyer}/checkout", {
        "shipping_country": "AR", "shipping_address": "Av. Corrientes 1234, Buenos Aires"})
    await market.post(f"/orders/{order['id']}/payments", {
        "amount": order["total"], "currency": order["currency"], "charge_id": f"charge-{order['id']}"})
    return await market.get(f"/orders/{order['id']}")
