"""A seller corrects a listing's title in another language with /translation; others cannot."""

from __future__ import annotations

import httpx

from tests.bot.conftest import Emulator, bot_settings, running_bot
from tests.conftest import SERVICE_TOKEN


async def test_seller_corrects_a_title_and_buyers_search_finds_it(emulator: Emulator, marketplace_url: str) -> None:
    client = emulator.client
    seller = (await client.create_user("Kari", "kari_titles", "nb"))["id"]
    stranger = (await client.create_user("Eve", "eve_titles", "es"))["id"]
    async with httpx.AsyncClient(base_url=marketplace_url, headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}) as api:
        shop = (await api.post("/shops", json={"owner_telegram_id": seller, "name": "Kari Strikk", "country": "NO",
                                               "currency": "NOK", "language": "nb"})).json()
        product = (await api.post(f"/shops/{shop['id']}/products", json={
            "title": "Lusekofte i ull", "description": "Håndstrikket i Bergen", "category": "clothing",
            "price": "1450", "stock": 3}, headers={"X-Acting-User": str(seller)})).json()
        async with running_bot(bot_settings(emulator, marketplace_url=marketplace_url, service_token=SERVICE_TOKEN)):
            await client.send_command(seller, "translation", f"{product['id']} es Chaqueta noruega de lana")
            saved = await client.wait_for_message(seller, timeout=8)
            await client.send_command(stranger, "translation", f"{product['id']} es Gratis")
            refused = await client.wait_for_message(stranger, timeout=8)
            await client.send_command(seller, "translation", "abc")
            usage = await client.wait_for_message(seller, timeout=8)
        spanish = (await api.get(f"/products/{product['id']}", params={"lang": "es"})).json()
        found = (await api.get("/search", params={"q": "chaqueta noruega", "lang": "es", "currency": "NOK"})).json()
    assert saved["text"] == f"✅ #{product['id']} heter nå «Chaqueta noruega de lana» på spansk."
    assert refused["text"] == f"No encuentro el producto #{product['id']} en tu tienda."
    assert usage["text"].startswith("Slik retter du annonsen din på et annet språk: /translation")
    assert (spanish["title"], spanish["language"]) == ("Chaqueta noruega de lana", "es")
    assert product["id"] in [item["id"] for item in found["items"]]
