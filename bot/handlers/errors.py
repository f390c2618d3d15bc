"""The one error handler: log the problem, tell the person something went wrong, leak nothing."""

from __future__ import annotations

import logging

from telegram import Update

from bot.metrics import metrics
from bot.observe import update_type
from bot.services import Context
from bot.texts import pick_language, text

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log any exception from a handler and apologise to the person, without internals."""
    log.error("error while handling an update", exc_info=context.error)
    metrics().update_errors.labels(type=update_type(update)).inc()
    if isinstance(update, Update) and update.effective_chat is not None:
        user = update.effective_user
        try:
            await context.bot.send_message(update.effective_chat.id,
                                           text("error", pick_language(user.language_code if user else None)))
        except Exception:  # noqa: BLE001 - the apology itself failed (e.g. Telegram down): only log
            log.exception("could not tell the user about the error")
