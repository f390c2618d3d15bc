"""An ASGI wrapper that notes the X-Request-ID of every request reaching the app it wraps."""

from __future__ import annotations

from typing import Any

from starlette.types import Receive, Scope, Send


class HeaderTap:
    """The real app, noting each request's method, path and X-Request-ID on the way in."""

    def __init__(self, app: Any) -> None:  # noqa: ANN401 - any ASGI app
        self.app = app
        self.seen: list[tuple[str, str, str | None]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            rid = dict(scope["headers"]).get(b"x-request-id")
            self.seen.append((scope["method"], scope["path"], rid.decode() if rid else None))
        await self.app(scope, receive, send)
