"""Is a message made only of words the model never saw? Plain functions, no Rasa imports.

A classifier over word and character n-grams always picks *some* intent, often confidently, for
keyboard mashing ("asdf", "blorp glimf"): logistic regression falls back to its class priors. A
message none of whose words occur in the training data tells the model nothing, so the guard treats
it as not understood (Rasa's fallback then asks "did you mean …?" or to rephrase).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_DIGITS = re.compile(r"\d")


def fold(word: str) -> str:
    """Lowercase without accents ("Suéter" -> "sueter"), so spelling variants count as known."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def vocabulary(token_texts: Iterable[str]) -> set[str]:
    """The folded words of the training data."""
    return {fold(text) for text in token_texts if text.strip()}


def nothing_known(token_texts: Iterable[str], known: set[str]) -> bool:
    """True when the message has words and none of them (nor any number) was ever seen in training."""
    words = [text for text in token_texts if text.strip()]
    if not words or not known:
        return False
    if any(_DIGITS.search(word) for word in words):
        return False  # order numbers, prices and quantities mean something even alone
    return not any(fold(word) in known for word in words)
