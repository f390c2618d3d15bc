"""No secret ever reaches a log line: the bot token, the service token, the webhook secret.

The bot runs in webhook mode against the emulator (setWebhook carries the secret, every Bot API URL
the token), talks to a Rasa stand-in and to the real marketplace (service token), and is sent forged
webhook calls; the marketplace also gets a call with a wrong token. Everything is logged at DEBUG
(the bot raises the few library loggers that print secrets, as it does in production)."""

from __future__ import annotations

import logging
import traceback

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.db import transaction
from tests.bot.conftest import (TOKEN, Emulator, bot_settings, emulator, marketplace_url,  # noqa: F401 - fixtures
                               running_webhook_bot)
from tests.bot.rasa_standin import StandInRasa
from tests.conftest import SERVICE_TOKEN
from tests.marketplace import builders
from tests.support import free_port, start_server, stop_server

WEBHOOK_SECRET = "s3cret-webhook-token"
SECRETS = {"bot token": TOKEN.partition(":")[2], "service token": SERVICE_TOKEN, "webhook secret": WEBHOOK_SECRET}


def rendered(record: logging.LogRecord) -> str:
    """Everything a handler could print for the record."""
    parts = [record.getMessage(), repr(record.args), repr(getattr(record, "__dict__", {}))]
    if record.exc_info:
        parts.append("".join(traceback.format_exception(*record.exc_info)))
    return "\n".join(parts)


async def test_no_secret_or_token_appears_in_any_log_line(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session],  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with transaction(factory) as session:
        builders.customer(session, telegram_user_id=700001)

    async def reply(_sender: str, text: str, _metadata: dict) -> list[dict]:
        return [{"text": f"(bot) {text}"}]

    rasa = StandInRasa(reply)
    server, task, rasa.url = await start_server(rasa.app())
    port = free_port()
    settings = bot_settings(emulator, mode="webhook", webhook_url=f"http://127.0.0.1:{port}/telegram",
                            webhook_secret=WEBHOOK_SECRET, webhook_port=port, marketplace_url=marketplace_url,
                            service_token=SERVICE_TOKEN, rasa_url=rasa.url)
    async with running_webhook_bot(settings, url_path="telegram"):
        emulator.rt.state.add_user("María", "maria", "es", user_id=700001)
        await emulator.client.send_text(700001, "hola")
        assert (await emulator.client.wait_for_message(700001, timeout=8))["text"] == "(bot) hola"
        await emulator.client.send_command(700001, "mydata")
        assert (await emulator.client.wait_for_message(700001, timeout=8)).get("document")
        async with httpx.AsyncClient() as http:
            for headers in ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {}):
                forged = await http.post(f"http://127.0.0.1:{port}/telegram", json={"update_id": 1},
                                         headers=headers)
                assert forged.status_code == 403
            refused = await http.get(f"{marketplace_url}/customers/700001/export",
                                     headers={"Authorization": f"Bearer {SERVICE_TOKEN}x"})
            assert refused.status_code == 401
    await stop_server(server, task)
    assert len(caplog.records) > 10  # the run was logged (PTB's DEBUG lines, the API's access lines)
    for record in caplog.records:
        text = rendered(record)
        for name, secret in SECRETS.items():
            assert secret not in text, f"the {name} is in a log line of {record.name}: {record.getMessage()[:300]}"
