"""The shared log format: JSON lines carrying the request and conversation ids of the work in hand."""

from __future__ import annotations

import asyncio
import io
import json
import logging

import httpx
import pytest

from tradewind import logs, request_id


def record(message: str = "paid %s", *args: object, exc: bool = False, **extra: object) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError("boom")
        except ValueError as error:
            exc_info = (type(error), error, error.__traceback__)
    made = logging.LogRecord("bot.outbox", logging.WARNING, __file__, 1, message, args or ("order 7",), exc_info)
    made.__dict__.update(extra)
    return made


def test_json_lines_carry_the_ids_bound_when_the_line_was_logged() -> None:
    formatter = logs.JsonFormatter("bot")
    with request_id.bound(request_id="tg5-ab12", conversation_id="700001"):
        line = json.loads(formatter.format(record()))
    assert line["message"] == "paid order 7" and line["level"] == "WARNING" and line["logger"] == "bot.outbox"
    assert (line["process"], line["request_id"], line["conversation_id"]) == ("bot", "tg5-ab12", "700001")
    assert line["ts"].endswith("+00:00") and "T" in line["ts"]
    outside = json.loads(formatter.format(record()))  # the block ended: the ids are gone again
    assert "request_id" not in outside and "conversation_id" not in outside


def test_json_lines_keep_extra_fields_and_tracebacks() -> None:
    line = json.loads(logs.JsonFormatter("api").format(record(exc=True, route="/orders/{order_id}", status=409)))
    assert (line["route"], line["status"]) == ("/orders/{order_id}", 409)
    assert "ValueError: boom" in line["exception"]


def test_text_lines_append_the_ids_before_any_traceback() -> None:
    with request_id.bound(request_id="tg9-ff"):
        first, *rest = logs.TextFormatter().format(record(exc=True)).splitlines()
    assert first == "WARNING bot.outbox: paid order 7 [request_id=tg9-ff]"
    assert rest[-1] == "ValueError: boom"


async def test_each_task_keeps_its_own_ids() -> None:
    async def work(rid: str) -> str | None:
        with request_id.bound(request_id=rid):
            await asyncio.sleep(0.01)
            return request_id.REQUEST_ID.get()
    assert await asyncio.gather(work("a-1"), work("b-2")) == ["a-1", "b-2"]


async def test_the_httpx_hook_sends_the_current_request_id() -> None:
    seen: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("X-Request-ID"))
        return httpx.Response(200)

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer), event_hooks={"request": [request_id.stamp]}) \
            as client:
        await client.get("http://marketplace/shops")
        with request_id.bound(request_id="tg1-77"):
            await client.get("http://marketplace/shops")
    assert seen == [None, "tg1-77"]


def test_configure_replaces_its_handler_and_refuses_unknown_formats(monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    try:
        monkeypatch.setenv("LOG_FORMAT", "json")
        logs.configure("api")
        logs.configure("api")  # twice: still one line per record
        logging.getLogger("marketplace.test").info("hello")
        logging.getLogger("httpx").info("GET https://api.telegram.org/bot123:SECRET/getMe")  # quiet: URLs hold tokens
        [line] = stream.getvalue().splitlines()
        assert json.loads(line)["message"] == "hello" and json.loads(line)["process"] == "api"
        with pytest.raises(ValueError, match="LOG_FORMAT"):
            logs.configure("api", "xml")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


@pytest.mark.parametrize("value", ["tg1-ab", "api-0f3c", "a.b:c_d"])
def test_safe_ids_are_kept(value: str) -> None:
    assert request_id.clean(value) == value


@pytest.mark.parametrize("value", ["", "has space", "x" * 65, "<b>", "line\nbreak", None, 42])
def test_unsafe_ids_are_refused(value: object) -> None:
    assert request_id.clean(value) is None
