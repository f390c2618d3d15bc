"""Seven hot spots of Rasa 3.6.21 and a garbage-collector pause, measured with cProfile and py-spy on our conversations, made cheap.

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

5. Every prediction turns the whole conversation into dialogue states again
   (`Domain.states_for_tracker_history`, replaying every event into a fresh tracker and featurizing the
   state before each action), five times a turn for our two policies: more than half of a turn once a
   conversation has ~80 messages. Events are only ever appended, so here each conversation's states
   are remembered with the replay tracker that produced them, and a call goes on from the first new
   event. A call whose events are not a continuation of the remembered ones (a revert, a restart, a
   copy of an earlier moment) is computed from scratch as before. Callers get their own copies.

6. `DialogueStateTracker.applied_events` (the events minus those reverted) walks the whole conversation
   with a chain of `isinstance` checks against abstract classes, several times a prediction: ~40 % of a
   turn once 5. was done, at ~160 messages. Here each tracker remembers how far it got, and a call goes
   on from the first new event; a tracker whose events were replaced, or a new loop name (which changes
   how earlier events count), starts from scratch as before. Callers get their own list.

7. `RulePolicy` formats every dialogue state of the conversation into text for a debug log line on
   every prediction, whether or not debug logging is on: ~12 % of a turn at ~160 messages. Here the
   text is only made when that logger would print it.

8. Not a hot spot but a pause: the loaded model leaves ~450,000 objects for Python's cyclic garbage
   collector, and the conversations kept in memory (above) make it run a full collection over all of
   them now and then: 220 ms during which Rasa answers nobody (the p99 of an offered 30 msg/s went from
   ~90 ms to 300–600 ms). Here everything alive once the model is loaded is moved out of the
   collector's reach (`gc.freeze()`, as long-running servers do), so a full collection only looks at
   what came after.

All are applied explicitly by `python -m rasa_runtime` (never at import) and only to the Rasa version
they were measured on.
"""

from __future__ import annotations

import itertools
import logging
from collections import OrderedDict
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


class _Progress:
    """How far one conversation's states have been worked out (for one set of arguments)."""

    def __init__(self, domain: Any, replay: Any) -> None:
        self.domain, self.replay = domain, replay
        self.events: List[Any] = []  # the applied events consumed so far
        self.states: List[Dict[Text, Any]] = []  # the state before each ActionExecuted among them
        self.turn_was_hidden = False
        self.last_ml_action: Any = None


class PriorStates:
    """`Domain.states_for_tracker_history`, resumed where the conversation's previous call stopped."""

    def __init__(self, size: int = 10_000) -> None:
        self._memo: "OrderedDict[Tuple[Any, ...], _Progress]" = OrderedDict()
        self._size = size

    @staticmethod
    def _step(progress: _Progress, tr: Any, hide: bool, omit: bool, ignore: bool, rule_only: Any,
              states: List[Dict[Text, Any]]) -> Tuple[Optional[Dict[Text, Any]], bool, Any]:
        """One iteration of Rasa's loop: (the state or None when hidden, turn_was_hidden, last ML action)."""
        from rasa.shared.core.constants import PREVIOUS_ACTION

        domain, turn_was_hidden, last_ml_action = progress.domain, progress.turn_was_hidden, progress.last_ml_action
        if ignore:
            if not turn_was_hidden:
                last_ml_action = domain._get_prev_action_sub_state(tr)
            if not tr.followup_action and not tr.latest_action_name == tr.active_loop_name:
                turn_was_hidden = hide
            if turn_was_hidden:
                return None, turn_was_hidden, last_ml_action
        state = domain.get_active_state(tr, omit_unset_slots=omit)
        if ignore:
            domain._remove_rule_only_features(state, rule_only)
            if states:
                domain._substitute_rule_only_user_input(state, states[-1])
            if last_ml_action:
                state[PREVIOUS_ACTION] = last_ml_action
        return domain._clean_state(state), turn_was_hidden, last_ml_action

    def __call__(self, original: Any, domain: Any, tracker: Any, omit_unset_slots: bool = False,
                 ignore_rule_only_turns: bool = False, rule_only_data: Optional[Dict[Text, Any]] = None) -> List[Any]:
        from rasa.shared.core.events import ActionExecuted
        from rasa.shared.core.trackers import DialogueStateTracker

        if type(tracker) is not DialogueStateTracker:  # e.g. training's trackers, which cache their own
            return original(domain, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        key = (tracker.sender_id, omit_unset_slots, ignore_rule_only_turns, repr(rule_only_data))
        applied = tracker.applied_events()
        progress = self._memo.get(key)
        if progress is not None and progress.domain is domain:
            done = len(progress.events)
            if len(applied) < done and all(a is b for a, b in zip(applied, progress.events)):
                # an earlier moment of the same conversation (a copy): computed apart, the memo kept
                return original(domain, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
            if not all(a is b for a, b in zip(progress.events, applied)):
                progress = None
        if progress is None or progress.domain is not domain:
            progress = _Progress(domain, tracker.init_copy())
        self._memo[key] = progress
        self._memo.move_to_end(key)
        while len(self._memo) > self._size:
            self._memo.popitem(last=False)

        for event in itertools.islice(applied, len(progress.events), None):
            if isinstance(event, ActionExecuted):
                state, progress.turn_was_hidden, progress.last_ml_action = self._step(
                    progress, progress.replay, event.hide_rule_turn, omit_unset_slots, ignore_rule_only_turns,
                    rule_only_data, progress.states)
                if state is not None:
                    progress.states.append(state)
            progress.replay.update(event)
            progress.events.append(event)
        final, _, _ = self._step(progress, progress.replay, False, omit_unset_slots, ignore_rule_only_turns,
                                 rule_only_data, progress.states)
        # Callers may change the states they get (e.g. drop the text of the last user message), and a state
        # holds dicts of the replay tracker itself: copies.
        return [{kind: dict(sub) if isinstance(sub, dict) else sub for kind, sub in state.items()}
                for state in (progress.states if final is None else [*progress.states, final])]


class AppliedEvents:
    """`DialogueStateTracker.applied_events`, resumed where the same tracker's previous call stopped."""

    # Kept on the tracker itself (trackers are unhashable): (events seen, first and last of them, applied
    # so far, loop names). A deep copy of the tracker copies it consistently with the events.
    MEMO = "_tradewind_applied_events"

    def __call__(self, original: Any, tracker: Any) -> List[Any]:
        from rasa.shared.core.events import (
            ActionExecuted, ActionReverted, ActiveLoop, Restarted, SessionStarted, UserUttered, UserUtteranceReverted)
        from rasa.shared.core.trackers import DialogueStateTracker

        if type(tracker) is not DialogueStateTracker:
            return original(tracker)
        events = tracker.events
        memo = tracker.__dict__.get(self.MEMO)
        seen, applied, loop_names = 0, [], set()
        if memo is not None and 0 < memo[0] <= len(events) and events[0] is memo[1] and events[memo[0] - 1] is memo[2]:
            seen, applied, loop_names = memo[0], memo[3], memo[4]
        new = list(itertools.islice(events, seen, None))
        names = {e.name for e in new if isinstance(e, ActiveLoop) and e.name}
        if seen and not names <= loop_names:  # a new loop changes how earlier events count: from scratch
            seen, applied, loop_names, new = 0, [], set(), list(events)
        loop_names = loop_names | names if seen else {e.name for e in new if isinstance(e, ActiveLoop) and e.name}
        for event in new:  # Rasa's loop, unchanged
            if isinstance(event, (Restarted, SessionStarted)):
                applied = []
            elif isinstance(event, ActionReverted):
                tracker._undo_till_previous(ActionExecuted, applied)
            elif isinstance(event, UserUtteranceReverted):
                tracker._undo_till_previous(UserUttered, applied)
                tracker._undo_till_previous(ActionExecuted, applied)
            elif (isinstance(event, ActionExecuted) and event.action_name in loop_names
                  and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)):
                tracker._undo_till_previous_loop_execution(event.action_name, applied)
            else:
                applied.append(event)
        if events:
            tracker.__dict__[self.MEMO] = (len(events), events[0], events[-1], applied, loop_names)
        return list(applied)


RULE_POLICY_LOGGER = "rasa.core.policies.rule_policy"  # the (structlog over stdlib) logger that prints it


def format_only_when_logged(original: Any) -> Any:
    """`Policy.format_tracker_states`, returning "" unless RulePolicy's debug line would be printed."""

    def format_tracker_states(states: List[Dict]) -> Text:
        if not logging.getLogger(RULE_POLICY_LOGGER).isEnabledFor(logging.DEBUG):
            return ""
        return original(states)

    return format_tracker_states


def freeze_after_model_load() -> None:
    """After the server loads its model, move everything alive then out of the garbage collector's scans."""
    import gc

    import rasa.core.run

    original = rasa.core.run.load_agent_on_start

    async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
        agent = await original(*args, **kwargs)
        gc.collect()
        gc.freeze()
        log.info("model loaded; %d objects moved out of the garbage collector's scans", gc.get_freeze_count())
        return agent

    rasa.core.run.load_agent_on_start = load_agent_on_start


def apply() -> bool:
    """Install the speed-ups; False (and nothing changed) on another Rasa version."""
    import rasa
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction
    from rasa.core.policies.policy import Policy
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.constants import DOCS_BASE_URL
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

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
    prior_states, original_states = PriorStates(), Domain.states_for_tracker_history

    def states_for_tracker_history(self: Domain, tracker: Any, omit_unset_slots: bool = False,
                                   ignore_rule_only_turns: bool = False,
                                   rule_only_data: Optional[Dict[Text, Any]] = None) -> List[Any]:
        return prior_states(original_states, self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)

    Domain.states_for_tracker_history = states_for_tracker_history  # type: ignore[method-assign]
    applied_events, original_applied = AppliedEvents(), DialogueStateTracker.applied_events

    def tracker_applied_events(self: DialogueStateTracker) -> List[Any]:
        return applied_events(original_applied, self)

    DialogueStateTracker.applied_events = tracker_applied_events  # type: ignore[method-assign]
    Policy.format_tracker_states = staticmethod(format_only_when_logged(Policy.format_tracker_states))
    freeze_after_model_load()
    return True
