"""Scale-out by configuration only: two bot instances (webhook mode) and two action servers, each pair
behind a round-robin balancer, one Rasa with its tracker store in PostgreSQL and its lock store in
Redis, the marketplace on PostgreSQL. Conversations in several languages alternate between the
instances and keep their state; a redelivered update acts once; a paid order's alert, with an
outbox worker in each bot instance, reaches the seller once.

Runs only where PostgreSQL (TEST_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test)
and Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379/0) answer.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
import redis
from psycopg import sql

from bot.rasa_client import WARM_UP_TEXTS
from bot.texts import text as bot_text
from sandbox.client import SandboxClient
from tests.e2e.chat import labels, until
from tests.e2e.stack import SERVICE_TOKEN, TRADEWIND, Stack
from tests.e2e.test_seller_journey import KARI, paid_order_from_kari
from tests.scale.balancer import Balancer
from tests.support import free_port
from tradewind import rasa_model
from tradewind.demo_world import STAFF_GROUP_ID

DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WEBHOOK_SECRET = "scale-out-webhook-secret"


def reachable() -> str | None:
    """Why the test cannot run here, or None."""
    try:
        psycopg.connect(DATABASE_URL, connect_timeout=2).close()
    except psycopg.Error:
        return f"no PostgreSQL at {DATABASE_URL}"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return f"no Redis at {REDIS_URL}"
    return None


pytestmark = pytest.mark.skipif(reachable() is not None, reason=reachable() or "")


def database_url(name: str, password: str | None = None) -> str:
    """DATABASE_URL's server with another database (and, optionally, a password the server ignores)."""
    parts = psycopg.conninfo.conninfo_to_dict(DATABASE_URL)
    auth = parts.get("user", "postgres") + (f":{password}" if password else "")
    return f"postgresql://{auth}@{parts.get('host', '127.0.0.1')}:{parts.get('port', 5432)}/{name}"


def admin(statement: sql.Composable) -> None:
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute(statement)


def redis_peers(pid: int, port: int) -> int:
    """How many TCP connections the process holds to `port` (Linux /proc)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[2].rsplit(":", 1)[1], 16) == port and fields[9] in inodes:
                count += 1
    return count


@dataclass
class Scaled:
    """The running processes, the two balancers and the databases."""

    stack: Stack
    bots: Balancer
    actions: Balancer
    token: str
    market_db: str
    rasa_db: str
    rasa_password: str


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scaled]:
    if os.environ.get("TRADEWIND_E2E_TRAIN", "1") == "1":
        rasa_model.ensure_trained(say=lambda line: print(line, file=sys.stderr))
    tag = secrets.token_hex(4)
    market_db, rasa_db, rasa_password = f"tw_scale_{tag}", f"tw_scale_rasa_{tag}", secrets.token_hex(8)
    for name in (market_db, rasa_db):
        admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    # A bot id of its own: Redis claims of update ids (which start at 1 in every emulator) never meet another run's.
    token = f"{secrets.randbelow(10**9) + 10**9}:AAscale-{secrets.token_hex(8)}"
    ports = {name: free_port() for name in ("emulator", "api", "rasa", "actions-a", "actions-b", "bot-a", "bot-b")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    var_dir = tmp_path_factory.mktemp("scale")
    bots = Balancer([urls["bot-a"], urls["bot-b"]])
    actions = Balancer([urls["actions-a"], urls["actions-b"]])
    env = {**os.environ, "TRADEWIND_VAR_DIR": str(var_dir), "TELEGRAM_BOT_TOKEN": token,
           "TELEGRAM_API_URL": urls["emulator"], "SERVICE_TOKEN": SERVICE_TOKEN,
           "DATABASE_URL": database_url(market_db), "MARKETPLACE_PORT": str(ports["api"]),
           "MARKETPLACE_URL": urls["api"], "RASA_URL": urls["rasa"], "ACTION_SERVER_URL": f"{actions.url}/webhook",
           "REPLY_TIMEOUT": "10", "SUPPORT_CHAT_ID": str(STAFF_GROUP_ID), "REDIS_URL": REDIS_URL,
           "RASA_TRACKER_STORE_URL": database_url(rasa_db, rasa_password), "RASA_LOCK_STORE_URL": REDIS_URL,
           "RASA_LOCK_STORE_PREFIX": f"twscale{tag}", "BOT_MODE": "webhook", "WEBHOOK_URL": f"{bots.url}/",
           "WEBHOOK_SECRET": WEBHOOK_SECRET, "OUTBOX_POLL_INTERVAL": "0.5"}
    stack = Stack(var_dir=var_dir, env=env, urls=urls)
    scaled = Scaled(stack, bots, actions, token, market_db, rasa_db, rasa_password)
    try:
        with bots, actions:
            subprocess.run([TRADEWIND, "seed"], env=env, check=True, capture_output=True)
            stack.start("emulator", "emulator", "--port", str(ports["emulator"]))
            stack.start("api", "api")
            for name in ("actions-a", "actions-b"):
                stack.start(name, "actions", "--port", str(ports[name]))
            stack.start("rasa", "rasa", "--port", str(ports["rasa"]))
            stack.wait_http("emulator", f"{urls['emulator']}/sandbox/state", timeout=30)
            stack.wait_http("api", f"{urls['api']}/healthz", timeout=30)
            for name in ("actions-a", "actions-b"):
                stack.wait_http(name, f"{urls[name]}/health", timeout=60)
            stack.wait_http("rasa", f"{urls['rasa']}/status", timeout=300,
                            ok=lambda r: r.status_code == 200 and bool(r.json().get("model_file")))
            for line in WARM_UP_TEXTS:  # the first parse loads models; keep that out of the conversations
                httpx.post(f"{urls['rasa']}/model/parse", json={"text": line}, timeout=120).raise_for_status()
            for name in ("bot-a", "bot-b"):  # the same command and settings; only the port differs
                stack.start(name, "bot", env={"WEBHOOK_PORT": str(ports[name]),  # and its own journals
                                              "OUTBOX_JOURNAL": str(stack.var_dir / f"{name}-outbox.journal"),
                                              "PAYMENT_JOURNAL": str(stack.var_dir / f"{name}-payments.journal")})
            stack.wait_http("bot-a", f"{urls['emulator']}/sandbox/calls", timeout=60,
                            ok=lambda r: sum(c["method"] == "setWebhook" for c in r.json()["result"]) >= 2)
            yield scaled
    finally:
        stack.stop()
        for name in (market_db, rasa_db):
            admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        keys = redis.Redis.from_url(REDIS_URL)
        for pattern in (f"tradewind:{token.split(':')[0]}:*", f"twscale{tag}*"):
            for key in keys.scan_iter(pattern):
                keys.delete(key)


async def buyer_checks_out_in_spanish(client: SandboxClient) -> int:
    """Search, add to cart, the cart, the checkout form (country, address) and the invoice: every step is
    a new message that the balancer hands to the other bot instance, and Rasa keeps the form's state."""
    user = (await client.create_user("Lucía", "lucia_scale", "es-AR"))["id"]
    await client.send_text(user, "busco un suéter de lana de Noruega")
    card = await until(client, user, lambda m: bool(m.get("photo")))
    assert "Suéter" in card["caption"] and labels(card)[0] == "🛒 Añadir al carrito"
    assert "1 de " in card["caption"]  # one card for the whole search
    await client.press_button(user, card["message_id"], text="🛒 Añadir al carrito")
    assert (await until(client, user, lambda m: "text" in m))["text"].startswith("Añadí 1 × ")
    cart = await until(client, user, lambda m: "Total: $" in m.get("text", ""))
    await client.press_button(user, cart["message_id"], text="✅ Pagar")
    assert (await client.wait_for_message(user, timeout=25))["text"] == "¿A qué país lo enviamos?"
    await client.send_text(user, "Argentina")
    assert (await client.wait_for_message(user, timeout=25))["text"].startswith("¿Y la dirección completa")
    await client.send_text(user, "Av. Corrientes 1234, C1043 Buenos Aires")
    invoice = await until(client, user, lambda m: bool(m.get("invoice")))
    paid = await client.pay_invoice(user, invoice["message_id"])
    assert paid["status"] == "paid"
    receipt = await until(client, user, lambda m: m.get("text", "").startswith("Pago recibido para el pedido #"))
    return int(receipt["text"].split("#")[1].split(".")[0])


async def german_by_choice(client: SandboxClient) -> int:
    """An English-speaking app, German chosen with /language: every instance answers in German."""
    user = (await client.create_user("Jonas", "jonas_scale", "en"))["id"]
    await client.send_command(user, "language")
    menu = await until(client, user, lambda m: "Deutsch" in labels(m))
    await client.press_button(user, menu["message_id"], text="Deutsch")
    await until(client, user, lambda m: bool(m.get("text")))  # what the bot can do, in German
    for _ in range(2):  # two documents: one per instance; neither reaches Rasa, the bot answers itself
        await client.send_document(user, b"%PDF-1.4", "katalog.pdf")
        assert (await client.wait_for_message(user, timeout=25))["text"] == bot_text("only_text", "de")
    await client.send_text(user, "ich suche einen Pullover aus Wolle")
    await until(client, user, lambda m: " für „" in m.get("caption", ""))  # the card: "1 von N für „…“"
    return user


async def test_conversations_alternate_between_instances_and_keep_their_state(scaled: Scaled) -> None:
    async with SandboxClient(scaled.stack.urls["emulator"]) as client:
        order_id, german = await asyncio.gather(buyer_checks_out_in_spanish(client), german_by_choice(client))
        norwegian = (await client.create_user("Ola", "ola_scale", "nb"))["id"]
        await client.send_text(norwegian, "jeg ser etter en ullgenser")
        await until(client, norwegian, lambda m: " for «" in m.get("caption", ""))  # "1 av N for «…»"

    assert order_id > 0 and german > 0
    served_bots = {backend: scaled.bots.app.served[backend] for backend in scaled.bots.app.backends}
    served_actions = {backend: scaled.actions.app.served[backend] for backend in scaled.actions.app.backends}
    assert min(served_bots.values()) >= 5, served_bots  # both bot instances carried the conversations
    assert min(served_actions.values()) >= 3, served_actions  # both action servers ran actions
    with psycopg.connect(database_url(scaled.rasa_db)) as conn:  # Rasa's conversations are in PostgreSQL
        senders = {row[0] for row in conn.execute("SELECT DISTINCT sender_id FROM events")}
    assert {str(german), str(norwegian)} <= senders
    rasa = scaled.stack.processes["rasa"]
    assert redis_peers(rasa.pid, int(REDIS_URL.rsplit(":", 1)[1].split("/")[0])) >= 1  # its lock store
    written = (scaled.stack.var_dir / "rasa-endpoints.yml").read_text()
    assert "lock_store" in written and "tracker_store" in written
    for log in ("rasa", "bot-a", "bot-b"):
        assert scaled.rasa_password not in scaled.stack.log(log)
    assert scaled.rasa_password not in written


async def test_a_redelivered_update_does_not_act_again_on_the_other_instance(scaled: Scaled) -> None:
    async with SandboxClient(scaled.stack.urls["emulator"]) as client:
        user = (await client.create_user("Giulia", "giulia_scale", "it"))["id"]
        sent = await client.send_text(user, "cerco un maglione di lana")
        await until(client, user, lambda m: " per «" in m.get("caption", ""))  # "1 di N per «…»"
        before = len(await client.bot_messages(user))
        copy = await client.resend_update(message=sent, same_id=True)
        first = scaled.bots.app.backends_of(copy["update_id"])[0]
        for _ in range(2):  # round robin: at most one more copy until one lands on the other instance
            await delivered(client, scaled.token)
            if scaled.bots.app.backends_of(copy["update_id"])[-1] != first:
                break
            await client.resend_update(copy["update_id"], same_id=True)
        assert len(set(scaled.bots.app.backends_of(copy["update_id"]))) == 2
        await asyncio.sleep(4)  # what the copy would have caused: a second search
        assert len(await client.bot_messages(user)) == before


async def delivered(client: SandboxClient, token: str) -> None:
    """Until the emulator has handed every queued update to the webhook."""
    deadline = time.monotonic() + 20
    while await client.pending_updates(token):
        assert time.monotonic() < deadline, "the webhook never took the update"
        await asyncio.sleep(0.05)


async def test_a_paid_order_alerts_the_seller_once_with_two_outbox_workers(scaled: Scaled) -> None:
    stack = scaled.stack
    async with SandboxClient(stack.urls["emulator"]) as client:
        buyer = (await client.create_user("Sofía", "sofia_scale", "es-AR"))["id"]
        await client.send_command(buyer, "start")
        await client.wait_for_message(buyer, timeout=25)
        order_id = await paid_order_from_kari(stack, buyer)
        alert = await until(client, KARI, lambda m: f"#{order_id}" in (m.get("text") or "") and labels(m))
        assert alert["text"].startswith(f"🛒 Ny ordre #{order_id} — betalt")
        await asyncio.sleep(3)  # both workers poll every 0.5 s: a second copy would be here by now
        alerts = [m for m in await client.bot_messages(KARI) if f"Ny ordre #{order_id}" in (m.get("text") or "")]
    assert len(alerts) == 1
    with psycopg.connect(database_url(scaled.market_db)) as conn:  # and the outbox says each went out once
        rows = conn.execute("SELECT topic, delivered_at FROM outbox WHERE payload->>'order_id' = %s",
                            (str(order_id),)).fetchall()
    assert rows and all(delivered_at is not None for _topic, delivered_at in rows), rows
