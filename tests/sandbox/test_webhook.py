"""Webhook delivery: secret header, retry with backoff after failures, 409 for getUpdates."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import pytest_asyncio
import telegram
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox.client import SandboxClient

from .conftest import start_server, stop_server


@dataclass
class Receiver:
    """A webhook endpoint that fails its first `failures` requests."""

    url: str = ""
    failures: int = 0
    hits: list[tuple[float, dict[str, str], Any]] = field(default_factory=list)
    got: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: Request) -> Response:
        """Record the delivery; answer 500 while failures remain."""
        self.hits.append(
            (asyncio.get_running_loop().time(), dict(request.headers), await request.json())
        )
        if self.failures > 0:
            self.failures -= 1
            return JSONResponse({"error": "boom"}, status_code=500)
        self.got.set()
        return JSONResponse({})


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A live webhook receiver on loopback."""
    rec = Receiver()
    server, task, url = await start_server(
        Starlette(routes=[Route("/hook", rec.handle, methods=["POST"])])
    )
    rec.url = f"{url}/hook"
    try:
        yield rec
    finally:
        await stop_server(server, task)


@pytest.mark.asyncio
async def test_webhook_delivers_with_secret_header(
    bot: telegram.Bot, client: SandboxClient, receiver: Receiver
) -> None:
    """Updates are POSTed as JSON with X-Telegram-Bot-Api-Secret-Token."""
    assert await bot.set_webhook(receiver.url, secret_token="tw_secret-1")
    user = await client.create_user("Ann")
    await client.send_text(user["id"], "hello hook")
    await asyncio.wait_for(receiver.got.wait(), 3)
    _, headers, body = receiver.hits[0]
    assert headers["x-telegram-bot-api-secret-token"] == "tw_secret-1"
    assert body["message"]["text"] == "hello hook" and body["update_id"] >= 1
    assert telegram.Update.de_json(body, bot).message.from_user.id == user["id"]
    info = await bot.get_webhook_info()
    assert info.url == receiver.url and info.pending_update_count == 0


@pytest.mark.asyncio
async def test_webhook_retries_with_backoff(
    bot: telegram.Bot, client: SandboxClient, receiver: Receiver
) -> None:
    """A failing receiver gets the same update again, with growing delays, until it accepts."""
    receiver.failures = 3
    await bot.set_webhook(receiver.url)
    user = await client.create_user("Ann")
    await client.send_text(user["id"], "retry me")
    await asyncio.wait_for(receiver.got.wait(), 5)
    times = [t for t, _, _ in receiver.hits]
    assert len(times) == 4
    assert len({body["update_id"] for _, _, body in receiver.hits}) == 1
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert gaps[0] >= 0.04 and gaps[1] > gaps[0] * 1.5
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert info.last_error_date is not None and info.pending_update_count == 0


@pytest.mark.asyncio
async def test_get_updates_conflicts_while_webhook_set(
    bot: telegram.Bot, client: SandboxClient, receiver: Receiver
) -> None:
    """getUpdates answers 409 while a webhook is set; deleteWebhook restores polling."""
    receiver.failures = 1000
    await bot.set_webhook(receiver.url)
    with pytest.raises(
        telegram.error.Conflict, match="can't use getUpdates method while webhook is active"
    ):
        await bot.get_updates()
    user = await client.create_user("Ann")
    await client.send_text(user["id"], "queued")
    assert await bot.delete_webhook()
    updates = await bot.get_updates(timeout=1)
    assert [u.message.text for u in updates] == ["queued"]
    assert (await bot.get_webhook_info()).url == ""


@pytest.mark.asyncio
async def test_webhook_unreachable_records_error(bot: telegram.Bot, client: SandboxClient) -> None:
    """An unreachable URL keeps the update pending and reports a connection error."""
    from .conftest import free_socket

    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    await bot.set_webhook(f"http://127.0.0.1:{port}/hook", drop_pending_updates=True)
    user = await client.create_user("Ann")
    await client.send_text(user["id"], "lost?")
    for _ in range(100):
        info = await bot.get_webhook_info()
        if info.last_error_message:
            break
        await asyncio.sleep(0.02)
    assert (
        info.last_error_message.startswith("Connection failed") and info.pending_update_count == 1
    )
