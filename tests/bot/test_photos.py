"""A seller's photo: the bot stores it in the real marketplace and hands its path to Rasa; the preview
card shows it again by Telegram's file_id (no second upload). Anyone else's photo is not stored."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from marketplace.core.config import MarketplaceSettings
from tests.bot.conftest import Emulator, bot_settings, running_bot
from tests.bot.rasa_standin import StandInRasa
from tests.support import start_server, stop_server


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), "darkgreen").save(out, format="JPEG")
    return out.getvalue()


async def test_a_sellers_photo_reaches_the_marketplace_and_rasa(emulator: Emulator, marketplace_url: str,
                                                               settings: MarketplaceSettings) -> None:
    async def preview(_sender: str, text: str, metadata: dict) -> list[dict]:
        if text != "/send_photo":
            return [{"text": "?"}]
        return [{"custom": {"type": "product_card", "text": "Votter i ull\n349,00 kr", "photo": metadata["photo"],
                            "buttons": [{"title": "✅ Publiser", "payload": "/affirm"}]}}]

    rasa = StandInRasa(preview)
    server, task, rasa_url = await start_server(rasa.app())
    try:
        seller = await emulator.client.create_user("Kari", "kari_strikk", "nb")
        async with httpx.AsyncClient(base_url=marketplace_url,
                                     headers={"Authorization": "Bearer test-service-token"}) as api:
            shop = await api.post("/shops", json={"owner_telegram_id": seller["id"], "name": "Kari Strikk",
                                                  "country": "NO", "currency": "NOK", "language": "nb"})
            assert shop.status_code == 201, shop.text
            async with running_bot(bot_settings(emulator, rasa_url=rasa_url, marketplace_url=marketplace_url)):
                sent = await emulator.client.send_photo(seller["id"], _jpeg())
                card = await emulator.client.wait_for_message(seller["id"], timeout=8)
            [forwarded] = rasa.messages
            assert forwarded["message"] == "/send_photo"
            path = forwarded["metadata"]["photo"]
            assert path.startswith("uploads/") and path.endswith(".jpg")
            assert forwarded["metadata"]["telegram_user_id"] == seller["id"]
            largest = sent["photo"][-1]["file_id"]
            stored = await api.get(f"/media/{path}")
            assert stored.content == await emulator.client.file_content(largest)
        assert card["caption"] == "Votter i ull\n349,00 kr"
        assert card["photo"][-1]["file_id"] == largest  # re-sent by file_id, not uploaded again
        assert card["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "r:/affirm"
    finally:
        await stop_server(server, task)


async def test_a_buyers_photo_is_not_stored_nor_sent_to_rasa(emulator: Emulator, marketplace_url: str,
                                                             settings: MarketplaceSettings) -> None:
    async def never(_sender: str, _text: str, _metadata: dict) -> list[dict]:
        return [{"text": "should not be asked"}]

    rasa = StandInRasa(never)
    server, task, rasa_url = await start_server(rasa.app())
    try:
        buyer = await emulator.client.create_user("María", "maria_foto", "es")
        async with running_bot(bot_settings(emulator, rasa_url=rasa_url, marketplace_url=marketplace_url)):
            await emulator.client.send_photo(buyer["id"], _jpeg())
            reply = await emulator.client.wait_for_message(buyer["id"], timeout=8)
        assert reply["text"] == "Puedo leer mensajes de texto y botones; escríbeme, por favor."
        assert rasa.messages == []
        assert not (settings.media_dir / "uploads").exists()
    finally:
        await stop_server(server, task)
