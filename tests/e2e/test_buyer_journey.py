"""A buyer in Argentina finds a Norwegian sweater in Spanish, adds it, checks out and pays."""

from __future__ import annotations

import httpx

from sandbox.client import SandboxClient
from tests.e2e.stack import SERVICE_TOKEN, Stack


async def next_from_bot(client: SandboxClient, user: int, timeout: float = 20) -> dict:
    return await client.wait_for_message(user, timeout=timeout)


async def press(client: SandboxClient, user: int, message: dict, label: str) -> None:
    await client.press_button(user, message["message_id"], text=label)


async def test_spanish_buyer_searches_adds_checks_out_and_pays(stack: Stack) -> None:
    async with SandboxClient(stack.urls["emulator"]) as client:
        user = (await client.create_user("Lucía", "lucia_ar", "es-AR"))["id"]
        await client.send_text(user, "busco un suéter de lana de Noruega")
        card = await next_from_bot(client, user)
        assert card["photo"] and "Suéter" in card["caption"] and "NOK" in card["caption"]
        rows = [[b["text"] for b in row] for row in card["reply_markup"]["inline_keyboard"]]
        assert rows[:3] == [["🛒 Añadir al carrito"], ["💬 Preguntar al vendedor"], ["🔎 Más como este"]]
        assert "1 de " in card["caption"] and "para «" in card["caption"]  # one card; ◀ ▶ browse the others
        await press(client, user, card, "🛒 Añadir al carrito")
        added = await next_from_bot(client, user)
        assert added["text"].startswith("Añadí 1 × ")
        cart = await next_from_bot(client, user)
        assert "Total: $" in cart["text"]
        await press(client, user, cart, "✅ Pagar")
        assert (await next_from_bot(client, user))["text"] == "¿A qué país lo enviamos?"
        await client.send_text(user, "Argentina")
        assert (await next_from_bot(client, user))["text"].startswith("¿Y la dirección completa")
        await client.send_text(user, "Av. Corrientes 1234, C1043 Buenos Aires")
        quote = await next_from_bot(client, user)
        assert "envío" in quote["text"] and "En total, unos $" in quote["text"]
        invoice = await next_from_bot(client, user)
        assert invoice["invoice"]["currency"] == "NOK"
        paid = await client.pay_invoice(user, invoice["message_id"])
        assert paid["status"] == "paid"
        receipt = await next_from_bot(client, user)
        assert receipt["text"].startswith("Pago recibido para el pedido #")
        order_id = int(receipt["text"].split("#")[1].split(".")[0])

        # the seller ships (seller tools come with the seller assistant; here, the API directly)
        async with httpx.AsyncClient(base_url=stack.urls["api"],
                                     headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}) as api:
            shipped = await api.post(f"/orders/{order_id}/actions", json={
                "action": "ship", "actor": "seller:900001", "carrier": "Posten", "tracking_number": "LA123456789NO"})
            assert shipped.json()["status"] == "shipped"
        notice = await next_from_bot(client, user)  # the outbox tells the buyer, in her language
        assert notice["text"].startswith(f"🚚 ¡El pedido #{order_id} está en camino! Transportista: Posten. "
                                         "Número de seguimiento: LA123456789NO.")

        await client.send_text(user, "donde esta mi pedido?")
        status = await next_from_bot(client, user)
        assert f"#{order_id}" in status["text"] and "LA123456789NO" in status["text"]
        await press(client, user, status, f"#{order_id} llegó")
        thanks = await next_from_bot(client, user)
        assert thanks["text"].startswith(f"¡Gracias! El pedido #{order_id} está completo")
        await press(client, user, thanks, "★★★★★")
        # the outbox's "order complete" notice is paced per chat and may land before or after the answer
        answer = await next_from_bot(client, user)
        if answer["text"].startswith(f"✅ El pedido #{order_id} está completo"):
            answer = await next_from_bot(client, user)
        assert answer["text"] == "Gracias por valorar la tienda con 5★."
        async with httpx.AsyncClient(base_url=stack.urls["api"],
                                     headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}) as api:
            order = (await api.get(f"/orders/{order_id}")).json()
        assert order["status"] == "completed"
        assert [e["actor"] for e in order["events"]][-2:] == [f"buyer:{user}", "system"]


async def test_the_card_is_browsed_in_place_with_next_and_previous(stack: Stack) -> None:
    """A search answers with one card; ▶ and ◀ show the other matches in that same message."""
    import asyncio

    async with SandboxClient(stack.urls["emulator"]) as client:
        user = (await client.create_user("Tomás", "tomas_ar", "es-AR"))["id"]
        await client.send_text(user, "busco algo de lana")
        card = await next_from_bot(client, user)
        assert card["photo"] and "\n\n1 de " in card["caption"], card

        async def shown_after(label: str, position: str) -> dict:
            await press(client, user, card, label)
            for _ in range(100):
                [current] = [m for m in await client.bot_messages(user) if m["message_id"] == card["message_id"]]
                if position in current["caption"]:
                    return current
                await asyncio.sleep(0.2)
            raise AssertionError(f"the card never showed {position!r}: {current['caption']!r}")

        second = await shown_after("Siguiente ▶", "\n\n2 de ")
        assert second["caption"].split("\n")[0] != card["caption"].split("\n")[0]  # another product
        rows = [[b["text"] for b in row] for row in second["reply_markup"]["inline_keyboard"]]
        assert rows[-1][0] == "◀ Anterior"
        first = await shown_after("◀ Anterior", "\n\n1 de ")
        assert first["caption"] == card["caption"]
        photos = [m for m in await client.bot_messages(user) if m.get("photo")]
        assert [m["message_id"] for m in photos] == [card["message_id"]]  # no second card in the chat
