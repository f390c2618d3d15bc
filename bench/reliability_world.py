"""The people, shops and orders the reliability scenarios (bench/reliability.py) work with.

Sellers and buyers are users of the Bot API emulator who opened a chat with the bot; shops and
products are created through the marketplace API with the service token. An order is placed
through the API (cart + checkout), its invoice sent as the bot sends it after Rasa's checkout
(`bot.render.send_invoice` with `actions.checkout.invoice`), and paid in the emulator, so the
real pre_checkout_query and successful_payment updates go through the running bot. What people
saw is read back from the emulator's chats, what was stored from the marketplace's database.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections import Counter
from dataclasses import dataclass, field

import httpx
from sqlalchemy import create_engine, text
from telegram import Bot
from telegram.error import NetworkError, RetryAfter

from actions.checkout import invoice as invoice_payload
from actions.texts import TEXTS as ACTION_TEXTS
from bot.alert_texts import TEXTS as ALERT_TEXTS
from bot.outbox import retry_seconds
from bot.render import send_invoice
from bot.texts import TEXTS as BOT_TEXTS
from sandbox.client import SandboxClient, SandboxError
from tests.e2e.stack import BOT_TOKEN, SERVICE_TOKEN, Stack

SHOPS = [("nb", "NO", "NOK"), ("de", "DE", "EUR"), ("es", "ES", "EUR"), ("en", "GB", "GBP")]
BUYERS = [("es", "AR", "ARS"), ("en", "US", "USD"), ("pt", "BR", "BRL"), ("de", "DE", "EUR"), ("fr", "FR", "EUR")]


def pattern(template: str) -> re.Pattern[str]:
    """A sentence template ("… #{order} …", "{shop}") as a regex capturing the order id."""
    marked = template.replace("{order}", "\x01").replace("{shop}", "\x02")
    return re.compile("^" + re.escape(marked).replace("\x01", r"(\d+)").replace("\x02", ".+?"))


UNAVAILABLE = {BOT_TEXTS["unavailable"]["es"], ACTION_TEXTS["unavailable"]["es"]}  # "try again in a moment"
RECEIPT = {lang: pattern(t) for lang, t in BOT_TEXTS["paid"].items()}
NEW_ORDER = {lang: pattern(t) for lang, t in ALERT_TEXTS["new_order"].items()}
ACCEPTED = {lang: pattern(t) for lang, t in ALERT_TEXTS["buyer_accepted"].items()}


@dataclass(frozen=True)
class Person:
    user_id: int
    language: str
    country: str
    currency: str


@dataclass
class Ledger:
    """What the load did and what Telegram (the emulator) confirmed."""

    orders: dict[int, Person] = field(default_factory=dict)  # order id -> buyer
    paid: dict[int, dict] = field(default_factory=dict)  # order id -> the successful_payment message
    declined: int = 0
    timeouts: int = 0
    retries: int = 0


@dataclass
class World:
    stack: Stack
    client: SandboxClient
    api: httpx.AsyncClient
    bot: Bot
    sellers: list[Person]
    products: list[tuple[int, Person]]  # product id, its seller
    buyers: list[Person]  # the load's buyers
    chatters: list[Person] = field(default_factory=list)  # people who talk to Rasa
    ledger: Ledger = field(default_factory=Ledger)

    def database(self):  # noqa: ANN201 - a SQLAlchemy engine on the marketplace's SQLite file
        return create_engine(f"sqlite:///{self.stack.var_dir / 'tradewind.db'}")


async def open_chat(client: SandboxClient, person: int) -> None:
    """The person writes to the bot once (a bot cannot start a private chat); /mydata needs no Rasa."""
    await client.send_command(person, "mydata")


async def build_world(stack: Stack, client: SandboxClient, *, sellers: int, buyers: int, say) -> World:  # noqa: ANN001
    """Sellers with one shop and product each (stock for any load), buyers with a customer record."""
    api = httpx.AsyncClient(base_url=stack.urls["api"], headers={"Authorization": f"Bearer {SERVICE_TOKEN}"},
                            timeout=15)
    bot = Bot(BOT_TOKEN, base_url=f"{stack.urls['emulator']}/bot")
    await bot.initialize()
    world = World(stack, client, api, bot, [], [], [])
    for i in range(sellers):
        language, country, currency = SHOPS[i % len(SHOPS)]
        user = await client.create_user(f"Seller {i}", f"seller_{i}", language)
        seller = Person(user["id"], language, country, currency)
        await open_chat(client, seller.user_id)
        shop = (await api.post("/shops", json={"owner_telegram_id": seller.user_id, "name": f"Taller {i}",
                                               "country": country, "currency": currency,
                                               "language": language})).raise_for_status().json()
        product = (await api.post(f"/shops/{shop['id']}/products", headers={"X-Acting-User": str(seller.user_id)},
                                  json={"title": f"Handmade bowl {i}", "description": "Turned birch.",
                                        "category": "home", "price": f"{120 + i}.50", "stock": 100_000})
                   ).raise_for_status().json()
        world.sellers.append(seller)
        world.products.append((product["id"], seller))
    for i in range(buyers):
        language, country, currency = BUYERS[i % len(BUYERS)]
        user = await client.create_user(f"Buyer {i}", f"buyer_{i}", language)
        buyer = Person(user["id"], language, country, currency)
        await open_chat(client, buyer.user_id)
        (await api.put(f"/customers/{buyer.user_id}", json={"name": f"Buyer {i}", "language": language,
                                                            "country": country, "currency": currency})
         ).raise_for_status()
        world.buyers.append(buyer)
    say(f"  {sellers} sellers with a shop each, {buyers} buyers")
    return world


def restock(world: World) -> None:
    """Plenty of every demo product, so concurrent chats never run out of the sweater they find."""
    engine = world.database()
    with engine.begin() as db:
        db.execute(text("UPDATE products SET stock = 100000"))
    engine.dispose()


async def close_world(world: World) -> None:
    await world.api.aclose()
    await world.bot.shutdown()


def _down(exc: Exception) -> bool:
    return isinstance(exc, httpx.TransportError) or (
        isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code >= 500)


async def place_order(world: World, buyer: Person, rng: random.Random, *, product: int | None = None,
                      patience: float = 120) -> dict:
    """A new order for `buyer` through the API; survives the API dying mid-request (an order that was
    committed before the answer was lost is found again, never placed twice)."""
    api, deadline = world.api, asyncio.get_running_loop().time() + patience
    while True:
        try:
            orders = (await api.get(f"/customers/{buyer.user_id}/orders")).raise_for_status().json()
            waiting = [o for o in orders if o["status"] == "pending_payment" and o["id"] not in world.ledger.orders]
            if waiting:
                order = waiting[0]
            else:
                cart = (await api.get(f"/customers/{buyer.user_id}/cart")).raise_for_status().json()
                if not cart["items"]:
                    chosen = product or rng.choice(world.products)[0]
                    (await api.post(f"/customers/{buyer.user_id}/cart/items",
                                    json={"product_id": chosen, "quantity": rng.randint(1, 3)})).raise_for_status()
                address = f"Calle {rng.randint(1, 999)}, {buyer.country}"
                [order] = (await api.post(f"/customers/{buyer.user_id}/checkout", json={
                    "shipping_country": buyer.country, "shipping_address": address})).raise_for_status().json()
            world.ledger.orders[order["id"]] = buyer
            return order
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            if not _down(exc) or asyncio.get_running_loop().time() > deadline:
                raise
            world.ledger.retries += 1
            await asyncio.sleep(0.5)


async def send_order_invoice(world: World, buyer: Person, order: dict) -> dict:
    """The order's invoice in the buyer's chat, as the bot sends it; flood control is waited out."""
    while True:
        try:
            sent = await send_invoice(world.bot, buyer.user_id, invoice_payload(order, buyer.language), "")
            return sent.to_dict()
        except RetryAfter as exc:
            await asyncio.sleep(retry_seconds(exc) + 0.1)
        except NetworkError:
            await asyncio.sleep(0.5)


async def pay(world: World, buyer: Person, order_id: int, invoice: dict, *, patience: float = 180) -> bool:
    """Pay in the emulator until Telegram says paid (the bot answers pre_checkout only while it runs and
    the marketplace answers it); True when paid."""
    deadline = asyncio.get_running_loop().time() + patience
    while asyncio.get_running_loop().time() < deadline:
        try:
            result = await world.client.pay_invoice(buyer.user_id, invoice["message_id"], timeout=6)
        except (SandboxError, httpx.TransportError):
            result = {"status": "error"}
        if result["status"] == "paid":
            world.ledger.paid[order_id] = result["message"]
            return True
        if result["status"] == "declined":
            world.ledger.declined += 1
        else:
            world.ledger.timeouts += 1
        await asyncio.sleep(1.0)
    return False


async def buy(world: World, buyer: Person, rng: random.Random, product: int | None = None) -> int:
    """Place, invoice and pay one order; its id."""
    order = await place_order(world, buyer, rng, product=product)
    invoice = await send_order_invoice(world, buyer, order)
    await pay(world, buyer, order["id"], invoice)
    return order["id"]


@dataclass
class Seen:
    """What people saw in their chats, per order."""

    receipts: Counter = field(default_factory=Counter)  # order -> buyer receipts
    receipt_owner: dict[int, int] = field(default_factory=dict)  # order -> chat the receipt went to
    alerts: Counter = field(default_factory=Counter)  # order -> seller new-order cards
    accepted: Counter = field(default_factory=Counter)  # order -> buyer "accepted" notes


async def seen(world: World) -> Seen:
    """Count receipts, seller cards and "accepted" notes in every chat of the world."""
    found = Seen()
    for person, kinds in [(s, ((NEW_ORDER, found.alerts),)) for s in world.sellers] + [
            (b, ((RECEIPT, found.receipts), (ACCEPTED, found.accepted))) for b in world.buyers + world.chatters]:
        for message in await world.client.bot_messages(person.user_id):
            body = message.get("text") or ""
            for patterns, counter in kinds:
                match = patterns.get(person.language, patterns["en"]).match(body)
                if match:
                    counter[int(match.group(1))] += 1
                    if counter is found.receipts:
                        found.receipt_owner[int(match.group(1))] = person.user_id
    return found


def stored(world: World) -> dict:
    """What the marketplace's database holds: payments per order, order states, undelivered outbox rows."""
    engine = world.database()
    try:
        with engine.connect() as db:
            pays = Counter(dict(db.execute(text(
                "SELECT order_id, count(*) FROM order_events WHERE event = 'pay' GROUP BY order_id")).all()))
            accepts = Counter(dict(db.execute(text(
                "SELECT order_id, count(*) FROM order_events WHERE event = 'accept' GROUP BY order_id")).all()))
            status = dict(db.execute(text("SELECT id, status FROM orders")).all())
            owner = dict(db.execute(text(
                "SELECT o.id, c.telegram_user_id FROM orders o JOIN customers c ON c.id = o.customer_id")).all())
            charges = db.execute(text("SELECT count(payment_charge_id), count(DISTINCT payment_charge_id) "
                                      "FROM orders")).one()
            pending = db.execute(text("SELECT id, topic, attempts, delivered_to, last_error FROM outbox "
                                      "WHERE delivered_at IS NULL")).all()
    finally:
        engine.dispose()
    return {"pays": pays, "accepts": accepts, "status": status, "owner": owner, "charges": tuple(charges),
            "undelivered": len(pending), "stuck": pending}


async def settle(world: World, *, timeout: float, say) -> None:  # noqa: ANN001
    """Wait until every order Telegram took money for is paid in the marketplace and the outbox is empty."""
    loop = asyncio.get_running_loop()
    deadline, last = loop.time() + timeout, ""
    while loop.time() < deadline:
        db = stored(world)
        unpaid = [o for o in world.ledger.paid if db["status"].get(o) == "pending_payment"]
        if not unpaid and db["undelivered"] == 0:
            return
        line = (f"  settling: {len(unpaid)} paid in Telegram but not yet in the marketplace, "
                f"{db['undelivered']} outbox rows")
        if line != last:
            say(line)
            last = line
        await asyncio.sleep(1.0)
    say("  settling: gave up waiting; undelivered outbox rows: "
        + "; ".join(f"#{row.id} {row.topic} tries {row.attempts} told {row.delivered_to!r}: {row.last_error}"
                    for row in stored(world)["stuck"][:5]))
