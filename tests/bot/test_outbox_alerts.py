"""Order alerts and buyer notifications: the real bot's outbox worker, the real marketplace, the emulator."""

from __future__ import annotations

import asyncio
import re
import tempfile
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from babel.numbers import format_currency
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.alerts import seller_buttons
from bot.outbox_journal import SentJournal

from marketplace.core.db import transaction
from marketplace.models import Order, OrderEvent, OutboxMessage, Shop, utcnow
from marketplace.services import carts, checkout, outbox
from marketplace.services.orders import OrderAction, transition
from tests.bot.conftest import TOKEN, Emulator, bot_settings, running_bot
from tests.conftest import SERVICE_TOKEN
from tests.marketplace import builders


async def person(emulator: Emulator, name: str, language: str) -> int:
    """A Telegram user who has started the bot before (their private chat exists)."""
    user = await emulator.client.create_user(name, None, language)
    emulator.rt.state.private_conv(emulator.rt.state.bots[TOKEN], user["id"], create=True)
    return int(user["id"])


def paid_order(factory: sessionmaker[Session], *, seller: int, buyer: int, quantity: int = 2) -> int:
    """A Norwegian shop's order from a buyer in Argentina, paid (money held)."""
    with transaction(factory) as session:
        builders.rates(session)
        shop = session.scalar(select(Shop).where(Shop.owner_telegram_id == seller)) or builders.shop(session, owner=seller)
        product = builders.product(session, shop)
        customer = builders.customer(session, telegram_user_id=buyer)
        cart = carts.open_cart(session, customer)
        carts.set_item(session, cart=cart, product_id=product.id, quantity=quantity)
        [order] = checkout.checkout(session, cart=cart, customer=customer, shipping_country="AR",
                                    shipping_address="Av. Corrientes 1234, Buenos Aires")
        transition(session, order=order, action=OrderAction.PAY, actor="system")
        return order.id


def settings_for(emulator: Emulator, marketplace_url: str, **overrides):  # noqa: ANN003, ANN201
    """The bot on the emulator and the real marketplace, its outbox worker on and polling often."""
    journal = Path(tempfile.mkdtemp(prefix="tw-outbox-")) / "sent.journal"  # this worker's own
    values = {"outbox_enabled": True, "outbox_poll_interval": 0.2, "outbox_journal": journal, **overrides}
    return bot_settings(emulator, marketplace_url=marketplace_url, service_token=SERVICE_TOKEN, **values)


async def eventually(check: Callable[[], object], timeout: float = 10.0) -> object:
    """Poll until `check()` is truthy."""
    for _ in range(int(timeout / 0.05)):
        if result := check():
            return result
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def answer_of(emulator: Emulator, query_id: str) -> dict:
    for _ in range(200):
        if answer := await emulator.client.callback_answer(query_id):
            return answer
        await asyncio.sleep(0.03)
    raise AssertionError("callback query not answered")


def buttons(message: dict) -> list[tuple[str, str]]:
    return [(b["text"], b["callback_data"]) for row in message.get("reply_markup", {}).get("inline_keyboard", [])
            for b in row]


def delivered(factory: sessionmaker[Session]) -> list[tuple[str, str]]:
    with factory() as session:
        return [(r.topic, r.delivered_to) for r in session.scalars(
            select(OutboxMessage).where(OutboxMessage.delivered_at.is_not(None)).order_by(OutboxMessage.id))]


async def test_a_paid_order_alerts_the_seller_in_norwegian_and_the_buyer_in_spanish(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session]) -> None:
    seller, buyer = await person(emulator, "Kari", "nb"), await person(emulator, "María", "es")
    order_id = paid_order(factory, seller=seller, buyer=buyer)
    with factory() as session:
        order = session.get(Order, order_id)
        total, shipping = Decimal(order.total), Decimal(order.shipping)
    async with running_bot(settings_for(emulator, marketplace_url)):
        card = await emulator.client.wait_for_message(seller, timeout=8)
        receipt = await emulator.client.wait_for_message(buyer, timeout=8)
        await eventually(lambda: delivered(factory))

        assert card["text"].splitlines() == [
            f"🛒 Ny ordre #{order_id} — betalt",
            "• 2 × Lusekofte genser i ull",
            "Kjøper fra: Argentina",
            f"Totalt: {format_currency(total, 'NOK', locale='nb_NO')} "
            f"(inkl. frakt {format_currency(shipping, 'NOK', locale='nb_NO')})",
            "Send til:",
            "Av. Corrientes 1234, Buenos Aires",
            "Tradewind holder pengene til kjøperen bekrefter at varen har kommet. Godta ordren og send den.",
        ]
        assert re.fullmatch(r"Totalt: \d \d{3},\d\d kr \(inkl\. frakt \d{3},\d\d kr\)",
                            card["text"].splitlines()[3].replace("\xa0", " "))  # Norwegian format, Decimal exact
        assert buttons(card) == [("✅ Godta", f"sa:{order_id}"), ("🚚 Merk som sendt", f"ss:{order_id}"),
                                 ("💬 Skriv til kjøperen", f"sm:{order_id}")]
        assert receipt["text"] == (f"Pago recibido para el pedido #{order_id}. "
                                   "El dinero queda retenido hasta que confirmes la entrega.")
        assert delivered(factory) == [("order.paid", "buyer,seller")]

        # Accept: logged as the seller's event, the button goes, the buyer hears about it
        query = await emulator.client.press_button(seller, card["message_id"], data=f"sa:{order_id}")
        assert await answer_of(emulator, query) == {
            "text": f"Ordre #{order_id} er godtatt. Kjøperen har fått beskjed.", "show_alert": False,
            "url": None, "date": (await answer_of(emulator, query))["date"]}
        accepted = await emulator.client.wait_for_message(buyer, timeout=8)
        assert accepted["text"] == f"👍 Bergen Strikk aceptó el pedido #{order_id} y lo está preparando."
        edited = next(m for m in await emulator.client.bot_messages(seller) if m["message_id"] == card["message_id"])
        assert [data for _, data in buttons(edited)] == [f"ss:{order_id}", f"sm:{order_id}"]
    with factory() as session:
        events = session.scalars(select(OrderEvent).where(OrderEvent.event == "accept")).all()
        assert [(e.order_id, e.actor) for e in events] == [(order_id, f"seller:{seller}")]
        assert session.get(Order, order_id).status == "paid"
    assert len(await emulator.client.bot_messages(seller)) == 1
    assert len(await emulator.client.bot_messages(buyer)) == 2


async def test_a_429_is_waited_out_and_every_alert_arrives_once(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session]) -> None:
    seller, buyer = await person(emulator, "Kari", "nb"), await person(emulator, "María", "es")
    orders = [paid_order(factory, seller=seller, buyer=buyer, quantity=1) for _ in range(3)]
    await emulator.client.set_limits(bot_per_second=1, bot_burst=1)  # far below what the worker tries
    async with running_bot(settings_for(emulator, marketplace_url)):
        await eventually(lambda: len(delivered(factory)) == 3, timeout=30)
    cards = [m["text"].splitlines()[0] for m in await emulator.client.bot_messages(seller)]
    receipts = [m["text"].split(".")[0] for m in await emulator.client.bot_messages(buyer)]
    assert sorted(cards) == sorted(f"🛒 Ny ordre #{o} — betalt" for o in orders)
    assert sorted(receipts) == sorted(f"Pago recibido para el pedido #{o}" for o in orders)
    calls = emulator.rt.state.calls
    assert any(c["method"] == "sendMessage" and c.get("status") == 429 for c in calls)
    with factory() as session:  # waited out, not counted as a failure
        assert {(r.attempts, r.last_error) for r in session.scalars(select(OutboxMessage))} == {(1, None)}


async def test_a_restarted_worker_resumes_and_never_resends_what_was_delivered(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session]) -> None:
    seller, buyer = await person(emulator, "Kari", "nb"), await person(emulator, "María", "es")
    first = paid_order(factory, seller=seller, buyer=buyer)
    async with running_bot(settings_for(emulator, marketplace_url)):
        await eventually(lambda: len(delivered(factory)) == 1)
    # A worker that crashed mid-way: it told the seller about the second order, then died holding the lease.
    second = paid_order(factory, seller=seller, buyer=buyer)
    with transaction(factory) as session:
        [claimed] = outbox.claim(session, limit=10, lease=timedelta(seconds=1), now=utcnow())
        outbox.mark_delivered(session, claimed.message.id, recipient="seller", now=utcnow())
    await asyncio.sleep(1.1)  # its lease runs out
    async with running_bot(settings_for(emulator, marketplace_url)):
        await eventually(lambda: len(delivered(factory)) == 2)
        await asyncio.sleep(1.0)  # several more claims: nothing else goes out
    seller_texts = [m["text"].splitlines()[0] for m in await emulator.client.bot_messages(seller)]
    buyer_texts = [m["text"].split(".")[0] for m in await emulator.client.bot_messages(buyer)]
    assert seller_texts == [f"🛒 Ny ordre #{first} — betalt"]  # the crashed worker's card is in no chat here
    assert buyer_texts == [f"Pago recibido para el pedido #{first}", f"Pago recibido para el pedido #{second}"]


async def test_mark_shipped_by_buttons_and_reply_stores_tracking_and_tells_the_buyer(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session]) -> None:
    seller, buyer = await person(emulator, "Kari", "nb"), await person(emulator, "María", "es")
    order_id = paid_order(factory, seller=seller, buyer=buyer)
    async with running_bot(settings_for(emulator, marketplace_url)):
        card = await emulator.client.wait_for_message(seller, timeout=8)
        await emulator.client.wait_for_message(buyer, timeout=8)  # the receipt
        query = await emulator.client.press_button(seller, card["message_id"], text="🚚 Merk som sendt")
        prompt = await emulator.client.wait_for_message(seller, timeout=6)
        assert (await answer_of(emulator, query))["text"] is None
        assert prompt["text"].startswith(f"🚚 #{order_id} — svar på denne meldingen med transportør og sporingsnummer")

        await emulator.client.send_text(seller, "Posten", reply_to=prompt["message_id"])  # no tracking number
        complaint = await emulator.client.wait_for_message(seller, timeout=6)
        assert complaint["text"].startswith("Jeg trenger transportør og sporingsnummer")
        again = await emulator.client.wait_for_message(seller, timeout=6)
        assert again["text"].startswith(f"🚚 #{order_id} — ")
        with factory() as session:
            assert session.get(Order, order_id).status == "paid"  # nothing changed

        await emulator.client.send_text(seller, "Posten Norge LA123456789NO", reply_to=again["message_id"])
        done = await emulator.client.wait_for_message(seller, timeout=6)
        assert done["text"] == (f"✅ Ordre #{order_id} er merket som sendt (Posten Norge, LA123456789NO). "
                                "Kjøperen får sporingsnummeret.")
        shipped = await emulator.client.wait_for_message(buyer, timeout=8)
        assert shipped["text"].startswith(f"🚚 ¡El pedido #{order_id} está en camino! Transportista: Posten Norge. "
                                          "Número de seguimiento: LA123456789NO.")
    with factory() as session:
        order = session.get(Order, order_id)
        assert (order.status, order.carrier, order.tracking_number) == ("shipped", "Posten Norge", "LA123456789NO")
        ship = session.scalars(select(OrderEvent).where(OrderEvent.event == "ship")).one()
        assert ship.actor == f"seller:{seller}"


async def test_a_seller_pressing_buttons_for_another_shops_order_is_refused(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session]) -> None:
    owner, buyer = await person(emulator, "Kari", "nb"), await person(emulator, "María", "es")
    stranger = await person(emulator, "Lukas", "de")
    order_id = paid_order(factory, seller=owner, buyer=buyer)
    with transaction(factory) as session:
        builders.shop(session, owner=stranger, country="DE", currency="EUR", language="de", name="Lukas Laden")
    async with running_bot(settings_for(emulator, marketplace_url, outbox_enabled=False)) as app:
        # a tampered client: the stranger's own chat shows buttons carrying someone else's order
        forged = await app.bot.send_message(stranger, "Bestellung", reply_markup=seller_buttons(order_id, "de"))
        for data in (f"sa:{order_id}", f"ss:{order_id}"):
            query = await emulator.client.press_button(stranger, forged.message_id, data=data)
            answer = await answer_of(emulator, query)
            assert answer["text"] == "Diese Bestellung gehört nicht zu deinem Shop." and answer["show_alert"]
        # and a reply to a ship prompt for that order is refused by the marketplace
        prompt = await app.bot.send_message(stranger, f"🚚 #{order_id} — antworte auf diese Nachricht")
        await emulator.client.send_text(stranger, "DHL 00340434161094042557", reply_to=prompt.message_id)
        refused = await emulator.client.wait_for_message(stranger, timeout=6, after=prompt.message_id)
        assert refused["text"] == "Diese Bestellung gehört nicht zu deinem Shop."
        # a malformed button is refused too
        bad = await app.bot.send_message(stranger, "x", reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("x", callback_data="sa:12abc")]]))
        query = await emulator.client.press_button(stranger, bad.message_id, data="sa:12abc")
        assert (await answer_of(emulator, query))["text"] == "Diese Schaltfläche ist nicht mehr gültig."
    with factory() as session:
        order = session.get(Order, order_id)
        assert (order.status, order.carrier) == ("paid", None)
        assert session.scalars(select(OrderEvent).where(OrderEvent.event.in_(["accept", "ship"]))).all() == []


async def test_a_worker_killed_after_telegram_accepted_does_not_send_again(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session], tmp_path: Path) -> None:
    """Killed between Telegram's "ok" and the marketplace recording it: the journal says it was sent."""
    seller, buyer = await person(emulator, "Kari", "nb"), await person(emulator, "María", "es")
    order = paid_order(factory, seller=seller, buyer=buyer)
    with transaction(factory) as session:  # the dead worker had claimed it and sent the seller's card…
        [claimed] = outbox.claim(session, limit=10, lease=timedelta(seconds=1), now=utcnow())
    journal = SentJournal(tmp_path / "sent.journal")
    journal.sent(claimed.message.id, "seller")  # …which Telegram accepted; then SIGKILL, nothing recorded
    journal.close()
    await asyncio.sleep(1.1)  # its lease runs out
    async with running_bot(settings_for(emulator, marketplace_url, outbox_journal=journal.path)):
        await eventually(lambda: len(delivered(factory)) == 1)  # both recipients: the message is done
        await asyncio.sleep(1.0)
    assert await emulator.client.bot_messages(seller) == []  # the card is not sent a second time
    assert [m["text"].split(".")[0] for m in await emulator.client.bot_messages(buyer)] == [
        f"Pago recibido para el pedido #{order}"]
    assert SentJournal(journal.path).unrecorded() == set()  # and the journal starts clean
