"""Starlette application factory."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from . import bot_api, client_api
from .runtime import Runtime
from .settings import Settings

WEB = Path(__file__).resolve().parent / "web"


async def index(request: Request) -> Response:
    """The chat web page."""
    return FileResponse(WEB / "index.html", media_type="text/html")


async def root(request: Request) -> Response:
    """Redirect / to the web page."""
    return RedirectResponse("/sandbox/ui")


def create_app(settings: Settings | None = None) -> Starlette:
    """Build an emulator app with its own in-memory state (app.state.rt)."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    rt = Runtime(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        """Stop long polls and webhook senders on shutdown."""
        yield
        await rt.shutdown()

    routes = bot_api.routes() + client_api.routes()
    if rt.settings.ui:
        routes += [Route("/", root), Route("/sandbox/ui", index)]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.rt = rt
    return app
