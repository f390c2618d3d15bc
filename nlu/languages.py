"""The languages Tradewind understands natively."""

from __future__ import annotations

#: ISO 639-1 codes, in the order used for reports. "nb" is Norwegian Bokmål.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "pt", "de", "fr", "it", "nb", "zh")

DEFAULT_LANGUAGE = "en"

#: Codes that Telegram (or people) may send for a supported language.
LANGUAGE_ALIASES: dict[str, str] = {
    "no": "nb",
    "nn": "nb",
    "nob": "nb",
    "pt-br": "pt",
    "zh-hans": "zh",
    "zh-hant": "zh",
    "zh-cn": "zh",
    "zh-tw": "zh",
    "zh-hk": "zh",
}


def normalize_language_code(code: str | None) -> str | None:
    """Turn "pt-BR", "en_US", "no", "zh-hans" into one of SUPPORTED_LANGUAGES, else None."""
    if not code or not isinstance(code, str):
        return None
    lowered = code.strip().lower().replace("_", "-")
    if lowered in LANGUAGE_ALIASES:
        return LANGUAGE_ALIASES[lowered]
    base = lowered.split("-", 1)[0]
    base = LANGUAGE_ALIASES.get(base, base)
    return base if base in SUPPORTED_LANGUAGES else None


def babel_locale(code: str) -> str:
    """Babel locale identifier for a supported language code."""
    return {"zh": "zh_Hans"}.get(code, code)
