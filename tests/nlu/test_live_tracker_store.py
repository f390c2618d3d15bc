"""rasa_runtime.tracker_store.LiveTrackerStore: Rasa's in-memory store, kept as trackers instead of JSON."""

from __future__ import annotations

import asyncio
import json

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered

from rasa_runtime.tracker_store import LiveTrackerStore

CONVERSATION = ["hola", "busco un suéter de lana", "what can you do", "ver carrito", "gracias", "asdf blorp",
                "jeg ser etter en genser", "danke"]


class Collecting(EventBroker):
    """An event broker that keeps what it is given."""

    def __init__(self) -> None:
        self.published: list[dict] = []

    def publish(self, event: dict) -> None:
        self.published.append(event)


def _without_times(events) -> list[dict]:  # noqa: ANN001
    """Events as JSON would give them back, without what differs on every run (times, message ids)."""
    plain = json.loads(json.dumps([e.as_dict() for e in events]))
    for event in plain:
        event.pop("timestamp", None)
        event.pop("message_id", None)
        event.get("parse_data", {}).pop("message_id", None)
    return plain


def test_a_conversation_goes_as_with_rasas_own_store(model_path: str) -> None:
    from rasa.core.agent import Agent

    async def converse(store) -> tuple[list, list]:  # noqa: ANN001
        agent = Agent.load(model_path, tracker_store=store)
        answers = [await agent.handle_text(text, sender_id="buyer-7") for text in CONVERSATION]
        tracker = await agent.tracker_store.retrieve("buyer-7")
        return answers, _without_times(tracker.events)

    rasa_answers, rasa_events = asyncio.run(converse(InMemoryTrackerStore(None)))
    live_answers, live_events = asyncio.run(converse(LiveTrackerStore(None)))
    assert live_answers == rasa_answers
    assert live_events == rasa_events
    assert sum(e["event"] == "user" for e in live_events) == len(CONVERSATION)


def test_a_turn_that_never_saves_leaves_nothing_behind(agent) -> None:  # noqa: ANN001
    asyncio.run(_test_a_turn_that_never_saves_leaves_nothing_behind(agent))


async def _test_a_turn_that_never_saves_leaves_nothing_behind(agent) -> None:  # noqa: ANN001
    store = LiveTrackerStore(agent.domain)
    tracker = await store.get_or_create_tracker("buyer-8")
    tracker.update(UserUttered("hola", {"name": "greet", "confidence": 0.9}))
    tracker.update(SlotSet("language", "es"))
    await store.save(tracker)
    assert await store.retrieve("buyer-8") is tracker  # no copy, no replay

    tracker.update(UserUttered("ich suche einen schal", {"name": "search_product", "confidence": 0.9}))
    tracker.update(SlotSet("language", "de"))  # ... and the turn fails before Rasa saves it
    again = await store.retrieve("buyer-8")
    assert again is not tracker
    assert _without_times(again.events) == _without_times(list(tracker.events)[:3])
    assert again.get_slot("language") == "es"
    assert await store.retrieve("buyer-8") is again
    assert list(await store.keys()) == ["buyer-8"] and await store.exists("buyer-8")
    assert await store.retrieve("nobody") is None


def test_retrieve_gives_the_last_session_as_rasas_store_does(agent) -> None:  # noqa: ANN001
    asyncio.run(_test_retrieve_gives_the_last_session_as_rasas_store_does(agent))


async def _test_retrieve_gives_the_last_session_as_rasas_store_does(agent) -> None:  # noqa: ANN001
    live, rasa_store = LiveTrackerStore(agent.domain), InMemoryTrackerStore(agent.domain)
    for store in (live, rasa_store):
        tracker = await store.get_or_create_tracker("buyer-9")
        for text in ("hola", "gracias"):
            tracker.update(ActionExecuted("action_session_start"))
            tracker.update(SessionStarted())
            tracker.update(ActionExecuted("action_listen"))
            tracker.update(UserUttered(text, {"name": "greet", "confidence": 0.9}))
        await store.save(tracker)
    ours, theirs = await live.retrieve("buyer-9"), await rasa_store.retrieve("buyer-9")
    assert _without_times(ours.events) == _without_times(theirs.events)
    assert [e["event"] for e in _without_times(ours.events)] == ["action", "session_started", "action", "user"]
    assert ours.latest_message.text == "gracias"


def test_each_new_event_is_published_once(agent) -> None:  # noqa: ANN001
    asyncio.run(_test_each_new_event_is_published_once(agent))


async def _test_each_new_event_is_published_once(agent) -> None:  # noqa: ANN001
    broker = Collecting()
    store = LiveTrackerStore(agent.domain, event_broker=broker)
    tracker = await store.get_or_create_tracker("buyer-10")
    tracker.update(UserUttered("hola", {"name": "greet", "confidence": 0.9}))
    await store.save(tracker)
    tracker.update(ActionExecuted("utter_greet"))
    await store.save(tracker)
    await store.save(tracker)
    assert [e["event"] for e in broker.published] == ["action", "user", "action"]
    assert {e["sender_id"] for e in broker.published} == {"buyer-10"}

