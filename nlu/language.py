"""Language identification with lingua, restricted to Tradewind's eight languages.

Short or ambiguous text ("ok", "si", "hei") falls back to the language the
person used before, then to Telegram's ``language_code``.  Text clearly
written in another language (Cyrillic, Arabic, Japanese... or a confident
lingua guess among a few extra Latin-script languages) is flagged as
``foreign`` so the pipeline can translate it.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from nlu.languages import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, normalize_language_code
from nlu.textnorm import is_han

#: Languages outside the eight that we recognise well enough to translate.
FOREIGN_LATIN = ("tr", "pl", "nl", "id", "vi", "cs", "ro", "hu", "fi")
_SCRIPTS = (
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
)
_LETTER = re.compile(r"[^\W\d_]")
#: Everyday words that tell close languages apart (es/pt/it, nb/de...) where lingua
#: hesitates on short chat lines; each hit adds MARKER_BOOST to that language.
MARKERS: dict[str, frozenset[str]] = {
    "es": frozenset("quiero tienen hola gracias mi mis el los por favor porfa usted cuanto donde esta está "
                    "envian envían necesito busco también tambien ya muy".split()),
    "pt": frozenset("quero vc você voce vcs não nao meu minha pra obrigado obrigada tem um uma onde "
                    "está cadê cade preciso procuro também tambem já muito pfv".split()),
    "it": frozenset("voglio vorrei grazie il mio mia dove ciao sono cerco anche già gia molto "
                    "avete perché perche questo".split()),
    "fr": frozenset("je veux voudrais merci mon ma mes où est bonjour cherche aussi déjà tres très "
                    "vous avez".split()),
    "de": frozenset("ich will möchte danke mein meine wo ist hallo suche auch schon sehr habt "
                    "bitte nicht".split()),
    "nb": frozenset("jeg vil takk min mitt hvor er hei ser etter også allerede veldig har dere "
                    "ikke kan".split()),
    "en": frozenset("i want thanks my where is hello looking also already very have you please "
                    "the not".split()),
}
MARKER_BOOST = 0.2


@dataclass(frozen=True)
class Detection:
    """What language a message is in and how we decided."""

    language: str  # one of SUPPORTED_LANGUAGES: the language to parse/answer in
    confidence: float
    source: str  # "text", "script", "previous", "telegram", "default"
    foreign: str | None = None  # ISO 639-1 of a language outside the eight


class LanguageIdentifier:
    """Detects the language of a message; thread-safe, lingua models load lazily."""

    def __init__(
        self,
        languages: tuple[str, ...] = SUPPORTED_LANGUAGES,
        min_confidence: float = 0.45,
        short_text_letters: int = 12,
        foreign_confidence: float = 0.8,
        foreign_min_words: int = 3,
    ) -> None:
        self.languages = tuple(languages)
        self.min_confidence = min_confidence
        self.short_text_letters = short_text_letters
        self.foreign_confidence = foreign_confidence
        self.foreign_min_words = foreign_min_words
        self._lock = threading.Lock()
        self._detector = None
        self._wide_detector = None

    # lingua ----------------------------------------------------------------
    def _build(self, codes: tuple[str, ...]):
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        iso = [getattr(IsoCode639_1, code.upper()) for code in codes]
        return LanguageDetectorBuilder.from_iso_codes_639_1(*iso).build()

    def _restricted(self):
        with self._lock:
            if self._detector is None:
                self._detector = self._build(self.languages)
            return self._detector

    def _wide(self):
        with self._lock:
            if self._wide_detector is None:
                self._wide_detector = self._build(self.languages + FOREIGN_LATIN)
            return self._wide_detector

    def confidences(self, text: str) -> dict[str, float]:
        """Relative confidence per supported language, nudged by marker words."""
        values = self._restricted().compute_language_confidence_values(text)
        scores = {v.language.iso_code_639_1.name.lower(): v.value for v in values}
        words = set(re.findall(r"[^\W\d_]+", text.lower()))
        for code, markers in MARKERS.items():
            if code in scores:
                scores[code] += MARKER_BOOST * len(words & markers)
        total = sum(scores.values()) or 1.0
        return {code: value / total for code, value in scores.items()}

    # public ----------------------------------------------------------------
    def detect(
        self,
        text: str,
        telegram_code: str | None = None,
        previous_language: str | None = None,
    ) -> Detection:
        hints = [
            (code, source)
            for code, source in (
                (normalize_language_code(previous_language), "previous"),
                (normalize_language_code(telegram_code), "telegram"),
            )
            if code in self.languages
        ]
        text = text or ""
        letters = _LETTER.findall(text)
        han = sum(1 for c in letters if is_han(c))

        for code, pattern in _SCRIPTS:
            script_letters = len(pattern.findall(text))
            if script_letters and script_letters >= max(1, len(letters) // 3):
                language = hints[0][0] if hints else DEFAULT_LANGUAGE
                return Detection(language, 1.0, "script", foreign=code)
        if han and han * 3 >= len(letters) and "zh" in self.languages:
            return Detection("zh", 1.0, "script")

        if not letters:
            return self._fallback(hints, None)

        scores = self.confidences(text)
        best, best_score = max(scores.items(), key=lambda kv: kv[1])
        short = len(letters) < self.short_text_letters

        if short or best_score < self.min_confidence:
            for code, source in hints:
                hint_score = scores.get(code, 0.0)
                # a clear winner stays ("gracias" is es even if the chat was in de),
                # otherwise the conversation's language wins ("ok", "si", "hei")
                plausible = (hint_score >= 0.05 or best_score < 0.6) if short else hint_score >= best_score * 0.5
                if best_score < self.min_confidence or (plausible and best_score < 0.9):
                    return Detection(code, hint_score, source)

        foreign = self._foreign_latin(text, best)
        return Detection(best, best_score, "text", foreign=foreign)

    def _foreign_latin(self, text: str, best: str) -> str | None:
        words = re.findall(r"[^\W\d_]{2,}", text)
        if len(words) < self.foreign_min_words:
            return None
        values = self._wide().compute_language_confidence_values(text)
        top = values[0]
        code = top.language.iso_code_639_1.name.lower()
        if code not in self.languages and top.value >= self.foreign_confidence:
            return code
        return None

    @staticmethod
    def _fallback(hints: list[tuple[str, str]], _scores) -> Detection:
        if hints:
            return Detection(hints[0][0], 0.0, hints[0][1])
        return Detection(DEFAULT_LANGUAGE, 0.0, "default")


@lru_cache(maxsize=1)
def default_identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


def detect_language(
    text: str, telegram_code: str | None = None, previous_language: str | None = None
) -> Detection:
    """Module-level convenience around a shared :class:`LanguageIdentifier`."""
    return default_identifier().detect(text, telegram_code, previous_language)
