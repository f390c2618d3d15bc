"""What every seller action shares: who is asking, their shop (checked in the marketplace), how a
form reads an answer, money and names in the seller's language."""

from __future__ import annotations

from abc import ABC, abstractmethod
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.numbers import format_currency
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.buyer import conversation_language, metadata
from actions.catalog import entity, payload
from actions.marketplace import Marketplace, MarketplaceError, marketplace
from actions.seller_texts import tell

LANGUAGE_NAMES = {"en": "English", "es": "Español", "pt": "Português", "de": "Deutsch", "fr": "Français",
                  "it": "Italiano", "nb": "Norsk bokmål", "zh": "中文"}
STOP_INTENTS = frozenset({"deny"})  # "no" while a form asks something: the form stops (see data/rules.yml)
SKIP_INTENTS = frozenset({"skip", "deny"})  # on an optional question, "no" means "none"


def sender(tracker: Tracker) -> int | None:
    """The Telegram user id of the person writing (from the bot's metadata)."""
    value = metadata(tracker).get("telegram_user_id")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


async def own_shop(market: Marketplace, user: int | None) -> dict[str, Any] | None:
    """The shop this person owns, asked of the marketplace each time (never trusted from the chat)."""
    if user is None:
        return None
    shops = await market.get("/shops", owner_telegram_id=user)
    return shops[0] if shops else None


def money(amount: str | Decimal, currency: str, language: str) -> str:
    """An amount as a person reading `language` writes it (Babel)."""
    return format_currency(Decimal(amount), currency, locale=language)


def country_name(code: str, language: str) -> str:
    """A country's name in `language`."""
    return Locale.parse(language).territories.get(code, code)


def intent_of(tracker: Tracker) -> str | None:
    """The intent of the latest message."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def choice_button(title: str, value: str) -> dict[str, str]:
    """A button answering the current question with `value` (skips NLU, so nothing is misread)."""
    return {"title": title, "payload": payload("choose", choice=value)}


def answer(tracker: Tracker, slot: str) -> str | None:
    """What the person answered to the question for `slot`: a pressed choice, else their words.
    None when the form is asking something else, or they said no (the form then stops)."""
    if tracker.get_slot("requested_slot") != slot:
        return None
    intent = intent_of(tracker)
    if intent == "choose":
        return str(entity(tracker, "choice") or "") or None
    if intent in STOP_INTENTS or intent in ("skip", "send_photo"):
        return None
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    return text or None


def reset(*slots: str) -> list[dict[str, Any]]:
    """Forget a form's answers."""
    return [SlotSet(slot, None) for slot in slots]


class SellerAction(Action, ABC):
    """A seller's request: the marketplace must know a shop owned by the sender, else they are told
    how to open one. Abstract, so rasa_sdk does not register it as an action of its own."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language, market, user = conversation_language(tracker), marketplace(), sender(tracker)
        try:
            shop = await own_shop(market, user)
            if shop is None:
                dispatcher.utter_message(text=tell("no_shop", language))
                return []
            return await self.act(dispatcher, tracker, market, shop, user, language)
        except MarketplaceError as exc:
            dispatcher.utter_message(text=exc.explain(language))
            return []

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, market: Marketplace,
                  shop: dict[str, Any], user: int, language: str) -> list[dict[str, Any]]:
        """Do the seller's request for `shop`, acting as `user`."""


class AskAction(Action, ABC):
    """A form's question (`action_ask_<slot>`) in the conversation's language. Abstract."""

    key: str = ""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language = conversation_language(tracker)
        text, buttons = await self.question(tracker, language)
        dispatcher.utter_message(text=text, buttons=buttons)
        return []

    async def question(self, tracker: Tracker, language: str) -> tuple[str, list[dict[str, str]]]:
        """The question and its buttons; by default the text under `key` and no buttons."""
        return tell(self.key, language), []

    @abstractmethod
    def name(self) -> str:
        """action_ask_<slot>."""


class ActionStaleButton(Action):
    """A choice or skip button pressed after its question was answered or abandoned."""

    def name(self) -> str:
        return "action_stale_button"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=tell("stale_button", conversation_language(tracker)))
        return []


class ActionPhotoReceived(Action):
    """A photo arriving while no listing is being written."""

    def name(self) -> str:
        return "action_photo_received"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=tell("photo_not_expected", conversation_language(tracker)))
        return []
