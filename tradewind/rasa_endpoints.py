"""The endpoints file `tradewind rasa` serves with: endpoints.yml plus the stores named in the environment.

RASA_TRACKER_STORE_URL=postgresql://user:pass@host:5432/db keeps conversations in PostgreSQL (Rasa's
SQLTrackerStore makes its table in that database, which must exist); RASA_LOCK_STORE_URL=
redis://:pass@host:6379/1 keeps conversation locks in Redis, so several Rasa servers can share one tracker
store and still handle one message per conversation at a time. Unset: Rasa keeps both in memory (one
Rasa server), conversations in `rasa_runtime.tracker_store.LiveTrackerStore` (Rasa's in-memory store
without its JSON round trip per message). The file never holds a password: it says `${RASA_TRACKER_STORE_PASSWORD}` and Rasa reads
the password from its environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from tradewind.paths import REPO_ROOT, var_dir

BASE = REPO_ROOT / "endpoints.yml"
TRACKER_PASSWORD = "RASA_TRACKER_STORE_PASSWORD"
LOCK_PASSWORD = "RASA_LOCK_STORE_PASSWORD"
DEFAULT_LOCK_PREFIX = "tradewind"
IN_MEMORY = {"type": "rasa_runtime.tracker_store.LiveTrackerStore"}


class StoreUrlError(ValueError):
    """A store URL Tradewind cannot turn into Rasa settings."""


def tracker_store(url: str) -> tuple[dict, dict[str, str]]:
    """Rasa's SQLTrackerStore settings for a PostgreSQL URL, and the environment holding its password."""
    parts = urlsplit(url)
    if parts.scheme.split("+")[0] not in ("postgresql", "postgres"):
        raise StoreUrlError("RASA_TRACKER_STORE_URL must be postgresql://user:password@host:port/database")
    database = unquote(parts.path.lstrip("/"))
    if not database or not parts.hostname:
        raise StoreUrlError("RASA_TRACKER_STORE_URL needs a host and a database: postgresql://user@host:5432/rasa")
    store = {"type": "SQL", "dialect": "postgresql", "url": parts.hostname, "port": parts.port or 5432,
             "db": database, "username": unquote(parts.username or "")}
    if parts.password is None:
        return store, {}
    return {**store, "password": f"${{{TRACKER_PASSWORD}}}"}, {TRACKER_PASSWORD: unquote(parts.password)}


def lock_store(url: str, key_prefix: str = DEFAULT_LOCK_PREFIX) -> tuple[dict, dict[str, str]]:
    """Rasa's RedisLockStore settings for a Redis URL, and the environment holding its password."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise StoreUrlError("RASA_LOCK_STORE_URL must be redis://[:password@]host:port/db")
    if not key_prefix.isalnum():
        raise StoreUrlError("RASA_LOCK_STORE_PREFIX must be letters and digits only (Rasa's rule)")
    db = parts.path.lstrip("/") or "0"
    if not db.isdigit() or not parts.hostname:
        raise StoreUrlError("RASA_LOCK_STORE_URL needs a host and a database number: redis://host:6379/1")
    store = {"type": "redis", "url": parts.hostname, "port": parts.port or 6379, "db": int(db),
             "key_prefix": key_prefix, "use_ssl": parts.scheme == "rediss"}
    if parts.username:
        store["username"] = unquote(parts.username)
    if parts.password is None:
        return store, {}
    return {**store, "password": f"${{{LOCK_PASSWORD}}}"}, {LOCK_PASSWORD: unquote(parts.password)}


def endpoints(env: Mapping[str, str]) -> tuple[dict, dict[str, str]]:
    """endpoints.yml with the stores `env` names, and the extra environment Rasa needs for them."""
    config = yaml.safe_load(BASE.read_text()) or {}
    extra: dict[str, str] = {}
    if env.get("RASA_TRACKER_STORE_URL"):
        config["tracker_store"], secret = tracker_store(env["RASA_TRACKER_STORE_URL"])
        extra |= secret
    else:
        config["tracker_store"] = dict(IN_MEMORY)
    if env.get("RASA_LOCK_STORE_URL"):
        prefix = env.get("RASA_LOCK_STORE_PREFIX") or DEFAULT_LOCK_PREFIX
        config["lock_store"], secret = lock_store(env["RASA_LOCK_STORE_URL"], prefix)
        extra |= secret
    return config, extra


def describe(config: dict) -> list[str]:
    """One line per store, for the log (never a password)."""
    tracker, lock = config.get("tracker_store"), config.get("lock_store")
    return [f"Rasa tracker store: PostgreSQL {tracker['url']}:{tracker['port']}/{tracker['db']}"
            if tracker and tracker != IN_MEMORY else "Rasa tracker store: in memory (set RASA_TRACKER_STORE_URL to share it)",
            f"Rasa lock store: Redis {lock['url']}:{lock['port']}/{lock['db']} (prefix {lock['key_prefix']})"
            if lock else "Rasa lock store: in memory (one Rasa server; set RASA_LOCK_STORE_URL for several)"]


def write(config: dict, folder: Path | None = None) -> Path:
    """Write the endpoints file into the var dir; returns its path."""
    path = (folder or var_dir()) / "rasa-endpoints.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Written by `tradewind rasa` from endpoints.yml and RASA_*_STORE_URL; edit those instead.\n"
                    + yaml.safe_dump(config, sort_keys=False))
    return path
