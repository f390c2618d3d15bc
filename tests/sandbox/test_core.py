"""Core server behaviour: URL scheme, envelopes, encodings, errors, getMe/sendMessage/getUpdates."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import telegram
from telegram.error import BadRequest, Forbidden, InvalidToken

from sandbox.client import SandboxClient

from .conftest import TOKEN, Server, make_bot


@pytest.mark.asyncio
async def test_get_me_via_ptb(bot: telegram.Bot) -> None:
    """PTB initialises against the emulator and sees the bot user."""
    me = await bot.get_me()
    assert me.is_bot and me.username == "tradewind_test_bot" and me.id == 123456789


@pytest.mark.asyncio
async def test_unknown_token_is_401(sandbox: Server) -> None:
    """Unknown tokens answer 401 Unauthorized; PTB maps it to InvalidToken."""
    async with httpx.AsyncClient(verify=False) as http:
        resp = await http.post(f"{sandbox.url}/bot999:nope/getMe")
    assert resp.status_code == 401
    assert resp.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    with pytest.raises(InvalidToken):
        async with make_bot(sandbox.url, "999:nope"):
            pass


@pytest.mark.asyncio
async def test_unknown_method_404_and_case_insensitive(sandbox: Server) -> None:
    """Unknown methods are 404 Not Found; method names are case-insensitive."""
    async with httpx.AsyncClient(base_url=f"{sandbox.url}/bot{TOKEN}", verify=False) as http:
        resp = await http.post("/fooBar")
        assert resp.status_code == 404
        assert resp.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        for name in ("getme", "GETME", "getMe"):
            resp = await http.get(f"/{name}")
            assert resp.json()["ok"] is True


@pytest.mark.asyncio
async def test_json_form_and_query_encodings(sandbox: Server, client: SandboxClient) -> None:
    """JSON bodies, urlencoded forms (nested JSON strings) and query strings all work."""
    user = await client.create_user("Ann")
    await client.send_text(user["id"], "/start")
    markup = '{"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}'
    async with httpx.AsyncClient(base_url=f"{sandbox.url}/bot{TOKEN}", verify=False) as http:
        r1 = await http.post("/sendMessage", json={"chat_id": user["id"], "text": "json"})
        r2 = await http.post(
            "/sendMessage",
            data={"chat_id": str(user["id"]), "text": "form", "reply_markup": markup},
        )
        r3 = await http.get("/sendMessage", params={"chat_id": user["id"], "text": "query"})
    assert [r.json()["result"]["text"] for r in (r1, r2, r3)] == ["json", "form", "query"]
    assert r2.json()["result"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "go"


@pytest.mark.asyncio
async def test_missing_required_parameters(sandbox: Server, client: SandboxClient) -> None:
    """Missing required parameters give Telegram-like 400 texts."""
    user = await client.create_user("Ann")
    async with httpx.AsyncClient(base_url=f"{sandbox.url}/bot{TOKEN}", verify=False) as http:
        r1 = await http.post("/sendMessage", json={"text": "hi"})
        r2 = await http.post("/sendMessage", json={"chat_id": user["id"]})
        r3 = await http.post("/sendPhoto", json={"chat_id": user["id"]})
    assert (r1.status_code, r1.json()["description"]) == (400, "Bad Request: chat_id is empty")
    assert r2.json()["description"] == "Bad Request: message text is empty"
    assert r3.json()["description"] == "Bad Request: there is no photo in the request"


@pytest.mark.asyncio
async def test_unknown_params_are_recorded(sandbox: Server, client: SandboxClient) -> None:
    """Parameters outside the spec are accepted but recorded for assertions."""
    async with httpx.AsyncClient(base_url=f"{sandbox.url}/bot{TOKEN}", verify=False) as http:
        await http.post("/getMe", json={"bogus": 1})
    assert await client.unknown_params() == [
        {"bot_id": 123456789, "method": "getMe", "param": "bogus"}
    ]


@pytest.mark.asyncio
async def test_chat_errors(bot: telegram.Bot, client: SandboxClient) -> None:
    """Unknown chats are 400 chat not found; users who never started the bot are 403."""
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(42, "hi")
    user = await client.create_user("Ann")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(user["id"], "hi")


@pytest.mark.asyncio
async def test_send_message_and_read_back(bot: telegram.Bot, client: SandboxClient) -> None:
    """Bot messages are visible through the control API with reply threading."""
    user = await client.create_user("Ann", "ann", "de")
    incoming = await client.send_text(user["id"], "hello")
    sent = await bot.send_message(
        user["id"],
        "<b>Hi</b> Ann",
        parse_mode="HTML",
        reply_parameters=telegram.ReplyParameters(incoming["message_id"]),
    )
    assert sent.text == "Hi Ann" and sent.entities[0].type == "bold"
    assert sent.reply_to_message.text == "hello"
    got = await client.wait_for_message(user["id"])
    assert got["message_id"] == sent.message_id and got["entities"] == [
        {"type": "bold", "offset": 0, "length": 2}
    ]
    history = await client.messages(user["id"])
    assert [m["text"] for m in history] == ["hello", "Hi Ann"]


@pytest.mark.asyncio
async def test_long_poll_wakes_on_user_message(bot: telegram.Bot, client: SandboxClient) -> None:
    """A waiting getUpdates returns as soon as a user writes; offset confirms updates."""
    user = await client.create_user("Ann", "ann", "en")
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.05)
    assert not poll.done()
    loop = asyncio.get_running_loop()
    start = loop.time()
    await client.send_command(user["id"], "start", "ref42")
    updates = await asyncio.wait_for(poll, 5)
    assert loop.time() - start < 1
    assert len(updates) == 1
    msg = updates[0].message
    assert msg.text == "/start ref42" and msg.from_user.language_code == "en"
    assert msg.entities[0].type == "bot_command" and msg.entities[0].length == 6
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [updates[0].update_id]
    confirmed = await bot.get_updates(offset=updates[0].update_id + 1, timeout=0)
    assert confirmed == ()
    assert await client.pending_updates(TOKEN) == []


@pytest.mark.asyncio
async def test_get_updates_timeout_and_allowed_updates(
    bot: telegram.Bot, client: SandboxClient
) -> None:
    """Empty polls return after the timeout; allowed_updates filters update types."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < loop.time() - start < 2
    user = await client.create_user("Ann")
    await bot.get_updates(timeout=0, allowed_updates=["callback_query"])
    await client.send_text(user["id"], "ignored")
    assert await bot.get_updates(timeout=0) == ()
    sent = await bot.send_message(
        user["id"],
        "pick",
        reply_markup=telegram.InlineKeyboardMarkup(
            [[telegram.InlineKeyboardButton("A", callback_data="a")]]
        ),
    )
    await client.press_button(user["id"], sent.message_id, data="a")
    updates = await bot.get_updates(timeout=0)
    assert [u.callback_query.data for u in updates] == ["a"]


@pytest.mark.asyncio
async def test_concurrent_get_updates_conflict(bot: telegram.Bot, sandbox: Server) -> None:
    """A second getUpdates terminates the first with 409 Conflict like Telegram."""
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    async with httpx.AsyncClient(verify=False) as http:
        second = await http.post(f"{sandbox.url}/bot{TOKEN}/getUpdates", json={"timeout": 0})
    assert second.json() == {"ok": True, "result": []}
    with pytest.raises(telegram.error.Conflict, match="terminated by other getUpdates"):
        await asyncio.wait_for(first, 1)
