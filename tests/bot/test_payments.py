"""Paying an order's invoice through the emulator: re-checked at pre-checkout, recorded once."""

from __future__ import annotations

import asyncio

from babel.numbers import get_currency_precision
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.render import send_invoice
from marketplace.core.db import transaction
from marketplace.models import Order, OrderEvent
from tests.bot.conftest import Emulator, bot_settings, running_bot
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
