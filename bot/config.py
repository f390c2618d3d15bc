"""Bot settings, read from the environment and an optional `.env` file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from tradewind.local_secrets import local_secret, random_bot_token


class BotSettings(BaseSettings):
    """Settings of the Telegram bot process."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Unset: the local demo, whose emulator accepts the generated token in var/secrets.
    telegram_bot_token: SecretStr | None = None
    # `{url}/bot{token}/{method}`: Telegram, a self-hosted Bot API server, or the emulator.
    telegram_api_url: str = "https://api.telegram.org"
    # Requests per second the bot allows itself (Telegram's limit for one bot is about 30; a self-hosted
    # Bot API server or paid broadcasts allow more). The rate limiter queues anything above it.
    telegram_max_rate: float = Field(30.0, gt=0)
    # How many of those may go out at once. Below Telegram's own allowance (30) on purpose: our clock and
    # Telegram's differ by the request's travel time, and one 429 holds up every chat for a whole second.
    telegram_max_burst: int = Field(20, ge=1)
    # Messages a second into one private chat, and the burst allowed (Telegram: about 1/s); paced by
    # the bot (bot/rate_limit.py) so that one person's burst never makes Telegram hold up everyone.
    # The burst is one below Telegram's short burst (3): under load two requests to one chat can reach
    # Telegram closer together than they left, and the spare one absorbs that instead of a 429.
    telegram_chat_rate: float = Field(1.0, gt=0)
    telegram_chat_burst: int = Field(2, ge=1)
    mode: Literal["polling", "webhook"] = Field("polling", validation_alias="BOT_MODE")
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    rasa_url: str = "http://127.0.0.1:5005"
    # Several bot instances: Redis they share (redis://host:6379/0) so each update acts once and a
    # person's chosen language and last messages are known to all. Unset: kept in this process.
    redis_url: SecretStr | None = None
    marketplace_url: str = "http://127.0.0.1:8000"
    service_token: SecretStr | None = None
    # Telegram Payments provider token (the emulator accepts any; empty means Telegram Stars only).
    payment_provider_token: SecretStr | None = None
    # How often the bot asks the marketplace to remind silent buyers and release overdue escrow.
    escrow_interval_seconds: float = 3600.0
    # Order alerts and buyer notifications from the marketplace outbox (bot/outbox.py).
    outbox_enabled: bool = True
    outbox_poll_interval: float = Field(1.0, gt=0)  # seconds between claims when nothing is due
    outbox_batch_size: int = Field(100, ge=1, le=500)  # messages claimed at once
    outbox_lease_seconds: float = Field(60.0, ge=10, le=3600)  # nobody else sends a claimed message meanwhile
    outbox_max_rate: float = Field(29.5, gt=0, le=30)  # messages per second; Telegram allows about 30 per bot
    outbox_chat_interval: float = Field(1.0, ge=0)  # seconds between two messages to the same chat
    # What this process sent but the marketplace has not recorded yet (bot/outbox_journal.py); default
    # var/outbox-sent.journal. Several bot processes on one host: give each its own file.
    outbox_journal: Path | None = None
    # Payments Telegram took that the marketplace has not recorded yet (bot/payment_journal.py); default
    # var/payments-taken.journal. Several bot processes on one host: give each its own file.
    payment_journal: Path | None = None
    # How long one payment is retried while the marketplace is unreachable; after that it waits in the
    # journal for the next start.
    payment_patience: float = Field(300.0, gt=0)
    # Support handoff (bot/handoff.py): the staff forum supergroup where each handed-off conversation
    # becomes a topic (unset: nobody to hand over to; the person is told so). The bot must be an admin
    # there that may manage topics. Staff messages are translated for the person; people's messages
    # are translated into STAFF_LANGUAGE for staff.
    support_chat_id: int | None = None
    staff_language: str = "en"
    staff_cache_seconds: float = Field(60.0, ge=0)  # how long a staff-membership check is trusted
    handoff_cache_seconds: float = Field(30.0, ge=0)  # how long "has an active handoff" is trusted
    # Prometheus metrics at http://METRICS_LISTEN:METRICS_PORT/metrics (unset: not served).
    metrics_port: int | None = Field(None, ge=1, le=65535)
    metrics_listen: str = "127.0.0.1"
    # The bot answers within this time even when Rasa or the backend hang.
    reply_timeout: float = 3.5  # plus at most 1 s for the role lookup: an answer within 5 s

    def token(self) -> SecretStr:
        """The bot token: from the environment, or the local demo's generated one."""
        if self.telegram_bot_token is not None:
            return self.telegram_bot_token
        return local_secret("demo-bot-token", make=random_bot_token)

    def services_token(self) -> SecretStr:
        """The token for calling the marketplace API."""
        return self.service_token or local_secret("service-token")
