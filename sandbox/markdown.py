"""MarkdownV2 and legacy Markdown parsing with Telegram's error texts."""

from __future__ import annotations

from .entities import Entity, parse_err, u16

RESERVED = set("_*[]()~`>#+-=|{}.!")
NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
}


class _MdParser:
    """Single-pass Markdown parser producing UTF-16 entity offsets."""

    def __init__(self, src: str, v2: bool) -> None:
        """Prepare state."""
        self.src, self.v2 = src, v2
        self.out: list[str] = []
        self.pos16 = 0
        self.stack: list[tuple[str, int, int]] = []
        self.entities: list[Entity] = []

    def emit(self, s: str) -> None:
        """Append plain text."""
        self.out.append(s)
        self.pos16 += u16(s)

    def byte_at(self, i: int) -> int:
        """UTF-8 byte offset of index i."""
        return len(self.src[:i].encode("utf-8"))

    def toggle(self, kind: str, i: int) -> None:
        """Open or close an entity of kind."""
        if self.stack and self.stack[-1][0] == kind:
            _, start, _ = self.stack.pop()
            if self.pos16 > start:
                self.entities.append({"type": kind, "offset": start, "length": self.pos16 - start})
        else:
            self.stack.append((kind, self.pos16, self.byte_at(i)))

    def code(self, i: int) -> int:
        """Parse `code` or ```pre``` starting at i; return next index."""
        src = self.src
        fence = "```" if src.startswith("```", i) else "`"
        j = i + len(fence)
        lang = None
        if fence == "```":
            nl = src.find("\n", j)
            end_guess = src.find("```", j)
            if 0 <= nl < end_guess and src[j:nl].strip() and " " not in src[j:nl].strip():
                lang, j = src[j:nl].strip(), nl + 1
        start, buf = self.pos16, []
        while j < len(src):
            if self.v2 and src[j] == "\\" and j + 1 < len(src) and src[j + 1] in "`\\":
                buf.append(src[j + 1])
                j += 2
                continue
            if src.startswith(fence, j):
                self.emit("".join(buf))
                ent: Entity = {
                    "type": "pre" if fence == "```" else "code",
                    "offset": start,
                    "length": self.pos16 - start,
                }
                if lang:
                    ent["language"] = lang
                if ent["length"]:
                    self.entities.append(ent)
                return j + len(fence)
            buf.append(src[j])
            j += 1
        kind = "Pre" if fence == "```" else "Code"
        raise parse_err(f"Can't find end of {kind} entity at byte offset {self.byte_at(i)}")

    def link_end(self, i: int) -> int:
        """Handle ']' closing a text link; expects (url) right after."""
        src = self.src
        kind, start, _ = self.stack.pop()
        if not src.startswith("(", i + 1):
            if self.v2:
                raise parse_err(
                    "Character ']' is reserved and must be escaped with the preceding '\\'"
                )
            return i + 1
        j, url = i + 2, []
        while j < len(src) and src[j] != ")":
            if src[j] == "\\" and j + 1 < len(src):
                j += 1
            url.append(src[j])
            j += 1
        if j >= len(src):
            raise parse_err(f"Can't find end of a URL at byte offset {self.byte_at(i + 1)}")
        if self.pos16 > start and url:
            self.entities.append(
                {
                    "type": "text_link",
                    "offset": start,
                    "length": self.pos16 - start,
                    "url": "".join(url),
                }
            )
        return j + 1

    def run(self) -> tuple[str, list[Entity]]:
        """Parse the string."""
        src, i, n = self.src, 0, len(self.src)
        while i < n:
            c = src[i]
            if (
                c == "\\"
                and i + 1 < n
                and (self.v2 and 0 < ord(src[i + 1]) < 127 and not src[i + 1].isalnum())
            ):
                self.emit(src[i + 1])
                i += 2
            elif c == "`":
                i = self.code(i)
            elif c == "*":
                self.toggle("bold", i)
                i += 1
            elif c == "_":
                if (
                    self.v2
                    and src.startswith("__", i)
                    and not (self.stack and self.stack[-1][0] == "italic")
                ):
                    self.toggle("underline", i)
                    i += 2
                else:
                    self.toggle("italic", i)
                    i += 1
            elif c == "~" and self.v2:
                self.toggle("strikethrough", i)
                i += 1
            elif c == "|" and self.v2 and src.startswith("||", i):
                self.toggle("spoiler", i)
                i += 2
            elif c == "[":
                self.stack.append(("text_link", self.pos16, self.byte_at(i)))
                i += 1
            elif c == "]" and self.stack and self.stack[-1][0] == "text_link":
                i = self.link_end(i)
            elif self.v2 and c in RESERVED:
                raise parse_err(
                    f"Character '{c}' is reserved and must be escaped with the preceding '\\'"
                )
            else:
                self.emit(c)
                i += 1
        if self.stack:
            kind, _, byte = self.stack[-1]
            raise parse_err(f"Can't find end of {NAMES[kind]} entity at byte offset {byte}")
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities


def parse_markdown(src: str, v2: bool = True) -> tuple[str, list[Entity]]:
    """Parse MarkdownV2 (or legacy Markdown when v2 is False)."""
    return _MdParser(src, v2).run()
