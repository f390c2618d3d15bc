"""A seller corrects how a listing reads in another language: /translation 12 es Suéter de lana."""

from __future__ import annotations

from babel import Locale
from telegram import Update

from bot.handlers.conversation import language_of
from bot.listing_texts import say
from bot.services import Context
from bot.texts import LANGUAGES


def language_name(code: str, in_language: str) -> str:
    """'es' as the person calls it ('Spanish', 'español', 'spansk'…)."""
    return Locale.parse(code).get_display_name(in_language) or code


async def on_translation(update: Update, context: Context) -> None:
    """Store the seller's own title for one of their listings in one language."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None and context.bot_data.marketplace is not None
    language = language_of(update, context)
    args = context.args or []
    product = args[0].lstrip("#") if args else ""
    target = args[1].lower() if len(args) > 1 else ""
    title = " ".join(args[2:]).strip()
    if not (product.isascii() and product.isdigit()) or target not in LANGUAGES or not title or len(title) > 200:
        await message.reply_text(say("usage", language, languages=", ".join(LANGUAGES)))
        return
    saved = await context.bot_data.marketplace.correct_title(int(product), target, title, acting=user.id)
    if saved is None:
        await message.reply_text(say("not_yours", language, id=int(product)))
        return
    await message.reply_text(say("saved", language, id=int(product), title=saved["title"],
                                 lang_name=language_name(target, language)))
