"""Four hot spots of Rasa 3.6.21, measured with cProfile and py-spy on our conversations, made cheap.

1. Every turn the tracker store rebuilds the conversation from its stored events, and for each event
   `Event.resolve_by_type` walks all Event subclasses again (`all_subclasses` + `inspect.isabstract`):
   ~50 ms a turn once a conversation has a few hundred events, growing with its length. Here the
   type-name → class table is built once (and rebuilt if a name is ever missing, e.g. an event class
   imported later), with the same first-match order.
2. Every custom-action answer is checked with `jsonschema.validate(result, schema)`, which first checks
   the *schema* against the JSON Schema meta-schema: ~50 ms per action call. Here one validator is
   built for the (constant) schema and reused; invalid answers are refused exactly as before.
3. Every message runs the model's graph twice (parse, then predict) through `dask.get`, and each run
   first recomputes the graph's minimal schema (a recursive walk without memo) and builds a dask
   graph: ~9 % of Rasa's CPU under load, outside the components themselves. Here each target list's
   execution order is worked out once and the nodes are called in that order, with the same inputs
   and outputs (a node's output is `(name, value)`; a need that nothing provides is passed as its
   name, as dask does) and the same `GraphRunError` for a `RuntimeError`.

4. Every custom-action call sends the whole conversation (`EventVerbosity.ALL`): Rasa turns every event
   into a dict and JSON, and the action server parses it all back, on every call, so a turn costs more
   the longer the conversation (the action-call JSON was ~7 % of Rasa's CPU, and its parsing ~14 % of the
   action server's, after ~70 messages). Here the call carries the state as before (slots, latest message,
   active loop, …: computed from the whole tracker) and only the last `ACTION_EVENTS` events, which is
   more than our actions look back (the last two user turns at most; a form's slots since the last action).

All are applied explicitly by `python -m rasa_runtime` (never at import) and only to the Rasa version
they were measured on.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any, Dict, List, Optional, Text, Tuple, Type

log = logging.getLogger(__name__)

MEASURED_ON = "3.6.21"
ACTION_EVENTS = 100  # events sent with each custom-action call (Rasa sends every event of the conversation)


class EventTypes:
    """Event type name → class, the first match in `all_subclasses(Event)` order, as Rasa resolves it."""

    def __init__(self) -> None:
        self._table: Dict[Text, Type[Any]] = {}

    def _build(self) -> None:
        import rasa.shared.utils.common
        from rasa.shared.core.events import Event

        table: Dict[Text, Type[Any]] = {}
        for cls in rasa.shared.utils.common.all_subclasses(Event):
            table.setdefault(cls.type_name, cls)
        self._table = table

    def resolve(self, type_name: Text, default: Optional[Type[Any]] = None) -> Optional[Type[Any]]:
        """`Event.resolve_by_type` without walking the class tree each time."""
        found = self._table.get(type_name)
        if found is None:
            self._build()  # first use, or a class imported since
            found = self._table.get(type_name)
        if found is not None:
            return found
        if type_name == "topic":
            return None  # Rasa: backwards compatibility with old TopicSet events
        if default is not None:
            return default
        raise ValueError(f"Unknown event name '{type_name}'.")


def action_result_validator() -> Any:
    """The validator for custom-action answers, built once."""
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once, instead of on every answer
    return cls(schema)


class SequentialRun:
    """`DaskGraphRunner.run` without dask: the minimal schema's nodes in a cached topological order."""

    def __init__(self) -> None:
        self._orders: Dict[Any, Tuple[Any, List[Tuple[Text, Tuple[Text, ...]]]]] = {}

    def order(self, schema: Any, targets: Tuple[Text, ...]) -> List[Tuple[Text, Tuple[Text, ...]]]:
        """(node, the names it needs) for every node the targets depend on, each after its needs."""
        key = (id(schema), targets)
        cached = self._orders.get(key)
        if cached is not None and cached[0] is schema:  # (the schema is kept, so its id is not reused)
            return cached[1]
        minimal = schema.minimal_graph_schema(list(targets)).nodes
        order: List[Tuple[Text, Tuple[Text, ...]]] = []
        seen: set = set()

        def visit(name: Text) -> None:
            if name in seen or name not in minimal:
                return
            seen.add(name)
            needs = tuple(minimal[name].needs.values())
            for need in needs:
                visit(need)
            order.append((name, needs))

        for target in targets:
            visit(target)
        self._orders[key] = (schema, order)
        return order

    def __call__(self, runner: Any, inputs: Optional[Dict[Text, Any]] = None,
                 targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
        from rasa.engine.exceptions import GraphRunError

        run_targets = tuple(targets if targets else runner._graph_schema.target_names)
        order = self.order(runner._graph_schema, run_targets)
        results: Dict[Text, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and any(value == node for node, _ in order):
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure that none of the input names "
                    f"passed to the `run` method are the same as node names in the graph schema.")
            results[name] = (name, value)
        nodes = runner._instantiated_nodes
        try:
            for name, needs in order:
                results[name] = nodes[name](*(results.get(need, need) for need in needs))
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e
        return dict(results.get(target, target) for target in run_targets)  # as dict(dask.get(...))


def action_call_format(action: Any, tracker: Any, domain: Any) -> Dict[Text, Any]:
    """`RemoteAction._action_call_format` with only the last `ACTION_EVENTS` events in the tracker state."""
    import rasa
    from rasa.shared.core.trackers import EventVerbosity

    state = tracker.current_state(EventVerbosity.NONE)
    events = tracker.events
    state["events"] = [e.as_dict() for e in itertools.islice(events, max(0, len(events) - ACTION_EVENTS), None)]
    result = {"next_action": action._name, "sender_id": tracker.sender_id, "tracker": state,
              "version": rasa.__version__}
    if not action._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(action.name()):
        result["domain"] = domain.as_dict()
    return result


def apply() -> bool:
    """Install the speed-ups; False (and nothing changed) on another Rasa version."""
    import rasa
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.constants import DOCS_BASE_URL
    from rasa.shared.core.events import Event

    if rasa.__version__ != MEASURED_ON:
        log.warning("rasa %s is not %s: running without Tradewind's speed-ups", rasa.__version__, MEASURED_ON)
        return False
    types = EventTypes()
    Event.resolve_by_type = staticmethod(types.resolve)  # type: ignore[method-assign]
    validator = action_result_validator()

    def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        try:
            validator.validate(result)
        except ValidationError as e:  # the same message Rasa gives
            e.message += (
                ". Failed to validate Action server response from API, make sure your response from the "
                f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise e
        return True

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    run = SequentialRun()

    def run_graph(self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None,
                  targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
        return run(self, inputs, targets)

    DaskGraphRunner.run = run_graph  # type: ignore[method-assign]
    RemoteAction._action_call_format = action_call_format  # type: ignore[method-assign]
    return True
