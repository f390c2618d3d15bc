"""Talk to the Rasa server's REST channel over one shared httpx client."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.metrics import metrics

log = logging.getLogger(__name__)

WARM_UP_TEXTS = ("hello there", "hola, buenas", "olá, tudo bem", "hallo zusammen", "bonjour à tous",
                 "ciao a tutti", "hei sann", "你好")


class RasaUnavailable(Exception):
    """Rasa did not answer in time or answered with an error."""


def failure_reason(exc: Exception) -> str:
    """A bounded label for why Rasa did not answer: timeout, status (4xx/5xx), unreachable, bad_answer."""
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    if isinstance(exc, httpx.HTTPStatusError):
        return "status"
    return "unreachable" if isinstance(exc, httpx.HTTPError) else "bad_answer"


@dataclass(frozen=True)
class Button:
    """A button Rasa asked for: its label and the payload to send back when pressed."""

    title: str
    payload: str


@dataclass(frozen=True)
class BotReply:
    """One message Rasa wants sent."""

    text: str | None = None
    buttons: list[Button] = field(default_factory=list)
    image: str | None = None
    custom: dict[str, Any] | None = None
    row: list[Button] = field(default_factory=list)  # buttons side by side under the others (◀ ▶)


def parse_replies(raw: list[dict[str, Any]]) -> list[BotReply]:
    """Turn the REST channel's JSON into replies, ignoring what we cannot render."""
    replies = []
    for item in raw:
        buttons = [Button(str(b.get("title", "")), str(b.get("payload", "")))
                   for b in item.get("buttons") or [] if b.get("payload")]
        reply = BotReply(text=item.get("text"), buttons=buttons, image=item.get("image"),
                         custom=item.get("custom") if isinstance(item.get("custom"), dict) else None)
        if reply.text or reply.image or reply.custom:
            replies.append(reply)
    return replies


class RasaClient:
    """Sends a person's message to Rasa and returns what the bot should answer."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, timeout: float) -> None:
        self._http = http
        self._url = base_url.rstrip("/") + "/webhooks/rest/webhook"
        self._timeout = timeout

    async def warm_up(self, *, attempts: int = 90, pause: float = 2.0) -> bool:
        """Once Rasa is up, parse a message per language, so nobody waits for models to load."""
        base = self._url.removesuffix("/webhooks/rest/webhook")
        for _ in range(attempts):
            try:
                for text in WARM_UP_TEXTS:
                    response = await self._http.post(f"{base}/model/parse", json={"text": text}, timeout=60.0)
                    response.raise_for_status()
                return True
            except httpx.HTTPError:
                await asyncio.sleep(pause)  # Rasa still starting (or down): try again later
        return False

    async def end_handoff(self, sender: str) -> bool:
        """Tell Rasa that support handed the conversation back (`handoff_requested` false again, so
        earlier fallbacks no longer count). Never raises; False when Rasa could not be told."""
        base = self._url.removesuffix("/webhooks/rest/webhook")
        events = [{"event": "slot", "name": "handoff_requested", "value": False},
                  {"event": "slot", "name": "handoff_reason", "value": None}]
        try:
            response = await self._http.post(f"{base}/conversations/{sender}/tracker/events", json=events,
                                             params={"include_events": "NONE"}, timeout=self._timeout)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            log.warning("could not tell Rasa that the handoff of %s ended: %s", sender, type(exc).__name__)
            return False
        return True

    async def send(self, *, sender: str, text: str, metadata: dict[str, Any]) -> list[BotReply]:
        """Deliver one message; raise RasaUnavailable when Rasa is down, slow or failing."""
        observed, started = metrics(), time.perf_counter()
        try:
            response = await self._http.post(
                self._url, json={"sender": sender, "message": text, "metadata": metadata},
                timeout=self._timeout)
            response.raise_for_status()
            data = response.json()
            if not isinstance(data, list):
                raise ValueError("unexpected answer")
        except (httpx.HTTPError, ValueError) as exc:
            observed.rasa_failures.labels(reason=failure_reason(exc)).inc()
            raise RasaUnavailable(type(exc).__name__) from exc
        finally:
            observed.rasa_latency.observe(time.perf_counter() - started)
        return parse_replies(data)
