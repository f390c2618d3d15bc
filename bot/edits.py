"""Editing the message a button sits on, safely when the button is pressed twice."""

from __future__ import annotations

from telegram import CallbackQuery
from telegram.error import BadRequest


async def edit_pressed(query: CallbackQuery, new_text: str) -> None:
    """Replace the text of the message whose button was pressed. A second press of the same button
    (Telegram: "message is not modified") changes nothing and is not an error."""
    try:
        await query.edit_message_text(new_text)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise
