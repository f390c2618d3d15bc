"""What handlers share: one httpx client, the Rasa client, media cache. Built in `post_init`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from wsgiref.simple_server import WSGIServer

import httpx
from telegram.ext import CallbackContext, ExtBot

from bot.config import BotSettings
from bot.dedupe import UpdateClaims
from bot.handoff import HandoffDesk
from bot.marketplace_client import MarketplaceClient
from bot.media import MediaCache
from bot.outbox import OutboxWorker
from bot.payment_journal import PaymentJournal
from bot.rasa_client import RasaClient
from bot.redis_link import RedisLink
from bot.shared_state import SharedState


@dataclass
class Services:
    """Live clients; kept in memory only (never persisted)."""

    settings: BotSettings = field(default_factory=BotSettings)
    http: httpx.AsyncClient | None = None
    rasa: RasaClient | None = None
    media: MediaCache | None = None
    marketplace: MarketplaceClient | None = None
    warm_up: asyncio.Task[bool] | None = None
    redis: RedisLink | None = None  # with REDIS_URL: what several bot instances share
    claims: UpdateClaims | None = None  # each update acts once (bot/dedupe.py)
    shared: SharedState = field(default_factory=SharedState)  # chosen language, last messages (support summary)
    desk: HandoffDesk | None = None  # support handoffs (bot/handoff.py)
    outbox: OutboxWorker | None = None  # delivers order alerts and buyer notifications
    metrics_server: WSGIServer | None = None  # GET /metrics on METRICS_PORT (bot/metrics.py)
    payments: PaymentJournal | None = None  # payments taken but not yet recorded (bot/payment_journal.py)
    payment_recovery: asyncio.Task[None] | None = None  # records what an earlier run left in that journal

    def provider_token(self) -> str:
        """The Telegram Payments provider token ('' when none is configured)."""
        token = self.settings.payment_provider_token
        return token.get_secret_value() if token else ""

    def journal_settled(self, charge_id: str) -> None:
        """The marketplace has answered for this payment: the journal may forget it."""
        if self.payments is not None:
            self.payments.settled(charge_id)


Context = CallbackContext[ExtBot[None], dict, dict, Services]
