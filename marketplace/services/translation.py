"""Machine translation for the marketplace: nlu.translation.Translator with its memory in our database.

The provider client (deep-translator) is blocking, so `translate_sync` is meant for threadpool code
(sync routes, background tasks) and `translate` hands it to the threadpool for async callers. It never
raises: a disabled, failing or slow provider gives the original text with `translated=False` and a note.
One circuit breaker per provider endpoint is shared by everything in the process.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from marketplace.core.config import MarketplaceSettings
from marketplace.core.db import transaction
from marketplace.models import TranslationMemoryEntry
from nlu.translation import CircuitBreaker, Translator, TranslatorSettings, text_hash

log = logging.getLogger(__name__)

UNAVAILABLE = "translation unavailable"
_NOTES = {"translation disabled (TRANSLATOR_PROVIDER=none)": f"{UNAVAILABLE}: no translation provider is configured",
          "circuit open": f"{UNAVAILABLE}: the translation provider is failing, retrying later"}

_breakers: dict[tuple[str, str | None, int, float], CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def shared_breaker(settings: TranslatorSettings) -> CircuitBreaker:
    """The process's one circuit breaker for this provider endpoint."""
    key = (settings.provider, settings.url, settings.failure_threshold, settings.reset_after)
    with _breakers_lock:
        if key not in _breakers:
            _breakers[key] = CircuitBreaker(settings.failure_threshold, settings.reset_after)
        return _breakers[key]


class DatabaseMemory:
    """nlu's MemoryBackend over the `translation_memory` table; each call uses its own short session.
    Database trouble only costs a cache miss."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def get(self, provider: str, source: str, target: str, text: str) -> str | None:
        """The remembered translation, or None."""
        try:
            with self._factory() as session:
                return session.scalar(select(TranslationMemoryEntry.translated).where(
                    TranslationMemoryEntry.provider == provider, TranslationMemoryEntry.source == source,
                    TranslationMemoryEntry.target == target, TranslationMemoryEntry.text_hash == text_hash(text)))
        except SQLAlchemyError as exc:
            log.warning("translation memory lookup failed: %s", exc)
            return None

    def put(self, provider: str, source: str, target: str, text: str, translated: str) -> None:
        """Remember a translation; a concurrent writer of the same key wins, which is just as good."""
        try:
            with transaction(self._factory) as session:
                key = (TranslationMemoryEntry.provider == provider, TranslationMemoryEntry.source == source,
                       TranslationMemoryEntry.target == target, TranslationMemoryEntry.text_hash == text_hash(text))
                entry = session.scalar(select(TranslationMemoryEntry).where(*key))
                if entry is None:
                    session.add(TranslationMemoryEntry(provider=provider, source=source, target=target,
                                                       text_hash=text_hash(text), text=text.strip(),
                                                       translated=translated))
                else:
                    entry.translated = translated
        except IntegrityError:
            pass
        except SQLAlchemyError as exc:
            log.warning("translation memory write failed: %s", exc)

    def __len__(self) -> int:
        with self._factory() as session:
            return session.scalar(select(func.count(TranslationMemoryEntry.id))) or 0


@dataclass(frozen=True)
class TranslationResult:
    """The `POST /translate` answer: `text` is the translation, or the original when `translated` is False."""

    text: str
    original: str
    source: str
    target: str
    translated: bool
    note: str | None = None
    cached: bool = False

    def as_dict(self) -> dict[str, object]:
        """The JSON body of the contract."""
        return {"text": self.text, "original": self.original, "source": self.source, "target": self.target,
                "translated": self.translated, "note": self.note}


def translator_settings(settings: MarketplaceSettings) -> TranslatorSettings:
    """nlu's settings from the marketplace's TRANSLATOR_* settings (the memory lives in our database)."""
    key = settings.translator_api_key
    return TranslatorSettings(provider=settings.translator_provider, url=settings.translator_url,
                              api_key=key.get_secret_value() if key else None, timeout=settings.translator_timeout,
                              cache_path="", failure_threshold=settings.translator_failure_threshold,
                              reset_after=settings.translator_reset_after)


class TranslationService:
    """Translate short texts (messages, listings) for the marketplace; never raises."""

    def __init__(self, settings: MarketplaceSettings, factory: sessionmaker[Session]) -> None:
        nlu_settings = translator_settings(settings)
        self.provider = nlu_settings.provider
        self.memory = DatabaseMemory(factory)
        self.translator = Translator(nlu_settings, memory=self.memory, breaker=shared_breaker(nlu_settings))

    @property
    def enabled(self) -> bool:
        """Whether a provider is configured at all."""
        return self.provider != "none"

    def translate_sync(self, text: str, source: str, target: str) -> TranslationResult:
        """Translate in the calling thread (blocking: call from a threadpool)."""
        try:
            result = self.translator.translate(text, source=source, target=target)
        except Exception:  # noqa: BLE001 - the contract: never fail because of translation
            log.exception("translation failed unexpectedly")
            return TranslationResult(text, text, source, target, False, UNAVAILABLE)
        note = None
        if not result.translated and result.error is not None:
            note = _NOTES.get(result.error, f"{UNAVAILABLE}: the translation provider did not answer")
        return TranslationResult(result.text, result.original, source, target, result.translated, note,
                                 result.cached)

    async def translate(self, text: str, source: str, target: str) -> TranslationResult:
        """Translate without blocking the event loop (the provider call runs in the threadpool)."""
        return await run_in_threadpool(self.translate_sync, text, source, target)
