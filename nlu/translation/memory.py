"""Translation memory: a SQLite cache of earlier translations (stdlib sqlite3)."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translation_memory (
    key TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    text TEXT NOT NULL,
    translated TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
)
"""


class TranslationMemory:
    """Thread-safe get/put keyed by (provider, source, target, text).

    ``path=":memory:"`` keeps the cache in memory (tests).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, check_same_thread=False)
        with self._lock, self._conn:
            self._conn.execute(_SCHEMA)

    @staticmethod
    def _key(provider: str, source: str, target: str, text: str) -> str:
        raw = "\x1f".join((provider, source, target, text.strip()))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def get(self, provider: str, source: str, target: str, text: str) -> str | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT translated FROM translation_memory WHERE key = ?",
                (self._key(provider, source, target, text),),
            ).fetchone()
        return row[0] if row else None

    def put(self, provider: str, source: str, target: str, text: str, translated: str) -> None:
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO translation_memory"
                " (key, provider, source, target, text, translated) VALUES (?, ?, ?, ?, ?, ?)",
                (self._key(provider, source, target, text), provider, source, target, text, translated),
            )

    def __len__(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT COUNT(*) FROM translation_memory").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._conn.close()
