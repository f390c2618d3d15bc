"""Translation memory: a cache of earlier translations.

``MemoryBackend`` is what ``Translator`` needs (get/put); ``TranslationMemory`` is the
stdlib-sqlite3 implementation used by the Rasa process. Other processes plug in their own
backend (the marketplace keeps its memory in its own database).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

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


def text_hash(text: str) -> str:
    """SHA-256 (hex) of the text as the memory keys it (surrounding whitespace ignored)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


@runtime_checkable
class MemoryBackend(Protocol):
    """A translation memory; implementations must be safe to call from several threads."""

    def get(self, provider: str, source: str, target: str, text: str) -> str | None:
        """The remembered translation, or None."""

    def put(self, provider: str, source: str, target: str, text: str, translated: str) -> None:
        """Remember a translation (replacing an older one)."""


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
