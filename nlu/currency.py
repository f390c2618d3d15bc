"""Currency names and symbols in the eight languages -> ISO 4217 codes.

Names come from Babel (singular and plural display names per locale), so
"euros", "kroner", "Franken", "reais" and "美元" all resolve; the head noun of a
name ("dollar", "corona", "Franken") is mapped to the most likely code for
Tradewind's markets by ``PRIORITY`` order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale
from babel.numbers import get_currency_symbol

from nlu.languages import SUPPORTED_LANGUAGES, babel_locale
from nlu.matching import AliasMatcher, Match
from nlu.textnorm import fold

#: Currencies we recognise, most likely first (ties on "dollar", "krone", "peso"...).
PRIORITY: tuple[str, ...] = (
    "USD", "EUR", "GBP", "CHF", "NOK", "BRL", "CNY", "JPY", "MXN", "ARS", "CAD", "AUD",
    "SEK", "DKK", "INR", "RUB", "KRW", "CLP", "COP", "PEN", "UYU", "HKD", "SGD", "NZD",
    "TRY", "PLN", "CZK", "HUF", "ZAR", "AED", "ILS", "THB", "TWD", "ISK",
)
_COMMON_CODES = {"usd", "eur", "gbp", "chf", "nok", "brl", "cny", "jpy", "mxn", "ars",
                 "cad", "aud", "sek", "dkk", "inr", "rmb", "rub"}
_HEAD_LAST = {"en", "de", "nb"}  # "Norwegian Krone" vs "corona noruega"
_STOP = {"de", "des", "do", "da", "of", "the", "du"}
#: Adjectives that lead some names ("nuevo séquel", "novo sol") and are never a currency
_NOT_HEADS = {"new", "nuevo", "nueva", "nuevos", "nuevas", "novo", "nova", "novos", "novas",
              "nouveau", "nouvelle", "nouveaux", "nouvelles", "nuovo", "nuova", "nuovi", "nuove",
              "neuer", "neue", "neuen", "ny", "nye", "old", "viejo", "velho", "ancien", "vecchio"}

#: Colloquial forms Babel does not list.
_EXTRA = {
    "bucks": "USD", "dolar": "USD", "dolares": "USD", "dollars": "USD", "dolares americanos": "USD",
    "pounds": "GBP", "quid": "GBP", "franken": "CHF", "franchi": "CHF", "franc": "CHF",
    "francs": "CHF", "kroner": "NOK", "kronen": "NOK", "krone": "NOK", "kr": "NOK",
    "nkr": "NOK", "reais": "BRL", "real": "BRL", "reales": "BRL", "yuan": "CNY",
    "rmb": "CNY", "renminbi": "CNY", "人民币": "CNY", "块钱": "CNY", "美金": "USD", "刀": "USD",
    "欧": "EUR", "克朗": "NOK", "法郎": "CHF", "英镑": "GBP", "日元": "JPY", "比索": "MXN",
    "雷亚尔": "BRL", "euro": "EUR", "euros": "EUR", "eur": "EUR", "pesos": "MXN",
    "libras": "GBP", "sterline": "GBP", "pfund": "GBP", "yen": "JPY",
}
#: Aliases that only count right after a number ("50 kr", "30元", "20 fr").
_NEEDS_NUMBER = {"kr", "元", "块", "块钱", "刀", "欧", "fr", "fr.", "real",
                 # "livre" is also a book (and "livré" folds to it), "libra" a pound of weight
                 "livre", "livres", "libra", "libras", "pound", "pfund", "corona", "coronas"}
_SYMBOLS_FIXED = {"$": "USD", "us$": "USD", "usd$": "USD", "$us": "USD", "€": "EUR",
                  "£": "GBP", "r$": "BRL", "₹": "INR", "₩": "KRW", "₽": "RUB", "元": "CNY",
                  "块": "CNY", "fr": "CHF", "fr.": "CHF", "₺": "TRY"}


def _names(locale: Locale, code: str) -> set[str]:
    names = set()
    if code in locale.currencies:
        names.add(locale.currencies[code])
    plural = locale._data.get("currency_names_plural", {}).get(code)
    if plural:
        names.update(plural.values())
    return {fold(n) for n in names if n}


def _head(name: str, language: str) -> str | None:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w not in _STOP]
    if len(words) < 2:
        return None
    return words[-1] if language in _HEAD_LAST else words[0]


@lru_cache(maxsize=None)
def currency_aliases(language: str | None = None) -> dict[str, str]:
    """alias (folded) -> ISO code, for one language or (None) all eight."""
    languages = [language] if language in SUPPORTED_LANGUAGES else list(SUPPORTED_LANGUAGES)
    if "en" not in languages:
        languages.append("en")
    aliases: dict[str, str] = {}
    heads: dict[str, str] = {}
    for lang in languages:
        locale = Locale.parse(babel_locale(lang))
        for code in PRIORITY:
            for name in _names(locale, code):
                aliases.setdefault(name, code)
                head = _head(name, lang)
                if head and len(head) > 2 and head not in _NOT_HEADS:
                    heads.setdefault(head, code)  # PRIORITY order wins ties
            symbol = get_currency_symbol(code, locale=babel_locale(lang))
            if symbol and symbol != code and not symbol.isalpha():
                aliases.setdefault(fold(symbol), code)
            elif symbol and symbol.isalpha() and symbol != code and len(symbol) <= 3 and lang == language:
                aliases.setdefault(fold(symbol), code)
    for head, code in heads.items():
        aliases.setdefault(head, code)
    aliases.update({fold(k): v for k, v in _SYMBOLS_FIXED.items()})
    aliases.update({fold(k): v for k, v in _EXTRA.items()})
    for code in PRIORITY:
        aliases.setdefault(code.lower(), code)
    if language == "zh":
        aliases["¥"] = "CNY"
    else:
        aliases.setdefault("¥", "JPY")
    return aliases


@lru_cache(maxsize=None)
def _matcher(language: str | None) -> AliasMatcher:
    aliases = currency_aliases(language)
    case_sensitive = {c for c in PRIORITY if c.lower() not in _COMMON_CODES}
    return AliasMatcher(aliases, case_sensitive=case_sensitive, needs_number=_NEEDS_NUMBER)


def find_currencies(text: str, language: str | None = None) -> list[Match]:
    """All currency mentions in ``text`` with offsets and ISO codes."""
    return _matcher(language if language in SUPPORTED_LANGUAGES else None).find(text)


def normalize_currency(text: str, language: str | None = None) -> str | None:
    """"euros" -> "EUR", "Franken" -> "CHF", "元" -> "CNY", "$" -> "USD"; None if unknown."""
    stripped = text.strip()
    if not stripped:
        return None
    if stripped.upper() in PRIORITY:
        return stripped.upper()
    aliases = currency_aliases(language if language in SUPPORTED_LANGUAGES else None)
    folded = fold(stripped)
    if folded in aliases:
        return aliases[folded]
    matches = find_currencies(stripped, language) or find_currencies("1 " + stripped, language)
    return matches[0].value if matches else None
