"""Order alerts through the real outbox worker and marketplace, against the emulator's flood limits.

N paid orders (default 10,000) across 1,000 sellers: each outbox row is the seller's card plus the
buyer's receipt, so 2 N Telegram messages. They are delivered by the bot process (`tradewind bot`,
its outbox worker) from the marketplace API process (`tradewind api`, SQLite file or PostgreSQL)
to the Bot API emulator running in this process with Telegram's real limits (30 messages/s per
bot, 1/s per chat). Prints the delivery rate as a share of the 30/s ceiling, the 429s the emulator
answered, and lost / duplicated messages counted per order and recipient from the emulator's
chats. Then the same again with the bot process SIGKILLed half way and started again.

    .venv/bin/python bench/alerts.py [--alerts 10000] [--sellers 1000] [--buyers 2000]
                                     [--database-url postgresql://...] [--runs normal,kill]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from marketplace.core.config import normalise_database_url  # noqa: E402
from marketplace.core.db import make_engine, make_session_factory, transaction  # noqa: E402
from marketplace.core.migrate import upgrade  # noqa: E402
from marketplace.models import Order, OrderItem, OutboxMessage  # noqa: E402
from marketplace.services import carts, catalog  # noqa: E402
from marketplace.services.orders import OrderAction, transition  # noqa: E402
from sandbox import create_app  # noqa: E402
from sandbox.client import SandboxClient  # noqa: E402
from sandbox.settings import Settings  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
TRADEWIND = str(Path(sys.executable).with_name("tradewind"))
TOKEN = "777000333:AAtradewind-bench-alerts"
SERVICE_TOKEN = "bench-service-token"
CEILING = 30.0  # Telegram: about 30 messages per second per bot
SHOPS = {"en": ("GB", "GBP"), "es": ("ES", "EUR"), "pt": ("PT", "EUR"), "de": ("DE", "EUR"),
         "fr": ("FR", "EUR"), "it": ("IT", "EUR"), "nb": ("NO", "NOK"), "zh": ("CN", "CNY")}
BUYERS = [("es", "AR", "ARS"), ("es", "MX", "MXN"), ("pt", "BR", "BRL"), ("en", "US", "USD"), ("de", "DE", "EUR"),
          ("fr", "FR", "EUR"), ("it", "IT", "EUR"), ("nb", "NO", "NOK"), ("zh", "CN", "CNY"), ("en", "GB", "GBP")]
ORDER_REF = re.compile(r"(?:#|n° )(\d+)")


def say(line: str) -> None:
    print(line, flush=True)


def populate(url: str, state, bot, rng: random.Random, *, alerts: int, sellers: int, buyers: int) -> dict:  # noqa: ANN001
    """Sellers and buyers who started the bot, their shops and customers, `alerts` paid orders.
    Returns {order id: (seller chat, buyer chat)}."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    shops, customers = [], []
    with transaction(factory) as session:
        for i in range(sellers):
            language = list(SHOPS)[i % len(SHOPS)]
            user = state.add_user(f"Seller {i}", language_code=language)
            state.private_conv(bot, user["id"], create=True)
            country, currency = SHOPS[language]
            shop = catalog.create_shop(session, owner_telegram_id=user["id"], name=f"Shop {i}", country=country,
                                       currency=currency, language=language)
            product = catalog.create_product(session, shop=shop, title=f"Handmade thing {i}", description="",
                                             category="crafts", price=Decimal(rng.randrange(500, 90000)) / 100, stock=0)
            shops.append((shop, product, user["id"], f"Handmade thing {i}"))
        for i in range(buyers):
            language, country, currency = BUYERS[i % len(BUYERS)]
            user = state.add_user(f"Buyer {i}", language_code=language)
            state.private_conv(bot, user["id"], create=True)
            customers.append((carts.upsert_customer(session, telegram_user_id=user["id"], language=language,
                                                    country=country, currency=currency), user["id"]))
    expected: dict[int, tuple[int, int]] = {}
    for start in range(0, alerts, 1000):
        with transaction(factory) as session:
            batch = []
            for _ in range(min(1000, alerts - start)):
                (shop, product, seller, title), (customer, buyer) = rng.choice(shops), rng.choice(customers)
                quantity, shipping = rng.randint(1, 3), Decimal(rng.randrange(500, 5000)) / 100
                subtotal = product.price_amount * quantity
                order = Order(customer_id=customer.id, shop_id=shop.id, currency=shop.currency, subtotal=subtotal,
                              shipping=shipping, total=subtotal + shipping, shipping_country=customer.country,
                              shipping_address=f"Calle {rng.randint(1, 999)}, {customer.country}",
                              items=[OrderItem(product_id=product.id, title=title, unit_price=product.price_amount,
                                               currency=shop.currency, quantity=quantity)])
                session.add(order)
                batch.append((order, seller, buyer))
            session.flush()
            for order, seller, buyer in batch:  # paid through the real state machine: it writes the outbox
                transition(session, order=order, action=OrderAction.PAY, actor="system")
                expected[order.id] = (seller, buyer)
        say(f"  {start + len(batch):,} paid orders")
    engine.dispose()
    return expected


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(name: str, folder: Path, env: dict, *args: str) -> subprocess.Popen:
    log = (folder / f"{name}.log").open("ab")
    return subprocess.Popen([TRADEWIND, *args], env=env, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)


class CallLog:
    """Counts the emulator's finished sendMessage calls: accepted ones and 429s (calls still running,
    such as a long poll, are looked at again next time)."""

    def __init__(self, calls: list) -> None:
        self.calls, self.cursor, self.open, self.sent, self.limited = calls, 0, [], 0, 0

    def update(self) -> None:
        """Take in the calls finished since the last update."""
        fresh = self.open + list(range(self.cursor, len(self.calls)))
        self.cursor, self.open = len(self.calls), []
        for index in fresh:
            call = self.calls[index]
            if "status" not in call:
                self.open.append(index)
            elif call["method"] == "sendMessage":
                self.sent += call["status"] == 200
                self.limited += call["status"] == 429


async def count_received(client: SandboxClient, expected: dict) -> Counter:
    """Messages in every chat per (order, recipient), read back through the emulator's control API."""
    received: Counter = Counter()
    sellers = {seller for seller, _ in expected.values()}
    buyers = {buyer for _, buyer in expected.values()}
    for chat, role in [(s, "seller") for s in sellers] + [(b, "buyer") for b in buyers]:
        for message in await client.bot_messages(chat):
            data = [b["callback_data"] for row in message.get("reply_markup", {}).get("inline_keyboard", [])
                    for b in row if b.get("callback_data", "").startswith("sa:")]
            ref = int(data[0][3:]) if data else int(ORDER_REF.search(message.get("text", "")).group(1))
            received[(ref, role, chat)] += 1
    return received


async def run(url: str, folder: Path, args: argparse.Namespace, *, kill: bool) -> dict:
    """One delivery of all alerts; with `kill`, the bot is SIGKILLed half way and restarted."""
    app = create_app(Settings(log_limit=10_000_000, ui=False))
    rt = app.state.rt
    bot = rt.state.add_bot(TOKEN, "tradewind_bench_bot", "Tradewind")
    say("setting up: migrating, creating sellers, buyers and paid orders")
    upgrade(url)
    expected = populate(url, rt.state, bot, random.Random(7), alerts=args.alerts, sellers=args.sellers,
                        buyers=args.buyers)
    total = 2 * len(expected)
    ports = {"emulator": free_port(), "api": free_port()}
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=ports["emulator"], log_level="warning",
                                           access_log=False))
    serving = asyncio.create_task(server.serve())
    env = {**os.environ, "DATABASE_URL": url, "SERVICE_TOKEN": SERVICE_TOKEN, "TRADEWIND_VAR_DIR": str(folder),
           "MARKETPLACE_PORT": str(ports["api"]), "MARKETPLACE_URL": f"http://127.0.0.1:{ports['api']}",
           "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": f"http://127.0.0.1:{ports['emulator']}",
           "RASA_URL": f"http://127.0.0.1:{free_port()}",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    api = start("api", folder, env, "api")
    engine = make_engine(url)
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(200):
                try:
                    if (await http.get(f"{env['MARKETPLACE_URL']}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        say(f"delivering {len(expected):,} alerts = {total:,} messages (seller card + buyer receipt)"
            + (", SIGKILL of the bot half way" if kill else ""))
        began = time.monotonic()
        worker, killed_at, first, last = start("bot", folder, env, "bot"), None, None, None
        log = CallLog(rt.state.calls)
        next_report = began + 5
        while True:
            log.update()
            sent, limited, now = log.sent, log.limited, time.monotonic()
            if sent and first is None:
                first = now
            if kill and killed_at is None and sent >= total // 2:
                worker.send_signal(signal.SIGKILL)
                worker.wait()
                killed_at, at_kill = now, sent
                say(f"  SIGKILL bot (pid {worker.pid}) after {sent:,} messages; starting it again")
                worker = start("bot", folder, env, "bot")
            if now >= next_report:
                rate = sent / (now - first) if first else 0.0
                say(f"  {sent:,}/{total:,} messages  {rate:5.1f}/s  429s: {limited}")
                next_report += 5
            if sent >= 0.99 * total:  # the end is near: watch the outbox itself
                with make_session_factory(engine)() as session:
                    pending = session.scalar(select(func.count(OutboxMessage.id)).where(
                        OutboxMessage.delivered_at.is_(None)))
                if pending == 0:
                    last = now
                    break
            if now - began > total / 10 + 600 or (first is None and now - began > 60):
                say("  giving up: too slow")
                break
            await asyncio.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
        async with SandboxClient(f"http://127.0.0.1:{ports['emulator']}") as client:
            received = await count_received(client, expected)
        with make_session_factory(engine)() as session:
            undelivered = session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.delivered_at.is_(None)))
            retried = session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.attempts > 1))
    finally:
        if api.poll() is None:
            api.terminate()
            api.wait(30)
        engine.dispose()
        server.should_exit = True
        await serving
    if sent < total:
        for name in ("bot", "api"):
            say(f"--- last lines of {name}.log ---\n" + "\n".join(
                (folder / f"{name}.log").read_text(errors="replace").splitlines()[-60:]))
    per_pair = {(order, "seller", seller): 0 for order, (seller, _) in expected.items()}
    per_pair.update({(order, "buyer", buyer): 0 for order, (_, buyer) in expected.items()})
    unexpected = sum(n for key, n in received.items() if key not in per_pair)
    per_pair.update({k: n for k, n in received.items() if k in per_pair})
    span = (last or time.monotonic()) - (first or began)
    return {"kill": kill, "messages": sum(received.values()), "expected": total, "seconds": span,
            "rate": (sent / span) if span else 0.0, "wall": time.monotonic() - began, "limited": limited,
            "lost": sum(1 for n in per_pair.values() if n == 0),
            "duplicated": sum(n - 1 for n in per_pair.values() if n > 1), "unexpected": unexpected,
            "undelivered": undelivered, "retried": retried,
            "killed_after": at_kill if killed_at else None}


def report(backend: str, result: dict) -> None:
    label = "with SIGKILL + restart" if result["kill"] else "steady"
    say(f"\n{backend}, {label}: {result['messages']:,}/{result['expected']:,} messages in {result['seconds']:.1f} s "
        f"(first to last)")
    say(f"  rate {result['rate']:.2f} msg/s = {100 * result['rate'] / CEILING:.1f} % of the {CEILING:.0f} msg/s ceiling")
    say(f"  429s from the emulator: {result['limited']}")
    say(f"  lost: {result['lost']}   duplicated: {result['duplicated']}   unexpected: {result['unexpected']}   "
        f"outbox rows still undelivered: {result['undelivered']}   rows claimed more than once: {result['retried']}")
    if result["killed_after"] is not None:
        say(f"  bot killed after {result['killed_after']:,} messages and restarted")


async def main_async(args: argparse.Namespace) -> int:
    runs = [r.strip() == "kill" for r in args.runs.split(",") if r.strip()]
    if args.database_url and normalise_database_url(args.database_url).startswith("postgresql"):
        base = make_url(normalise_database_url(args.database_url))
        admin = make_engine(base.render_as_string(hide_password=False)).execution_options(isolation_level="AUTOCOMMIT")
        backend = "PostgreSQL"
    else:
        admin, backend = None, "SQLite"
    results = []
    for kill in runs:
        with tempfile.TemporaryDirectory() as folder:
            if admin is None:
                url = f"sqlite:///{folder}/bench.db"
            else:
                name = f"tradewind_bench_{uuid.uuid4().hex[:8]}"
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                url = base.set(database=name).render_as_string(hide_password=False)
            try:
                result = await run(url, Path(folder), args, kill=kill)
            finally:
                if admin is not None:
                    with admin.connect() as conn:
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            report(backend, result)
            results.append(result)
    if admin is not None:
        admin.dispose()
    ok = all(r["lost"] == 0 and r["undelivered"] == 0 for r in results)
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--sellers", type=int, default=1_000)
    parser.add_argument("--buyers", type=int, default=2_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--runs", default="normal,kill", help="normal, kill, or both (comma-separated)")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
