"""Each Telegram update is handled inside its own request id, and counted and timed.

The id (`tg<update_id>-<random>`) goes to Rasa in the message metadata and to the marketplace as
X-Request-ID (the shared httpx client's hook, tradewind/request_id.py), so one person's message
can be followed through the logs of every process. The conversation id is the chat id, which is
also the Rasa sender id.
"""

from __future__ import annotations

import time

from telegram import Update
from telegram.ext import Application

from bot.metrics import metrics
from tradewind import request_id

OTHER = "other"


def update_type(update: object) -> str:
    """What kind of update this is (`message`, `callback_query`, …): a bounded label."""
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return kind
    return OTHER


class ObservedApplication(Application):
    """PTB's Application, binding a request id around each update and measuring its handling."""

    async def process_update(self, update: object) -> None:
        """Handle the update as PTB does, inside its request id and conversation id."""
        kind, observed = update_type(update), metrics()
        rid = request_id.new(f"tg{update.update_id}-" if isinstance(update, Update) else "bot-")
        chat = update.effective_chat if isinstance(update, Update) else None
        started = time.perf_counter()
        with request_id.bound(request_id=rid, conversation_id=str(chat.id) if chat else None):
            try:
                await super().process_update(update)
            finally:
                observed.updates.labels(type=kind).inc()
                observed.update_latency.labels(type=kind).observe(time.perf_counter() - started)
