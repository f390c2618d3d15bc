"""Buyer <-> seller messages relayed by the real bot through the emulator and the real marketplace,
translated by a LibreTranslate stand-in on loopback: a Norwegian seller and a Spanish buyer."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import pytest_asyncio
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import Application

from bot.config import BotSettings
from marketplace.core.config import MarketplaceSettings
from marketplace.core.db import transaction
from marketplace.models import ConversationMessage
from marketplace.services import carts, checkout
from tests.bot.conftest import Emulator, bot_settings, running_bot
from tests.conftest import SERVICE_TOKEN
from tests.marketplace import builders
from tests.marketplace.translating import with_translator
from tests.translation_server import StandInTranslator, closed_port_url

NB_ANSWER, ES_ANSWER = "Hei! Genseren sendes i morgen med Posten.", "¡Hola! El suéter sale mañana por Posten."
ES_QUESTION, NB_QUESTION = "¿Me das el número de seguimiento?", "Kan du gi meg sporingsnummeret?"
PHRASES = {"es": {NB_ANSWER: ES_ANSWER}, "nb": {ES_QUESTION: NB_QUESTION}}


@pytest.fixture
def translator_mode() -> str:
    """"up": the stand-in translates; a test parametrized with "down" gets a dead provider address."""
    return "up"


@pytest.fixture
def translator() -> Iterator[StandInTranslator]:
    """The LibreTranslate stand-in with the test's phrases."""
    with StandInTranslator(PHRASES) as server:
        yield server


@pytest.fixture
def settings(settings: MarketplaceSettings, translator_mode: str,
             request: pytest.FixtureRequest) -> MarketplaceSettings:
    """The marketplace translates through the stand-in (or through nothing, when the provider is down)."""
    if translator_mode == "down":
        return with_translator(settings, closed_port_url())
    return with_translator(settings, request.getfixturevalue("translator").url)


def paid_order(factory: sessionmaker[Session], *, seller: int, buyer: int) -> tuple[int, int]:
    """A paid order from the seller's Norwegian shop to the Spanish buyer; (order id, product id)."""
    with transaction(factory) as session:
        builders.rates(session)
        shop = builders.shop(session, owner=seller)
        product = builders.product(session, shop)
        customer = builders.customer(session, telegram_user_id=buyer)
        cart = carts.open_cart(session, customer)
        carts.set_item(session, cart=cart, product_id=product.id, quantity=1)
        [order] = checkout.checkout(session, cart=cart, customer=customer, shipping_country="AR",
                                    shipping_address="Av. Corrientes 1234, Buenos Aires")
        builders.pay(session, order)
        return order.id, product.id


def relay_bot_settings(emulator: Emulator, marketplace_url: str) -> BotSettings:
    """The bot on the emulator and the marketplace; order alerts off (the tests send the alert button)."""
    return bot_settings(emulator, marketplace_url=marketplace_url, service_token=SERVICE_TOKEN, outbox_enabled=False)


async def button_message(emulator: Emulator, app: Application, chat_id: int, label: str, data: str) -> int:
    """A message with one inline button, as another part of the bot would send it (an order alert, a card)."""
    sent = await app.bot.send_message(chat_id, label, reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data)]]))
    assert (await emulator.client.wait_for_message(chat_id, timeout=6))["message_id"] == sent.message_id
    return sent.message_id


async def press(emulator: Emulator, user: int, message_id: int, data: str) -> dict:
    """Press a button and wait for the bot's answer to the callback query."""
    query = await emulator.client.press_button(user, message_id, data=data)
    for _ in range(300):
        answer = await emulator.client.callback_answer(query)
        if answer is not None:
            return answer
        await asyncio.sleep(0.02)
    raise AssertionError("the button press was not answered")


async def reply_keyboard(emulator: Emulator, chat_id: int) -> dict | None:
    state = await emulator.client.state()
    return next(c["reply_keyboard"] for c in state["chats"] if c["chat"]["id"] == chat_id)


@pytest_asyncio.fixture
async def people(emulator: Emulator) -> dict[str, int]:
    """Kari (Norwegian seller), María (Spanish buyer) and a stranger, as Telegram users."""
    users = {"seller": await emulator.client.create_user("Kari", "kari_strikk", "nb"),
             "buyer": await emulator.client.create_user("María", "maria_ar", "es"),
             "stranger": await emulator.client.create_user("Mallory", "mallory", "en")}
    return {role: user["id"] for role, user in users.items()}


async def wait_edit(emulator: Emulator, chat: int, message_id: int) -> dict:
    for _ in range(300):
        message = next(m for m in await emulator.client.bot_messages(chat) if m["message_id"] == message_id)
        if message.get("edit_date"):
            return message
        await asyncio.sleep(0.02)
    raise AssertionError("message was not edited")


async def open_chats(emulator: Emulator, people: dict[str, int]) -> None:
    for user in people.values():
        await emulator.client.send_command(user, "mydata")  # anything that opens the chat
        await emulator.client.wait_for_message(user, timeout=6)


async def test_seller_and_buyer_talk_each_reading_their_own_language(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session], people: dict[str, int],
        translator: StandInTranslator) -> None:
    seller, buyer = people["seller"], people["buyer"]
    order_id, product_id = paid_order(factory, seller=seller, buyer=buyer)
    settings = relay_bot_settings(emulator, marketplace_url)
    async with running_bot(settings) as app:
        await open_chats(emulator, people)
        alert = await button_message(emulator, app, seller, f"Ny ordre #{order_id}", f"sm:{order_id}")

        opened = await press(emulator, seller, alert, f"sm:{order_id}")
        assert (opened["text"], opened["show_alert"]) == (None, False)
        prompt = await emulator.client.wait_for_message(seller, timeout=6)
        assert prompt["text"] == (f"✍️ Skriv meldingen din til kjøperen av ordre #{order_id}. "
                                  "Jeg sender den videre, oversatt til kjøperens språk.")
        assert (await reply_keyboard(emulator, seller))["force_reply"] is True

        await emulator.client.send_text(seller, NB_ANSWER, reply_to=prompt["message_id"])
        relayed = await emulator.client.wait_for_message(buyer, timeout=6)
        assert relayed["text"] == (f"💬 Bergen Strikk escribe sobre tu pedido #{order_id}:\n\n{ES_ANSWER}\n\n"
                                   "↩️ Responde a este mensaje para contestar.")
        [[show]] = relayed["reply_markup"]["inline_keyboard"]
        assert show["text"] == "🔤 Ver original"
        assert (await emulator.client.wait_for_message(seller, timeout=6))["text"] == "✅ Sendt til kjøperen."

        answer = await press(emulator, buyer, relayed["message_id"], show["callback_data"])
        assert not answer.get("show_alert")
        shown = await wait_edit(emulator, buyer, relayed["message_id"])
        assert shown["text"].endswith(f"Original (Norsk bokmål):\n{NB_ANSWER}")
        assert ES_ANSWER in shown["text"] and "reply_markup" not in shown

        await emulator.client.send_text(buyer, ES_QUESTION, reply_to=relayed["message_id"])
        to_seller = await emulator.client.wait_for_message(seller, timeout=6)
        assert to_seller["text"] == (f"💬 Kjøperen av ordre #{order_id} skriver:\n\n{NB_QUESTION}\n\n"
                                     "↩️ Svar på denne meldingen for å svare.")
        assert (await emulator.client.wait_for_message(buyer, timeout=6))["text"] == "✅ Enviado a Bergen Strikk."

        card = await button_message(emulator, app, buyer, "Lusekofte", f'r:/ask_seller{{"product_id":{product_id}}}')
        await press(emulator, buyer, card, f'r:/ask_seller{{"product_id":{product_id}}}')
        asking = await emulator.client.wait_for_message(buyer, timeout=6)
        assert asking["text"] == ("✍️ Escribe tu pregunta sobre «Lusekofte genser i ull» para Bergen Strikk. "
                                  "Se la haré llegar traducida a su idioma.")
        await emulator.client.send_text(buyer, "¿Es de talla M?", reply_to=asking["message_id"])
        question = await emulator.client.wait_for_message(seller, timeout=6)
        assert question["text"].startswith("💬 En kjøper spør om «Lusekofte genser i ull»:\n\n[nb] ¿Es de talla M?")
        await emulator.client.wait_for_message(buyer, timeout=6)  # "sent"
        await emulator.client.send_text(seller, "Ja, M finnes.", reply_to=question["message_id"])
        answer = await emulator.client.wait_for_message(buyer, timeout=6)
        assert answer["text"].startswith(
            "💬 Bergen Strikk responde sobre «Lusekofte genser i ull»:\n\n[es] Ja, M finnes.")

    with factory() as session:
        messages = session.scalars(select(ConversationMessage).order_by(ConversationMessage.id)).all()
    assert [(m.sender_role, m.original_text, m.translated_text) for m in messages] == [
        ("seller", NB_ANSWER, ES_ANSWER), ("buyer", ES_QUESTION, NB_QUESTION),
        ("buyer", "¿Es de talla M?", "[nb] ¿Es de talla M?"), ("seller", "Ja, M finnes.", "[es] Ja, M finnes.")]
    assert (messages[0].recipient_chat_id, messages[0].recipient_message_id) == (buyer, relayed["message_id"])
    assert (messages[1].recipient_chat_id, messages[1].recipient_message_id) == (seller, to_seller["message_id"])
    assert messages[0].conversation_id == messages[1].conversation_id != messages[2].conversation_id
    assert messages[2].conversation_id == messages[3].conversation_id


async def test_a_stranger_with_forged_buttons_is_refused(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session], people: dict[str, int]) -> None:
    seller, buyer, stranger = people["seller"], people["buyer"], people["stranger"]
    order_id, _ = paid_order(factory, seller=seller, buyer=buyer)
    settings = relay_bot_settings(emulator, marketplace_url)
    async with running_bot(settings) as app:
        await open_chats(emulator, people)
        refusal = "Only the buyer and the seller can write in this conversation."
        for data in (f"sm:{order_id}", f'r:/ask_seller{{"order_id":{order_id}}}'):
            forged = await button_message(emulator, app, stranger, "order", data)
            answer = await press(emulator, stranger, forged, data)
            assert (answer["text"], answer["show_alert"]) == (refusal, True)

        # a real message between the two, then the stranger tries to read its original
        prompt_for = await button_message(emulator, app, seller, "alert", f"sm:{order_id}")
        await press(emulator, seller, prompt_for, f"sm:{order_id}")
        prompt = await emulator.client.wait_for_message(seller, timeout=6)
        await emulator.client.send_text(seller, NB_ANSWER, reply_to=prompt["message_id"])
        relayed = await emulator.client.wait_for_message(buyer, timeout=6)
        data = relayed["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        peek = await button_message(emulator, app, stranger, "peek", data)
        assert (await press(emulator, stranger, peek, data))["text"] == refusal
        malformed = await button_message(emulator, app, stranger, "bad", 'r:/ask_seller{"product_id":"x"}')
        assert (await press(emulator, stranger, malformed, 'r:/ask_seller{"product_id":"x"}'))["text"] == \
            "This button is no longer valid."
        stranger_messages = await emulator.client.bot_messages(stranger)
    assert [m["text"] for m in stranger_messages][-4:] == ["order", "order", "peek", "bad"]  # no prompt for them
    with factory() as session:
        assert len(session.scalars(select(ConversationMessage)).all()) == 1


@pytest.mark.parametrize("translator_mode", ["down"])
async def test_provider_down_delivers_the_original_with_a_note(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session], people: dict[str, int],
        translator_mode: str) -> None:
    seller, buyer = people["seller"], people["buyer"]
    order_id, _ = paid_order(factory, seller=seller, buyer=buyer)
    settings = relay_bot_settings(emulator, marketplace_url)
    async with running_bot(settings) as app:
        await open_chats(emulator, people)
        alert = await button_message(emulator, app, seller, "alert", f"sm:{order_id}")
        await press(emulator, seller, alert, f"sm:{order_id}")
        prompt = await emulator.client.wait_for_message(seller, timeout=6)
        await emulator.client.send_text(seller, NB_ANSWER, reply_to=prompt["message_id"])
        relayed = await emulator.client.wait_for_message(buyer, timeout=6)
    assert relayed["text"] == (f"💬 Bergen Strikk escribe sobre tu pedido #{order_id}:\n\n{NB_ANSWER}\n\n"
                               "(sin traducir: servicio de traducción no disponible)\n\n"
                               "↩️ Responde a este mensaje para contestar.")
    assert "reply_markup" not in relayed  # nothing to show: the original is what they read
    with factory() as session:
        message = session.scalars(select(ConversationMessage)).one()
    assert message.translated_text is None and message.translation_note.startswith("translation unavailable")
