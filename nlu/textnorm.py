"""Text folding shared by the normalisers: lowercase, no diacritics, same length.

Keeping the folded string exactly as long as the original lets a match in the
folded text be mapped straight back to character offsets in the original.
"""

from __future__ import annotations

import unicodedata

_SPECIAL = {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i"}


def fold_char(char: str) -> str:
    if char in _SPECIAL:
        return _SPECIAL[char]
    decomposed = unicodedata.normalize("NFD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return stripped if len(stripped) == 1 else char.lower()[:1] or char


def fold(text: str) -> str:
    """Lowercase and strip accents while keeping ``len(fold(t)) == len(t)``."""
    return "".join(fold_char(c) for c in text)


def is_han(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF
