"""What handlers share: one httpx client, the Rasa client, media cache. Built in `post_init`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
from telegram.ext import CallbackContext, ExtBot

from bot.config import BotSettings
from bot.handoff import HandoffDesk
from bot.history import ChatHistory
from bot.marketplace_client import MarketplaceClient
from bot.media import MediaCache
from bot.outbox import OutboxWorker
from bot.rasa_client import RasaClient


@dataclass
class Services:
    """Live clients; kept in memory only (never persisted)."""

    settings: BotSettings = field(default_factory=BotSettings)
    http: httpx.AsyncClient | None = None
    rasa: RasaClient | None = None
    media: MediaCache | None = None
    marketplace: MarketplaceClient | None = None
    warm_up: asyncio.Task[bool] | None = None
    history: ChatHistory = field(default_factory=ChatHistory)  # last messages, for the support summary
    desk: HandoffDesk | None = None  # support handoffs (bot/handoff.py)
    outbox: OutboxWorker | None = None  # delivers order alerts and buyer notifications

    def provider_token(self) -> str:
        """The Telegram Payments provider token ('' when none is configured)."""
        token = self.settings.payment_provider_token
        return token.get_secret_value() if token else ""


Context = CallbackContext[ExtBot[None], dict, dict, Services]
