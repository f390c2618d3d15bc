"""A round-robin reverse proxy standing in for the production load balancer (nginx, HAProxy) in tests.

Each request goes to the next backend in turn (a backend that refuses the connection is skipped, as
nginx's `proxy_next_upstream error` does). It runs uvicorn in a thread of its own, so a test that blocks
its event loop (or has none) never stalls the traffic it forwards, and it remembers which backend served
what: a count per backend and, for Telegram webhook calls, which backend got each update_id.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from typing import Any

import httpx
import uvicorn

from tests.support import free_socket

HOP_BY_HOP = {"host", "connection", "keep-alive", "transfer-encoding", "content-length", "upgrade"}


class RoundRobin:
    """The ASGI app: forward each request to the next backend, relay its answer."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = [b.rstrip("/") for b in backends]
        self.served: Counter[str] = Counter()
        self.updates: list[tuple[int, str]] = []  # (update_id, backend) of webhook calls, in order
        self._next = 0
        self._lock = threading.Lock()
        self._http: httpx.AsyncClient | None = None

    def _turn(self) -> list[str]:
        with self._lock:
            start, self._next = self._next, (self._next + 1) % len(self.backends)
        return self.backends[start:] + self.backends[:start]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                if message["type"] == "lifespan.startup":
                    self._http = httpx.AsyncClient(timeout=60)
                    await send({"type": "lifespan.startup.complete"})
            if self._http is not None:
                await self._http.aclose()
            await send({"type": "lifespan.shutdown.complete"})
            return
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)
        headers = [(k.decode(), v.decode()) for k, v in scope["headers"] if k.decode().lower() not in HOP_BY_HOP]
        path = scope["path"] + (f"?{scope['query_string'].decode()}" if scope["query_string"] else "")
        assert self._http is not None
        for backend in self._turn():
            try:
                answer = await self._http.request(scope["method"], backend + path, headers=headers, content=body)
            except httpx.ConnectError:
                continue
            self._record(backend, body)
            await send({"type": "http.response.start", "status": answer.status_code,
                        "headers": [(k.encode(), v.encode()) for k, v in answer.headers.items()
                                    if k.lower() not in HOP_BY_HOP]})
            await send({"type": "http.response.body", "body": answer.content})
            return
        await send({"type": "http.response.start", "status": 502, "headers": []})
        await send({"type": "http.response.body", "body": b"no backend answered"})

    def _record(self, backend: str, body: bytes) -> None:
        with self._lock:
            self.served[backend] += 1
            try:
                update_id = json.loads(body).get("update_id") if body else None
            except (ValueError, AttributeError):
                update_id = None
            if isinstance(update_id, int):
                self.updates.append((update_id, backend))

    def backends_of(self, update_id: int) -> list[str]:
        """Which backend got each delivery of an update, in order."""
        with self._lock:
            return [backend for seen, backend in self.updates if seen == update_id]


class Balancer:
    """RoundRobin served on a free loopback port from a thread; use as a context manager."""

    def __init__(self, backends: list[str]) -> None:
        self.app = RoundRobin(backends)
        self._socket = free_socket()
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self._server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", access_log=False,
                                                     lifespan="on", timeout_graceful_shutdown=1))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]},
                                        name="balancer", daemon=True)

    def __enter__(self) -> Balancer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test balancer did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)
