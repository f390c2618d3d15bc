"""Find alias phrases in text and map them back to original character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.textnorm import fold


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    value: str


class AliasMatcher:
    """Longest-first, case- and accent-insensitive matching of alias -> value.

    Aliases made of letters need word boundaries; symbols ("$", "R$") and
    Chinese aliases do not.  ``needs_number`` aliases ("元", "kr") only count
    right after a number.
    """

    def __init__(
        self,
        aliases: dict[str, str],
        case_sensitive: set[str] | None = None,
        needs_number: set[str] | None = None,
    ) -> None:
        self._aliases = {fold(a): v for a, v in aliases.items() if a.strip()}
        self._case_sensitive = set(case_sensitive or ())
        self._case_sensitive_folded = {fold(a) for a in self._case_sensitive}
        self._needs_number = {fold(a) for a in (needs_number or set())}
        parts = []
        for alias in sorted(self._aliases, key=len, reverse=True):
            escaped = re.escape(alias)
            # letters need word boundaries; symbols ("$") and CJK ("美元") do not
            left = r"(?<![^\W\d_])" if alias[0].isalpha() and not _is_cjk(alias[0]) else ""
            right = r"(?![^\W\d_])" if alias[-1].isalpha() and not _is_cjk(alias[-1]) else ""
            parts.append(f"{left}{escaped}{right}")
        self._pattern = re.compile("|".join(parts)) if parts else None

    def find(self, text: str) -> list[Match]:
        if not self._pattern or not text:
            return []
        folded = fold(text)
        matches = []
        for m in self._pattern.finditer(folded):
            alias = m.group(0)
            original = text[m.start():m.end()]
            if alias in self._case_sensitive_folded and original not in self._case_sensitive:
                continue
            if alias in self._needs_number and not re.search(
                r"[\d零一二两三四五六七八九十百千万]\s*$", text[: m.start()]
            ):
                continue
            matches.append(Match(m.start(), m.end(), original, self._aliases[alias]))
        return matches


def _is_cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"
