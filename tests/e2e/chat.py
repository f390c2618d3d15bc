"""What the end-to-end tests do as a Telegram user and as the marketplace's other services."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from sandbox.client import SandboxClient
from tests.e2e.stack import SERVICE_TOKEN, Stack


def api(stack: Stack) -> httpx.AsyncClient:
    """The marketplace API with the service token."""
    return httpx.AsyncClient(base_url=stack.urls["api"], headers={"Authorization": f"Bearer {SERVICE_TOKEN}"})


def labels(message: dict) -> list[str]:
    """The inline buttons' labels of a message, row by row."""
    return [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


async def until(client: SandboxClient, user: int, found: Callable[[dict], bool], timeout: float = 25) -> dict:
    """The next bot message for which `found` is true (skipping the ones before it)."""
    while not found(message := await client.wait_for_message(user, timeout=timeout)):
        pass
    return message
