"""The bot's Prometheus metrics: one registry per process, made on first use, served on METRICS_PORT.

Rasa (in its own virtualenv) exports none; the bot times every message it sends to Rasa instead.
"""

from __future__ import annotations

import functools
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.5, 5.0, 10.0)


class BotMetrics:
    """Every metric the bot exposes."""

    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        self.updates = Counter("tradewind_bot_updates", "Telegram updates handled, by type.", ["type"], registry=r)
        self.update_latency = Histogram("tradewind_bot_update_duration_seconds",
                                        "Time to handle an update (every handler it reached).", ["type"],
                                        buckets=LATENCY_BUCKETS, registry=r)
        self.update_errors = Counter("tradewind_bot_update_errors", "Updates whose handler raised, by type.",
                                     ["type"], registry=r)
        self.rasa_latency = Histogram("tradewind_bot_rasa_request_duration_seconds",
                                      "Time Rasa took to answer a message (failures included).",
                                      buckets=LATENCY_BUCKETS, registry=r)
        self.rasa_failures = Counter("tradewind_bot_rasa_failures",
                                     "Messages Rasa did not answer (in time, or well), by reason.", ["reason"],
                                     registry=r)
        self.replies = Counter("tradewind_bot_replies_sent", "Rasa's replies sent to a chat.", registry=r)
        self.alerts_sent = Counter("tradewind_bot_alerts_sent",
                                   "Outbox messages (order alerts, buyer notifications) Telegram accepted.",
                                   registry=r)
        self.alerts_retried = Counter("tradewind_bot_alerts_retried",
                                      "Outbox sends Telegram asked to retry later (flood control), then retried.",
                                      registry=r)
        self.alerts_failed = Counter("tradewind_bot_alerts_failed",
                                     "Outbox sends that failed, by reason; the marketplace retries them later.",
                                     ["reason"], registry=r)
        self.handoffs = Counter("tradewind_bot_handoffs_started", "Conversations handed to support staff.",
                                registry=r)
        self.handoff_messages = Counter("tradewind_bot_handoff_messages_relayed",
                                        "Messages relayed during a handoff, by direction.", ["direction"], registry=r)


@functools.cache
def metrics() -> BotMetrics:
    """This process's metrics."""
    return BotMetrics()


def serve(port: int, host: str = "127.0.0.1") -> WSGIServer:
    """Serve GET /metrics on `host:port` from a daemon thread; `.shutdown()` stops it."""
    server, _thread = start_http_server(port, addr=host, registry=metrics().registry)
    return server
