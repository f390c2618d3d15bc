"""Message entities: UTF-16 offsets, HTML parsing, command/mention detection, trimming."""

from __future__ import annotations

import html
import re
from typing import Any

from .errors import bad_request

Entity = dict[str, Any]
HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
ATTR_RE = re.compile(r"""\s*([a-zA-Z-]+)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
ENTITY_RE = re.compile(r"&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,8}|[a-zA-Z]{2,8});")
NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
COMMAND_RE = re.compile(r"(?<![\w/])/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?(?![\w/])")
MENTION_RE = re.compile(r"(?<![\w@])@[a-zA-Z0-9_]{4,32}\b")


def u16(text: str) -> int:
    """Length of text in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def parse_err(text: str) -> Exception:
    """Telegram's entity-parsing error."""
    return bad_request(f"can't parse entities: {text}")


class _HtmlParser:
    """Tag-stack HTML parser modelled on Telegram's (tdlib) behaviour and error texts."""

    def __init__(self, src: str) -> None:
        """Prepare parser state."""
        self.src = src
        self.out: list[str] = []
        self.pos16 = 0
        self.stack: list[tuple[str, dict[str, str], int]] = []
        self.entities: list[Entity] = []

    def emit(self, s: str) -> None:
        """Append decoded text."""
        self.out.append(s)
        self.pos16 += u16(s)

    def byte_at(self, i: int) -> int:
        """UTF-8 byte offset of character index i."""
        return len(self.src[:i].encode("utf-8"))

    def run(self) -> tuple[str, list[Entity]]:
        """Parse the whole string."""
        src, i, n = self.src, 0, len(self.src)
        while i < n:
            c = src[i]
            if c == "&":
                m = ENTITY_RE.match(src, i)
                if m:
                    name = m.group(1)
                    if name.startswith("#"):
                        self.emit(html.unescape(m.group(0)))
                    else:
                        self.emit(NAMED.get(name, m.group(0)))
                    i = m.end()
                    continue
                self.emit(c)
                i += 1
            elif c == "<":
                i = self.end_tag(i) if src.startswith("</", i) else self.start_tag(i)
            else:
                j = i
                while j < n and src[j] not in "&<":
                    j += 1
                self.emit(src[i:j])
                i = j
        if self.stack:
            raise parse_err(f'Can\'t find end tag corresponding to start tag "{self.stack[-1][0]}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def start_tag(self, i: int) -> int:
        """Parse a start tag at i and push it."""
        src = self.src
        m = re.compile(r"<([a-zA-Z0-9-]+)").match(src, i)
        if not m:
            raise parse_err(f"Unsupported start tag at byte offset {self.byte_at(i)}")
        name = m.group(1).lower()
        if name not in HTML_TAGS:
            raise parse_err(f'Unsupported start tag "{name}" at byte offset {self.byte_at(i)}')
        j, attrs = m.end(), {}
        while True:
            if j >= len(src):
                raise parse_err(f"Unclosed start tag at byte offset {self.byte_at(i)}")
            if src[j] == ">":
                break
            am = ATTR_RE.match(src, j)
            if not am or am.end() == j:
                raise parse_err(
                    f'Empty attribute name in the tag "{name}" at byte offset {self.byte_at(i)}'
                )
            value = am.group(2) or ""
            if value[:1] in "\"'" and value:
                value = value[1:-1]
            attrs[am.group(1).lower()] = html.unescape(value)
            j = am.end()
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise parse_err('Tag "span" must have class "tg-spoiler"')
        self.stack.append((name, attrs, self.pos16))
        return j + 1

    def end_tag(self, i: int) -> int:
        """Parse an end tag at i and close the matching entity."""
        src = self.src
        j = src.find(">", i)
        if j < 0:
            raise parse_err(f"Unclosed end tag at byte offset {self.byte_at(i)}")
        name = src[i + 2 : j].strip().lower()
        if not self.stack:
            raise parse_err(f"Unexpected end tag at byte offset {self.byte_at(i)}")
        top, attrs, start = self.stack[-1]
        if name != top:
            raise parse_err(
                f"Unmatched end tag at byte offset {self.byte_at(i)}, "
                f'expected "</{top}>", found "</{name}>"'
            )
        self.stack.pop()
        self.add_entity(top, attrs, start)
        return j + 1

    def add_entity(self, tag: str, attrs: dict[str, str], start: int) -> None:
        """Create the entity for a closed tag (empty ones are dropped like Telegram does)."""
        length = self.pos16 - start
        if length <= 0:
            return
        ent: Entity = {"type": HTML_TAGS[tag], "offset": start, "length": length}
        if tag == "a":
            if not attrs.get("href"):
                return
            ent["url"] = attrs["href"]
        elif tag == "blockquote" and "expandable" in attrs:
            ent["type"] = "expandable_blockquote"
        elif tag == "tg-emoji":
            ent["custom_emoji_id"] = attrs.get("emoji-id", "")
        elif tag == "code" and self.stack and self.stack[-1][0] == "pre":
            lang = attrs.get("class", "")
            if lang.startswith("language-"):
                self.stack[-1][1]["language"] = lang[len("language-") :]
                return
        elif tag == "pre" and attrs.get("language"):
            ent["language"] = attrs["language"]
        self.entities.append(ent)


def parse_html(src: str) -> tuple[str, list[Entity]]:
    """Parse Telegram HTML into (text, entities) or raise Telegram's parse error."""
    return _HtmlParser(src).run()


def trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Strip surrounding whitespace like Telegram does, shifting and clipping entities."""
    lead = text[: len(text) - len(text.lstrip())]
    body = text.strip()
    shift, total = u16(lead), u16(body)
    out = []
    for e in entities:
        start = max(0, e["offset"] - shift)
        end = min(total, e["offset"] + e["length"] - shift)
        if end > start:
            out.append({**e, "offset": start, "length": end - start})
    return body, out


def detect(text: str) -> list[Entity]:
    """Entities Telegram adds automatically to user text: bot commands and mentions."""
    found: list[Entity] = []
    for regex, kind in ((COMMAND_RE, "bot_command"), (MENTION_RE, "mention")):
        for m in regex.finditer(text):
            found.append(
                {"type": kind, "offset": u16(text[: m.start()]), "length": u16(m.group(0))}
            )
    found.sort(key=lambda e: e["offset"])
    return found


def format_text(
    text: str, parse_mode: str | None, entities: list[Entity] | None
) -> tuple[str, list[Entity]]:
    """Apply parse_mode (or explicit entities) and trim; returns (text, entities)."""
    from .markdown import parse_markdown

    mode = (parse_mode or "").lower()
    if mode == "html":
        text, ents = parse_html(text)
    elif mode in ("markdownv2", "markdown"):
        text, ents = parse_markdown(text, v2=mode == "markdownv2")
    elif mode:
        raise bad_request("unsupported parse_mode")
    else:
        ents = list(entities or [])
    return trim(text, ents)
