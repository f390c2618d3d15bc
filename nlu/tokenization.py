"""One tokeniser for all eight languages.

Chinese (any run of Han characters) goes through jieba, with numeral +
measure-word groups ("两个", "三件") kept as one token; everything else is
split on word characters, keeping numbers like "1.299,50" and currency symbols
("$", "€", "R$") as their own tokens.  Returns ``(text, start)`` pairs so a
Rasa wrapper can build ``Token`` objects.
"""

from __future__ import annotations

import logging
import re
import threading

from nlu.number_words import ZH_CLASSIFIERS
from nlu.textnorm import is_han

_NON_HAN_TOKEN = re.compile(
    r"R\$|US\$|"
    r"(?<![\w])\d+(?:[.,']\d+)*(?![^\W\d_])"  # numbers, incl. separators
    r"|[^\W_]+(?:-[^\W_]+)*"  # words, hyphenated words, alphanumerics (iphone15, t-shirt)
    r"|[$€£¥₹₩₽₺#]"  # currency symbols and '#'
)
_ZH_NUMERAL = re.compile(rf"[零〇一二两俩三四五六七八九十百千万]+[{ZH_CLASSIFIERS}]")
_jieba_lock = threading.Lock()
_jieba = None


def _get_jieba():
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _jieba = jieba
    return _jieba


def _split_runs(text: str) -> list[tuple[str, int, bool]]:
    """Split into maximal runs of Han / non-Han characters: (run, start, is_han)."""
    runs: list[tuple[str, int, bool]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or is_han(text[i]) != is_han(text[start]):
            runs.append((text[start:i], start, is_han(text[start])))
            start = i
    return runs


def _tokenize_han(run: str, offset: int) -> list[tuple[str, int]]:
    jieba = _get_jieba()
    tokens: list[tuple[str, int]] = []
    cursor = 0
    pieces = []
    for m in _ZH_NUMERAL.finditer(run):
        pieces.append((run[cursor:m.start()], cursor, False))
        pieces.append((m.group(0), m.start(), True))
        cursor = m.end()
    pieces.append((run[cursor:], cursor, False))
    for piece, start, atomic in pieces:
        if not piece:
            continue
        if atomic:
            tokens.append((piece, offset + start))
            continue
        for word, w_start, _ in jieba.tokenize(piece, HMM=False):
            if word.strip():
                tokens.append((word, offset + start + w_start))
    return tokens


def tokenize(text: str, language: str | None = None) -> list[tuple[str, int]]:
    """Tokens as ``(word, start_offset)``; Han runs are segmented with jieba."""
    if not text:
        return []
    tokens: list[tuple[str, int]] = []
    for run, start, han in _split_runs(text):
        if han:
            tokens.extend(_tokenize_han(run, start))
        else:
            tokens.extend((m.group(0), start + m.start()) for m in _NON_HAN_TOKEN.finditer(run))
    return tokens
