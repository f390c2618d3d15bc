"""Reliability of the whole product as separate processes: replayed updates, SIGKILLs, outages.

(a) replay: N updates (payments, Rasa-driven messages and button presses, sellers' Accept presses)
    are each delivered twice more (same update_id, then a new one): no order, payment or alert twice.
(b) kill:   a load of N paid orders; the bot, the action server, Rasa and the marketplace API are
    SIGKILLed in turn half-way through and started again: every payment Telegram took is recorded
    once, every receipt the buyer saw is a real paid order, every alert arrives exactly once.
(c) outage: Rasa, the marketplace and the translation provider each down, then slow: the person gets
    a clear message within 5 s, and the same bot process recovers when the service is back.

Runs the real processes (tests/e2e/stack.py) on loopback. Prints what it tried and what survived;
exits 1 on any violation.  .venv/bin/python bench/reliability.py [--orders 1000] [--scenarios replay,kill,outage]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.reliability_outages import scenario_outage  # noqa: E402
from bench.reliability_world import (  # noqa: E402
    UNAVAILABLE, Person, World, build_world, buy, close_world, restock, seen, settle, stored)
from sandbox.client import SandboxClient, SandboxError  # noqa: E402
from tests.e2e.chat import labels  # noqa: E402
from tests.e2e.stack import Stack, start_stack  # noqa: E402
from tests.translation_server import StandInTranslator  # noqa: E402

SCENARIOS = ("replay", "kill", "outage")
LEASE = 20  # outbox lease (s): a SIGKILLed bot's claimed alerts come back after this
STACK_ENV = {"REPLY_TIMEOUT": "3.5",  # the product's default: the 5 s promise is what is measured
             "OUTBOX_LEASE_SECONDS": str(LEASE), "TRANSLATOR_RESET_AFTER": "3"}


def say(line: str) -> None:
    print(line, flush=True)


class Verdict:
    """What a scenario tried, what survived, and the violations."""

    def __init__(self, title: str) -> None:
        self.title, self.violations = title, []
        say(f"\n=== {title}")

    def tried(self, line: str) -> None:
        say(f"  tried:    {line}")

    def check(self, ok: bool, line: str) -> None:
        say(f"  {'survived' if ok else 'VIOLATION'}: {line}")
        if not ok:
            self.violations.append(line)


async def load(world: World, orders: int, *, concurrency: int, buyers: list[Person], progress: str) -> None:
    """Place, invoice and pay `orders` orders, `concurrency` buyers at a time (each worker its own buyers)."""
    remaining, done, began = [orders], [0], time.monotonic()

    async def worker(mine: list[Person], rng: random.Random) -> None:
        while remaining[0] > 0:
            remaining[0] -= 1
            await buy(world, rng.choice(mine), rng)
            done[0] += 1
            if done[0] % max(1, orders // 10) == 0:
                say(f"  {progress}: {done[0]}/{orders} orders paid  ({time.monotonic() - began:.0f} s)")

    lanes = min(concurrency, len(buyers))
    await asyncio.gather(*(worker(buyers[i::lanes], random.Random(i)) for i in range(lanes)))


async def until(client: SandboxClient, user: int, found, timeout: float = 25) -> dict:  # noqa: ANN001
    while not found(message := await client.wait_for_message(user, timeout=timeout)):
        pass
    return message


async def journey(world: World, i: int, replayable: list[tuple[str, object]]) -> None:
    """A Spanish buyer finds a sweater through Rasa, adds it, checks out, gives an address and pays
    (a step answered with "try again in a moment", on a busy machine, is tried again as a person would)."""
    client = world.client
    user = (await client.create_user(f"Lucía {i}", f"lucia_{i}", "es-AR"))["id"]
    person = Person(user, "es", "AR", "ARS")
    world.chatters.append(person)

    async def step(kind: str, act, found) -> dict:  # noqa: ANN001
        for _ in range(3):
            replayable.append((kind, await act()))
            reply = await until(client, user, lambda m: found(m) or m.get("text") in UNAVAILABLE)
            if reply.get("text") not in UNAVAILABLE:
                return reply
        raise TimeoutError(f"step still unavailable: {found}")

    def press(message: dict, label: str):  # noqa: ANN202
        return lambda: client.press_button(user, message["message_id"], text=label)

    def write(words: str):  # noqa: ANN202
        return lambda: client.send_text(user, words)

    card = await step("message", write("busco un suéter de lana de Noruega"),
                      lambda m: "🛒 Añadir al carrito" in labels(m))
    cart = await step("query", press(card, "🛒 Añadir al carrito"), lambda m: "✅ Pagar" in labels(m))
    await step("query", press(cart, "✅ Pagar"), lambda m: m.get("text") == "¿A qué país lo enviamos?")
    await step("message", write("Argentina"), lambda m: (m.get("text") or "").startswith("¿Y la dirección completa"))
    invoice = await step("message", write("Av. Corrientes 1234, C1043 Buenos Aires"), lambda m: "invoice" in m)
    order_id = int("".join(c for c in invoice["invoice"]["title"] if c.isdigit()))
    world.ledger.orders[order_id] = person
    paid = await client.pay_invoice(user, invoice["message_id"])
    assert paid["status"] == "paid", paid
    world.ledger.paid[order_id] = paid["message"]
    replayable.extend([("query", paid["pre_checkout_query_id"]), ("message", paid["message"])])


async def demo_sellers_open_chats(world: World) -> None:
    """The demo catalog's sellers (whose products Rasa finds) get their alerts: they started the bot too;
    and their stock is topped up, so concurrent chats never run out of the sweater they find."""
    restock(world)
    for shop in (await world.api.get("/shops")).raise_for_status().json():
        if shop["owner_telegram_id"] in {s.user_id for s in world.sellers}:
            continue
        try:
            await world.client.send_command(shop["owner_telegram_id"], "mydata")
        except SandboxError:  # not a person of the emulator's demo world
            continue
        world.sellers.append(Person(shop["owner_telegram_id"], shop["language"], shop["country"], shop["currency"]))
    await asyncio.sleep(2)


async def resend_all(world: World, replayable: list[tuple[str, object]], rng: random.Random) -> None:
    """Each update again with its own update_id (a webhook retry, an unconfirmed poll) and under a new
    one (Telegram delivering the same event twice), in a shuffled order, as fast as the emulator takes them."""
    copies = [(kind, item, same) for kind, item in replayable for same in (True, False)]
    rng.shuffle(copies)
    for kind, item, same in copies:
        if kind == "message":
            await world.client.resend_update(message=item, same_id=same)
        else:
            await world.client.resend_update(query=str(item), same_id=same)


async def drained(world: World, *, timeout: float) -> None:
    """Until the bot has fetched every update (then a moment for the handlers to finish)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = await world.client.state()
        if all(b["pending_updates"] == 0 for b in state["bots"]):
            break
        await asyncio.sleep(0.5)
    await asyncio.sleep(5)


async def accept_some(world: World, orders: list[int], replayable: list[tuple[str, object]]) -> None:
    """The sellers press Accept on some of their order cards."""
    found = await seen(world)
    cards = {}
    for seller in world.sellers:
        for message in await world.client.bot_messages(seller.user_id):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button.get("callback_data", "").startswith("sa:"):
                        cards[int(button["callback_data"][3:])] = (seller, message)
    for order in orders:
        if order in cards and found.alerts[order]:
            seller, message = cards[order]
            replayable.append(("query", await world.client.press_button(seller.user_id, message["message_id"],
                                                                        data=f"sa:{order}")))


async def scenario_replay(world: World, n: int) -> Verdict:
    verdict = Verdict(f"(a) replay {n:,} updates twice")
    rng, replayable = random.Random(1), []
    journeys = max(2, min(25, n // 40))
    accepts = max(2, n // 20)
    verdict.tried(f"{journeys} buyers chat through Rasa to a paid order (search, buttons, form, payment)")
    await demo_sellers_open_chats(world)
    gate = asyncio.Semaphore(2)

    async def guarded(i: int) -> None:
        async with gate:
            try:
                await journey(world, i, replayable)
            except (TimeoutError, AssertionError) as exc:
                verdict.check(False, f"Rasa journey {i} did not complete before any replay: {exc!r}")

    await asyncio.gather(*(guarded(i) for i in range(journeys)))
    payments = max(1, n - len(replayable) - accepts)
    verdict.tried(f"{payments} orders placed through the API and paid in the emulator")
    before = set(world.ledger.paid)
    await load(world, payments, concurrency=8, buyers=world.buyers, progress="payments")
    paid_here = [o for o in world.ledger.paid if o not in before]
    replayable += [("message", world.ledger.paid[o]) for o in paid_here]
    await settle(world, timeout=LEASE * 3 + n / 10, say=say)
    accepted = rng.sample(paid_here, min(accepts, len(paid_here)))
    await accept_some(world, accepted, replayable)
    await drained(world, timeout=60)
    await settle(world, timeout=LEASE * 3, say=say)
    first = stored(world)
    kinds = {k: sum(1 for kind, item in replayable if kind == k) for k in ("message", "query")}
    verdict.tried(f"replaying {len(replayable):,} updates ({kinds['message']:,} messages incl. payments, "
                  f"{kinds['query']:,} button presses / pre-checkouts) twice each = {2 * len(replayable):,} copies")
    began = time.monotonic()
    await resend_all(world, replayable, rng)
    await drained(world, timeout=120)
    await settle(world, timeout=LEASE * 3 + n / 10, say=say)
    say(f"  replayed and settled in {time.monotonic() - began:.1f} s")
    db, chats = stored(world), await seen(world)
    all_paid = list(world.ledger.paid)
    verdict.check(all(db["pays"][o] == 1 for o in all_paid) and max(db["pays"].values(), default=0) <= 1,
                  f"{len(all_paid):,} paid orders, each with exactly one payment "
                  f"(orders with 2+: {sum(1 for c in db['pays'].values() if c > 1)})")
    verdict.check(db["charges"][0] == db["charges"][1], f"{db['charges'][0]:,} charge ids stored, all distinct")
    dup_receipts = sum(1 for o in all_paid if chats.receipts[o] > 1)
    dup_alerts = sum(1 for o in all_paid if chats.alerts[o] > 1)
    missing = sum(1 for o in all_paid if chats.receipts[o] == 0 or chats.alerts[o] == 0)
    verdict.check(dup_receipts == 0 and dup_alerts == 0 and missing == 0,
                  f"receipts and seller alerts exactly once per order (twice: {dup_receipts} receipts, "
                  f"{dup_alerts} alerts; missing: {missing})")
    verdict.check(all(db["accepts"][o] == 1 and chats.accepted[o] == 1 for o in accepted),
                  f"{len(accepted)} accepted orders: one accept each, the buyer told once "
                  f"(told twice: {sum(1 for o in accepted if chats.accepted[o] > 1)}, "
                  f"accept logged twice: {sum(1 for o in accepted if db['accepts'][o] > 1)})")
    load_buyers = {b.user_id for b in world.buyers}
    placed = sum(1 for buyer in world.ledger.orders.values() if buyer.user_id in load_buyers)
    in_db = sum(1 for owner in db["owner"].values() if owner in load_buyers)
    verdict.check(in_db == placed, f"{in_db:,} orders in the database for the paying buyers, {placed:,} placed")
    extra = {o for o, owner in db["owner"].items() if owner in {p.user_id for p in world.chatters}
             and o not in world.ledger.orders}
    verdict.check(not any(db["status"][o] != "pending_payment" for o in extra),
                  f"Rasa buyers: {len(extra)} more orders after the replay, none paid"
                  + (" (a replayed add-to-cart + pay + address, under new update ids, is a new checkout)"
                     if extra else ""))
    changed = sum(1 for o, s in first["status"].items() if db["status"].get(o) != s)
    verdict.check(changed == 0, f"order states unchanged by the replay ({changed} changed)")
    return verdict


async def chatter(world: World, people: list[Person], stop: asyncio.Event, log: list[tuple[float, str]]) -> None:
    """People keep asking Rasa for a product while the load runs; each answer's delay is logged."""
    turn = 0
    while not stop.is_set():
        person = people[turn % len(people)]
        turn += 1
        sent = await world.client.send_text(person.user_id, "busco un suéter de lana")
        began = time.monotonic()
        try:
            reply = await world.client.wait_for_message(person.user_id, timeout=15, after=sent["message_id"])
            log.append((time.monotonic() - began, reply.get("text") or reply.get("caption") or ""))
        except TimeoutError:
            log.append((float("inf"), ""))
        try:
            await asyncio.wait_for(stop.wait(), 2)
        except TimeoutError:
            pass


async def scenario_kill(world: World, n: int) -> Verdict:
    verdict = Verdict(f"(b) SIGKILL each process in turn during {n:,} orders")
    targets = ["bot", "api", "actions", "rasa"]  # Rasa last: loading its model takes longest
    marks = [int(n * (i + 1) / (len(targets) + 1)) for i in range(len(targets))]
    before, stop, talk = set(world.ledger.paid), asyncio.Event(), []
    declined, timeouts = world.ledger.declined, world.ledger.timeouts
    verdict.tried(f"{n:,} orders paid by {min(8, len(world.buyers))} buyers at a time; SIGKILL + restart of "
                  + ", ".join(f"{t} after {m:,}" for t, m in zip(targets, marks)) + "; people chat meanwhile")
    talkers = [Person((await world.client.create_user(f"Chat {i}", None, "es"))["id"], "es", "AR", "ARS")
               for i in range(3)]
    world.chatters += talkers
    outages: list[str] = []
    killed_at: dict[str, datetime] = {}

    async def chaos() -> None:
        for target, mark in zip(targets, marks):
            while len(world.ledger.paid) - len(before) < mark:
                await asyncio.sleep(0.2)
            pid = world.stack.kill(target)
            began = time.monotonic()
            killed_at[target] = datetime.now(UTC).replace(tzinfo=None)
            say(f"  SIGKILL {target} (pid {pid}) after {len(world.ledger.paid) - len(before):,} paid orders")
            await asyncio.to_thread(world.stack.restart, target)
            outages.append(f"{target} {time.monotonic() - began:.1f} s")
            say(f"  {target} answering again after {time.monotonic() - began:.1f} s")

    talking = asyncio.create_task(chatter(world, talkers, stop, talk))
    began = time.monotonic()
    await asyncio.gather(load(world, n, concurrency=8, buyers=world.buyers, progress="load"), chaos())
    stop.set()
    await talking
    say(f"  load done in {time.monotonic() - began:.1f} s; waiting for the outbox")
    await settle(world, timeout=LEASE * 4 + n / 10, say=say)
    db, chats = stored(world), await seen(world)
    paid_here = [o for o in world.ledger.paid if o not in before]
    verdict.tried(f"outages (kill to answering again): {', '.join(outages)}; "
                  f"pre-checkouts refused or unanswered meanwhile: {world.ledger.declined - declined} / "
                  f"{world.ledger.timeouts - timeouts}, requests retried: {world.ledger.retries}")
    lost = [o for o in paid_here if db["status"].get(o) == "pending_payment"]
    verdict.check(not lost, f"{len(paid_here):,} payments Telegram took, {len(paid_here) - len(lost):,} recorded "
                            f"(lost: {len(lost)}{' ' + str(lost[:10]) if lost else ''})")
    verdict.check(max(db["pays"].values(), default=0) <= 1, "no order paid twice")
    phantom = [o for o, chat in chats.receipt_owner.items()
               if o not in db["status"] or db["status"][o] == "pending_payment" or db["owner"].get(o) != chat]
    verdict.check(not phantom, f"{len(chats.receipt_owner):,} receipts buyers saw, each for a paid order of theirs "
                               f"(not: {len(phantom)})")
    missing = [o for o in paid_here if o not in lost and (chats.receipts[o] == 0 or chats.alerts[o] == 0)]
    verdict.check(not missing, f"receipt and seller alert arrived for every recorded order (missing: {len(missing)})")
    twice = [o for o in paid_here if chats.receipts[o] > 1 or chats.alerts[o] > 1]
    window = in_flight_at(world, twice, killed_at.get("bot"))
    verdict.check(len(twice) == len(window), f"no receipt or alert twice, except as below (twice: {len(twice)})")
    if window:
        say(f"  KNOWN LIMIT: {len(window)} order(s) {window[:5]} told twice: their message was in flight when the "
            "bot was SIGKILLed (Telegram had it, the marketplace not yet); delivery is at-least-once there")
    answered = [d for d, _ in talk if d != float("inf")]
    verdict.tried(f"chat during the load: {len(talk)} messages, {len(answered)} answered "
                  f"(median {sorted(answered)[len(answered) // 2] if answered else 0:.1f} s)")
    alive = [name for name, p in world.stack.processes.items() if p.poll() is not None]
    verdict.check(not alive, "every process running at the end" + (f" (down: {alive})" if alive else ""))
    return verdict


def in_flight_at(world: World, orders: list[int], moment: datetime | None) -> list[int]:
    """Of `orders`, those whose order.paid outbox row was written before `moment` and delivered after it
    (claimed by the process killed then, and sent again when its lease ran out)."""
    if not orders or moment is None:
        return []
    engine = world.database()
    with engine.connect() as db:
        rows = db.execute(text("SELECT json_extract(payload, '$.order_id'), created_at, delivered_at FROM outbox "
                               "WHERE topic = 'order.paid' AND attempts > 1")).all()
    engine.dispose()
    spans = {order: (datetime.fromisoformat(str(made)), datetime.fromisoformat(str(done)))
             for order, made, done in rows if done is not None}
    return [o for o in orders if o in spans and spans[o][0] <= moment <= spans[o][1]]


async def run(n: int, scenarios: list[str], folder: Path) -> list[Verdict]:
    """Start the stack, build the world, run the chosen scenarios."""
    with StandInTranslator() as translator:
        say(f"starting the stack in {folder} (emulator, marketplace API, actions, Rasa, bot)")
        stack: Stack = await asyncio.to_thread(start_stack, folder, translator_url=translator.url, env=STACK_ENV)
        try:
            async with SandboxClient(stack.urls["emulator"]) as client:
                world = await build_world(stack, client, sellers=max(4, n // 25), buyers=max(8, n // 10), say=say)
                try:
                    verdicts = []
                    if "replay" in scenarios:
                        verdicts.append(await scenario_replay(world, n))
                    if "kill" in scenarios:
                        verdicts.append(await scenario_kill(world, n))
                    if "outage" in scenarios:
                        verdicts.append(await scenario_outage(world, translator, Verdict, say))
                finally:
                    await close_world(world)
        finally:
            stack.stop()
    return verdicts


def summary(verdicts: list[Verdict]) -> int:
    say("\n=== summary")
    for verdict in verdicts:
        say(f"  {verdict.title}: {'OK' if not verdict.violations else f'{len(verdict.violations)} violation(s)'}")
        for line in verdict.violations:
            say(f"    - {line}")
    return 1 if any(v.violations for v in verdicts) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000, help="updates to replay / orders in the kill load")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="replay, kill, outage (comma-separated)")
    parser.add_argument("--keep", action="store_true", help="keep the processes' logs and database afterwards")
    args = parser.parse_args()
    chosen = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    if unknown := set(chosen) - set(SCENARIOS):
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if args.keep:
        folder = tempfile.mkdtemp(prefix="tradewind-reliability-")
        return summary(asyncio.run(run(args.orders, chosen, Path(folder))))
    with tempfile.TemporaryDirectory(prefix="tradewind-reliability-") as folder:
        return summary(asyncio.run(run(args.orders, chosen, Path(folder))))


if __name__ == "__main__":
    raise SystemExit(main())
