"""Paying an order's invoice through the emulator: re-checked at pre-checkout, recorded once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from babel.numbers import get_currency_precision
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot

from bot.payment_journal import PaymentJournal
from bot.render import send_invoice
from marketplace.core.db import transaction
from marketplace.models import Order, OrderEvent
from tests.bot.conftest import TOKEN, Emulator, bot_settings, running_bot
from tests.conftest import SERVICE_TOKEN
from tests.marketplace import builders


async def test_invoice_paid_once_and_a_tampered_amount_is_refused(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session]) -> None:
    user = await emulator.client.create_user("María", "maria_pay", "es")
    with transaction(factory) as session:
        order = builders.order(session, buyer_id=user["id"])
        order_id, total = order.id, order.total
    minor = int(total.scaleb(get_currency_precision("NOK")))
    invoice = {"type": "invoice", "order_id": order_id, "title": "Pedido", "description": "Suéter de lana",
               "currency": "NOK", "prices": [{"label": "Total", "amount": minor}]}
    settings = bot_settings(emulator, marketplace_url=marketplace_url, service_token=SERVICE_TOKEN,
                            payment_provider_token="sandbox-provider")
    async with running_bot(settings) as app:
        await emulator.client.send_command(user["id"], "mydata")  # opens the chat with the bot
        await emulator.client.wait_for_message(user["id"], timeout=6)
        sent = await send_invoice(app.bot, user["id"], invoice, "sandbox-provider")

        tampered = await emulator.client.pay_invoice(user["id"], sent.message_id, total_amount=minor // 100)
        assert tampered["status"] == "declined" and "does not match the order total" in tampered["error_message"]

        paid = await emulator.client.pay_invoice(user["id"], sent.message_id)
        assert paid["status"] == "paid"
        receipt = await emulator.client.wait_for_message(user["id"], timeout=6)
        assert receipt["text"].startswith(f"Pago recibido para el pedido #{order_id}.")

        # Telegram delivers the same successful_payment again: recorded once, confirmed once
        await emulator.client.resend_update(message=paid["message"])
        await emulator.client.send_command(user["id"], "help")
        await emulator.client.wait_for_message(user["id"], timeout=6)
        await asyncio.sleep(1.0)  # both updates handled by now (they run concurrently)
        receipts = [m for m in await emulator.client.bot_messages(user["id"])
                    if m.get("text", "").startswith("Pago recibido")]
        assert len(receipts) == 1

        second = await send_invoice(app.bot, user["id"], invoice, "sandbox-provider")  # a stale copy
        again = await emulator.client.pay_invoice(user["id"], second.message_id)
        assert again["status"] == "declined" and "is paid, not awaiting payment" in again["error_message"]
    with factory() as session:
        assert session.get(Order, order_id).status == "paid"
        assert session.scalar(select(func.count(OrderEvent.id)).where(OrderEvent.event == "pay")) == 1


async def test_a_payment_taken_by_a_bot_that_could_not_record_it_is_recorded_by_the_next_start(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session], tmp_path: Path) -> None:
    user = await emulator.client.create_user("María", "maria_lost", "es")
    with transaction(factory) as session:
        order_id = builders.order(session, buyer_id=user["id"]).id
        total = session.get(Order, order_id).total
    minor = int(total.scaleb(get_currency_precision("NOK")))
    await emulator.client.send_command(user["id"], "start")  # opens the chat with the bot
    raw = Bot(TOKEN, base_url=f"{emulator.url}/bot")  # the bot's own token, outside any Application
    async with raw:
        sent = await send_invoice(raw, user["id"], {"order_id": order_id, "title": "Pedido", "description": "Suéter",
                                                    "currency": "NOK", "prices": [{"label": "Total", "amount": minor}]},
                                  "sandbox-provider")
        paying = asyncio.create_task(emulator.client.pay_invoice(user["id"], sent.message_id))
        offset = 0
        while not paying.done():  # answer the pre-checkout as a bot would; leave the payment to the next
            for update in await raw.get_updates(offset=offset, timeout=1):
                offset = update.update_id + 1
                if update.pre_checkout_query is not None:
                    await update.pre_checkout_query.answer(ok=True)
        assert (await paying)["status"] == "paid"

    journal = PaymentJournal(tmp_path / "payments.journal")
    # This bot receives the payment while the marketplace is unreachable, tries briefly, and stops.
    down = bot_settings(emulator, payment_provider_token="sandbox-provider", payment_journal=journal.path,
                        payment_patience=0.5)
    async with running_bot(down, drop_pending=False):
        for _ in range(100):
            if journal.pending():
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.0)
    [left] = journal.pending()
    assert (left.chat_id, left.total_amount, left.currency) == (user["id"], minor, "NOK")
    with factory() as session:
        assert session.get(Order, order_id).status == "pending_payment"

    # The next start, with the marketplace back, records it and tells the buyer; nothing stays pending.
    up = bot_settings(emulator, marketplace_url=marketplace_url, service_token=SERVICE_TOKEN,
                      payment_provider_token="sandbox-provider", payment_journal=journal.path)
    async with running_bot(up):
        receipt = await emulator.client.wait_for_message(user["id"], timeout=10)
        while not receipt.get("text", "").startswith("Pago recibido"):
            receipt = await emulator.client.wait_for_message(user["id"], timeout=10)
        assert receipt["text"].startswith(f"Pago recibido para el pedido #{order_id}.")
    assert journal.pending() == []
    with factory() as session:
        order = session.get(Order, order_id)
        assert order.status == "paid" and order.payment_charge_id == left.charge_id
