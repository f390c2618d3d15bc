"""Telegram limits and their exact error texts, plus flood control (429 retry_after)."""

from __future__ import annotations

import httpx
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, RetryAfter

from sandbox.client import SandboxClient
from sandbox.limits import FloodControl
from sandbox.settings import Limits

from .conftest import Server

# PTB 22 warns that RetryAfter.retry_after will become a timedelta; irrelevant here.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def clock(sandbox: Server) -> list[float]:
    """Freeze the flood-control clock so quotas never refill mid-test (advance it by hand)."""
    now = [1000.0]
    sandbox.rt.flood.clock = lambda: now[0]
    return now


async def started_user(client: SandboxClient, name: str = "Ann") -> int:
    """A user who has started the bot."""
    user = await client.create_user(name)
    await client.send_text(user["id"], "/start")
    return int(user["id"])


async def raw_send(sandbox: Server, token: str, **params: object) -> httpx.Response:
    """sendMessage without PTB, to see the raw envelope."""
    async with httpx.AsyncClient(verify=False) as http:
        return await http.post(f"{sandbox.url}/bot{token}/sendMessage", json=params)


@pytest.mark.asyncio
async def test_text_limits(bot: telegram.Bot, client: SandboxClient) -> None:
    """4096 chars pass, 4097 fail; empty/whitespace text fails."""
    uid = await started_user(client)
    await bot.send_message(uid, "x" * 4096)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(uid, "x" * 4097)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(uid, "   ")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(uid, "<b></b>", parse_mode="HTML")


@pytest.mark.asyncio
async def test_exact_error_texts(sandbox: Server, bot: telegram.Bot, client: SandboxClient) -> None:
    """The raw descriptions match Telegram's wording."""
    uid = await started_user(client)
    too_long = await raw_send(sandbox, bot.token, chat_id=uid, text="y" * 5000)
    assert too_long.status_code == 400
    assert too_long.json() == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message is too long",
    }
    assert (await raw_send(sandbox, bot.token, chat_id=-100123, text="x")).json()[
        "description"
    ] == "Bad Request: chat not found"
    bad_button = {"inline_keyboard": [[{"text": "b", "callback_data": "d" * 65}]]}
    assert (
        await raw_send(sandbox, bot.token, chat_id=uid, text="x", reply_markup=bad_button)
    ).json()["description"] == "Bad Request: BUTTON_DATA_INVALID"


@pytest.mark.asyncio
async def test_caption_and_callback_data_limits(bot: telegram.Bot, client: SandboxClient) -> None:
    """Captions over 1024 chars and callback_data over 64 bytes are rejected."""
    from .images import png

    uid = await started_user(client)
    await bot.send_photo(uid, png(10, 10), caption="c" * 1024)
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(uid, png(10, 10), caption="c" * 1025)
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="é" * 32)]])
    await bot.send_message(uid, "fits", reply_markup=ok)
    bad = InlineKeyboardMarkup([[InlineKeyboardButton("no", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(uid, "too big", reply_markup=bad)


@pytest.mark.asyncio
async def test_limits_are_configurable(bot: telegram.Bot, client: SandboxClient) -> None:
    """Tests can tighten limits through the control API."""
    uid = await started_user(client)
    await client.set_limits(max_text=10)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(uid, "x" * 11)


@pytest.mark.asyncio
async def test_private_chat_flood_429(
    sandbox: Server, bot: telegram.Bot, client: SandboxClient, clock: list[float]
) -> None:
    """A private chat allows a short burst then answers 429 with retry_after."""
    uid = await started_user(client)
    for i in range(3):
        await bot.send_message(uid, f"m{i}")
    resp = await raw_send(sandbox, bot.token, chat_id=uid, text="one too many")
    assert resp.status_code == 429
    assert resp.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    with pytest.raises(RetryAfter):
        await bot.send_message(uid, "still too fast")
    assert await client.refused() == {"bot": 0, "chat": 2}  # counted for benchmarks, by the limit hit
    other = await started_user(client, "Bob")
    await bot.send_message(other, "other chats are unaffected")
    clock[0] += 1.0
    await bot.send_message(uid, "after a second one more fits")


@pytest.mark.asyncio
async def test_group_flood_20_per_minute(
    bot: telegram.Bot, client: SandboxClient, clock: list[float]
) -> None:
    """Groups take 20 messages per minute; the 21st waits ~3 s."""
    group = await client.create_group("Staff", bots=[bot.token])
    for i in range(20):
        await bot.send_message(group["id"], f"m{i}")
    with pytest.raises(RetryAfter) as err:
        await bot.send_message(group["id"], "21st")
    assert err.value.retry_after == 3


@pytest.mark.asyncio
async def test_global_bot_flood(
    bot: telegram.Bot, client: SandboxClient, clock: list[float]
) -> None:
    """The per-bot limit applies across chats."""
    await client.set_limits(bot_per_second=5, bot_burst=5)
    users = [await started_user(client, f"U{i}") for i in range(6)]
    for uid in users[:5]:
        await bot.send_message(uid, "hi")
    with pytest.raises(RetryAfter):
        await bot.send_message(users[5], "hi")
    assert (await client.refused())["bot"] == 1


def test_bucket_refills_over_time() -> None:
    """Token buckets refill at their rate (deterministic fake clock)."""
    now = [0.0]
    flood = FloodControl(Limits(private_burst=2), clock=lambda: now[0])
    flood.check(1, 10, "private")
    flood.check(1, 10, "private")
    with pytest.raises(Exception) as err:
        flood.check(1, 10, "private")
    assert err.value.retry_after == 1  # type: ignore[attr-defined]
    now[0] += 1.0
    flood.check(1, 10, "private")
    flood.limits.flood_control = False
    for _ in range(100):
        flood.check(1, 10, "private")
