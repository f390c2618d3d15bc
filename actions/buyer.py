"""Who the buyer is, from the tracker: Telegram id, language, country and currency."""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import get_territory_currencies
from rasa_sdk import Tracker

from actions.marketplace import Marketplace
from actions.texts import LANGUAGES


@dataclass(frozen=True)
class Buyer:
    """The person in this conversation, as the marketplace knows them."""

    telegram_user_id: int | None
    language: str
    country: str | None
    currency: str


def metadata(tracker: Tracker) -> dict:
    """Metadata the bot attached to the latest message (Telegram ids, language_code, role)."""
    return (tracker.latest_message or {}).get("metadata") or {}


def conversation_language(tracker: Tracker) -> str:
    """The `language` slot, else the detected language of the latest message, else English."""
    language = tracker.get_slot("language")
    if language in LANGUAGES:
        return language
    detected = next((e.get("value") for e in (tracker.latest_message or {}).get("entities", [])
                     if e.get("entity") == "language"), None)
    return detected if detected in LANGUAGES else "en"


def _region(language_code: str | None) -> str | None:
    parts = (language_code or "").replace("_", "-").split("-")
    return parts[1].upper() if len(parts) > 1 and len(parts[1]) == 2 else None


async def current_buyer(tracker: Tracker, market: Marketplace) -> Buyer:
    """Create or update the customer from the conversation; Telegram's region picks a first currency."""
    data, language = metadata(tracker), conversation_language(tracker)
    user_id = data.get("telegram_user_id")
    if not user_id:
        return Buyer(None, language, None, "EUR")
    existing = None
    try:
        existing = await market.get(f"/customers/{user_id}")
    except Exception:  # noqa: BLE001 - a first-time buyer is a 404; anything else surfaces on the PUT below
        existing = None
    if existing is not None and existing.get("language") == language:  # nothing to write: one request, not two
        return Buyer(int(user_id), language, existing.get("country"), existing.get("currency") or "EUR")
    body: dict = {"language": language}
    if existing is None:
        region = _region(data.get("language_code"))
        if region:
            currencies = get_territory_currencies(region)
            body.update(country=region, currency=currencies[0] if currencies else "EUR")
    customer = await market.put(f"/customers/{user_id}", body)
    return Buyer(int(user_id), language, customer.get("country"), customer.get("currency") or "EUR")
