"""The whole buyer journey in Norwegian and Chinese, through every real process.

Search → card → cart → checkout form → quote with duties → invoice → a tampered payment refused →
payment → the same payment delivered twice by Telegram → shipped → status → delivery confirmed →
review; and a paid order cancelled before shipping, refunded. The expected sentences come from the
same text tables the bot and the actions use, in the buyer's language.
"""

from __future__ import annotations

import pytest

from actions.texts import say
from bot.texts import text
from sandbox.client import SandboxClient
from tests.e2e.chat import api, labels, until
from tests.e2e.stack import Stack

JOURNEYS = [
    # telegram language_code, conversation language, search, destination, address, status question
    ("nb-NO", "nb", "jeg ser etter en genser i ull", "Spania", "Calle Mayor 5, 28013 Madrid",
     "hvor er bestillingen min?"),
    ("zh-CN", "zh", "我想买羊毛毛衣", "德国", "Hauptstraße 5, 10115 Berlin", "我的订单到哪了？"),
]





async def buy_and_pay(client: SandboxClient, stack: Stack, user: int, lang: str, query: str, country: str,
                      address: str) -> tuple[int, dict]:
    """Find a wool sweater, put it in the cart, fill the checkout form, survive a tampered payment, pay."""
    await client.send_text(user, query)
    card = await until(client, user, lambda m: bool(m.get("photo")))
    await client.press_button(user, card["message_id"], text=say("add_to_cart", lang))
    cart = await until(client, user, lambda m: say("checkout", lang) in labels(m))
    await client.press_button(user, cart["message_id"], text=say("checkout", lang))
    assert (await until(client, user, lambda m: "text" in m))["text"] == say("ask_country", lang)
    await client.send_text(user, country)
    await until(client, user, lambda m: m.get("text", "").startswith(say("ask_address", lang)[:8]))
    await client.send_text(user, address)
    quote = await until(client, user, lambda m: "text" in m)
    assert say("landed", lang, total="")[:4] in quote["text"], quote["text"]
    invoice = await until(client, user, lambda m: "invoice" in m)
    minor = invoice["invoice"]["total_amount"]

    tampered = await client.pay_invoice(user, invoice["message_id"], total_amount=minor // 10)
    assert tampered["status"] == "declined" and tampered["error_message"], tampered
    paid = await client.pay_invoice(user, invoice["message_id"])
    assert paid["status"] == "paid"
    async with api(stack) as marketplace:
        orders = (await marketplace.get(f"/customers/{user}/orders")).json()
    order_id = max(o["id"] for o in orders)
    receipt = await until(client, user, lambda m: "text" in m)
    assert receipt["text"] == text("paid", lang).format(order=order_id)
    return order_id, paid


@pytest.mark.parametrize(("language_code", "lang", "query", "country", "address", "where"), JOURNEYS)
async def test_whole_journey(stack: Stack, language_code: str, lang: str, query: str, country: str,
                             address: str, where: str) -> None:
    async with SandboxClient(stack.urls["emulator"]) as client:
        user = (await client.create_user(f"Journey {lang}", None, language_code))["id"]
        order_id, paid = await buy_and_pay(client, stack, user, lang, query, country, address)

        await client.resend_update(message=paid["message"])  # Telegram delivers the payment again
        async with api(stack) as marketplace:
            shop = (await marketplace.get(f"/orders/{order_id}")).json()["shop_id"]
            owner = (await marketplace.get(f"/shops/{shop}")).json()["owner_telegram_id"]
            shipped = await marketplace.post(f"/orders/{order_id}/actions", json={
                "action": "ship", "actor": f"seller:{owner}", "carrier": "Posten", "tracking_number": "LA99NO"})
            assert shipped.json()["status"] == "shipped", shipped.text
        notice = await until(client, user, lambda m: "LA99NO" in m.get("text", ""))  # from the outbox
        assert notice["text"].startswith("🚚 ") and f"#{order_id}" in notice["text"]

        await client.send_text(user, where)
        status = await until(client, user, lambda m: f"#{order_id}" in m.get("text", ""))
        assert "LA99NO" in status["text"]
        await client.press_button(user, status["message_id"], text=say("arrived", lang, id=order_id))
        thanks = await until(client, user, lambda m: "★★★★★" in labels(m))
        assert thanks["text"] == say("thanks_delivery", lang, id=order_id)
        await client.press_button(user, thanks["message_id"], text="★★★★")
        reviewed = await until(client, user, lambda m: "text" in m)
        assert reviewed["text"] == say("reviewed", lang, stars=4)

        receipts = [m for m in await client.bot_messages(user)
                    if m.get("text") == text("paid", lang).format(order=order_id)]
        assert len(receipts) == 1  # the repeated payment update was recognised
        async with api(stack) as marketplace:
            order = (await marketplace.get(f"/orders/{order_id}")).json()
        assert order["status"] == "completed"
        assert [e["event"] for e in order["events"]].count("pay") == 1
        assert order["events"][-2]["actor"] == f"buyer:{user}"


async def test_paid_order_cancelled_before_shipping_is_refunded(stack: Stack) -> None:
    lang, (language_code, _, query, country, address, where) = "zh", JOURNEYS[1]
    async with SandboxClient(stack.urls["emulator"]) as client:
        user = (await client.create_user("Cancel zh", None, language_code))["id"]
        order_id, _ = await buy_and_pay(client, stack, user, lang, query, country, address)
        await client.send_text(user, where)
        status = await until(client, user, lambda m: f"#{order_id}" in m.get("text", ""))
        await client.press_button(user, status["message_id"], text=say("cancel", lang, id=order_id))
        cancelled = await until(client, user, lambda m: f"#{order_id}" in m.get("text", ""))
        assert cancelled["text"].startswith(say("cancelled", lang, id=order_id, refund=""))
        assert "退还" in cancelled["text"]
        async with api(stack) as marketplace:
            order = (await marketplace.get(f"/orders/{order_id}")).json()
        assert order["status"] == "cancelled"
        assert order["events"][-1]["actor"] == f"buyer:{user}" and order["events"][-1]["data"]["refund"]
