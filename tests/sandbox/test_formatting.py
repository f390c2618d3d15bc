"""parse_mode handling: HTML / MarkdownV2 entities and Telegram's parse error texts."""

from __future__ import annotations

import pytest
import telegram
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram.error import BadRequest

from sandbox.client import SandboxClient
from sandbox.entities import detect, format_text, parse_html, u16
from sandbox.errors import ApiError
from sandbox.markdown import parse_markdown


def error_of(fn: object, *args: object) -> str:
    """Description of the ApiError raised by fn(*args)."""
    with pytest.raises(ApiError) as err:
        fn(*args)  # type: ignore[operator]
    return err.value.description


def test_html_entities_and_utf16_offsets() -> None:
    """Nested tags, links, escapes and astral characters give UTF-16 offsets."""
    text, ents = parse_html(
        '😀 <b>bold <i>both</i></b> &lt;x&gt; <a href="https://t.me/x">link</a>'
    )
    assert text == "😀 bold both <x> link"
    assert ents == [
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 8, "length": 4},
        {"type": "text_link", "offset": 17, "length": 4, "url": "https://t.me/x"},
    ]


def test_html_pre_with_language_and_spoiler() -> None:
    """<pre><code class="language-x"> becomes one pre entity with language."""
    text, ents = parse_html(
        '<pre><code class="language-python">x = 1</code></pre><tg-spoiler>s</tg-spoiler>'
    )
    assert text == "x = 1s"
    assert ents == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
        {"type": "spoiler", "offset": 5, "length": 1},
    ]


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("ok</b>", "Unexpected end tag at byte offset 2"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("é<b", "Unclosed start tag at byte offset 2"),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler"'),
    ],
)
def test_html_parse_errors(src: str, expected: str) -> None:
    """Malformed HTML answers Telegram's 'can't parse entities' texts."""
    assert error_of(parse_html, src) == f"Bad Request: can't parse entities: {expected}"


def test_markdown_v2() -> None:
    """MarkdownV2 entities, escapes and reserved-character errors."""
    text, ents = parse_markdown(r"*bold* _it_ __u__ ~s~ ||sp|| `c` [l](https://x.y) 1\.5")
    assert text == "bold it u s sp c l 1.5"
    assert [e["type"] for e in ents] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]
    assert (
        error_of(parse_markdown, "1.5")
        == "Bad Request: can't parse entities: Character '.' is reserved and must be escaped "
        "with the preceding '\\'"
    )
    assert (
        error_of(parse_markdown, "*open")
        == "Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 0"
    )


def test_format_text_trims_and_rejects_unknown_mode() -> None:
    """Surrounding whitespace is trimmed with entity offsets shifted; bad parse_mode is refused."""
    assert format_text("  <b>x</b>  ", "HTML", None) == (
        "x",
        [{"type": "bold", "offset": 0, "length": 1}],
    )
    assert error_of(format_text, "x", "BBCode", None) == "Bad Request: unsupported parse_mode"


def test_detect_commands_and_mentions() -> None:
    """User text gets bot_command and mention entities."""
    assert detect("/start@tw_bot deal 📦 @seller_1") == [
        {"type": "bot_command", "offset": 0, "length": 13},
        {"type": "mention", "offset": 22, "length": 9},
    ]
    assert detect("a/b and http://x/y") == []


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_html_escaped_text_roundtrips(text: str) -> None:
    """Any text escaped with html.escape parses back to itself without entities."""
    import html

    assert parse_html(html.escape(text, quote=False)) == (text, [])
    assert u16(text) >= len(text)


@pytest.mark.asyncio
async def test_bad_html_through_ptb(bot: telegram.Bot, client: SandboxClient) -> None:
    """PTB surfaces the parse error as BadRequest."""
    user = await client.create_user("Ann")
    await client.send_text(user["id"], "hi")
    with pytest.raises(BadRequest, match="Can't parse entities: can't find end tag"):
        await bot.send_message(user["id"], "<b>unclosed", parse_mode="HTML")
    ok = await bot.send_message(user["id"], r"*Total:* 10\.50 €", parse_mode="MarkdownV2")
    assert ok.text == "Total: 10.50 €" and ok.entities[0].type == "bold"
