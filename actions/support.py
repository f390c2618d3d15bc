"""Handing a conversation to a human when the bot cannot help."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

ACTION_DEFAULT_FALLBACK = "action_default_fallback"


class ActionDefaultFallback(Action):
    """The last step of the two-stage fallback (two misunderstandings in a row): apologise and mark
    the conversation for a human. The support handoff itself reads `handoff_requested`."""

    def name(self) -> str:
        return ACTION_DEFAULT_FALLBACK

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_default")
        # Revert the misunderstood message first, then mark: the revert must not undo the mark.
        return [UserUtteranceReverted(), SlotSet("handoff_requested", True),
                SlotSet("handoff_reason", "fallback")]
