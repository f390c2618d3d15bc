"""Two fallbacks in a row mark the conversation for a human."""

from rasa_sdk.executor import CollectingDispatcher

from actions.support import ActionDefaultFallback
from tests.actions.conftest import tracker_from


async def test_final_fallback_apologises_and_requests_a_human() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionDefaultFallback().run(dispatcher, tracker_from("search_es"), {})
    assert dispatcher.messages[0]["response"] == "utter_default"
    assert [e["event"] for e in events] == ["rewind", "slot", "slot"]
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"} == {
        "handoff_requested": True, "handoff_reason": "fallback"}
