"""The real bot Application driven update by update (`process_update`) against the emulator and the
real marketplace: a seller, a buyer, a stranger, support staff and another buyer whose handoff has a
topic in the staff forum. Updates may carry anything (forged button data, odd messages)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest_asyncio
from sqlalchemy.orm import Session, sessionmaker
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application

from bot.app import build_application
from marketplace.core.db import transaction
from marketplace.models import HandoffReason
from marketplace.services import carts, checkout, handoffs
from sandbox.messaging import snapshot
from sandbox.state import PendingQuery
from tests.bot.conftest import TOKEN, Emulator, bot_settings
from tests.bot.rasa_standin import StandInRasa
from tests.conftest import SERVICE_TOKEN
from tests.marketplace import builders
from tests.support import start_server, stop_server

SELLER, BUYER, STRANGER, STAFF = 910001, 710001, 810001, 610001
CLIENT = 720001  # another buyer, with support: staff commands in the topic act on their handoff
PEOPLE = {"seller": SELLER, "buyer": BUYER, "stranger": STRANGER}
CHANNEL = {"id": -1001999000111, "type": "channel", "title": "Some channel"}
UPDATE_IDS = itertools.count(10_000_000)  # never one the emulator hands out


@dataclass
class Harness:
    """The bot (not polling: each update goes through `process_update`), the emulator, the ids."""

    app: Application
    emulator: Emulator
    order: int
    product: int
    keyboards: dict[int, int]  # user -> a bot message with buttons in their chat
    errors: list[BaseException]
    staff_group: int  # the support forum, with a topic for the other buyer's open handoff
    topic: int
    handoff: int

    async def feed(self, update: dict) -> None:
        """Hand one update to the Application, as polling would, and wait for every handler."""
        await self.app.process_update(Update.de_json(update, self.app.bot))

    def press(self, user: int, data: str) -> tuple[dict, PendingQuery]:
        """A callback query from `user` on the bot's keyboard message, with any data at all."""
        state = self.emulator.rt.state
        bot = state.bots[TOKEN]
        conv = state.private_conv(bot, user)
        assert conv is not None
        query_id = state.new_query_id()
        payload = {"id": query_id, "from": dict(state.users[user]), "chat_instance": str(user), "data": data,
                   "message": snapshot(conv.messages[self.keyboards[user]])}
        query = state.queries[query_id] = PendingQuery(query_id, bot.id, "callback_query", payload,
                                                       context={"chat_id": user})
        return {"update_id": next(UPDATE_IDS), "callback_query": payload}, query

    def in_topic(self, user: int, text: str) -> dict:
        """A message `user` writes in the handoff's topic of the staff group (commands get their entity)."""
        command = [{"type": "bot_command", "offset": 0, "length": len(text.split(" ")[0])}] if text[:1] == "/" else []
        return {"update_id": next(UPDATE_IDS), "message": {
            "message_id": next(UPDATE_IDS), "date": self.emulator.rt.state.now(), "text": text, "entities": command,
            "from": dict(self.emulator.rt.state.users[user]), "message_thread_id": self.topic, "is_topic_message": True,
            "chat": {"id": self.staff_group, "type": "supergroup", "title": "Tradewind support", "is_forum": True}}}


def paid_order(factory: sessionmaker[Session], group: int, topic: int) -> tuple[int, int, int]:
    """A paid order of the buyer's in the seller's shop, and another buyer's open handoff with its topic
    in the staff group: (order id, product id, handoff id)."""
    with transaction(factory) as session:
        builders.rates(session)
        shop = builders.shop(session, owner=SELLER)
        product = builders.product(session, shop, stock=20)
        customer = builders.customer(session, telegram_user_id=BUYER)
        cart = carts.open_cart(session, customer)
        carts.set_item(session, cart=cart, product_id=product.id, quantity=1)
        [order] = checkout.checkout(session, cart=cart, customer=customer, shipping_country="AR",
                                    shipping_address="Av. Corrientes 1234, Buenos Aires")
        builders.pay(session, order)
        builders.customer(session, telegram_user_id=CLIENT)
        person = handoffs.Person(telegram_user_id=CLIENT, role="buyer", language="es", name="Client", country="AR")
        handoff, _ = handoffs.open_handoff(session, person, reason=HandoffReason.TALK_TO_HUMAN)
        handoffs.set_topic(session, handoff, staff_chat_id=group, thread_id=topic)
        return order.id, product.id, handoff.id


@pytest_asyncio.fixture
async def harness(emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session]
                  ) -> AsyncIterator[Harness]:
    """Seller, buyer and stranger with open chats; the bot on the emulator, Rasa stand-in, marketplace."""
    async def reply(_sender: str, text: str, _metadata: dict) -> list[dict]:
        return [{"text": f"(bot) {text[:50]}"}]

    rasa = StandInRasa(reply)
    server, task, rasa.url = await start_server(rasa.app())
    await emulator.client.set_limits(flood_control=False)
    for role, user in (*PEOPLE.items(), ("staff", STAFF), ("client", CLIENT)):
        emulator.rt.state.add_user(role.title(), role, "es" if role == "buyer" else "en", user_id=user)
    group = (await emulator.client.create_group("Tradewind support", members=[STAFF], bots=[TOKEN], forum=True))["id"]
    topic = (await emulator.client.create_topic(group, "#1 · Buyer", user_id=STAFF))["message_thread_id"]
    order, product, handoff = paid_order(factory, group, topic)
    settings = bot_settings(emulator, marketplace_url=marketplace_url, service_token=SERVICE_TOKEN,
                            rasa_url=rasa.url, support_chat_id=group)
    app = build_application(settings)
    errors: list[BaseException] = []

    async def record(_update: object, context: object) -> None:
        errors.append(context.error)  # type: ignore[attr-defined]

    app.add_error_handler(record)
    keyboards = {}
    async with app:
        await app.post_init(app)
        for user in PEOPLE.values():
            emulator.rt.state.private_conv(emulator.rt.state.bots[TOKEN], user, create=True)
            sent = await app.bot.send_message(user, "Menu", reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("Ok", callback_data="l:en")]]))
            keyboards[user] = sent.message_id
        try:
            yield Harness(app, emulator, order, product, keyboards, errors, group, topic, handoff)
        finally:
            await app.post_shutdown(app)
    await stop_server(server, task)
