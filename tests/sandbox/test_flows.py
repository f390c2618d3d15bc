"""User flows through the control API: buttons, edits, payments, forum topics, copy/delete."""

from __future__ import annotations

import asyncio

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LabeledPrice
from telegram.error import BadRequest

from sandbox.client import SandboxClient, SandboxError


def kb(*data: str) -> InlineKeyboardMarkup:
    """Inline keyboard, one button per callback_data."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.title(), callback_data=d)] for d in data])


async def answer_next_precheckout(
    bot: telegram.Bot, ok: bool, error: str | None = None
) -> telegram.Update:
    """Poll (confirming as we go) for the pre_checkout_query and answer it."""
    offset = None
    for _ in range(5):
        for update in await bot.get_updates(offset=offset, timeout=3):
            offset = update.update_id + 1
            if update.pre_checkout_query:
                await bot.answer_pre_checkout_query(
                    update.pre_checkout_query.id, ok=ok, error_message=error
                )
                await bot.get_updates(offset=offset, timeout=0)
                return update
    raise AssertionError("no pre_checkout_query")


@pytest.mark.asyncio
async def test_button_press_answer_and_edit(bot: telegram.Bot, client: SandboxClient) -> None:
    """Pressing a button yields callback_query; answers and edits are visible to the client."""
    user = await client.create_user("Ann", "ann")
    await client.send_text(user["id"], "/start")
    msg = await bot.send_message(user["id"], "Confirm order?", reply_markup=kb("yes", "no"))
    qid = await client.press_button(user["id"], msg.message_id, data="yes")
    updates = await bot.get_updates(timeout=1)
    query = updates[-1].callback_query
    assert (query.id, query.data, query.from_user.id) == (qid, "yes", user["id"])
    assert query.message.message_id == msg.message_id and query.chat_instance
    assert await client.callback_answer(qid) is None
    await query.answer("Confirmed!", show_alert=True)
    assert (await client.callback_answer(qid))["text"] == "Confirmed!"
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer("twice")
    await bot.edit_message_text("Order confirmed", user["id"], msg.message_id)
    history = await client.bot_messages(user["id"])
    assert history[-1]["text"] == "Order confirmed" and "reply_markup" not in history[-1]
    assert "edit_date" in history[-1]
    with pytest.raises(SandboxError, match="no button"):
        await client.press_button(user["id"], msg.message_id, data="yes")


@pytest.mark.asyncio
async def test_button_errors_are_clean(bot: telegram.Bot, client: SandboxClient) -> None:
    """Unknown buttons/messages fail with a clear error, not an update."""
    user = await client.create_user("Ann")
    await client.send_text(user["id"], "hi")
    msg = await bot.send_message(user["id"], "x", reply_markup=kb("a"))
    with pytest.raises(SandboxError, match="no button with data 'zzz'"):
        await client.press_button(user["id"], msg.message_id, data="zzz")
    with pytest.raises(SandboxError, match="message 999 not found"):
        await client.press_button(user["id"], 999, data="a")
    assert len(await client.pending_updates(bot.token)) == 1


@pytest.mark.asyncio
async def test_edit_errors(bot: telegram.Bot, client: SandboxClient) -> None:
    """Not-modified, missing and foreign messages give Telegram's errors."""
    user = await client.create_user("Ann")
    mine = await client.send_text(user["id"], "user text")
    msg = await bot.send_message(user["id"], "same", reply_markup=kb("a"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("same", user["id"], msg.message_id, reply_markup=kb("a"))
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", user["id"], 999)
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", user["id"], mine["message_id"])
    edited = await bot.edit_message_reply_markup(user["id"], msg.message_id, reply_markup=None)
    assert edited.reply_markup is None


@pytest.mark.asyncio
async def test_payment_success(bot: telegram.Bot, client: SandboxClient) -> None:
    """ok=True answer leads to a successful_payment message and update."""
    user = await client.create_user("Ann")
    await client.send_text(user["id"], "/buy")
    inv = await bot.send_invoice(
        user["id"], "Sneakers", "Nike, 42", "order:17", "XTR", [LabeledPrice("Total", 250)]
    )
    assert inv.invoice.total_amount == 250 and inv.invoice.currency == "XTR"
    pay = asyncio.create_task(client.pay_invoice(user["id"], inv.message_id))
    update = await answer_next_precheckout(bot, ok=True)
    assert update.pre_checkout_query.invoice_payload == "order:17"
    result = await pay
    assert result["status"] == "paid"
    paid = (await bot.get_updates(timeout=1))[-1].message.successful_payment
    assert (paid.total_amount, paid.invoice_payload, paid.currency) == (250, "order:17", "XTR")
    with pytest.raises(SandboxError, match="already paid"):
        await client.pay_invoice(user["id"], inv.message_id)


@pytest.mark.asyncio
async def test_resend_delivers_an_update_again(bot: telegram.Bot, client: SandboxClient) -> None:
    """A past update can be delivered again: as a new copy, or under its own update_id."""
    user = await client.create_user("Ann")
    sent = await client.send_text(user["id"], "hello")
    first = (await bot.get_updates(timeout=1))[-1]
    assert first.message.text == "hello"
    copy = await client.resend_update(message=sent)
    assert copy["update_id"] > first.update_id and copy["message"]["message_id"] == sent["message_id"]
    again = await bot.get_updates(offset=first.update_id + 1, timeout=1)
    assert [(u.update_id, u.message.text) for u in again] == [(copy["update_id"], "hello")]
    same = await client.resend_update(first.update_id, same_id=True)
    assert same["update_id"] == first.update_id
    pending = await client.pending_updates(bot.username)
    assert first.update_id in [u["update_id"] for u in pending]
    with pytest.raises(SandboxError, match="not found"):
        await client.resend_update(999_999)


@pytest.mark.asyncio
async def test_resend_finds_a_button_press_by_its_query_id(bot: telegram.Bot, client: SandboxClient) -> None:
    """A button press (callback query) is delivered again by its query id, as a new copy."""
    user = await client.create_user("Ann")
    await client.send_text(user["id"], "/start")
    msg = await bot.send_message(user["id"], "Confirm order?", reply_markup=kb("yes", "no"))
    qid = await client.press_button(user["id"], msg.message_id, data="yes")
    first = (await bot.get_updates(timeout=1))[-1]
    copy = await client.resend_update(query=qid)
    again = await bot.get_updates(offset=first.update_id + 1, timeout=1)
    assert [(u.update_id, u.callback_query.id, u.callback_query.data) for u in again] == [
        (copy["update_id"], qid, "yes")]
    with pytest.raises(SandboxError, match="no update carried query"):
        await client.resend_update(query="123")


@pytest.mark.asyncio
async def test_payment_declined_and_tampered(bot: telegram.Bot, client: SandboxClient) -> None:
    """A tampered amount reaches the bot; ok=False means no successful_payment."""
    user = await client.create_user("Ann")
    await client.send_text(user["id"], "/buy")
    inv = await bot.send_invoice(
        user["id"],
        "Bag",
        "Leather",
        "order:18",
        "EUR",
        [LabeledPrice("Bag", 9900)],
        provider_token="sandbox",
    )
    pay = asyncio.create_task(client.pay_invoice(user["id"], inv.message_id, total_amount=1))
    update = await answer_next_precheckout(bot, ok=False, error="Amount mismatch")
    assert update.pre_checkout_query.total_amount == 1
    result = await pay
    assert result == {
        "status": "declined",
        "pre_checkout_query_id": update.pre_checkout_query.id,
        "error_message": "Amount mismatch",
    }
    assert not any("successful_payment" in m for m in await client.messages(user["id"]))


@pytest.mark.asyncio
async def test_payment_timeout_without_answer(bot: telegram.Bot, client: SandboxClient) -> None:
    """If the bot never answers, the payment times out and nothing is paid."""
    user = await client.create_user("Ann")
    await client.send_text(user["id"], "/buy")
    inv = await bot.send_invoice(
        user["id"], "Cap", "Red", "order:19", "XTR", [LabeledPrice("Cap", 5)]
    )
    result = await client.pay_invoice(user["id"], inv.message_id, timeout=0.2)
    assert result["status"] == "timeout"


@pytest.mark.asyncio
async def test_staff_forum_topics_copy_delete(bot: telegram.Bot, client: SandboxClient) -> None:
    """Bot creates a topic in the staff forum, posts and copies into it, deletes messages."""
    buyer = await client.create_user("Bea")
    staff = await client.create_user("Sam", "sam", "ru")
    group = await client.create_group("Staff", members=[staff["id"]], bots=[bot.token], forum=True)
    photo_msg = await client.send_text(buyer["id"], "Where is my parcel?")
    topic = await bot.create_forum_topic(group["id"], "Ticket #1 Bea")
    assert topic.name == "Ticket #1 Bea" and topic.icon_color == 7322096
    posted = await bot.send_message(
        group["id"], "New ticket", message_thread_id=topic.message_thread_id
    )
    assert posted.message_thread_id == topic.message_thread_id and posted.is_topic_message
    copied = await bot.copy_message(
        group["id"], buyer["id"], photo_msg["message_id"], message_thread_id=topic.message_thread_id
    )
    thread = await client.messages(group["id"], thread_id=topic.message_thread_id)
    assert [m.get("text") for m in thread] == [None, "New ticket", "Where is my parcel?"]
    assert thread[0]["forum_topic_created"]["name"] == "Ticket #1 Bea"
    with pytest.raises(BadRequest, match="Message thread not found"):
        await bot.send_message(group["id"], "x", message_thread_id=424242)
    reply = await client.send_text(
        staff["id"], "On it", chat_id=group["id"], thread_id=topic.message_thread_id
    )
    assert reply["message_thread_id"] == topic.message_thread_id
    assert await bot.delete_message(group["id"], copied.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(group["id"], copied.message_id)
    plain = await client.create_group("Not forum", bots=[bot.token])
    with pytest.raises(BadRequest, match="The chat is not a forum"):
        await bot.create_forum_topic(plain["id"], "x")
    with pytest.raises(SandboxError, match="not a member"):
        await client.send_text(buyer["id"], "let me in", chat_id=group["id"])


@pytest.mark.asyncio
async def test_wait_for_message_and_commands(bot: telegram.Bot, client: SandboxClient) -> None:
    """wait_for_message returns the next bot message or raises TimeoutError; commands round-trip."""
    user = await client.create_user("Ann")
    await client.send_command(user["id"], "help")
    with pytest.raises(TimeoutError):
        await client.wait_for_message(user["id"], timeout=0.1)
    waiter = asyncio.create_task(client.wait_for_message(user["id"], timeout=3))
    await asyncio.sleep(0.02)
    await bot.send_message(user["id"], "first")
    await bot.send_message(user["id"], "second")
    assert (await waiter)["text"] == "first"
    assert (await client.wait_for_message(user["id"]))["text"] == "second"
    await bot.send_chat_action(user["id"], "typing")
    assert [a["action"] for a in await client.chat_actions(user["id"])] == ["typing"]
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(user["id"], "dancing")
