"""Every API request: its request id (X-Request-ID, received or made), one access log line, metrics.

The log line and the metrics name the route template (`/orders/{order_id}`), never the raw path or
its query string (which may carry ids or tokens), and never a header.
"""

from __future__ import annotations

import logging
import time

from starlette.datastructures import MutableHeaders
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marketplace.core.metrics import metrics
from tradewind import request_id

log = logging.getLogger("marketplace.access")
UNMATCHED = "unmatched"  # no route: a 404 for an unknown path, one label for all of them


def route_of(scope: Scope) -> str:
    """The template of the route that answered, e.g. `/orders/{order_id}`."""
    route = scope.get("route")  # FastAPI's own routes say which they are
    if route is None and scope.get("app") is not None:  # plain Starlette routes (/docs, /openapi.json)
        route = next((r for r in scope["app"].routes if r.matches(scope)[0] is Match.FULL), None)
    return getattr(route, "path", None) or UNMATCHED


def _received_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            return request_id.clean(value.decode("latin-1"))
    return None


class RequestObserver:
    """ASGI middleware: binds the request id, echoes it in the answer, logs and counts the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request inside its request id; log and count it once it is answered (or failed)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _received_id(scope) or request_id.new("api-")
        status = 500  # unless the app answers: an exception reaches the server's error handler

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append(request_id.HEADER, rid)
            await send(message)

        started = time.perf_counter()
        with request_id.bound(request_id=rid):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                elapsed = time.perf_counter() - started
                route, method = route_of(scope), scope["method"]
                observed = metrics()
                observed.http_requests.labels(route=route, method=method, status=str(status)).inc()
                observed.http_latency.labels(route=route, method=method).observe(elapsed)
                log.info("%s %s %s %.1f ms", method, route, status, elapsed * 1000,
                         extra={"request_id": rid, "method": method, "route": route, "status": status,
                                "duration_ms": round(elapsed * 1000, 1)})
