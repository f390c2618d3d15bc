"""Fixtures: the emulator on loopback and the real bot polling it."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest_asyncio
from telegram.ext import Application

from bot.app import build_application
from marketplace.api.main import create_app as create_marketplace_app
from marketplace.core.config import MarketplaceSettings
from bot.config import BotSettings
from sandbox import create_app
from sandbox.client import SandboxClient
from sandbox.runtime import Runtime
from sandbox.settings import Settings
from tests.support import start_server, stop_server

TOKEN = "777000111:AAtradewind-bot-test-token"


@dataclass
class Emulator:
    """A running emulator and a client to drive it."""

    url: str
    rt: Runtime
    client: SandboxClient


@pytest_asyncio.fixture
async def emulator() -> AsyncIterator[Emulator]:
    """A fresh emulator with the bot registered, real Telegram limits."""
    settings = Settings()
    settings.precheckout_timeout = 3.0
    app = create_app(settings)
    rt: Runtime = app.state.rt
    rt.state.add_bot(TOKEN, "tradewind_bot", "Tradewind")
    server, task, url = await start_server(app)
    async with SandboxClient(url) as client:
        try:
            yield Emulator(url, rt, client)
        finally:
            await rt.shutdown()
            await stop_server(server, task)


@asynccontextmanager
async def _running(settings: BotSettings, start_updater) -> AsyncIterator[Application]:  # noqa: ANN001
    """The real bot Application, its updater started by `start_updater(app.updater)`, until the block ends."""
    app = build_application(settings)
    async with app:
        await app.post_init(app)  # run_polling() would call these hooks; we drive the app by hand
        await app.start()
        await start_updater(app.updater)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            await app.post_shutdown(app)


@asynccontextmanager
async def running_bot(settings: BotSettings, *, drop_pending: bool = True) -> AsyncIterator[Application]:
    """The real bot Application, long-polling until the block ends (by default ignoring earlier updates)."""
    async with _running(settings, lambda updater: updater.start_polling(poll_interval=0, timeout=1,
                                                                          drop_pending_updates=drop_pending)) as app:
        yield app


@asynccontextmanager
async def running_webhook_bot(settings: BotSettings, url_path: str = "") -> AsyncIterator[Application]:
    """The real bot Application in webhook mode (settings.webhook_* say where) until the block ends."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    secret = settings.webhook_secret.get_secret_value()
    async with _running(settings, lambda updater: updater.start_webhook(
            listen="127.0.0.1", port=settings.webhook_port, url_path=url_path, webhook_url=settings.webhook_url,
            secret_token=secret)) as app:
        yield app


def bot_settings(emulator: Emulator, **overrides) -> BotSettings:  # noqa: ANN003
    """Settings pointing the bot at the emulator; Rasa and the marketplace as given."""
    values = {"telegram_bot_token": TOKEN, "telegram_api_url": emulator.url,
              "rasa_url": "http://127.0.0.1:9", "marketplace_url": "http://127.0.0.1:9",
              "service_token": "test-service-token", "reply_timeout": 3.5,
              # The outbox worker's notifications would interleave with what other tests wait for;
              # tests/bot/test_outbox_alerts.py turns it on.
              "outbox_enabled": False,
              # Each bot its own payment journal (tests run side by side; var/ is the demo's).
              "payment_journal": Path(tempfile.mkdtemp(prefix="tw-payments-")) / "payments.journal"}
    values.update(overrides)
    return BotSettings(**values)


BotFactory = Callable[..., BotSettings]


@pytest_asyncio.fixture
async def marketplace_url(settings: MarketplaceSettings) -> AsyncIterator[str]:
    """The real marketplace API on loopback, over the test database."""
    server, task, url = await start_server(create_marketplace_app(settings))
    yield url
    await stop_server(server, task)
