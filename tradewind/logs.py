"""One logging setup for every process: text lines for the demo, JSON lines in production.

`LOG_FORMAT=json` prints one JSON object per line with `ts` (UTC, ISO 8601), `level`, `logger`,
`process`, `message`, and `request_id` / `conversation_id` when the work in hand has them
(tradewind/request_id.py); `LOG_FORMAT=text` (the default) prints the same on one readable line.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime

from tradewind.request_id import CONVERSATION_ID, REQUEST_ID

FORMATS = ("text", "json")
# Loggers that would print secrets or noise at INFO: httpx logs URLs, and Bot API URLs hold the token.
QUIET = ("httpx", "httpcore", "alembic")
# uvicorn's and Sanic's own loggers: no handlers of their own, so their lines go through ours.
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "sanic.root", "sanic.error", "sanic.access")


_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName", "color_message"}


def _ids(record: logging.LogRecord) -> dict[str, str]:
    ids = {"request_id": getattr(record, "request_id", None) or REQUEST_ID.get(),
           "conversation_id": getattr(record, "conversation_id", None) or CONVERSATION_ID.get()}
    return {key: str(value) for key, value in ids.items() if value}


class JsonFormatter(logging.Formatter):
    """One JSON object per line; fields given with `extra=` become keys too."""

    def __init__(self, process: str) -> None:
        super().__init__()
        self.process = process

    def format(self, record: logging.LogRecord) -> str:
        """The record as JSON; the ids come from the context the line was logged in."""
        data: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "process": self.process,
            "message": record.getMessage(), **_ids(record)}
        data |= {k: v for k, v in record.__dict__.items() if k not in _STANDARD and k not in data}  # `extra=`
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            data["stack"] = self.formatStack(record.stack_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`LEVEL logger: message [request_id=… conversation_id=…]`."""

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The classic line, with the ids appended when there are any."""
        line = super().format(record)
        ids = _ids(record)
        if not ids:
            return line
        first, newline, rest = line.partition("\n")  # keep a traceback below the ids
        return first + " [" + " ".join(f"{k}={v}" for k, v in ids.items()) + "]" + newline + rest


def formatter(process: str, fmt: str | None = None) -> logging.Formatter:
    """The formatter for `fmt` ('text' or 'json'; default: LOG_FORMAT, else text)."""
    fmt = (fmt or os.environ.get("LOG_FORMAT") or "text").strip().lower()
    if fmt not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return JsonFormatter(process) if fmt == "json" else TextFormatter()


class _OurHandler(logging.StreamHandler):
    """The handler configure() installs (so calling it again replaces it)."""


def configure(process: str, fmt: str | None = None, level: int = logging.INFO) -> None:
    """Send every logger's lines to stderr in one format, tagged with the process name."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(handler)
    handler = _OurHandler(sys.stderr)
    handler.setFormatter(formatter(process, fmt))
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in SERVER_LOGGERS:
        server_logger = logging.getLogger(name)
        server_logger.handlers.clear()
        server_logger.propagate = True
