"""Secrets for the local, embedded setup: generated once into `var/secrets/`, never in code."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import SecretStr

from tradewind.paths import var_dir


def local_secret(name: str, *, folder: Path | None = None) -> SecretStr:
    """Return the secret `name`, creating a random one (mode 0600) the first time it is asked for."""
    folder = folder or var_dir() / "secrets"
    path = folder / name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    return SecretStr(path.read_text().strip())
