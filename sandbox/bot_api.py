"""HTTP endpoints Telegram exposes: /bot<token>/<method> and /file/bot<token>/<path>."""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .errors import ApiError
from .methods.base import Ctx
from .params import read_raw, validate
from .runtime import Runtime

log = logging.getLogger("sandbox.api")


def envelope(result: Any) -> JSONResponse:
    """Successful Telegram envelope."""
    return JSONResponse({"ok": True, "result": result})


def error(exc: ApiError) -> JSONResponse:
    """Error Telegram envelope."""
    return JSONResponse(exc.body(), status_code=exc.code)


async def call(request: Request) -> Response:
    """Dispatch one Bot API call."""
    rt: Runtime = request.app.state.rt
    token, name = request.path_params["token"], request.path_params["method"]
    bot = rt.state.bots.get(token)
    entry: dict[str, Any] = {}
    try:
        if bot is None:
            raise ApiError(401, "Unauthorized")
        spec = rt.spec.method(name)
        if spec is None:
            raise ApiError(404, "Not Found")
        handler = rt.methods.get(name.lower())
        raw = await read_raw(request)
        params, unknown = validate(spec, raw)
        entry = rt.state.log_call(bot, spec.name, params, unknown, rt.settings.log_limit)
        if handler is None:
            raise ApiError(501, f"Not Implemented: the sandbox does not emulate {spec.name}")
        result = await handler(Ctx(rt, bot), params)
    except ApiError as exc:
        entry["status"] = exc.code
        return error(exc)
    entry["status"] = 200
    return envelope(result)


async def download(request: Request) -> Response:
    """Serve a stored file's bytes by its file_path."""
    rt: Runtime = request.app.state.rt
    if request.path_params["token"] not in rt.state.bots:
        return error(ApiError(401, "Unauthorized"))
    path = request.path_params["path"]
    stored = next((f for f in rt.state.files.values() if f.file_path == path), None)
    if stored is None:
        return error(ApiError(404, "Not Found"))
    return Response(stored.content, media_type=stored.mime_type or "application/octet-stream")


def routes() -> list[Route]:
    """Routes for the Bot API surface."""
    return [
        Route("/bot{token}/{method}", call, methods=["GET", "POST"]),
        Route("/file/bot{token}/{path:path}", download, methods=["GET"]),
    ]
