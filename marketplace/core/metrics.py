"""The marketplace's Prometheus metrics: one registry per process, made on first use.

Counters of state changes (orders, handoffs, outbox) count what was committed: `count_on_commit`
keeps a session's counts until its outermost transaction commits, and drops them on a rollback.
"""

from __future__ import annotations

import functools

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_PENDING = "tradewind_metrics_pending"


class MarketplaceMetrics:
    """Every metric the API process exposes at GET /metrics."""

    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        self.http_requests = Counter("tradewind_http_requests", "HTTP requests by route template, method and status.",
                                     ["route", "method", "status"], registry=r)
        self.http_latency = Histogram("tradewind_http_request_duration_seconds", "Time to answer an HTTP request.",
                                      ["route", "method"], buckets=LATENCY_BUCKETS, registry=r)
        self.order_transitions = Counter("tradewind_order_transitions",
                                         "Committed order changes by action and resulting status.",
                                         ["action", "status"], registry=r)
        self.handoffs = Counter("tradewind_handoffs", "Support handoffs opened, claimed by staff and resolved.",
                                ["event"], registry=r)
        self.outbox_claimed = Counter("tradewind_outbox_claimed", "Outbox messages handed to a delivery worker.",
                                      registry=r)
        self.outbox_retried = Counter("tradewind_outbox_retried",
                                      "Outbox messages handed out again after an earlier attempt.", registry=r)
        self.outbox_delivered = Counter("tradewind_outbox_delivered",
                                        "Outbox messages whose every recipient was told.", registry=r)
        self.outbox_failed = Counter("tradewind_outbox_failed",
                                     "Failed sends reported by a worker (the message is retried later).", registry=r)
        self.outbox_lag = Gauge("tradewind_outbox_lag_seconds",
                                "How long the oldest due, undelivered outbox message has waited since it became "
                                "due (0 when none); read from the database at scrape time.", registry=r)
        self.outbox_due = Gauge("tradewind_outbox_due_messages",
                                "Due, undelivered outbox messages; read from the database at scrape time.",
                                registry=r)


@functools.cache
def metrics() -> MarketplaceMetrics:
    """This process's metrics (made, and the commit hooks installed, on first use)."""
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_transaction_end", _after_transaction_end)
    return MarketplaceMetrics()


def count_on_commit(session: Session, counter: Counter, amount: float = 1) -> None:
    """Add `amount` to `counter` (a plain counter or a labelled child) once `session` commits."""
    metrics()  # the hooks must be in place before the commit
    session.info.setdefault(_PENDING, []).append((counter, amount))


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the outer transaction may still roll back
        return
    for counter, amount in session.info.pop(_PENDING, ()):
        counter.inc(amount)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended without committing: forget its counts
        session.info.pop(_PENDING, None)
