"""/mydata and /forgetme through the emulator, the real bot and the real marketplace API."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.db import transaction
from marketplace.models import Order
from marketplace.services.orders import OrderAction, transition
from tests.bot.conftest import Emulator, bot_settings, running_bot
from tests.conftest import SERVICE_TOKEN
from tests.marketplace import builders


async def wait_edit(emulator: Emulator, chat: int, message_id: int) -> dict:
    for _ in range(200):
        message = next(m for m in await emulator.client.bot_messages(chat) if m["message_id"] == message_id)
        if message.get("edit_date"):
            return message
        await asyncio.sleep(0.02)
    raise AssertionError("message was not edited")


async def test_mydata_sends_a_file_and_forgetme_deletes_after_confirmation(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session]) -> None:
    user = await emulator.client.create_user("María", "maria_p", "es")
    with transaction(factory) as session:
        order = builders.order(session, buyer_id=user["id"])
        transition(session, order=order, action=OrderAction.PAY, actor="system")
        order_id = order.id
    settings = bot_settings(emulator, marketplace_url=marketplace_url, service_token=SERVICE_TOKEN)
    async with running_bot(settings):
        await emulator.client.send_command(user["id"], "mydata")
        document = await emulator.client.wait_for_message(user["id"], timeout=6)
        assert document["caption"] == "Aquí tienes todo lo que Tradewind guarda sobre ti."
        exported = json.loads(await emulator.client.file_content(document["document"]["file_id"]))
        assert [o["id"] for o in exported["orders"]] == [order_id]

        await emulator.client.send_command(user["id"], "forgetme")
        question = await emulator.client.wait_for_message(user["id"], timeout=6)
        await emulator.client.press_button(user["id"], question["message_id"], text="Sí, borrar")
        refused = await wait_edit(emulator, user["id"], question["message_id"])
        assert refused["text"].startswith("Todavía no: orders still in progress")  # paid, not delivered yet

        with transaction(factory) as session:
            transition(session, order=session.get(Order, order_id), action=OrderAction.CANCEL, actor="system")
        await emulator.client.send_command(user["id"], "forgetme")
        question = await emulator.client.wait_for_message(user["id"], timeout=6)
        await emulator.client.press_button(user["id"], question["message_id"], text="Sí, borrar")
        done = await wait_edit(emulator, user["id"], question["message_id"])
        assert done["text"] == "Listo: tus datos personales están borrados."

        await emulator.client.send_command(user["id"], "mydata")
        assert (await emulator.client.wait_for_message(user["id"], timeout=6))["text"] == "Tradewind no guarda nada sobre ti."
