"""deep-translator behind a cache, timeouts and a circuit breaker."""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Any

import requests

from nlu.translation.breaker import CircuitBreaker
from nlu.translation.memory import MemoryBackend, TranslationMemory
from nlu.translation.settings import TranslatorSettings

logger = logging.getLogger(__name__)

_PROVIDER_MODULES = {
    "google": ("deep_translator.google", "GoogleTranslator"),
    "libre": ("deep_translator.libre", "LibreTranslator"),
    "deepl": ("deep_translator.deepl", "DeeplTranslator"),
    "mymemory": ("deep_translator.mymemory", "MyMemoryTranslator"),
}
_MYMEMORY_CODES = {"en": "en-GB", "es": "es-ES", "pt": "pt-PT", "de": "de-DE", "fr": "fr-FR",
                   "it": "it-IT", "nb": "nb-NO", "zh": "zh-CN", "ru": "ru-RU", "tr": "tr-TR",
                   "pl": "pl-PL", "nl": "nl-NL", "ja": "ja-JP", "ko": "ko-KR", "ar": "ar-SA",
                   "auto": "auto"}
# Our codes where a provider spells them differently.
_PROVIDER_CODES = {"google": {"nb": "no", "zh": "zh-CN"}}
# deep-translator 1.11 checks codes against old language tables; the services themselves support
# more (LibreTranslate and DeepL translate Norwegian Bokmål as "nb"). Added to the tables we pass.
_EXTRA_LANGUAGES = {"libre": ("LIBRE_LANGUAGES_TO_CODES", {"Norwegian Bokmål": "nb", "Dutch": "nl",
                                                           "Swedish": "sv", "Danish": "da", "Ukrainian": "uk"}),
                    "deepl": ("DEEPL_LANGUAGE_TO_CODE", {"norwegian bokmål": "nb", "korean": "ko"})}


class _RequestsWithTimeout:
    """Stands in for the ``requests`` module inside a deep-translator provider
    module so that every call it makes has a timeout (deep-translator sets none)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    def get(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        return requests.get(*args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        return requests.post(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)


@dataclass(frozen=True)
class Translation:
    text: str  # translated text, or the original when translated is False
    original: str
    source: str
    target: str
    translated: bool
    cached: bool = False
    error: str | None = None


class Translator:
    """Translate short user messages; never raises."""

    def __init__(
        self,
        settings: TranslatorSettings | None = None,
        memory: MemoryBackend | None = None,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.settings = settings or TranslatorSettings.from_env()
        self._memory = memory
        self.breaker = breaker or CircuitBreaker(
            self.settings.failure_threshold, self.settings.reset_after
        )

    @property
    def memory(self) -> MemoryBackend | None:
        if self._memory is None and self.settings.provider != "none":
            try:
                self._memory = TranslationMemory(self.settings.cache_path)
            except Exception as exc:  # an unwritable cache must not stop translation
                logger.warning("translation memory unavailable: %s", exc)
                self._memory = TranslationMemory(":memory:")
        return self._memory

    def _client(self, source: str, target: str):
        module_name, class_name = _PROVIDER_MODULES[self.settings.provider]
        module = importlib.import_module(module_name)
        module.requests = _RequestsWithTimeout(self.settings.timeout)  # type: ignore[attr-defined]
        cls = getattr(module, class_name)
        provider = self.settings.provider
        if provider in _EXTRA_LANGUAGES:
            table, extra = _EXTRA_LANGUAGES[provider]
            setattr(module, table, {**getattr(module, table), **extra})
        codes = _PROVIDER_CODES.get(provider, {})
        source, target = codes.get(source, source), codes.get(target, target)
        if provider == "libre":
            return cls(source=source, target=target, api_key=self.settings.api_key or "-",
                       custom_url=_with_slash(self.settings.url) if self.settings.url else None)
        if provider == "deepl":
            client = cls(source=source, target=target, api_key=self.settings.api_key,
                         use_free_api=bool(self.settings.api_key and self.settings.api_key.endswith(":fx")))
        elif provider == "mymemory":
            client = cls(source=_MYMEMORY_CODES.get(source, source),
                         target=_MYMEMORY_CODES.get(target, target))
            if self.settings.api_key:
                client._url_params["key"] = self.settings.api_key  # noqa: SLF001
        else:
            client = cls(source=source, target=target)
        if self.settings.url:
            client._base_url = self.settings.url  # noqa: SLF001 - deep-translator has no public knob
        return client

    def translate(self, text: str, source: str = "auto", target: str = "en") -> Translation:
        def untranslated(error: str | None) -> Translation:
            return Translation(text, text, source, target, translated=False, error=error)

        if not text or not text.strip() or source == target:
            return untranslated(None)
        provider = self.settings.provider
        if provider == "none":
            return untranslated("translation disabled (TRANSLATOR_PROVIDER=none)")
        memory = self.memory
        cached = memory.get(provider, source, target, text) if memory is not None else None
        if cached is not None:
            return Translation(cached, text, source, target, translated=True, cached=True)
        if not self.breaker.allow():
            return untranslated("circuit open")
        try:
            result = self._client(source, target).translate(text)
            if not isinstance(result, str) or not result.strip():
                raise ValueError("empty translation")
        except Exception as exc:  # network, HTTP status, provider quirks: all degrade the same way
            self.breaker.record_failure()
            logger.warning("translation via %s failed: %s", provider, exc)
            return untranslated(f"{type(exc).__name__}: {exc}")
        self.breaker.record_success()
        if memory is not None:
            memory.put(provider, source, target, text, result)
        return Translation(result, text, source, target, translated=True)


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"
