"""/mydata and /forgetme: a person sees or deletes what Tradewind stores about them."""

from __future__ import annotations

import json

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from bot import callback_data
from bot.edits import edit_pressed
from bot.handlers.conversation import language_of
from bot.services import Context
from bot.texts import text


FORGET = callback_data.encode(callback_data.PRIVACY, "forget")
KEEP = callback_data.encode(callback_data.PRIVACY, "keep")


async def on_mydata(update: Update, context: Context) -> None:
    """Send the person a JSON file with everything stored about them."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None and context.bot_data.marketplace is not None
    language = language_of(update, context)
    data = await context.bot_data.marketplace.export(user.id)
    if data is None:
        await context.bot.send_message(chat.id, text("nodata", language))
        return
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode()
    await context.bot.send_document(chat.id, InputFile(payload, filename="tradewind-my-data.json"),
                                    caption=text("mydata", language))


async def on_forgetme(update: Update, context: Context) -> None:
    """Ask for confirmation before deleting the person's data."""
    chat = update.effective_chat
    assert chat is not None
    language = language_of(update, context)
    buttons = [[InlineKeyboardButton(text("yes_delete", language), callback_data=FORGET),
                InlineKeyboardButton(text("keep", language), callback_data=KEEP)]]
    await context.bot.send_message(chat.id, text("forget_confirm", language), reply_markup=InlineKeyboardMarkup(buttons))


async def on_forget_button(update: Update, context: Context) -> None:
    """Delete (or keep) after the person pressed a confirmation button; always answer the press."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and context.bot_data.marketplace is not None
    language = language_of(update, context)
    if query.data not in (FORGET, KEEP):  # not a button we made
        await query.answer(text("button_expired", language), show_alert=True)
        return
    await query.answer()
    if query.data == KEEP:
        await edit_pressed(query, text("kept", language))
        return
    reason = await context.bot_data.marketplace.forget(user.id)
    if reason is None and context.user_data is not None:
        context.user_data.clear()
    if reason is None:
        await context.bot_data.shared.forget(user.id)  # chosen language, recent messages for a support summary
    await edit_pressed(query, text("forgotten", language) if reason is None
                       else text("forget_refused", language).format(reason=reason))
