"""The marketplace API as the actions see it: one shared httpx client, timeouts, retries on reads."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

import httpx

from actions.config import ActionSettings
from actions.refusals import refusal
from actions.texts import say
from tradewind import request_id


class MarketplaceError(Exception):
    """The marketplace refused (4xx, with its readable `detail`) or could not be reached."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None,
                 params: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message, self.status, self.code, self.params = message, status, code, params or {}

    def explain(self, language: str) -> str:
        """What to tell the person: 'try again later' for outages, the reason for refusals (in their
        language when the marketplace sent a code we know)."""
        if self.status is None or self.status >= 500:
            return say("unavailable", language)
        return say("refused", language, reason=refusal(self.code, self.params, language) or self.message)


def _acting(user: int | None) -> dict[str, str] | None:
    return {"X-Acting-User": str(user)} if user is not None else None


class Marketplace:
    """Calls to the marketplace API used by the actions."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def _request(self, method: str, path: str, *, retries: int = 0, **kwargs: Any) -> Any:
        for attempt in range(retries + 1):
            try:
                response = await self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                if attempt < retries:
                    await asyncio.sleep(0.2 * (attempt + 1))
                    continue
                raise MarketplaceError("the marketplace is unreachable") from exc
            if response.status_code >= 500 and attempt < retries:
                await asyncio.sleep(0.2 * (attempt + 1))
                continue
            if response.status_code >= 400:
                try:
                    body = response.json()
                except ValueError:
                    body = {}
                body = body if isinstance(body, dict) else {}
                raise MarketplaceError(str(body.get("detail", response.text)), response.status_code,
                                       body.get("code"), body.get("params"))
            return response.json()
        raise MarketplaceError("the marketplace is unreachable")  # pragma: no cover - loop always returns

    async def get(self, path: str, *, acting: int | None = None, **params: Any) -> Any:
        """A read: retried twice on network errors and 5xx (idempotent). `acting`: the Telegram user
        on whose behalf we ask (sent as X-Acting-User; the marketplace checks they may)."""
        return await self._request("GET", path, retries=2, headers=_acting(acting),
                                   params={k: v for k, v in params.items() if v is not None})

    async def post(self, path: str, body: dict[str, Any], *, acting: int | None = None) -> Any:
        """A write: never retried blindly."""
        return await self._request("POST", path, json=body, headers=_acting(acting))

    async def patch(self, path: str, body: dict[str, Any], *, acting: int | None = None) -> Any:
        """A partial update setting absolute values (retried: repeating it changes nothing)."""
        return await self._request("PATCH", path, retries=2, json=body, headers=_acting(acting))

    def url(self, path: str, **params: Any) -> str:
        """The absolute URL of a marketplace resource (e.g. a chart the bot fetches as a photo)."""
        query = urlencode({k: v for k, v in params.items() if v is not None})
        return str(self._http.base_url).rstrip("/") + path + (f"?{query}" if query else "")

    async def put(self, path: str, body: dict[str, Any]) -> Any:
        """An idempotent write (retried)."""
        return await self._request("PUT", path, retries=2, json=body)

    async def delete(self, path: str) -> Any:
        """An idempotent delete (retried)."""
        return await self._request("DELETE", path, retries=2)


_clients: dict[int, Marketplace] = {}


def marketplace(settings: ActionSettings | None = None) -> Marketplace:
    """The process's shared client (one per event loop), created on first use."""
    loop_id = id(asyncio.get_running_loop())
    if loop_id not in _clients:
        settings = settings or ActionSettings()
        http = httpx.AsyncClient(base_url=settings.marketplace_url, timeout=settings.request_timeout,
                                 headers={"Authorization": f"Bearer {settings.token().get_secret_value()}"},
                                 event_hooks={"request": [request_id.stamp]})  # X-Request-ID of the message
        _clients[loop_id] = Marketplace(http)
    return _clients[loop_id]


def use(client: Marketplace) -> None:
    """Make `client` the shared one for the running loop (tests, embedding)."""
    _clients[id(asyncio.get_running_loop())] = client
