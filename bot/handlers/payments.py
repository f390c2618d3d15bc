"""Telegram Payments: re-check an invoice at pre-checkout, record the payment once."""

from __future__ import annotations

import logging
from decimal import Decimal

from babel.numbers import get_currency_precision
from telegram import Update

from bot.handlers.conversation import language_of
from bot.render import INVOICE_PREFIX as PREFIX
from bot.services import Context
from bot.texts import text

log = logging.getLogger(__name__)


def amount_of(minor_units: int, currency: str) -> Decimal:
    """Telegram's integer amount (smallest units) as a Decimal in the currency's major unit."""
    return Decimal(minor_units).scaleb(-get_currency_precision(currency))


def order_id_of(payload: str) -> int | None:
    """The order id an invoice payload names (`order:<id>`), or None for anything else."""
    number = payload.removeprefix(PREFIX)
    if not payload.startswith(PREFIX) or not (number.isascii() and number.isdigit()):
        return None
    return int(number)


async def on_pre_checkout(update: Update, context: Context) -> None:
    """Ask the marketplace whether this exact payment may go ahead; refuse with its reason."""
    query = update.pre_checkout_query
    assert query is not None and context.bot_data.marketplace is not None
    order_id = order_id_of(query.invoice_payload)
    if order_id is None:
        await query.answer(ok=False, error_message=text("button_expired", query.from_user.language_code))
        return
    reason = await context.bot_data.marketplace.precheckout(
        order_id, telegram_user_id=query.from_user.id, amount=amount_of(query.total_amount, query.currency),
        currency=query.currency)
    await query.answer(ok=reason is None, error_message=reason)


async def on_successful_payment(update: Update, context: Context) -> None:
    """Record the payment (idempotent on Telegram's charge id); the buyer's receipt follows from the outbox."""
    message = update.effective_message
    assert message is not None and message.successful_payment is not None
    payment = message.successful_payment
    order_id = order_id_of(payment.invoice_payload)
    assert context.bot_data.marketplace is not None
    if order_id is None:
        log.error("successful payment with an unknown payload; charge %s", payment.telegram_payment_charge_id)
        return
    recorded = await context.bot_data.marketplace.record_payment(
        order_id, amount=amount_of(payment.total_amount, payment.currency), currency=payment.currency,
        charge_id=payment.telegram_payment_charge_id)
    if not recorded:  # Telegram delivered the same payment again: already confirmed once
        log.info("payment %s for order %s was already recorded", payment.telegram_payment_charge_id, order_id)
        return
    if context.bot_data.settings.outbox_enabled:
        return  # the receipt comes from the outbox (order.paid), written with the payment: never lost
    await message.reply_text(text("paid", language_of(update, context)).format(order=order_id))
