"""When the bot cannot help: ask to rephrase once; after two fallbacks in a row, hand over to a human."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.buyer import conversation_language
from actions.handoff import handoff_message, handoff_slots, request_handoff, text
from actions.marketplace import MarketplaceError, marketplace

ACTION_DEFAULT_FALLBACK = "action_default_fallback"
FALLBACK_ACTIONS = frozenset({ACTION_DEFAULT_FALLBACK, "action_two_stage_fallback"})
FALLBACK_INTENT = "nlu_fallback"


def _user_turns(events: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[str]]]:
    """Each user message with the actions that answered it, since the session started or a handoff
    ended (the bot appends `handoff_requested = false` then, so old fallbacks no longer count)."""
    turns: list[tuple[dict[str, Any], list[str]]] = []
    for event in events:
        kind = event.get("event")
        if kind == "session_started" or (kind == "slot" and event.get("name") == "handoff_requested"
                                         and not event.get("value")):
            turns = []
        elif kind == "user":
            turns.append((event, []))
        elif kind == "action" and turns:
            turns[-1][1].append(str(event.get("name")))
    return turns


def _was_fallback(turn: tuple[dict[str, Any], list[str]]) -> bool:
    user, actions = turn
    intent = ((user.get("parse_data") or {}).get("intent") or {}).get("name")
    return intent == FALLBACK_INTENT or any(a in FALLBACK_ACTIONS for a in actions)


def previous_turn_was_fallback(tracker: Tracker) -> bool:
    """Whether the message before this one was misunderstood too (this one is: we are falling back)."""
    turns = _user_turns(tracker.events)
    return len(turns) >= 2 and _was_fallback(turns[-2])


class ActionDefaultFallback(Action):
    """A fallback (Rasa's two-stage fallback giving up, or core unsure). The first one asks to
    rephrase; the second in a row apologises and hands the conversation to support staff."""

    def name(self) -> str:
        return ACTION_DEFAULT_FALLBACK

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        # Revert the misunderstood message first, then mark: the revert must not undo the mark.
        if not previous_turn_was_fallback(tracker):
            dispatcher.utter_message(response="utter_ask_rephrase")
            return [UserUtteranceReverted()]
        try:
            handoff = await request_handoff(marketplace(), tracker, reason="fallback")
        except MarketplaceError:
            dispatcher.utter_message(text=text("handoff_failed", conversation_language(tracker)))
            return [UserUtteranceReverted()]
        dispatcher.utter_message(response="utter_default")
        dispatcher.utter_message(json_message=handoff_message(handoff))
        return [UserUtteranceReverted(), *handoff_slots("fallback")]
