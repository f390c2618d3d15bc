"""Secrets for the local, embedded setup: generated once into `var/secrets/`, never in code."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from pydantic import SecretStr

from tradewind.paths import var_dir


def random_token() -> str:
    """43 URL-safe random characters."""
    return secrets.token_urlsafe(32)


def random_bot_token() -> str:
    """A token shaped like Telegram's: `<bot id>:<secret>`."""
    return f"{secrets.randbelow(9 * 10**9) + 10**9}:{secrets.token_urlsafe(26)}"


def local_secret(name: str, *, folder: Path | None = None, make: Callable[[], str] = random_token) -> SecretStr:
    """Return the secret `name`, creating a random one (mode 0600) the first time it is asked for."""
    folder = folder or var_dir() / "secrets"
    path = folder / name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
    return SecretStr(path.read_text().strip())
