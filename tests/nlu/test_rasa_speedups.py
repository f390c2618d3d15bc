"""rasa_runtime.speedups: the same answers as Rasa's own code, without its per-call costs."""

from __future__ import annotations

import jsonschema
import pytest
import rasa.shared.utils.common
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.utils.endpoints import EndpointConfig

from rasa_runtime import speedups


@pytest.fixture
def applied(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apply the speed-ups for one test; monkeypatch puts Rasa's originals back afterwards."""
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])  # the staticmethod itself
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction.__dict__["_validate_action_result"])
    monkeypatch.setattr(RemoteAction, "_action_call_format", RemoteAction.__dict__["_action_call_format"])
    assert speedups.apply()


def test_every_event_type_resolves_as_rasa_resolves_it() -> None:
    original = Event.resolve_by_type
    types = speedups.EventTypes()
    names = {cls.type_name for cls in rasa.shared.utils.common.all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        assert types.resolve(name) is original(name)
    assert types.resolve("topic") is None
    assert types.resolve("no-such-event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        types.resolve("no-such-event")


def test_events_round_trip_with_the_speedup(applied: None) -> None:
    events = [ActionExecuted("action_listen"), UserUttered("hola", {"name": "greet", "confidence": 0.9}),
              SlotSet("language", "es"), ActionExecuted("utter_greet")]
    restored = [Event.from_parameters(event.as_dict()) for event in events]
    assert restored == events


def test_action_answers_are_still_validated_but_the_schema_only_once(applied: None,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    checks = []
    original_check = jsonschema.Draft202012Validator.check_schema
    monkeypatch.setattr(jsonschema.Draft202012Validator, "check_schema",
                        classmethod(lambda cls, schema, **kw: checks.append(1) or original_check(schema, **kw)))
    action = RemoteAction("action_search_products", EndpointConfig(url="http://127.0.0.1:9/webhook"))
    good = {"events": [{"event": "slot", "name": "language", "value": "es"}],
            "responses": [{"text": "hola"}]}
    for _ in range(3):
        assert action._validate_action_result(good)
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{"no-event-key": 1}], "responses": "not a list"})
    assert checks == []  # Rasa's own validate() checks the schema on every answer


def test_an_action_call_carries_the_same_state_and_only_the_last_events(agent) -> None:  # noqa: ANN001
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = agent.domain
    action = RemoteAction("action_search_products", EndpointConfig(url="http://127.0.0.1:9/webhook"))
    events = [ActionExecuted("action_listen")]
    for turn in range(60):  # 180 events: more than the action server is sent
        events += [UserUttered(f"busco un suéter {turn}", {"name": "search_product", "confidence": 0.9},
                               input_channel="telegram"),
                   SlotSet("language", "es" if turn % 2 else "pt"), ActionExecuted("action_listen")]
    long = DialogueStateTracker.from_events("buyer-1", events, domain.slots)
    short = DialogueStateTracker.from_events("buyer-2", events[:31], domain.slots)

    rasa_long, rasa_short = action._action_call_format(long, domain), action._action_call_format(short, domain)
    ours_long = speedups.action_call_format(action, long, domain)
    assert speedups.action_call_format(action, short, domain) == rasa_short  # a short conversation: all of it
    assert len(rasa_long["tracker"]["events"]) == 181
    assert ours_long["tracker"]["events"] == rasa_long["tracker"]["events"][-speedups.ACTION_EVENTS:]
    ours_long["tracker"].pop("events"), rasa_long["tracker"].pop("events")
    assert ours_long == rasa_long  # slots, latest message, channel, domain, …: as Rasa sends them
    assert ours_long["tracker"]["slots"]["language"] == "es"


def test_another_rasa_version_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa

    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    before = Event.resolve_by_type
    assert speedups.apply() is False
    assert Event.resolve_by_type is before


CONVERSATION = ["hola", "busco un suéter de lana", "what can you do", "我想买茶", "gracias", "asdf blorp"]


def _converse(agent, sender: str) -> tuple[list, list]:
    """Parses and the bot's answers for CONVERSATION, from a fresh conversation."""
    import asyncio

    async def run() -> tuple[list, list]:
        parsed, answers = [], []
        for text in CONVERSATION:
            parsed.append(await agent.parse_message(text))
            answers.append([{k: v for k, v in answer.items() if k != "recipient_id"}
                            for answer in await agent.handle_text(text, sender_id=sender)])
        return parsed, answers

    return asyncio.run(run())


@pytest.mark.model
def test_the_graph_runs_without_dask_and_gives_the_same_answers(agent, monkeypatch: pytest.MonkeyPatch) -> None:
    import dask
    from rasa.engine.runner.dask import DaskGraphRunner

    with_dask = _converse(agent, "with-dask")
    monkeypatch.setattr(DaskGraphRunner, "run", DaskGraphRunner.__dict__["run"])
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction.__dict__["_validate_action_result"])
    monkeypatch.setattr(RemoteAction, "_action_call_format", RemoteAction.__dict__["_action_call_format"])
    assert speedups.apply()
    monkeypatch.setattr(dask, "get", lambda *a, **k: pytest.fail("dask.get was called"))
    without = _converse(agent, "without-dask")
    assert without == with_dask
    assert len(with_dask[0]) == len(CONVERSATION) and sum(map(bool, with_dask[1])) >= 3  # (custom actions: no server)


def test_an_input_named_like_a_node_is_refused_as_rasa_refuses_it() -> None:
    from rasa.engine.exceptions import GraphRunError

    class Node:
        def __call__(self, *inputs):
            return ("b", inputs)

    class Schema:
        target_names = ["b"]
        nodes = {"b": type("SchemaNode", (), {"needs": {"x": "a"}})()}

        def minimal_graph_schema(self, targets):
            return self

    runner = type("Runner", (), {"_graph_schema": Schema(), "_instantiated_nodes": {"b": Node()}})()
    run = speedups.SequentialRun()
    assert run(runner, {"a": 1}) == {"b": (("a", 1),)}
    assert run(runner) == {"b": ("a",)}  # a need nothing provides arrives as its name, as with dask
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        run(runner, {"a": "b"})
