"""Action server settings, read from the environment and an optional `.env` file."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from tradewind.local_secrets import local_secret


class ActionSettings(BaseSettings):
    """Where the marketplace API is and how to authenticate to it."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    marketplace_url: str = "http://127.0.0.1:8000"
    service_token: SecretStr | None = None
    request_timeout: float = 3.0
    page_size: int = 3

    def token(self) -> SecretStr:
        """The service token, from the environment or the local secrets folder."""
        return self.service_token or local_secret("service-token")
