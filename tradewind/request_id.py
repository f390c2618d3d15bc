"""The request id and conversation id of the work in hand, in context variables.

The bot makes one request id per Telegram update; it travels to Rasa in the message metadata
(`request_id`), from the actions and the bot to the marketplace as the `X-Request-ID` header, and
every log line of every process prints it (tradewind/logs.py). The conversation id is the Rasa
sender id (the Telegram chat id).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpx

HEADER = "X-Request-ID"
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
CONVERSATION_ID: ContextVar[str | None] = ContextVar("conversation_id", default=None)
_SAFE = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def new(prefix: str = "") -> str:
    """A fresh id (16 hex digits after the prefix)."""
    return f"{prefix}{secrets.token_hex(8)}"


def clean(value: object) -> str | None:
    """A received id when it is safe to log and forward (short, no spaces or markup), else None."""
    return value if isinstance(value, str) and _SAFE.fullmatch(value) else None


@contextmanager
def bound(*, request_id: str | None = None, conversation_id: str | None = None) -> Iterator[None]:
    """Set the ids (those given) for the code inside the block and the tasks it starts."""
    tokens = []
    if request_id is not None:
        tokens.append((REQUEST_ID, REQUEST_ID.set(request_id)))
    if conversation_id is not None:
        tokens.append((CONVERSATION_ID, CONVERSATION_ID.set(conversation_id)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


async def stamp(request: httpx.Request) -> None:
    """httpx request hook: send the current request id as X-Request-ID (unless the call set one)."""
    current = REQUEST_ID.get()
    if current and HEADER not in request.headers:
        request.headers[HEADER] = current
