"""The action server's Prometheus metrics (one registry per process, made on first use): actions run,
their latency and failures, and what NLU made of the person's message, read from the tracker.

Rasa itself exports no metrics here (its virtualenv stays as it is); the actions see every message
that leads to a custom action, with the intent and confidence Rasa gave it. Messages answered by
responses alone (`utter_*`) never reach the action server, so they are not in these numbers.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

FALLBACK_INTENT = "nlu_fallback"
OTHER = "other"  # an intent the domain does not list (e.g. a typed "/anything" payload)
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CONFIDENCE_BUCKETS = (0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)


def _intent_names(domain: dict[str, Any] | None) -> set[str]:
    names = set()
    for intent in (domain or {}).get("intents") or []:
        names.update(intent if isinstance(intent, dict) else [intent])
    return {str(name) for name in names}


class ActionMetrics:
    """Every metric the action server exposes at GET /metrics."""

    def __init__(self, remember: int = 10_000) -> None:
        self.registry = r = CollectorRegistry()
        self.runs = Counter("tradewind_action_runs", "Custom actions run, by action.", ["action"], registry=r)
        self.latency = Histogram("tradewind_action_duration_seconds", "Time to run a custom action.", ["action"],
                                 buckets=LATENCY_BUCKETS, registry=r)
        self.failures = Counter("tradewind_action_failures", "Custom actions that raised (Rasa got a 500).",
                                ["action"], registry=r)
        self.messages = Counter("tradewind_nlu_messages", "Typed messages that led to a custom action, by intent.",
                                ["intent"], registry=r)
        self.confidence = Histogram("tradewind_nlu_intent_confidence",
                                    "NLU confidence of the chosen intent, per typed message.",
                                    buckets=CONFIDENCE_BUCKETS, registry=r)
        self.fallbacks = Counter("tradewind_nlu_fallbacks", "Typed messages NLU was unsure of (nlu_fallback).",
                                 registry=r)
        self._seen: OrderedDict[str, None] = OrderedDict()  # message ids already counted
        self._remember = remember

    def message(self, latest: dict[str, Any], domain: dict[str, Any] | None) -> None:
        """Count the person's message once (several actions may answer it); button payloads
        ('/intent{...}', confidence 1 by construction) are not NLU's work and are left out."""
        message_id, text = latest.get("message_id"), latest.get("text") or ""
        intent = latest.get("intent") or {}
        if not message_id or not intent.get("name") or text.startswith("/") or message_id in self._seen:
            return
        self._seen[message_id] = None
        if len(self._seen) > self._remember:
            self._seen.popitem(last=False)
        name = str(intent["name"])
        known = _intent_names(domain) | {FALLBACK_INTENT}
        self.messages.labels(intent=name if name in known else OTHER).inc()
        if isinstance(intent.get("confidence"), int | float):
            self.confidence.observe(float(intent["confidence"]))
        if name == FALLBACK_INTENT:
            self.fallbacks.inc()


@functools.cache
def metrics() -> ActionMetrics:
    """This process's metrics."""
    return ActionMetrics()
