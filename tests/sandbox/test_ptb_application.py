"""End to end: a real PTB Application polling the emulator, driven through SandboxClient."""

from __future__ import annotations

import asyncio

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from sandbox.client import SandboxClient

from .conftest import TOKEN, Server


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet in the user's language and offer a button."""
    lang = update.effective_user.language_code
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Track", callback_data="track")]])
    await update.message.reply_text("Hallo!" if lang == "de" else "Hello!", reply_markup=markup)


async def track(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button and edit the message."""
    await update.callback_query.answer("Looking up...")
    await update.callback_query.edit_message_text("Parcel is in customs")


@pytest.mark.asyncio
async def test_application_polling_round_trip(sandbox: Server, client: SandboxClient) -> None:
    """Application.updater long-polls; commands and buttons work like on Telegram."""
    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(f"{sandbox.url}/bot")
        .base_file_url(f"{sandbox.url}/file/bot")
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(track))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1, drop_pending_updates=True)
        try:
            user = await client.create_user("Dana", "dana", "de")
            await client.send_command(user["id"], "start")
            greeting = await client.wait_for_message(user["id"], timeout=5)
            assert greeting["text"] == "Hallo!"
            qid = await client.press_button(user["id"], greeting["message_id"], text="Track")
            for _ in range(100):
                history = await client.bot_messages(user["id"])
                if history[-1].get("edit_date"):
                    break
                await asyncio.sleep(0.02)
            assert history[-1]["text"] == "Parcel is in customs"
            assert (await client.callback_answer(qid))["text"] == "Looking up..."
        finally:
            await app.updater.stop()
            await app.stop()
