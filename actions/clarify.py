""""Did you mean …?" in the person's language: the first step of Rasa's two-stage fallback.

Rasa's built-in `action_default_ask_affirmation` asks "Did you mean 'order_status'?" in English with
the intent's identifier; this one names what the person may have meant in their own language and
keeps the entities of their message on the Yes button.
"""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.buyer import conversation_language
from actions.intent_names import describe

CALLBACK_BYTES = 64 - len("r:")  # the bot sends a button payload as callback data `r:<payload>`
FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"  # what Rasa's two-stage fallback reads as "no, rephrase"
KEPT_ENTITIES = ("product", "quantity", "max_price", "currency", "country", "order_id")

ASK = {"en": "Did you mean: {what}?", "es": "¿Quisiste decir: {what}?", "pt": "Você quis dizer: {what}?",
       "de": "Meintest du: {what}?", "fr": "Tu voulais : {what} ?", "it": "Intendevi: {what}?",
       "nb": "Mente du: {what}?", "zh": "你是想{what}吗？"}
YES = {"en": "Yes", "es": "Sí", "pt": "Sim", "de": "Ja", "fr": "Oui", "it": "Sì", "nb": "Ja", "zh": "是的"}
NO = {"en": "No", "es": "No", "pt": "Não", "de": "Nein", "fr": "Non", "it": "No", "nb": "Nei", "zh": "不是"}


def best_guess(parse: dict[str, Any]) -> str | None:
    """The most likely real intent: the top one, or the runner-up when the top is the fallback."""
    ranking = [r.get("name") for r in parse.get("intent_ranking") or []]
    top = (parse.get("intent") or {}).get("name")
    for name in [top, *ranking]:
        if name and name != FALLBACK_INTENT:
            return name
    return None


def yes_payload(intent: str, entities: list[dict[str, Any]]) -> str:
    """`/intent{...}` with as many of the message's entities as fit into Telegram's callback data."""
    kept: dict[str, Any] = {}
    for found in entities:
        name, value = found.get("entity"), found.get("value")
        if name not in KEPT_ENTITIES or name in kept or value in (None, ""):
            continue
        trial = {**kept, name: value}
        if len(f"/{intent}{json.dumps(trial, ensure_ascii=False, separators=(',', ':'))}".encode()) <= CALLBACK_BYTES:
            kept = trial
    return f"/{intent}{json.dumps(kept, ensure_ascii=False, separators=(',', ':'))}" if kept else f"/{intent}"


class ActionDefaultAskAffirmation(Action):
    """Ask whether the person meant the most likely intent, with Yes/No buttons, in their language."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        language = conversation_language(tracker)
        parse = tracker.latest_message or {}
        intent = best_guess(parse)
        what = describe(intent, language) if intent else None
        if intent is None or what is None:  # nothing sensible to offer: ask to rephrase instead
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        dispatcher.utter_message(text=ASK[language].format(what=what), buttons=[
            {"title": YES[language], "payload": yes_payload(intent, parse.get("entities") or [])},
            {"title": NO[language], "payload": f"/{OUT_OF_SCOPE}"}])
        return []
