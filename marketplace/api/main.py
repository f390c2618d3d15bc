"""The marketplace HTTP API, built by `create_app` (nothing happens at import)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError

from marketplace.api.deps import require_service_token
from marketplace.api.errors import ERROR_RESPONSES
from marketplace.api.observe import RequestObserver
from marketplace.api.routes import metrics as metrics_route
from marketplace.api.routes import (
    conversations,
    customers,
    handoffs,
    media,
    orders,
    outbox,
    quotes,
    rates,
    search,
    seller,
    shops,
    translation,
)
from marketplace.core.config import MarketplaceSettings
from marketplace.core.db import make_engine, make_session_factory
from marketplace.services.errors import DomainError
from marketplace.services.translation import TranslationService


def _readable(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
    return "; ".join(parts)


def create_app(settings: MarketplaceSettings | None = None) -> FastAPI:
    """Build the API; the engine is created on startup and disposed on shutdown."""
    settings = settings or MarketplaceSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url, pool_size=settings.db_pool_size,
                             max_overflow=settings.db_max_overflow, pool_timeout=settings.db_pool_timeout)
        app.state.session_factory = make_session_factory(engine)
        app.state.translation = TranslationService(settings, app.state.session_factory)
        yield
        engine.dispose()

    app = FastAPI(title="Tradewind marketplace", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.service_token = settings.token().get_secret_value()

    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        body: dict[str, object] = {"detail": exc.message}
        if exc.code:
            body |= {"code": exc.code, "params": {k: str(v) for k, v in exc.params.items()}}
        return JSONResponse(body, status_code=exc.status)

    @app.exception_handler(ValueError)
    async def value_error(_request: Request, exc: ValueError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_400_BAD_REQUEST)

    @app.exception_handler(IntegrityError)
    async def integrity_error(_request: Request, _exc: IntegrityError) -> JSONResponse:
        return JSONResponse({"detail": "the change conflicts with existing data; nothing was saved"},
                            status_code=status.HTTP_409_CONFLICT)

    @app.exception_handler(DataError)
    async def data_error(_request: Request, _exc: DataError) -> JSONResponse:
        # e.g. a NUL character, which PostgreSQL text cannot hold (SQLite stores it); nothing was saved
        return JSONResponse({"detail": "a value cannot be stored (such as a NUL character); nothing was saved"},
                            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in exc.errors()]
        return JSONResponse({"detail": _readable(exc), "errors": errors},
                            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """Liveness for process managers; reveals nothing."""
        return {"status": "ok"}

    app.include_router(metrics_route.router)  # Prometheus scrapes without the service token
    app.add_middleware(RequestObserver)  # request id, access log line, HTTP metrics
    protected = [Depends(require_service_token)]
    for module in (shops, search, customers, quotes, orders, rates, media, translation, conversations,
                   seller, outbox, handoffs):
        app.include_router(module.router, dependencies=protected, responses=ERROR_RESPONSES)
    return app
