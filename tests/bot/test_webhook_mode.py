"""Webhook mode: the emulator POSTs updates with the secret token; requests without it are refused."""

from __future__ import annotations

import httpx

from bot.app import build_application
from tests.bot.conftest import Emulator, bot_settings
from tests.support import free_port


async def test_updates_arrive_by_webhook_with_the_secret_token(emulator: Emulator) -> None:
    port = free_port()
    settings = bot_settings(emulator, mode="webhook", webhook_url=f"http://127.0.0.1:{port}/telegram",
                            webhook_secret="s3cret-token", webhook_port=port)
    app = build_application(settings)
    async with app:
        await app.post_init(app)
        await app.start()
        await app.updater.start_webhook(listen="127.0.0.1", port=port, url_path="telegram",
                                        webhook_url=settings.webhook_url, secret_token="s3cret-token")
        try:
            user = await emulator.client.create_user("Joana", "joana", "pt")
            await emulator.client.send_text(user["id"], "olá")
            reply = await emulator.client.wait_for_message(user["id"], timeout=8)
            assert "indisponível" in reply["text"]
            async with httpx.AsyncClient() as http:
                for headers in ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {}):  # a wrong secret, or none
                    forged = await http.post(f"http://127.0.0.1:{port}/telegram", json={"update_id": 1},
                                             headers=headers)
                    assert forged.status_code == 403
        finally:
            await app.updater.stop()
            await app.stop()
            await app.post_shutdown(app)
