"""Support handoff through the real bot, the emulator's staff forum and the real marketplace: a Spanish
buyer disputes an order (the real dispute action runs behind a Rasa stand-in), an English-writing staff
member claims it, they talk through the LibreTranslate stand-in, staff refund, close, the buyer rates,
and the bot takes the conversation back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from sqlalchemy.orm import Session, sessionmaker
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from actions.handoff import ActionOpenDispute, ActionRequestHandoff
from marketplace.core.config import MarketplaceSettings
from marketplace.core.db import transaction
from marketplace.services.orders import OrderAction, transition
from tests.bot.conftest import TOKEN, Emulator, bot_settings, running_bot
from tests.bot.rasa_standin import StandInRasa, run_action, serving_with_marketplace
from tests.conftest import SERVICE_TOKEN
from tests.marketplace import builders
from tests.marketplace.translating import with_translator
from tests.sandbox.images import png
from tests.translation_server import StandInTranslator

MARIA, SAM, EVE = 700001, 600001, 700009
ASKED, BROKEN, ANYONE, PHOTO = ("Hola, ¿dónde está mi pedido?", "El paquete llegó roto",
                                "¿Hay alguien ahí?", "Así llegó")
SORRY = "Sorry about that, I will refund you now."
HUMAN = "quiero hablar con una persona"
PHRASES = {"en": {ASKED: "Hi, where is my order?", BROKEN: "The parcel arrived broken", ANYONE: "Is anyone there?",
                  PHOTO: "This is how it arrived"},
           "es": {SORRY: "Lo siento, te devuelvo el dinero ahora."}}


@pytest.fixture
def translator() -> Iterator[StandInTranslator]:
    """The LibreTranslate stand-in with the test's phrases."""
    with StandInTranslator(PHRASES) as server:
        yield server


@pytest.fixture
def settings(settings: MarketplaceSettings, translator: StandInTranslator) -> MarketplaceSettings:
    """The marketplace translates through the stand-in."""
    return with_translator(settings, translator.url)


def shipped_order(factory: sessionmaker[Session]) -> int:
    """María's paid order from the Bergen shop, shipped with Posten."""
    with transaction(factory) as session:
        order = builders.order(session, buyer_id=MARIA)
        transition(session, order=order, action=OrderAction.PAY, actor="system")
        transition(session, order=order, action=OrderAction.SHIP, actor="seller:900001",
                   fields={"carrier": "Posten", "tracking_number": "LA123NO"})
        return order.id


async def scripted(sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
    """Rasa's part: a dispute runs the real action; anything else gets an echo with an old button."""
    if text == BROKEN:
        return await run_action(ActionOpenDispute(), sender, text, metadata, intent="open_dispute",
                                slots={"language": "es"})
    if text == HUMAN:
        return await run_action(ActionRequestHandoff(), sender, text, metadata, intent="talk_to_human",
                                slots={"language": "es"})
    return [{"recipient_id": sender, "text": f"(bot) {text}",
             "buttons": [{"title": "Mis pedidos", "payload": "/order_status"}]}]


@pytest_asyncio.fixture
async def rasa(marketplace_url: str) -> AsyncIterator[StandInRasa]:
    """The Rasa stand-in; its actions reach the marketplace over HTTP like the action server does."""
    async with serving_with_marketplace(scripted, marketplace_url) as stand_in:
        yield stand_in


@pytest_asyncio.fixture
async def desk(emulator: Emulator) -> dict[str, int]:
    """María (Spanish buyer), Sam (staff), Eve (not staff), the staff forum, and another group with Eve."""
    client = emulator.client
    await client.set_limits(flood_control=False)
    for user_id, name, language in ((MARIA, "María", "es"), (SAM, "Sam", "en"), (EVE, "Eve", "en")):
        emulator.rt.state.add_user(name, name.lower(), language, user_id=user_id)
    staff_group = await client.create_group("Tradewind support", members=[SAM], bots=[TOKEN], forum=True)
    other = await client.create_group("Buyers club", members=[EVE, SAM], bots=[TOKEN])
    return {"group": staff_group["id"], "other": other["id"]}


async def eventually(check, timeout: float = 8.0):  # noqa: ANN001, ANN201 - any async predicate
    """Poll until `check()` returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await check()
        if found:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.05)


async def thread_message(emulator: Emulator, group: int, thread: int, needle: str) -> dict:
    """The first message in the topic whose text or caption contains `needle`."""
    async def find() -> dict | None:
        for message in await emulator.client.messages(group, thread_id=thread):
            if needle in (message.get("text") or message.get("caption") or ""):
                return message
        return None
    return await eventually(find)


async def topic_of(emulator: Emulator) -> dict:
    state = await eventually(lambda: _topics(emulator))
    return state[0]


async def _topics(emulator: Emulator) -> list[dict]:
    groups = (await emulator.client.state())["groups"]
    return next(g["topics"] for g in groups if g["chat"].get("is_forum"))


async def press(emulator: Emulator, user: int, message_id: int, data: str) -> dict:
    """Press a button and wait for the bot's answer to the callback query."""
    query = await emulator.client.press_button(user, message_id, data=data)
    return await eventually(lambda: emulator.client.callback_answer(query))


def support_settings(emulator: Emulator, marketplace_url: str, rasa: StandInRasa, group: int):  # noqa: ANN201
    return bot_settings(emulator, marketplace_url=marketplace_url, service_token=SERVICE_TOKEN, rasa_url=rasa.url,
                        support_chat_id=group, outbox_enabled=False)


async def test_spanish_dispute_is_handled_by_english_staff_and_handed_back(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session], rasa: StandInRasa,
        desk: dict[str, int], translator: StandInTranslator) -> None:
    client, group = emulator.client, desk["group"]
    order_id = shipped_order(factory)
    api = httpx.AsyncClient(base_url=marketplace_url, headers={"Authorization": f"Bearer {SERVICE_TOKEN}"})
    async with running_bot(support_settings(emulator, marketplace_url, rasa, group)) as app, api:
        await client.send_text(MARIA, ASKED)
        old_buttons = await client.wait_for_message(MARIA, timeout=6)
        assert old_buttons["text"] == f"(bot) {ASKED}"

        # the dispute: the action moves the order and opens the handoff; the bot opens the topic
        await client.send_text(MARIA, BROKEN)
        case = await client.wait_for_message(MARIA, timeout=6)
        assert case["text"].startswith(f"Siento lo ocurrido. Abrí una reclamación para el pedido #{order_id}")
        waiting = await client.wait_for_message(MARIA, timeout=6)
        assert waiting["text"].startswith("Una persona del equipo de soporte te responderá aquí. Eres el número 1")
        topic = await topic_of(emulator)
        handoff = (await api.get("/handoffs/active", params={"telegram_user_id": MARIA})).json()
        assert topic["name"] == f"#{handoff['id']} · María · es · dispute on order {order_id}"
        thread = topic["message_thread_id"]
        summary = await thread_message(emulator, group, thread, "Who:")
        for line in ("Who: María (Telegram 700001) · buyer · language es · country AR",
                     f"Why: dispute on order {order_id}", f"👤 {ASKED}", "↳ Hi, where is my order?",
                     f"👤 {BROKEN}", "↳ The parcel arrived broken", f"#{order_id} · Bergen Strikk · NOK",
                     "disputed", f"dispute: shipped → disputed by buyer:{MARIA} — {BROKEN}",
                     "pay: pending_payment → paid by system"):
            assert line in summary["text"], line
        assert (await api.get(f"/orders/{order_id}")).json()["status"] == "disputed"

        # while support has it, María's words (and photos) go to the topic, translated, never to Rasa
        to_rasa = list(rasa.said(MARIA))
        await client.send_text(MARIA, ANYONE)
        relayed = await thread_message(emulator, group, thread, "Is anyone there?")
        assert relayed["text"] == f"👤 María: Is anyone there?\nes: {ANYONE}"
        await client.send_photo(MARIA, png(40, 30), caption=PHOTO)
        photo = await thread_message(emulator, group, thread, "This is how it arrived")
        assert photo["photo"] and photo["caption"] == f"👤 María: This is how it arrived\nes: {PHOTO}"
        answer = await press(emulator, MARIA, old_buttons["message_id"], "r:/order_status")
        assert answer["text"] == "Ahora te atiende una persona del equipo de soporte: escribe aquí."
        assert rasa.said(MARIA) == to_rasa
        assert [m["message_id"] for m in await client.bot_messages(MARIA)][-1] == waiting["message_id"]

        # staff claim, write English, refund through the state machine, note, and hand back
        await client.send_command(SAM, "claim", chat_id=group, thread_id=thread)
        claimed = await client.wait_for_message(MARIA, timeout=6)
        assert claimed["text"] == "Sam, del equipo de soporte, se ha hecho cargo de tu caso y te responderá aquí."
        await client.send_text(SAM, SORRY, chat_id=group, thread_id=thread)
        reply = await client.wait_for_message(MARIA, timeout=6)
        assert reply["text"] == (f"💬 Sam · soporte de Tradewind\nLo siento, te devuelvo el dinero ahora.\n\n"
                                 f"Original (en): {SORRY}")
        await client.send_command(SAM, "refund", str(order_id), chat_id=group, thread_id=thread)
        await thread_message(emulator, group, thread, f"Order #{order_id} refunded")
        order = (await api.get(f"/orders/{order_id}")).json()
        assert (order["status"], order["events"][-1]["event"], order["events"][-1]["actor"]) == (
            "refunded", "refund", f"staff:{SAM}")
        await client.send_command(SAM, "note", "photo shows a crushed box", chat_id=group, thread_id=thread)
        await thread_message(emulator, group, thread, "Note saved")
        await client.send_command(SAM, "done", chat_id=group, thread_id=thread)
        closed = await client.wait_for_message(MARIA, timeout=6)
        assert closed["text"].startswith("El equipo de soporte te ha devuelto conmigo")
        stars = [b["callback_data"] for row in closed["reply_markup"]["inline_keyboard"] for b in row]
        assert stars == [f"h:{handoff['id']}:{n}" for n in range(1, 6)]
        await thread_message(emulator, group, thread, f"outcome: refunded order {order_id}")
        assert any("forum_topic_closed" in m for m in await client.messages(group, thread_id=thread))
        assert rasa.tracker_events[str(MARIA)] == [{"event": "slot", "name": "handoff_requested", "value": False},
                                                   {"event": "slot", "name": "handoff_reason", "value": None}]

        # María rates; the rating is stored once; the bot has the conversation again
        assert (await press(emulator, MARIA, closed["message_id"], f"h:{handoff['id']}:5"))["show_alert"] is False
        rated = await eventually(lambda: _edited(emulator, MARIA, closed["message_id"]))
        assert rated["text"] == "¡Gracias! Valoraste la ayuda con 5★."
        stale = await app.bot.send_message(MARIA, "stale keyboard", reply_markup=InlineKeyboardMarkup([[
            InlineKeyboardButton("1", callback_data=f"h:{handoff['id']}:1"),
            InlineKeyboardButton("forged", callback_data="h:424242:5")]]))
        again = await press(emulator, MARIA, stale.message_id, f"h:{handoff['id']}:1")
        assert again["text"] == "Esta conversación ya fue valorada." and again["show_alert"] is True
        forged = await press(emulator, MARIA, stale.message_id, "h:424242:5")
        assert forged["text"] == "Este botón ya no es válido." and forged["show_alert"] is True
        stored = (await api.get(f"/handoffs/{handoff['id']}")).json()
        assert (stored["state"], stored["rating"], stored["outcome"], stored["assignee_name"]) == (
            "closed", 5, f"refunded order {order_id}", "Sam")
        assert stored["first_staff_reply_at"] is not None
        assert "photo shows a crushed box" in [e["text"] for e in stored["events"] if e["kind"] == "note"]
        assert all("crushed" not in (m.get("text") or "") for m in await client.bot_messages(MARIA))
        await client.send_text(MARIA, "gracias")
        assert (await client.wait_for_message(MARIA, after=stale.message_id, timeout=6))["text"] == "(bot) gracias"
        assert rasa.said(MARIA)[-1] == "gracias"


async def _edited(emulator: Emulator, chat: int, message_id: int) -> dict | None:
    message = next(m for m in await emulator.client.bot_messages(chat) if m["message_id"] == message_id)
    return message if message.get("edit_date") else None


async def test_only_staff_can_act_and_others_get_nothing(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session], rasa: StandInRasa,
        desk: dict[str, int]) -> None:
    client, group = emulator.client, desk["group"]
    order_id = shipped_order(factory)
    api = httpx.AsyncClient(base_url=marketplace_url, headers={"Authorization": f"Bearer {SERVICE_TOKEN}"})
    async with running_bot(support_settings(emulator, marketplace_url, rasa, group)), api:
        await client.send_text(MARIA, BROKEN)
        await client.wait_for_message(MARIA, timeout=6)
        await client.wait_for_message(MARIA, timeout=6)
        thread = (await topic_of(emulator))["message_thread_id"]
        await client.send_text(EVE, "hola")  # Eve opens her chat with the bot
        await client.wait_for_message(EVE, timeout=6)
        await client.send_command(EVE, "refund", str(order_id))
        await client.send_command(EVE, "release", str(order_id), chat_id=desk["other"])
        await client.send_command(EVE, "queue", chat_id=desk["other"])
        # Sam's /queue in the staff group is answered: the bot was listening all along
        await client.send_command(SAM, "queue", chat_id=group)
        queue = await eventually(lambda: _bot_text(emulator, group, "Open handoffs"))
        assert f"dispute on order {order_id}" in queue and "unassigned" in queue
        assert (await api.get(f"/orders/{order_id}")).json()["status"] == "disputed"
        assert [m["text"] for m in await client.bot_messages(EVE)] == ["(bot) hola"]
        assert await client.bot_messages(desk["other"]) == []
        assert rasa.said(EVE) == ["hola"]
        await client.send_command(SAM, "refund", "abc", chat_id=group, thread_id=thread)
        await thread_message(emulator, group, thread, "Usage: /refund")
        await client.send_command(SAM, "release", "99999", chat_id=group, thread_id=thread)
        await thread_message(emulator, group, thread, "Not done: order 99999 is not one of this person's orders")
        await client.send_command(SAM, "stats", "30", chat_id=group)
        stats = await eventually(lambda: _bot_text(emulator, group, "Support, last 30 days"))
        assert "Handoffs: 1 for 1 active people · handoff rate 100.0%" in stats


async def _bot_text(emulator: Emulator, chat: int, needle: str) -> str | None:
    return next((m["text"] for m in await emulator.client.bot_messages(chat) if needle in (m.get("text") or "")), None)


async def test_without_a_staff_group_the_person_is_told_and_the_bot_carries_on(
        emulator: Emulator, marketplace_url: str, rasa: StandInRasa, desk: dict[str, int]) -> None:
    settings = bot_settings(emulator, marketplace_url=marketplace_url, service_token=SERVICE_TOKEN,
                            rasa_url=rasa.url, outbox_enabled=False)
    async with running_bot(settings):
        await emulator.client.send_text(MARIA, HUMAN)
        told = await emulator.client.wait_for_message(MARIA, timeout=6)
        assert told["text"] == ("Lo siento, ahora mismo no hay nadie del equipo disponible. "
                                "Seguiré ayudándote lo mejor que pueda.")
        await emulator.client.send_text(MARIA, "hola")
        assert (await emulator.client.wait_for_message(MARIA, timeout=6))["text"] == "(bot) hola"
    async with httpx.AsyncClient(base_url=marketplace_url, headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}) as api:
        assert (await api.get("/handoffs/queue")).json() == []


async def test_a_staff_group_the_bot_cannot_use_is_reported_honestly(
        emulator: Emulator, marketplace_url: str, rasa: StandInRasa, desk: dict[str, int]) -> None:
    elsewhere = await emulator.client.create_group("Old support", members=[SAM], forum=True)  # the bot is not in it
    async with running_bot(support_settings(emulator, marketplace_url, rasa, elsewhere["id"])):
        await emulator.client.send_text(MARIA, HUMAN)
        told = await emulator.client.wait_for_message(MARIA, timeout=6)
        assert told["text"].startswith("Lo siento, ahora mismo no hay nadie del equipo disponible.")
    async with httpx.AsyncClient(base_url=marketplace_url, headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}) as api:
        assert (await api.get("/handoffs/queue")).json() == []
        assert (await api.get("/handoffs/1")).json()["outcome"] == "no staff group reachable"
