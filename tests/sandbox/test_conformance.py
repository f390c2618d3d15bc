"""Conformance: drive every implemented method with real PTB; check responses against api.json."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LabeledPrice

from sandbox.client import SandboxClient

from .conftest import Server
from .images import png
from .spec_check import method_returns, problems

IMPLEMENTED = {
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "editMessageText",
    "editMessageReplyMarkup",
    "editMessageMedia",
    "answerCallbackQuery",
    "sendPhoto",
    "sendDocument",
    "getFile",
    "sendChatAction",
    "setMyCommands",
    "getMyCommands",
    "sendInvoice",
    "answerPreCheckoutQuery",
    "createForumTopic",
    "editForumTopic",
    "closeForumTopic",
    "reopenForumTopic",
    "getChatMember",
    "copyMessage",
    "deleteMessage",
}


def keyboard(*data: str) -> InlineKeyboardMarkup:
    """One-row inline keyboard with callback buttons."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.upper(), callback_data=d) for d in data]])


async def scenario(bot: telegram.Bot, client: SandboxClient, sandbox: Server) -> None:
    """Call every implemented method at least once, including update-producing user actions."""
    await client.set_limits(flood_control=False)
    buyer = await client.create_user("Bea", "bea_buyer", "en", last_name="Buyer")
    staff = await client.create_user("Sam", "sam_staff", "ru")
    group = await client.create_group("Staff", members=[staff["id"]], bots=[bot.token], forum=True)
    await bot.get_me()
    await bot.set_my_commands([("start", "Start"), ("help", "Help")])
    await bot.set_my_commands(
        [("start", "Старт")], language_code="ru", scope=telegram.BotCommandScopeAllPrivateChats()
    )
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    await client.send_command(buyer["id"], "start")
    await bot.send_chat_action(buyer["id"], "typing")
    msg = await bot.send_message(buyer["id"], "Pick", reply_markup=keyboard("a", "b"))
    await bot.edit_message_text(
        "Pick one", buyer["id"], msg.message_id, reply_markup=keyboard("a", "b", "c")
    )
    await bot.edit_message_reply_markup(buyer["id"], msg.message_id, reply_markup=keyboard("c"))
    query_id = await client.press_button(buyer["id"], msg.message_id, data="c")
    updates = await bot.get_updates(timeout=1)
    assert updates[-1].callback_query.id == query_id
    await bot.answer_callback_query(query_id, text="Done")
    photo = await bot.send_photo(
        buyer["id"], png(640, 480), caption="<i>Item</i>", parse_mode="HTML"
    )
    await bot.send_photo(buyer["id"], photo.photo[-1].file_id)
    await bot.edit_message_media(telegram.InputMediaPhoto(png(320, 240), caption="Next item"), buyer["id"],
                                 photo.message_id, reply_markup=keyboard("n"))
    doc = await bot.send_document(buyer["id"], b"%PDF-1.4 sandbox", filename="order.pdf")
    file = await bot.get_file(doc.document.file_id)
    assert await file.download_as_bytearray() == bytearray(b"%PDF-1.4 sandbox")
    topic = await bot.create_forum_topic(group["id"], "Order #1")
    await bot.send_message(group["id"], "New order", message_thread_id=topic.message_thread_id)
    await bot.edit_forum_topic(group["id"], topic.message_thread_id, name="Order #1 · disputed")
    await bot.close_forum_topic(group["id"], topic.message_thread_id)
    await bot.reopen_forum_topic(group["id"], topic.message_thread_id)
    assert (await bot.get_chat_member(group["id"], staff["id"])).status == "member"
    assert (await bot.get_chat_member(group["id"], bot.id)).status == "administrator"
    assert (await bot.get_chat_member(group["id"], buyer["id"])).status == "left"
    await bot.copy_message(
        group["id"], buyer["id"], photo.message_id, message_thread_id=topic.message_thread_id
    )
    gone = await bot.send_message(buyer["id"], "temp")
    await bot.delete_message(buyer["id"], gone.message_id)
    invoice = await bot.send_invoice(
        buyer["id"], "Sneakers", "Size 42", "order-1", "XTR", [LabeledPrice("Sneakers", 150)]
    )
    offset = updates[-1].update_id + 1
    payment = asyncio.create_task(client.pay_invoice(buyer["id"], invoice.message_id))
    updates = await bot.get_updates(offset=offset, timeout=5)
    await bot.answer_pre_checkout_query(updates[-1].pre_checkout_query.id, ok=True)
    assert (await payment)["status"] == "paid"
    await bot.get_updates(offset=updates[-1].update_id + 1, timeout=1)
    await bot.set_webhook(
        f"{sandbox.url}/nowhere", secret_token="s3cret", allowed_updates=["message"]
    )
    await bot.get_webhook_info()
    await bot.delete_webhook()


@pytest.mark.asyncio
async def test_every_response_carries_spec_required_fields(
    bot: telegram.Bot, client: SandboxClient, sandbox: Server, raw_log: list[tuple[str, int, Any]]
) -> None:
    """Every result the emulator returned matches the method's return type in api.json."""
    await scenario(bot, client, sandbox)
    seen = set()
    for method, status, body in raw_log:
        assert status == 200 and body["ok"] is True, (method, body)
        assert problems(body["result"], method_returns(method)) == [], method
        seen.add(method)
    assert {m.lower() for m in IMPLEMENTED} <= {m.lower() for m in seen}


@pytest.mark.asyncio
async def test_ptb_sends_only_spec_parameters(
    bot: telegram.Bot, client: SandboxClient, sandbox: Server
) -> None:
    """PTB never sends a parameter the spec does not define for the method."""
    await scenario(bot, client, sandbox)
    assert await client.unknown_params() == []
    assert len(await client.calls()) >= len(IMPLEMENTED)


@pytest.mark.asyncio
async def test_update_kinds_conform(bot: telegram.Bot, client: SandboxClient) -> None:
    """Updates (messages, callback_query, pre_checkout_query, successful payment) conform."""
    await client.set_limits(flood_control=False)
    user = await client.create_user("Ann", "ann", "en")
    await client.send_command(user["id"], "start", "x")
    await client.send_photo(user["id"], png(50, 40), caption="look")
    await client.send_document(user["id"], b"data", "a.txt")
    msg = await bot.send_message(user["id"], "Go", reply_markup=keyboard("go"))
    await client.press_button(user["id"], msg.message_id, text="GO")
    inv = await bot.send_invoice(user["id"], "T", "D", "p", "XTR", [LabeledPrice("x", 5)])
    pay = asyncio.create_task(client.pay_invoice(user["id"], inv.message_id))
    while not (await client.pending_updates(bot.token))[-1].get("pre_checkout_query"):
        await asyncio.sleep(0.01)
    pending = await client.pending_updates(bot.token)
    await bot.answer_pre_checkout_query(pending[-1]["pre_checkout_query"]["id"], ok=True)
    await pay
    raw = await client.pending_updates(bot.token)
    kinds = [next(k for k in u if k != "update_id") for u in raw]
    assert kinds == ["message"] * 3 + ["callback_query", "pre_checkout_query", "message"]
    assert raw[-1]["message"]["successful_payment"]["total_amount"] == 5
    assert problems(raw, "Array of Update") == []


@pytest.mark.asyncio
async def test_error_envelope_shape(sandbox: Server, bot: telegram.Bot) -> None:
    """Errors carry ok=false, error_code and description (ResponseParameters on 429)."""
    async with httpx.AsyncClient(verify=False) as http:
        resp = await http.post(
            f"{sandbox.url}/bot{bot.token}/sendMessage", json={"chat_id": 1, "text": "x"}
        )
    body = resp.json()
    assert (
        set(body) == {"ok", "error_code", "description"}
        and body["error_code"] == resp.status_code == 400
    )
