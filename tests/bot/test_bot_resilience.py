"""The bot against the emulator when its neighbours fail: it answers quickly and keeps running."""

from __future__ import annotations

import asyncio
import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.bot.conftest import Emulator, bot_settings, running_bot
from tests.support import free_port, start_server, stop_server


async def test_rasa_down_gets_a_clear_reply_within_five_seconds(emulator: Emulator) -> None:
    settings = bot_settings(emulator, rasa_url=f"http://127.0.0.1:{free_port()}")
    async with running_bot(settings):
        user = await emulator.client.create_user("María", "maria", "es")
        started = time.monotonic()
        await emulator.client.send_text(user["id"], "hola")
        reply = await emulator.client.wait_for_message(user["id"], timeout=6)
        assert time.monotonic() - started < 5
        assert "no estoy disponible" in reply["text"]
        # and the bot is still alive for the next message
        await emulator.client.send_text(user["id"], "¿sigues ahí?")
        assert "no estoy disponible" in (await emulator.client.wait_for_message(user["id"], timeout=6))["text"]


async def test_rasa_hanging_gets_a_clear_reply_within_five_seconds(emulator: Emulator) -> None:
    async def hang(_request: Request) -> JSONResponse:
        await asyncio.sleep(30)
        return JSONResponse([])

    server, task, url = await start_server(Starlette(routes=[Route("/webhooks/rest/webhook", hang, methods=["POST"])]))
    try:
        async with running_bot(bot_settings(emulator, rasa_url=url, reply_timeout=3.0)):
            user = await emulator.client.create_user("Kari", "kari", "nb")
            started = time.monotonic()
            await emulator.client.send_text(user["id"], "hei")
            reply = await emulator.client.wait_for_message(user["id"], timeout=6)
            assert time.monotonic() - started < 5
            assert "midlertidig utilgjengelig" in reply["text"]
    finally:
        server.should_exit = True
        task.cancel()


async def test_language_choice_is_offered_answered_and_remembered(emulator: Emulator) -> None:
    async with running_bot(bot_settings(emulator)):
        user = await emulator.client.create_user("Wei", "wei", "en")
        await emulator.client.send_command(user["id"], "language")
        menu = await emulator.client.wait_for_message(user["id"])
        labels = [b["text"] for row in menu["reply_markup"]["inline_keyboard"] for b in row]
        assert labels == ["English", "Español", "Português", "Deutsch", "Français", "Italiano", "Norsk bokmål", "中文"]
        query = await emulator.client.press_button(user["id"], menu["message_id"], text="中文")
        for _ in range(100):
            history = await emulator.client.bot_messages(user["id"])
            edited = next(m for m in history if m["message_id"] == menu["message_id"])
            if edited.get("edit_date"):
                break
            await asyncio.sleep(0.02)
        assert edited["text"] == "从现在起我会用中文回答你。"
        # then Rasa is asked for help in Chinese; it is down here, so the apology comes in Chinese
        assert (await emulator.client.wait_for_message(user["id"], timeout=6))["text"] == "抱歉，我暂时无法使用。请稍后再试。"
        assert await emulator.client.callback_answer(query) is not None


async def test_forged_button_is_refused_and_answered(emulator: Emulator) -> None:
    async with running_bot(bot_settings(emulator)) as app:
        user = await emulator.client.create_user("Eve", "eve", "en")
        await emulator.client.send_command(user["id"], "start")
        await emulator.client.wait_for_message(user["id"], timeout=6)
        sent = await app.bot.send_message(user["id"], "pick", reply_markup={
            "inline_keyboard": [[{"text": "evil", "callback_data": "x:drop table"}]]})
        query = await emulator.client.press_button(user["id"], sent.message_id, text="evil")
        for _ in range(100):
            answer = await emulator.client.callback_answer(query)
            if answer:
                break
            await asyncio.sleep(0.02)
        assert answer["text"] == "This button is no longer valid." and answer["show_alert"] is True


async def test_flood_limit_429_is_waited_out_and_nothing_is_lost(emulator: Emulator) -> None:
    """Rasa answers with six messages at once and the bot is set to pace a chat more loosely than Telegram
    allows (~1/s): some get a 429, are waited out, and arrive in order. (With the default pacing no 429
    comes at all: tests/bot/test_rate_limit.py.)"""
    async def six_replies(request: Request) -> JSONResponse:
        body = await request.json()
        return JSONResponse([{"recipient_id": body["sender"], "text": f"part {i}"} for i in range(6)])

    server, task, url = await start_server(Starlette(routes=[Route("/webhooks/rest/webhook", six_replies,
                                                                   methods=["POST"])]))
    try:
        async with running_bot(bot_settings(emulator, rasa_url=url, telegram_chat_rate=10, telegram_chat_burst=10)):
            user = await emulator.client.create_user("Ana", "ana", "pt")
            await emulator.client.send_text(user["id"], "oi")
            texts = []
            for _ in range(6):
                texts.append((await emulator.client.wait_for_message(user["id"], timeout=15))["text"])
            assert texts == [f"part {i}" for i in range(6)]
            calls = await emulator.client.calls()
            assert any(c.get("status") == 429 for c in calls), "the emulator never pushed back"
    finally:
        await stop_server(server, task)
