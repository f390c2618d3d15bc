"""Scenario (c) of bench/reliability.py: a neighbour of the bot down or hanging.

Rasa and the marketplace API are SIGKILLed (down) or SIGSTOPped (slow: the port is open, nothing
answers); the translation provider stand-in answers 503 (down) or sleeps past the marketplace's
timeout (slow). Each time a person writes, the time to the bot's first message is measured and that
message must be a clear one ("try again in a moment", or the message delivered untranslated with a
note) within 5 s. Then the service comes back and the same bot process must work normally again.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable

from bench.reliability_world import NEW_ORDER, UNAVAILABLE, Person, World, buy, settle
from bot.relay_texts import TEXTS as RELAY_TEXTS
from sandbox.client import SandboxClient
from tests.translation_server import StandInTranslator

PROMISE = 5.0  # seconds to a clear message
NOT_TRANSLATED = RELAY_TEXTS["not_translated"]["es"]


async def ask(world: World, person: int, words: str = "busco un suéter de lana") -> tuple[float, str]:
    """Write to the bot; (seconds to its first message, that message's text)."""
    sent = await world.client.send_text(person, words)
    began = time.monotonic()
    try:
        reply = await world.client.wait_for_message(person, timeout=20, after=sent["message_id"])
    except TimeoutError:
        return float("inf"), ""
    return time.monotonic() - began, reply.get("text") or reply.get("caption") or ""


async def settle_chat(world: World, person: int) -> None:
    """Let the answers to earlier messages arrive, so the next one is measured on its own."""
    while True:
        try:
            await world.client.wait_for_message(person, timeout=3)
        except TimeoutError:
            return


async def recovered(probe: Callable, ok: Callable[[str], bool], *, timeout: float) -> float | None:
    """Seconds until `probe()` gives an answer `ok` accepts, or None."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        _, answer = await probe()
        if ok(answer):
            return time.monotonic() - began
        await asyncio.sleep(1)
    return None


class Relay:
    """A Norwegian seller writes to a Spanish buyer about a paid order through the bot (the marketplace
    translates with the provider stand-in)."""

    def __init__(self, world: World, order: int, seller: Person, buyer: Person) -> None:
        self.world, self.order, self.seller, self.buyer, self.round = world, order, seller, buyer, 0

    @classmethod
    async def open(cls, world: World, say) -> Relay:  # noqa: ANN001
        """An order from a Spanish buyer to a shop in another language, paid and alerted."""
        buyer = next(b for b in world.buyers if b.language == "es")
        product, seller = next((p, s) for p, s in world.products if s.language != "es")
        order = await buy(world, buyer, random.Random(3), product)
        await settle(world, timeout=60, say=say)
        return cls(world, order, seller, buyer)

    async def card(self) -> dict:
        for message in await self.world.client.bot_messages(self.seller.user_id):
            match = NEW_ORDER[self.seller.language].match(message.get("text") or "")
            if match and int(match.group(1)) == self.order:
                return message
        raise LookupError(f"no alert for order {self.order}")

    async def send(self) -> tuple[float, str]:
        """Open the thread from the order card, reply to the prompt; (seconds to the buyer's message, its text)."""
        client, seller, buyer = self.world.client, self.seller.user_id, self.buyer.user_id
        self.round += 1
        before = max([m["message_id"] for m in await client.bot_messages(seller)] or [0])
        await client.press_button(seller, (await self.card())["message_id"], data=f"sm:{self.order}")
        prompt = await next_in(client, seller, before, lambda m: (m.get("text") or "").startswith("✍️"))
        last = max([m["message_id"] for m in await client.bot_messages(buyer)] or [0])
        await client.send_text(seller, f"Pakken sendes i morgen, runde {self.round}.", reply_to=prompt["message_id"])
        began = time.monotonic()
        try:
            relayed = await client.wait_for_message(buyer, timeout=20, after=last)
        except TimeoutError:
            return float("inf"), ""
        took = time.monotonic() - began
        confirmation = RELAY_TEXTS["sent_to_buyer"][self.seller.language]
        await next_in(client, seller, prompt["message_id"], lambda m: m.get("text") == confirmation)
        return took, relayed.get("text") or ""


async def next_in(client: SandboxClient, chat: int, after: int, found: Callable[[dict], bool],
                  timeout: float = 20) -> dict:
    """The first bot message in `chat` after message `after` that `found` accepts."""
    while not found(message := await client.wait_for_message(chat, timeout=timeout, after=after)):
        after = message["message_id"]
    return message


async def scenario_outage(world: World, translator: StandInTranslator, verdict_type, say) -> object:  # noqa: ANN001
    verdict = verdict_type("(c) a service down or slow: a clear message within 5 s, recovery without a restart")
    person = (await world.client.create_user("Paula", "paula_outage", "es"))["id"]
    bot_pid = world.stack.processes["bot"].pid
    probe = lambda: ask(world, person)  # noqa: E731
    answered = lambda text: bool(text) and text not in UNAVAILABLE  # noqa: E731
    stack = world.stack
    for service, mode in (("rasa", "down"), ("rasa", "slow"), ("api", "down"), ("api", "slow")):
        await settle_chat(world, person)
        verdict.tried(f"{service} {mode}: a person asks for a product")
        if mode == "down":
            stack.kill(service)
        else:
            stack.pause(service)
        try:
            took, text = await ask(world, person)
        finally:
            began = time.monotonic()
            if mode == "down":
                await asyncio.to_thread(stack.restart, service)
            else:
                stack.resume(service)
            back = time.monotonic() - began
        verdict.check(took < PROMISE and text in UNAVAILABLE,
                      f"{service} {mode}: answered in {took:.2f} s with {text!r}")
        await settle_chat(world, person)
        again = await recovered(probe, answered, timeout=60)
        verdict.check(again is not None, f"{service} back ({'restarted' if mode == 'down' else 'resumed'} in "
                                         f"{back:.1f} s): normal answers again after "
                                         f"{'never' if again is None else f'{again:.1f} s'}")
    relay = await Relay.open(world, say)
    for mode in ("slow", "down"):
        verdict.tried(f"translation provider {mode}: a Norwegian seller writes to a Spanish buyer (order "
                      f"#{relay.order})")
        translator.delay, translator.status = (10.0, 200) if mode == "slow" else (0.0, 503)
        try:
            took, text = await relay.send()
        finally:
            translator.delay, translator.status = 0.0, 200
        verdict.check(took < PROMISE and NOT_TRANSLATED in text,
                      f"translation {mode}: the buyer got the original with a note in {took:.2f} s")
        again = await recovered(relay.send, lambda text: "[es] " in text, timeout=60)
        verdict.check(again is not None, f"translation provider back: messages translated again after "
                                         f"{'never' if again is None else f'{again:.1f} s'}")
    verdict.check(stack.processes["bot"].pid == bot_pid and stack.processes["bot"].poll() is None,
                  "the same bot process throughout (never restarted)")
    return verdict
