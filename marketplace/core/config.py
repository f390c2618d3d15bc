"""Marketplace settings, read from the environment and an optional `.env` file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tradewind.local_secrets import local_secret
from tradewind.paths import REPO_ROOT, var_dir


def default_database_url() -> str:
    """The embedded default: a SQLite file under `var/`."""
    return f"sqlite:///{var_dir() / 'tradewind.db'}"


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain `postgresql://` / `postgres://` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class MarketplaceSettings(BaseSettings):
    """Settings of the marketplace API process."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    # Connection pool per process (DB_POOL_SIZE, DB_MAX_OVERFLOW, DB_POOL_TIMEOUT in seconds).
    db_pool_size: int = Field(10, ge=1)
    db_max_overflow: int = Field(20, ge=0)
    db_pool_timeout: float = Field(30.0, gt=0)
    # Shared by the services that call the API (actions, bot). Generated under var/secrets when unset.
    service_token: SecretStr | None = None
    rates_file: Path = REPO_ROOT / "data" / "rates" / "eurofxref.csv"
    rates_extra_file: Path = REPO_ROOT / "data" / "rates" / "supplementary.csv"
    rates_url: str = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref.zip"
    catalog_file: Path = REPO_ROOT / "data" / "catalog" / "demo.json"
    media_dir: Path = Field(default_factory=lambda: var_dir() / "media")
    # Escrow: remind a silent buyer, then release the held money to the seller, N days after shipping.
    escrow_remind_after_days: int = 12
    escrow_release_after_days: int = 14
    # Outbox retries after a failed delivery: base, 2×base, 4×base, … at most cap seconds apart.
    outbox_backoff_base_seconds: float = 5.0
    outbox_backoff_cap_seconds: float = 3600.0
    # Machine translation (listings, buyer <-> seller messages): TRANSLATOR_PROVIDER, _URL, _API_KEY, _TIMEOUT.
    # "none" disables it: texts then stay in their original language.
    translator_provider: Literal["none", "libre", "google", "deepl", "mymemory"] = "none"
    translator_url: str | None = None  # e.g. a self-hosted LibreTranslate: http://127.0.0.1:5000/
    translator_api_key: SecretStr | None = None
    translator_timeout: float = Field(3.0, gt=0, le=60)  # seconds per provider request
    translator_failure_threshold: int = Field(3, ge=1)  # failures in a row that open the circuit
    translator_reset_after: float = Field(60.0, gt=0)  # seconds before trying a failing provider again
    # Prefixed: process runners such as honcho set a generic PORT for every process.
    host: str = Field("127.0.0.1", validation_alias="MARKETPLACE_HOST")
    port: int = Field(8000, validation_alias="MARKETPLACE_PORT")

    @field_validator("translator_provider", mode="before")
    @classmethod
    def _provider(cls, value: object) -> object:
        return (value.strip().lower() or "none") if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _driver(cls, value: str) -> str:
        return normalise_database_url(value)

    def token(self) -> SecretStr:
        """The service token, from the environment or the local secrets folder."""
        return self.service_token or local_secret("service-token")
