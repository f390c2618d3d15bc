"""Telegram Payments: re-check an invoice at pre-checkout, record the payment once, even across a restart."""

from __future__ import annotations

import logging
from decimal import Decimal

import httpx
from babel.numbers import get_currency_precision
from telegram import Bot, Update

from bot.handlers.conversation import language_of
from bot.payment_journal import TakenPayment
from bot.render import INVOICE_PREFIX as PREFIX
from bot.services import Context, Services
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


async def record_taken(services: Services, payment: TakenPayment) -> bool | None:
    """Record a payment Telegram took (safe to repeat: the charge id counts once). True when this call
    recorded it, False when it already was, None when its payload names no order. The journal marks it
    settled once the marketplace has answered; a payment the marketplace could not be reached for stays
    pending, and the next start tries again."""
    assert services.marketplace is not None
    order_id = order_id_of(payment.payload)
    if order_id is None:
        log.error("successful payment with an unknown payload; charge %s", payment.charge_id)
        services.journal_settled(payment.charge_id)
        return None
    try:
        recorded = await services.marketplace.record_payment(
            order_id, amount=amount_of(payment.total_amount, payment.currency), currency=payment.currency,
            charge_id=payment.charge_id, patience=services.settings.payment_patience)
    except httpx.HTTPStatusError as exc:
        if exc.response.status_code < 500:  # refused for good (e.g. the wrong amount): support takes it from here
            services.journal_settled(payment.charge_id)
        raise
    services.journal_settled(payment.charge_id)
    return recorded


async def on_successful_payment(update: Update, context: Context) -> None:
    """Record the payment (idempotent on Telegram's charge id); the buyer's receipt follows from the outbox."""
    payment = TakenPayment.of(update)
    assert payment is not None and update.effective_message is not None
    recorded = await record_taken(context.bot_data, payment)
    if recorded is None:
        return
    if not recorded:  # Telegram delivered the same payment again: already confirmed once
        log.info("payment %s for order %s was already recorded", payment.charge_id, order_id_of(payment.payload))
        return
    if context.bot_data.settings.outbox_enabled:
        return  # the receipt comes from the outbox (order.paid), written with the payment: never lost
    await update.effective_message.reply_text(
        text("paid", language_of(update, context)).format(order=order_id_of(payment.payload)))


async def record_left_over(bot: Bot, services: Services, payments: list[TakenPayment]) -> None:
    """Record the payments an earlier run took but never settled (killed, or the marketplace was down)."""
    for payment in payments:
        try:
            recorded = await record_taken(services, payment)
        except Exception:  # noqa: BLE001 - one payment's failure must not stop the others; it stays pending
            log.exception("payment %s taken earlier could not be recorded; it stays in the journal", payment.charge_id)
            continue
        log.info("payment %s taken before a restart: %s", payment.charge_id,
                 "recorded now" if recorded else "already recorded")
        if recorded and not services.settings.outbox_enabled:
            await bot.send_message(payment.chat_id,
                                   text("paid", payment.language).format(order=order_id_of(payment.payload)))
