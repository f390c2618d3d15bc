"""Country names in the eight languages -> ISO 3166-1 alpha-2 codes.

Names come from Babel's territory names for each locale plus pycountry's English
names; a short list of colloquial forms ("EEUU", "Holland", "England") is added.
Names that are also everyday words ("Chile", "Turkey", "Island", "Peru") only
count when written with a capital letter.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry
from babel import Locale

from nlu.languages import SUPPORTED_LANGUAGES, babel_locale
from nlu.matching import AliasMatcher, Match
from nlu.textnorm import fold

_COLLOQUIAL: dict[str, str] = {
    "usa": "US", "u.s.a.": "US", "u.s.": "US", "eeuu": "US", "ee.uu.": "US", "ee uu": "US",
    "eua": "US", "america": "US", "amerika": "US", "the states": "US", "estados unidos": "US",
    "uk": "GB", "u.k.": "GB", "england": "GB", "inglaterra": "GB", "angleterre": "GB",
    "inghilterra": "GB", "grossbritannien": "GB", "großbritannien": "GB", "gran bretaña": "GB",
    "grande-bretagne": "GB", "gran bretagna": "GB", "great britain": "GB", "britain": "GB",
    "holland": "NL", "holanda": "NL", "hollande": "NL", "olanda": "NL",
    "korea": "KR", "corea": "KR", "coreia": "KR", "corée": "KR", "south korea": "KR",
    "hong kong": "HK", "香港": "HK", "czech republic": "CZ", "tschechien": "CZ",
    "vietnam": "VN", "russia": "RU", "dubai": "AE", "emirates": "AE", "sveits": "CH",
    "suisse": "CH", "svizzera": "CH", "suiça": "CH", "suica": "CH", "norvege": "NO",
    "schweden": "SE", "sverige": "SE", "danmark": "DK", "chinese mainland": "CN",
    "大陆": "CN", "内地": "CN", "台湾": "TW", "美國": "US", "英國": "GB", "Turkey": "TR",
    "Türkei": "TR", "Turquia": "TR", "Turquía": "TR", "Turquie": "TR", "Tyrkia": "TR",
}
#: Case-sensitive: everyday words in one of the languages when lowercase.
_AMBIGUOUS = {
    "Chad", "China", "Chile", "Turkey", "Jordan", "Georgia", "Guinea", "Niger", "Jersey",
    "Guernsey", "Man", "Island", "Peru", "Mali", "Gana", "Chine", "Cuba", "Malta", "Togo",
    "Oman", "Kongo", "Congo", "Samoa", "Tonga", "Guam", "Niue", "Nauru", "Palau", "Benin",
    "Fiji", "Laos", "Iran", "Irak", "India", "Inde", "US", "Cile", "Cina", "Chade",
}
_MIN_LENGTH = 4  # shorter Babel names ("Man") are ignored unless in _COLLOQUIAL


@lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@lru_cache(maxsize=None)
def country_aliases(language: str | None = None) -> dict[str, str]:
    """alias -> alpha-2 code for one language (plus English) or, with None, all eight."""
    languages = [language] if language in SUPPORTED_LANGUAGES else list(SUPPORTED_LANGUAGES)
    if "en" not in languages:
        languages.append("en")
    codes = _iso_codes()
    aliases: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name and len(name) >= _MIN_LENGTH:
                aliases.setdefault(name, country.alpha_2)
    for lang in languages:
        for code, name in Locale.parse(babel_locale(lang)).territories.items():
            if code in codes and (len(name) >= _MIN_LENGTH or not name.isascii()):
                aliases.setdefault(name, code)
                # "Hong Kong SAR China", "Bosnia & Herzegovina" -> also "Bosnia and Herzegovina"
                if "&" in name:
                    aliases.setdefault(name.replace("&", "and"), code)
    if language in (None, "zh"):
        for code, name in Locale.parse("zh_Hant").territories.items():
            if code in codes:
                aliases.setdefault(name, code)
    aliases.update(_COLLOQUIAL)
    aliases["US"] = "US"
    return aliases


@lru_cache(maxsize=None)
def _matcher(language: str | None) -> AliasMatcher:
    aliases = country_aliases(language)
    case_sensitive = {a for a in aliases if a in _AMBIGUOUS}
    return AliasMatcher(aliases, case_sensitive=case_sensitive)


def find_countries(text: str, language: str | None = None) -> list[Match]:
    """All country mentions in ``text`` with offsets and alpha-2 codes."""
    return _matcher(language if language in SUPPORTED_LANGUAGES else None).find(text)


def normalize_country(text: str, language: str | None = None) -> str | None:
    """"Noruega" -> "NO", "Schweiz" -> "CH", "阿根廷" -> "AR"; None if unknown."""
    stripped = text.strip()
    if not stripped:
        return None
    if len(stripped) == 2 and stripped.upper() in _iso_codes() and stripped.isupper():
        return stripped
    aliases = {fold(k): v for k, v in country_aliases(language if language in SUPPORTED_LANGUAGES else None).items()}
    if fold(stripped) in aliases:
        return aliases[fold(stripped)]
    matches = find_countries(stripped, language) or find_countries(stripped, None)
    return matches[0].value if matches else None
