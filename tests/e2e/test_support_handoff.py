"""Support handoff through every real process: Rasa understands the dispute, the action opens the
handoff, the bot opens a topic in the demo world's staff forum, staff (Sam, writing English) and the
Spanish buyer talk through the translation stand-in, staff refund and hand back, the buyer rates and
the bot answers again. Also: repeated misunderstandings hand over; strangers get nothing from staff
commands."""

from __future__ import annotations

import asyncio
from decimal import Decimal


from sandbox.client import SandboxClient
from tests.e2e.chat import api, labels, until
from tests.e2e.stack import Stack
from tradewind.demo_world import STAFF_GROUP_ID

SAM = 600001  # staff in the demo world's forum



async def shipped_order(stack: Stack, buyer: int) -> int:
    """A Bergen sweater bought by `buyer` (Spanish, in Argentina), paid and shipped."""
    async with api(stack) as market:
        assert (await market.put(f"/customers/{buyer}", json={"language": "es", "country": "AR",
                                                              "currency": "ARS"})).status_code == 200
        found = (await market.get("/search", params={"q": "genser", "lang": "nb"})).json()["items"][0]
        await market.post(f"/customers/{buyer}/cart/items", json={"product_id": found["id"], "quantity": 1})
        [order] = (await market.post(f"/customers/{buyer}/checkout", json={
            "shipping_country": "AR", "shipping_address": "Av. Corrientes 1234, CABA"})).json()
        paid = await market.post(f"/orders/{order['id']}/payments", json={
            "amount": str(Decimal(order["total"])), "currency": order["currency"], "charge_id": f"e2e-{buyer}"})
        assert paid.status_code == 201, paid.text
        owner = (await market.get(f"/shops/{order['shop_id']}")).json()["owner_telegram_id"]
        shipped = await market.post(f"/orders/{order['id']}/actions", json={
            "action": "ship", "actor": f"seller:{owner}", "carrier": "Posten", "tracking_number": "LA7NO"})
        assert shipped.json()["status"] == "shipped", shipped.text
        return order["id"]


async def topic_named(client: SandboxClient, needle: str, timeout: float = 25) -> dict:
    """The staff forum topic whose name contains `needle`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        for group in (await client.state())["groups"]:
            if group["chat"]["id"] == STAFF_GROUP_ID:
                for topic in group["topics"]:
                    if needle in topic["name"]:
                        return topic
        await asyncio.sleep(0.2)
    raise AssertionError(f"no topic named like {needle!r}")


async def in_topic(client: SandboxClient, thread: int, needle: str, timeout: float = 20) -> dict:
    """The first message in the topic that contains `needle`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        for message in await client.messages(STAFF_GROUP_ID, thread_id=thread):
            if needle in (message.get("text") or message.get("caption") or ""):
                return message
        await asyncio.sleep(0.2)
    raise AssertionError(f"nothing with {needle!r} in topic {thread}")



async def test_spanish_dispute_handled_by_english_staff(stack: Stack) -> None:
    async with SandboxClient(stack.urls["emulator"]) as client:
        buyer = (await client.create_user("Lucía", "lucia_support", "es-AR"))["id"]
        order_id = await shipped_order(stack, buyer)

        await client.send_text(buyer, f"el paquete del pedido {order_id} llegó roto, quiero un reembolso")
        await until(client, buyer, lambda m: "Eres el número" in m.get("text", ""))  # queue position
        topic = await topic_named(client, f"dispute on order {order_id}")
        thread = topic["message_thread_id"]
        await in_topic(client, thread, "Why: dispute on order")

        await client.send_command(SAM, "claim", chat_id=STAFF_GROUP_ID, thread_id=thread)
        await until(client, buyer, lambda m: "Sam" in m.get("text", ""))
        await client.send_text(SAM, "Sorry about that, refunding you now.", chat_id=STAFF_GROUP_ID, thread_id=thread)
        # (the order's "shipped" notice comes through the outbox, paced per chat: it may arrive in between)
        reply = await until(client, buyer, lambda m: "Sorry about that" in m.get("text", ""), timeout=20)
        assert "[es] Sorry about that, refunding you now." in reply["text"]  # translated, original kept
        assert "Original (en): Sorry about that, refunding you now." in reply["text"]
        await client.send_text(buyer, "vale, muchas gracias")
        await in_topic(client, thread, "[en] vale, muchas gracias")

        await client.send_command(SAM, "refund", str(order_id), chat_id=STAFF_GROUP_ID, thread_id=thread)
        await in_topic(client, thread, f"Order #{order_id} refunded")
        await client.send_command(SAM, "done", chat_id=STAFF_GROUP_ID, thread_id=thread)
        closed = await until(client, buyer, lambda m: bool(m.get("reply_markup")))
        stars = [b["callback_data"] for row in closed["reply_markup"]["inline_keyboard"] for b in row]
        await client.press_button(buyer, closed["message_id"], data=stars[-1])

        async with api(stack) as market:
            order = (await market.get(f"/orders/{order_id}")).json()
            active = await market.get("/handoffs/active", params={"telegram_user_id": buyer})
        assert order["status"] == "refunded" and order["events"][-1]["actor"] == f"staff:{SAM}"
        assert active.status_code == 404  # handed back

        await client.send_text(buyer, "hola")  # the bot has the conversation again
        hello = await until(client, buyer, lambda m: "text" in m and m["message_id"] > closed["message_id"])
        assert "soporte" not in hello["text"]


async def test_repeated_misunderstandings_hand_over_and_strangers_cannot_refund(stack: Stack) -> None:
    async with SandboxClient(stack.urls["emulator"]) as client:
        person = (await client.create_user("Confused", None, "en"))["id"]
        waiting = "colleague from support will answer you here"
        for _ in range(4):
            await client.send_text(person, "qwx zzkv plomf trrg")
            answer = await client.wait_for_message(person, timeout=20)
            if labels(answer) == ["Yes", "No"]:  # "Did you mean …?" — no
                await client.press_button(person, answer["message_id"], text="No")
                await client.wait_for_message(person, timeout=20)
            await asyncio.sleep(1.5)
            if any(waiting in (m.get("text") or "") for m in await client.bot_messages(person)):
                break
        else:
            raise AssertionError("four misunderstandings in a row never reached a human")
        topic = await topic_named(client, "Confused")
        assert "bot could not help" in topic["name"]

        stranger_order = await shipped_order(stack, (await client.create_user("Nadie", None, "es"))["id"])
        await client.send_command(person, "refund", str(stranger_order))
        await asyncio.sleep(2)
        async with api(stack) as market:
            assert (await market.get(f"/orders/{stranger_order}")).json()["status"] == "shipped"
