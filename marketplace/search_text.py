"""Text normalisation for search: the same steps for stored listings and for queries.

Listings are indexed in their own language (stop words dropped, Snowball-stemmed, accents
folded; Chinese segmented with jieba). A query may come in any language, so each query word is
expanded to its stems in every supported language and matched with OR, ranked by the database.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from stop_words import get_stop_words

SUPPORTED_LANGUAGES = ("en", "es", "pt", "de", "fr", "it", "nb", "zh")
_SNOWBALL = {"en": "english", "es": "spanish", "pt": "portuguese", "de": "german",
             "fr": "french", "it": "italian", "nb": "norwegian"}
_STOP_LISTS = {**_SNOWBALL, "zh": "chinese"}
_WORD = re.compile(r"\w+", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=16)
def _stemmer(language: str) -> snowballstemmer.stemmer | None:
    name = _SNOWBALL.get(language)
    return snowballstemmer.stemmer(name) if name else None


_ENGLISH_STOP_FILE = Path(__file__).with_name("data") / "stopwords-en.txt"


@lru_cache(maxsize=16)
def stop_words(language: str) -> frozenset[str]:
    """Stop words of a supported language, lower-cased, with and without accents."""
    if language == "en":
        lines = _ENGLISH_STOP_FILE.read_text(encoding="utf-8").splitlines()
        words = {w for line in lines if not line.startswith("#") for w in line.split()}
    else:
        name = _STOP_LISTS.get(language)
        words = {w.lower() for w in get_stop_words(name)} if name else set()
    return frozenset(words | {fold(w) for w in words})


def fold(text: str) -> str:
    """Lower-case and strip diacritics ('Suéter' -> 'sueter', 'ø' stays a letter)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _jieba():
    import jieba  # imported lazily: building its dictionary takes a moment

    jieba.setLogLevel(60)
    return jieba


def words(text: str) -> list[str]:
    """Split text into lower-case words; runs of Chinese characters are segmented with jieba."""
    result: list[str] = []
    for token in _WORD.findall(text.lower()):
        if _HAN.search(token):
            result.extend(w for w in _jieba().cut_for_search(token) if _WORD.fullmatch(w))
        else:
            result.append(token)
    return result


@lru_cache(maxsize=65536)
def stem(word: str, language: str) -> str:
    """The folded Snowball stem of one word (the word itself for Chinese)."""
    stemmer = _stemmer(language)
    folded = fold(word)
    return stemmer.stemWord(folded) if stemmer else folded


def document_terms(text: str, language: str) -> str:
    """The indexed form of a listing's text in its own language: stems joined by spaces."""
    stops = stop_words(language)
    return " ".join(stem(w, language) for w in words(text) if w not in stops)


def query_terms(text: str, language: str | None = None) -> list[set[str]]:
    """For each meaningful query word, the set of forms it may take in the index."""
    stops = stop_words(language) if language in SUPPORTED_LANGUAGES else frozenset().union(
        *(stop_words(lang) for lang in SUPPORTED_LANGUAGES))
    groups: list[set[str]] = []
    for word in words(text):
        if word in stops or (len(word) < 2 and not _HAN.search(word)):
            continue
        forms = {fold(word)} | {stem(word, lang) for lang in SUPPORTED_LANGUAGES}
        groups.append({f for f in forms if f})
    return groups
