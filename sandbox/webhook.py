"""Webhook delivery: POST queued updates to the bot's URL, retrying with exponential backoff."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import httpx

from .state import Bot

if TYPE_CHECKING:
    from .runtime import Runtime

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
log = logging.getLogger("sandbox.webhook")


class WebhookManager:
    """One delivery task per bot with a webhook set."""

    def __init__(self, rt: Runtime) -> None:
        """Keep a reference to the runtime; tasks start lazily."""
        self.rt = rt
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self._client: httpx.AsyncClient | None = None

    def ensure(self, bot: Bot) -> None:
        """(Re)start the delivery loop for bot, resetting any backoff in progress."""
        task = self.tasks.get(bot.token)
        if task is not None:
            task.cancel()
        self.tasks[bot.token] = asyncio.get_running_loop().create_task(self._run(bot))

    def cancel_all(self) -> None:
        """Cancel delivery loops without waiting (used by reset)."""
        for task in self.tasks.values():
            task.cancel()
        self.tasks.clear()

    async def stop(self) -> None:
        """Cancel all delivery loops and close the HTTP client."""
        for task in self.tasks.values():
            task.cancel()
        await asyncio.gather(*self.tasks.values(), return_exceptions=True)
        self.tasks.clear()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def client(self) -> httpx.AsyncClient:
        """Shared HTTP client for deliveries."""
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.rt.settings.webhook_timeout)
        return self._client

    async def _run(self, bot: Bot) -> None:
        """Deliver updates one by one in order while the webhook stays set."""
        settings, delay = self.rt.settings, 0.0
        while bot.webhook is not None and not self.rt.state.closing:
            if not bot.updates:
                await self.rt.state.notifier.wait(1.0)
                continue
            hook, update = bot.webhook, bot.updates[0]
            error = await self._post(hook.url, hook.secret_token, update)
            if error is None:
                if bot.updates and bot.updates[0] is update:
                    bot.updates.pop(0)
                delay = 0.0
                self.rt.state.notifier.changed()
                continue
            hook.last_error_date = self.rt.state.now()
            hook.last_error_message = error
            delay = min(
                settings.webhook_retry_max, delay * 2 if delay else settings.webhook_retry_initial
            )
            await asyncio.sleep(delay)

    async def _post(self, url: str, secret: str | None, update: dict[str, object]) -> str | None:
        """POST one update; return None on 2xx, else Telegram-like error text."""
        headers = {SECRET_HEADER: secret} if secret else {}
        try:
            resp = await self.client().post(url, json=update, headers=headers)
        except httpx.TimeoutException:
            return "Read timeout expired"
        except httpx.HTTPError as exc:
            return f"Connection failed: {type(exc).__name__}"
        if 200 <= resp.status_code < 300:
            return None
        return f"Wrong response from the webhook: {resp.status_code} {resp.reason_phrase}".strip()
