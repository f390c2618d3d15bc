"""A stand-in for the Rasa server on loopback: its REST channel, the tracker-events endpoint and the
warm-up parse. It records every call; what it answers is up to the test (a script, or real actions
run with a Tracker built from the message, as the real server would run them)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from actions import marketplace as market_module
from tests.conftest import SERVICE_TOKEN
from tests.support import start_server, stop_server

Reply = Callable[[str, str, dict[str, Any]], Awaitable[list[dict[str, Any]]]]


class StandInRasa:
    """POST /webhooks/rest/webhook -> `reply(sender, text, metadata)`; tracker events are recorded."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        self.messages: list[dict[str, Any]] = []
        self.tracker_events: dict[str, list[dict[str, Any]]] = {}

    def said(self, sender: int | str) -> list[str]:
        """What the bot forwarded to Rasa for this sender."""
        return [m["message"] for m in self.messages if m["sender"] == str(sender)]

    async def _webhook(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.messages.append(body)
        return JSONResponse(await self.reply(body["sender"], body["message"], body.get("metadata") or {}))

    async def _events(self, request: Request) -> JSONResponse:
        events = await request.json()
        self.tracker_events.setdefault(request.path_params["sender"], []).extend(
            events if isinstance(events, list) else [events])
        return JSONResponse({"sender_id": request.path_params["sender"]})

    async def _parse(self, _request: Request) -> JSONResponse:
        return JSONResponse({"intent": {"name": "greet", "confidence": 1.0}, "entities": []})

    def app(self) -> Starlette:
        """The ASGI app to serve (tests.support.start_server)."""
        return Starlette(routes=[
            Route("/webhooks/rest/webhook", self._webhook, methods=["POST"]),
            Route("/conversations/{sender}/tracker/events", self._events, methods=["POST"]),
            Route("/model/parse", self._parse, methods=["POST"]),
        ])


async def run_action(action: Action, sender: str, text: str, metadata: dict[str, Any], *, intent: str,
                     entities: dict[str, Any] | None = None, slots: dict[str, Any] | None = None) -> list[dict]:
    """Run a real action on a Tracker built from the message; its messages in the REST channel's shape."""
    tracker = Tracker.from_dict({
        "sender_id": sender, "slots": slots or {}, "events": [], "paused": False, "followup_action": None,
        "active_loop": {}, "latest_action_name": "action_listen",
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.97}, "metadata": metadata,
                           "entities": [{"entity": k, "value": v} for k, v in (entities or {}).items()]}})
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, {})
    return [{"recipient_id": sender, **{k: m[k] for k in ("text", "buttons", "image", "custom") if m.get(k)}}
            for m in dispatcher.messages]


@asynccontextmanager
async def serving_with_marketplace(reply: Reply, marketplace_url: str) -> AsyncIterator[StandInRasa]:
    """A running stand-in whose actions reach the marketplace over HTTP, as the action server's do."""
    stand_in = StandInRasa(reply)
    http = httpx.AsyncClient(base_url=marketplace_url, headers={"Authorization": f"Bearer {SERVICE_TOKEN}"})
    market_module.use(market_module.Marketplace(http))
    server, task, stand_in.url = await start_server(stand_in.app())
    try:
        yield stand_in
    finally:
        await stop_server(server, task)
        await http.aclose()
