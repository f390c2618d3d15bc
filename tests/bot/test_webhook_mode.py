"""Webhook mode: the emulator POSTs updates with the secret token; requests without it are refused."""

from __future__ import annotations

import httpx

from tests.bot.conftest import Emulator, bot_settings, running_webhook_bot
from tests.support import free_port


async def test_updates_arrive_by_webhook_with_the_secret_token(emulator: Emulator) -> None:
    port = free_port()
    settings = bot_settings(emulator, mode="webhook", webhook_url=f"http://127.0.0.1:{port}/telegram",
                            webhook_secret="s3cret-token", webhook_port=port)
    async with running_webhook_bot(settings, url_path="telegram"):
        user = await emulator.client.create_user("Joana", "joana", "pt")
        await emulator.client.send_text(user["id"], "olá")
        reply = await emulator.client.wait_for_message(user["id"], timeout=8)
        assert "indisponível" in reply["text"]
        async with httpx.AsyncClient() as http:
            for headers in ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {}):  # a wrong secret, or none
                forged = await http.post(f"http://127.0.0.1:{port}/telegram", json={"update_id": 1},
                                         headers=headers)
                assert forged.status_code == 403
