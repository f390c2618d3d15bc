"""Translator settings read from the environment (never at import time)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROVIDERS = ("google", "libre", "deepl", "mymemory", "none")


@dataclass(frozen=True)
class TranslatorSettings:
    provider: str = "none"  # google | libre | deepl | mymemory | none (disabled)
    url: str | None = None  # custom endpoint (self-hosted LibreTranslate, a proxy...)
    api_key: str | None = None
    timeout: float = 3.0  # seconds, per HTTP request
    cache_path: str = str(Path.home() / ".cache" / "tradewind" / "translation_memory.sqlite3")
    failure_threshold: int = 3  # consecutive failures that open the circuit
    reset_after: float = 60.0  # seconds before a half-open retry

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "TranslatorSettings":
        env = dict(os.environ if env is None else env)
        provider = env.get("TRANSLATOR_PROVIDER", "none").strip().lower() or "none"
        if provider not in PROVIDERS:
            raise ValueError(f"TRANSLATOR_PROVIDER must be one of {PROVIDERS}, got {provider!r}")
        defaults = cls()
        return cls(
            provider=provider,
            url=env.get("TRANSLATOR_URL") or None,
            api_key=env.get("TRANSLATOR_API_KEY") or None,
            timeout=float(env.get("TRANSLATOR_TIMEOUT", defaults.timeout)),
            cache_path=env.get("TRANSLATOR_CACHE_PATH", defaults.cache_path),
            failure_threshold=int(env.get("TRANSLATOR_FAILURE_THRESHOLD", defaults.failure_threshold)),
            reset_after=float(env.get("TRANSLATOR_RESET_AFTER", defaults.reset_after)),
        )
