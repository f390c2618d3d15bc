"""Fixtures: a real emulator on a free loopback port, a control client and a PTB bot."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
import telegram
import uvicorn
from telegram.request import HTTPXRequest

from sandbox import create_app
from sandbox.client import SandboxClient
from sandbox.runtime import Runtime
from sandbox.settings import Settings
from tests.support import free_socket, start_server, stop_server  # noqa: F401 - used by tests here

TOKEN = "123456789:AAH-sandbox-test-token-abcdefghijklm"
LOOPBACK = {"verify": False}  # plain-http loopback only; skips loading CA certificates (faster)


@dataclass
class Server:
    """A running emulator."""

    url: str
    rt: Runtime
    server: uvicorn.Server

    @property
    def port(self) -> int:
        """Bound port."""
        return int(self.url.rsplit(":", 1)[1])


def fast_settings() -> Settings:
    """Real limits, but quick webhook retries and pre-checkout timeout for tests."""
    settings = Settings()
    settings.webhook_retry_initial = 0.05
    settings.webhook_retry_max = 0.2
    settings.precheckout_timeout = 2.0
    return settings


@pytest_asyncio.fixture
async def sandbox() -> AsyncIterator[Server]:
    """A fresh emulator with one registered bot (TOKEN)."""
    app = create_app(fast_settings())
    rt: Runtime = app.state.rt
    rt.state.add_bot(TOKEN, "tradewind_test_bot", "Tradewind Test")
    server, task, url = await start_server(app)
    try:
        yield Server(url, rt, server)
    finally:
        await rt.shutdown()
        await stop_server(server, task)


@pytest_asyncio.fixture
async def client(sandbox: Server) -> AsyncIterator[SandboxClient]:
    """Control API client."""
    async with SandboxClient(sandbox.url) as c:
        yield c


class RecordingRequest(HTTPXRequest):
    """PTB request that keeps every raw (method, status, JSON body) for conformance checks."""

    def __init__(self, log: list[tuple[str, int, Any]], **kwargs: Any) -> None:
        """Share a log list between the normal and the getUpdates request objects."""
        super().__init__(**kwargs)
        self.log = log

    async def do_request(
        self, url: str, method: str, request_data: Any = None, **kwargs: Any
    ) -> tuple[int, bytes]:
        """Perform the request and record its raw answer."""
        status, body = await super().do_request(url, method, request_data, **kwargs)
        if "/file/bot" not in url:
            self.log.append((url.rsplit("/", 1)[-1], status, json.loads(body)))
        return status, body


def make_bot(
    url: str, token: str = TOKEN, log: list[tuple[str, int, Any]] | None = None
) -> telegram.Bot:
    """A PTB Bot talking to the emulator at url."""
    log = [] if log is None else log
    return telegram.Bot(
        token,
        base_url=f"{url}/bot",
        base_file_url=f"{url}/file/bot",
        request=RecordingRequest(log, connection_pool_size=8, httpx_kwargs=LOOPBACK),
        get_updates_request=RecordingRequest(log, read_timeout=30, httpx_kwargs=LOOPBACK),
    )


@pytest.fixture
def raw_log() -> list[tuple[str, int, Any]]:
    """Raw responses seen by the bot fixture."""
    return []


@pytest_asyncio.fixture
async def bot(sandbox: Server, raw_log: list[tuple[str, int, Any]]) -> AsyncIterator[telegram.Bot]:
    """The real PTB Bot pointed at the emulator."""
    async with make_bot(sandbox.url, log=raw_log) as b:
        yield b


@pytest.fixture
def spec(sandbox: Server) -> Any:
    """The loaded Bot API spec."""
    return sandbox.rt.spec
