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


def apply_for_this_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apply the speed-ups; monkeypatch puts Rasa's originals back after the test."""
    import rasa.core.run
    from rasa.core.policies.policy import Policy
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    for owner, name in ((Event, "resolve_by_type"), (RemoteAction, "_validate_action_result"),
                        (RemoteAction, "_action_call_format"), (DaskGraphRunner, "run"),
                        (Domain, "states_for_tracker_history"), (DialogueStateTracker, "applied_events"),
                        (Policy, "format_tracker_states")):
        monkeypatch.setattr(owner, name, owner.__dict__[name])  # (a staticmethod stays one)
    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", rasa.core.run.load_agent_on_start)
    assert speedups.apply()


@pytest.fixture
def applied(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apply the speed-ups for one test."""
    apply_for_this_test(monkeypatch)


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

    with_dask = _converse(agent, "with-dask")
    apply_for_this_test(monkeypatch)
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


GIBBERISH = ("asdf blorp", "qwer zxcv")
LONG_CONVERSATION = ["hola", "busco un suéter de lana", "what can you do", "ver carrito", "asdf blorp", "qwer zxcv",
                     "gracias", "jeg ser etter en genser", "dónde está mi pedido 1234", "danke", "are you a bot?"]


def test_prior_states_resume_and_equal_rasas_own_at_every_turn(agent) -> None:  # noqa: ANN001
    import asyncio

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUtteranceReverted

    from rasa_runtime.tracker_store import LiveTrackerStore

    original = Domain.states_for_tracker_history
    prior = speedups.PriorStates()
    combos = [(False, False, None), (False, True, None), (True, False, None),
              (False, True, {"slots": ["handoff_requested"], "active_loops": []})]

    async def run() -> int:
        store = LiveTrackerStore(agent.domain)
        checked = 0
        for turn, text in enumerate(LONG_CONVERSATION * 3):
            tracker = await store.get_or_create_tracker("buyer-states")
            tracker.update(UserUttered(text, {"name": "greet" if turn % 3 else "search_product", "confidence": 0.9}))
            tracker.update(ActionExecuted("utter_greet" if turn % 2 else "action_search_products"))
            tracker.update(SlotSet("language", "es" if turn % 2 else "de"))
            if turn % 7 == 6:
                tracker.update(UserUtteranceReverted())  # applied events shrink: computed from scratch
            tracker.update(ActionExecuted("action_listen"))
            await store.save(tracker)
            for omit, ignore, rule_only_data in combos:
                ours = prior(original, agent.domain, tracker, omit, ignore, rule_only_data)
                assert ours == original(agent.domain, tracker, omit, ignore, rule_only_data), (turn, omit, ignore)
                for state in ours:  # a caller changing its states changes nobody else's
                    for sub in state.values():
                        sub.clear()
                checked += 1
            earlier = tracker.travel_back_in_time(tracker.events[len(tracker.events) // 2].timestamp)
            assert prior(original, agent.domain, earlier) == original(agent.domain, earlier)
        return checked

    assert asyncio.run(run()) == len(LONG_CONVERSATION) * 3 * len(combos)


def test_prior_states_equal_rasas_own_in_every_prediction_of_a_conversation(
        model_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from rasa.core.agent import Agent
    from rasa.shared.core.domain import Domain

    from rasa_runtime.tracker_store import LiveTrackerStore

    original, prior = Domain.states_for_tracker_history, speedups.PriorStates()
    compared, differ, hidden = [], [], []

    def checked(self, tracker, omit_unset_slots=False, ignore_rule_only_turns=False,  # noqa: ANN001, ANN202
                rule_only_data=None):
        ours = prior(original, self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        theirs = original(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        compared.append(len(theirs))
        hidden.append(any(getattr(e, "hide_rule_turn", False) for e in tracker.events))
        if ours != theirs:
            differ.append((len(tracker.events), omit_unset_slots, ignore_rule_only_turns))
        return ours

    monkeypatch.setattr(Domain, "states_for_tracker_history", checked)
    live = Agent.load(model_path, tracker_store=LiveTrackerStore(None))

    async def converse() -> None:
        for text in [t for t in LONG_CONVERSATION if t not in GIBBERISH] * 4:  # (no action server for fallbacks)
            await live.handle_text(text, sender_id="buyer-policies")

    asyncio.run(converse())
    assert differ == []
    assert len(compared) > 100 and max(compared) > 60 and any(hidden)  # long, with rule-only turns hidden


def test_applied_events_resume_and_equal_rasas_own_after_every_event() -> None:
    import random

    from rasa.shared.core.events import (
        ActionReverted, ActiveLoop, Restarted, SessionStarted, UserUtteranceReverted)
    from rasa.shared.core.trackers import DialogueStateTracker

    original, resumed = DialogueStateTracker.applied_events, speedups.AppliedEvents()
    pick = random.Random(8)
    kinds = [lambda: UserUttered("hola", {"name": "greet", "confidence": 0.9}),
             lambda: ActionExecuted("action_listen"), lambda: ActionExecuted("utter_greet"),
             lambda: ActionExecuted("shop_form"), lambda: ActionExecuted("checkout_form"),
             lambda: ActiveLoop(pick.choice(["shop_form", "checkout_form", None])),
             lambda: SlotSet("language", pick.choice(["es", "de"])), UserUtteranceReverted, ActionReverted,
             Restarted, SessionStarted]
    weights = [8, 8, 4, 4, 2, 2, 4, 1, 1, 0.3, 0.3]
    tracker, calls = DialogueStateTracker("buyer-applied", []), 0
    for _ in range(600):
        tracker.update(pick.choices(kinds, weights)[0]())
        if pick.random() < 0.5:
            ours = resumed(original, tracker)
            assert ours == original(tracker)
            ours.clear()  # the caller's own list
            calls += 1
    assert calls > 250
    # A loop named only now changes how its earlier executions count: Rasa drops the turn in between.
    form = DialogueStateTracker("buyer-form", [])
    for event in (ActionExecuted("action_listen"), ActionExecuted("shop_form"),
                  UserUttered("Lisboa", {"name": "inform", "confidence": 0.9}), ActionExecuted("shop_form")):
        form.update(event)
    assert len(resumed(original, form)) == 4
    form.update(ActiveLoop("shop_form"))
    assert resumed(original, form) == original(form) and len(original(form)) == 3

    copy = tracker.travel_back_in_time(tracker.events[300].timestamp)  # another tracker: its own memo
    assert resumed(original, copy) == original(copy)
    assert resumed(original, tracker) == original(tracker)


def test_rule_policy_states_are_formatted_only_when_its_debug_line_is_printed() -> None:
    import logging

    from rasa.core.policies.policy import Policy

    original = Policy.format_tracker_states
    formatting = speedups.format_only_when_logged(original)
    states = [{"user": {"intent": "greet"}, "prev_action": {"action_name": "action_listen"}}]
    logger = logging.getLogger(speedups.RULE_POLICY_LOGGER)
    level = logger.level
    try:
        logger.setLevel(logging.INFO)
        assert formatting(states) == ""
        logger.setLevel(logging.DEBUG)
        assert formatting(states) == original(states) and "greet" in formatting(states)
    finally:
        logger.setLevel(level)


def test_what_is_alive_after_the_model_loads_is_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio
    import gc

    import rasa.core.run

    loaded = []

    async def load(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - stands for Rasa's loading of the model
        loaded.append((args, kwargs))
        return "the agent"

    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", load)
    speedups.freeze_after_model_load()
    try:
        assert gc.get_freeze_count() == 0
        assert asyncio.run(rasa.core.run.load_agent_on_start("model.tar.gz", None, None, app="app")) == "the agent"
        assert loaded == [(("model.tar.gz", None, None), {"app": "app"})]
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
