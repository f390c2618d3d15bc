"""The action server as `tradewind actions` runs it: rasa_sdk's own Sanic app and executor, plus
request ids in every log line and Prometheus metrics at GET /metrics on the same port."""

from __future__ import annotations

import logging
import os
import time
from functools import partial
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from rasa_sdk import endpoint, utils
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.worker.loader import AppLoader

from actions.metrics import metrics
from tradewind import logs, request_id

log = logging.getLogger("actions.server")
UNKNOWN = "unknown"  # an action name this server does not have (bounded label)


class ObservedExecutor(ActionExecutor):
    """rasa_sdk's executor, run inside the message's request id, timed and counted."""

    async def run(self, action_call: dict[str, Any], sink: Any = None, dispatcher: Any = None) -> Any:  # noqa: ANN401
        """Run the action as rasa_sdk does, with the ids of the message bound for logs and the marketplace."""
        tracker = action_call.get("tracker") or {}
        latest = tracker.get("latest_message") or {}
        metadata = latest.get("metadata") or {}
        name = str(action_call.get("next_action") or "")
        label = name if name in self.actions else UNKNOWN
        observed = metrics()
        rid = request_id.clean(metadata.get("request_id")) or request_id.new("act-")
        started = time.perf_counter()
        outcome = "failed"
        with request_id.bound(request_id=rid, conversation_id=request_id.clean(str(tracker.get("sender_id")))):
            try:
                result = await super().run(action_call, sink, dispatcher)
                outcome = "ok"
                return result
            except ActionExecutionRejection:  # a form declining to run: Rasa tries another policy
                outcome = "rejected"
                raise
            except Exception:
                observed.failures.labels(action=label).inc()
                raise
            finally:
                elapsed = time.perf_counter() - started
                observed.runs.labels(action=label).inc()
                observed.latency.labels(action=label).observe(elapsed)
                observed.message(latest, self.domain or action_call.get("domain"))
                log.info("action %s %s in %.1f ms", label, outcome, elapsed * 1000,
                         extra={"action": label, "outcome": outcome, "duration_ms": round(elapsed * 1000, 1)})


async def scrape(_request: Request) -> HTTPResponse:
    """GET /metrics: this worker's metrics in Prometheus' text format."""
    return response.raw(generate_latest(metrics().registry), content_type=CONTENT_TYPE_LATEST)


def create_app(executor: ActionExecutor) -> Sanic:
    """rasa_sdk's app (webhook, health, actions) with /metrics; built in each Sanic worker."""
    logs.configure("actions")  # a spawned worker starts with no logging set up
    app = endpoint.create_app_for_serve(executor)
    app.add_route(scrape, "/metrics", methods=["GET"], name="metrics")
    return app


def serve(port: int, package: str = "actions") -> None:
    """Serve the actions in `package` until stopped, like `python -m rasa_sdk` (host from SANIC_HOST)."""
    executor = ObservedExecutor()
    executor.register_package(package)
    loader = AppLoader(factory=partial(create_app, executor))
    app = loader.load()
    host = os.environ.get("SANIC_HOST", "0.0.0.0")
    log.info("action server on http://%s:%s (metrics at /metrics)", host, port)
    app.prepare(host=host, port=port, workers=utils.number_of_sanic_workers())
    Sanic.serve(primary=app, app_loader=loader)
