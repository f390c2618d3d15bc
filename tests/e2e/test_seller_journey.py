"""A Norwegian seller and a Spanish buyer complete an order through every real process: the paid
order reaches Kari as a Norwegian alert from the outbox, she writes to the buyer (who reads Spanish
through the translation stand-in, original on request) and gets the answer in Norwegian, marks the
order shipped with carrier and tracking number (the buyer is told in Spanish), and asks Rasa how
much she sold this month (a summary and a chart)."""

from __future__ import annotations

import asyncio
from decimal import Decimal


from sandbox.client import SandboxClient
from tests.e2e.chat import api, labels, until
from tests.e2e.stack import Stack

KARI = 900001  # owns the Bergen shop in the demo world; writes Norwegian





async def paid_order_from_kari(stack: Stack, buyer: int) -> int:
    """The buyer (Spanish, Argentina) buys one of Kari's listings and pays."""
    async with api(stack) as market:
        await market.put(f"/customers/{buyer}", json={"language": "es", "country": "AR", "currency": "ARS"})
        items = (await market.get("/search", params={"q": "genser ull", "lang": "nb"})).json()["items"]
        owners = {i["shop"]["id"]: (await market.get(f"/shops/{i['shop']['id']}")).json()["owner_telegram_id"]
                  for i in items}
        product = next(i for i in items if owners[i["shop"]["id"]] == KARI)
        await market.post(f"/customers/{buyer}/cart/items", json={"product_id": product["id"], "quantity": 1})
        [order] = (await market.post(f"/customers/{buyer}/checkout", json={
            "shipping_country": "AR", "shipping_address": "Av. Santa Fe 1860, CABA"})).json()
        paid = await market.post(f"/orders/{order['id']}/payments", json={
            "amount": str(Decimal(order["total"])), "currency": order["currency"], "charge_id": f"seller-e2e-{buyer}"})
        assert paid.status_code == 201, paid.text
        return order["id"]


async def test_norwegian_seller_and_spanish_buyer_complete_an_order(stack: Stack) -> None:
    async with SandboxClient(stack.urls["emulator"]) as client:
        buyer = (await client.create_user("Sofía", "sofia_ar", "es-AR"))["id"]
        await client.send_command(buyer, "start")
        await client.wait_for_message(buyer, timeout=20)
        order_id = await paid_order_from_kari(stack, buyer)

        # the alert comes from the outbox, in Norwegian, with the three buttons
        alert = await until(client, KARI, lambda m: f"#{order_id}" in (m.get("text") or "") and labels(m))
        assert alert["text"].startswith(f"🛒 Ny ordre #{order_id} — betalt")
        assert "Argentina" in alert["text"] and "Av. Santa Fe 1860" in alert["text"]
        assert labels(alert) == ["✅ Godta", "🚚 Merk som sendt", "💬 Skriv til kjøperen"]
        receipt = await until(client, buyer, lambda m: f"#{order_id}" in m.get("text", ""))
        assert receipt["text"].startswith(f"Pago recibido para el pedido #{order_id}")

        # Kari writes in Norwegian; Sofía reads Spanish, with the original a button away
        await client.press_button(KARI, alert["message_id"], text="💬 Skriv til kjøperen")
        prompt = await until(client, KARI, lambda m: f"#{order_id}" in m.get("text", ""))
        await client.send_text(KARI, "Hei! Genseren sendes i morgen.", reply_to=prompt["message_id"])
        relayed = await until(client, buyer, lambda m: "Genseren" in m.get("text", ""))
        assert "[es] Hei! Genseren sendes i morgen." in relayed["text"]
        [show] = labels(relayed)
        await client.press_button(buyer, relayed["message_id"], text=show)
        await asyncio.sleep(1)
        edited = next(m for m in await client.bot_messages(buyer) if m["message_id"] == relayed["message_id"])
        assert edited["text"].count("Hei! Genseren sendes i morgen.") == 2  # translation and original

        # Sofía answers by replying; Kari reads Norwegian
        await client.send_text(buyer, "¡Genial, muchas gracias!", reply_to=relayed["message_id"])
        answer = await until(client, KARI, lambda m: "muchas gracias" in m.get("text", ""))
        assert "[nb] ¡Genial, muchas gracias!" in answer["text"]

        # Kari marks it shipped; Sofía is told in Spanish with the tracking number
        await client.press_button(KARI, alert["message_id"], text="🚚 Merk som sendt")
        ship_prompt = await until(client, KARI, lambda m: m.get("text", "").startswith(f"🚚 #{order_id}"))
        await client.send_text(KARI, "Posten LA555666777NO", reply_to=ship_prompt["message_id"])
        done = await until(client, KARI, lambda m: "LA555666777NO" in m.get("text", ""))
        assert done["text"].startswith(f"✅ Ordre #{order_id} er merket som sendt")
        shipped = await until(client, buyer, lambda m: "LA555666777NO" in m.get("text", ""))
        assert shipped["text"].startswith(f"🚚 ¡El pedido #{order_id} está en camino!")

        # how much did I sell this month? (Rasa → sales action → marketplace, with a chart)
        await client.send_text(KARI, "hvor mye har jeg solgt denne måneden?")
        summary = await until(client, KARI, lambda m: "kr" in (m.get("text") or m.get("caption") or ""))
        chart = summary if summary.get("photo") else await until(client, KARI, lambda m: bool(m.get("photo")))
        assert chart["photo"]

    async with api(stack) as market:
        order = (await market.get(f"/orders/{order_id}")).json()
    assert order["status"] == "shipped"
    assert [e["actor"] for e in order["events"] if e["event"] == "ship"] == [f"seller:{KARI}"]
