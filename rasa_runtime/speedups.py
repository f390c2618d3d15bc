"""Two hot spots of Rasa 3.6.21, measured with cProfile on our conversations, made cheap.

1. Every turn the tracker store rebuilds the conversation from its stored events, and for each event
   `Event.resolve_by_type` walks all Event subclasses again (`all_subclasses` + `inspect.isabstract`):
   ~50 ms a turn once a conversation has a few hundred events, growing with its length. Here the
   type-name → class table is built once (and rebuilt if a name is ever missing, e.g. an event class
   imported later), with the same first-match order.
2. Every custom-action answer is checked with `jsonschema.validate(result, schema)`, which first checks
   the *schema* against the JSON Schema meta-schema: ~50 ms per action call. Here one validator is
   built for the (constant) schema and reused; invalid answers are refused exactly as before.

Both are applied explicitly by `python -m rasa_runtime` (never at import) and only to the Rasa version
they were measured on.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Optional, Text, Type

log = logging.getLogger(__name__)

MEASURED_ON = "3.6.21"


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


def apply() -> bool:
    """Install both speed-ups; False (and nothing changed) on another Rasa version."""
    import rasa
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction
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
    return True
