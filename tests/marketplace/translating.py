"""The marketplace app with machine translation switched on (LibreTranslate stand-in at a URL)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from pydantic import SecretStr

from marketplace.api.main import create_app
from marketplace.core.config import MarketplaceSettings
from tests.conftest import SERVICE_TOKEN


def with_translator(settings: MarketplaceSettings, url: str, **extra: object) -> MarketplaceSettings:
    """The test settings with LibreTranslate at `url` (see tests/translation_server.py)."""
    return settings.model_copy(update={"translator_provider": "libre", "translator_url": url,
                                       "translator_api_key": SecretStr("test-key"), "translator_timeout": 2.0,
                                       **extra})


@asynccontextmanager
async def api_client(settings: MarketplaceSettings) -> AsyncIterator[httpx.AsyncClient]:
    """The real app over ASGITransport with these settings, authenticated as a service."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://marketplace",
                                     headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}) as client:
            yield client
