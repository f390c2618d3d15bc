"""Emulator settings: limits, timeouts and spec location."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Limits:
    """Telegram limits; defaults are Telegram's real ones."""

    flood_control: bool = True
    bot_per_second: float = 30.0
    bot_burst: int = 30
    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_minute: float = 20.0
    group_burst: int = 20
    max_text: int = 4096
    max_caption: int = 1024
    max_callback_data: int = 64
    max_commands: int = 100


@dataclass
class Settings:
    """Everything create_app needs; all fields have usable defaults."""

    spec_path: Path | None = None
    limits: Limits = field(default_factory=Limits)
    max_poll_timeout: float = 50.0
    webhook_retry_initial: float = 1.0
    webhook_retry_max: float = 60.0
    webhook_timeout: float = 10.0
    webhook_require_https: bool = False
    precheckout_timeout: float = 10.0
    log_limit: int = 2000
    ui: bool = True
