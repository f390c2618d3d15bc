"""Bot settings, read from the environment and an optional `.env` file."""

from __future__ import annotations

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
    mode: Literal["polling", "webhook"] = Field("polling", validation_alias="BOT_MODE")
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    rasa_url: str = "http://127.0.0.1:5005"
    marketplace_url: str = "http://127.0.0.1:8000"
    service_token: SecretStr | None = None
    # Telegram Payments provider token (the emulator accepts any; empty means Telegram Stars only).
    payment_provider_token: SecretStr | None = None
    # How often the bot asks the marketplace to remind silent buyers and release overdue escrow.
    escrow_interval_seconds: float = 3600.0
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
