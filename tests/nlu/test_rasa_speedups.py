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


def test_another_rasa_version_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa

    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    before = Event.resolve_by_type
    assert speedups.apply() is False
    assert Event.resolve_by_type is before
