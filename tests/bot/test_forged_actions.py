"""Nobody acts through the bot on what is not theirs: a seller's order buttons pressed by others, a
rating button for someone else's support conversation, staff commands from outside the staff group.
(Relay buttons: tests/bot/test_relay.py; /translation on another's listing: test_listing_text.py.)"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from marketplace.models import Handoff, Order, OrderEvent
from tests.bot.update_harness import BUYER, SELLER, STAFF, STRANGER, Harness, harness

__all__ = ["harness"]  # the fixture

NOT_YOURS = "This order does not belong to your shop."


@pytest.mark.parametrize("data", ["sa:{order}", "ss:{order}", "sm:{order}"])
@pytest.mark.parametrize("user", [BUYER, STRANGER])
async def test_order_alert_buttons_of_someone_elses_shop_are_refused(
        harness: Harness, factory: sessionmaker[Session], data: str, user: int) -> None:
    update, query = harness.press(user, data.format(order=harness.order))
    await harness.feed(update)
    assert harness.errors == []
    assert query.answer is not None and query.answer["show_alert"] and query.answer["text"]
    with factory() as session:
        assert session.get(Order, harness.order).status == "paid"
        assert session.scalars(select(OrderEvent).where(OrderEvent.event == "accept")).all() == []
    # and the shop's owner may
    update, query = harness.press(SELLER, f"sa:{harness.order}")
    await harness.feed(update)
    assert query.answer is not None and not query.answer["show_alert"]


async def test_a_rating_button_for_someone_elses_support_conversation_is_refused(
        harness: Harness, factory: sessionmaker[Session], marketplace_url: str) -> None:
    async with httpx.AsyncClient(base_url=marketplace_url,
                                 headers={"Authorization": "Bearer test-service-token"}) as api:
        closed = await api.post(f"/handoffs/{harness.handoff}/close", json={"staff_telegram_id": STAFF})
        assert closed.status_code == 200
    for user in (BUYER, STRANGER, SELLER):
        update, query = harness.press(user, f"h:{harness.handoff}:1")
        await harness.feed(update)
        assert query.answer is not None and query.answer["show_alert"] and query.answer["text"]
    with factory() as session:
        assert session.get(Handoff, harness.handoff).rating is None


@pytest.mark.parametrize("command", ["/claim", "/refund {order}", "/release {order}", "/note hi", "/done",
                                     "/queue", "/stats 30", "hello from outside"])
async def test_staff_commands_from_someone_not_in_the_staff_group_do_nothing(
        harness: Harness, factory: sessionmaker[Session], command: str) -> None:
    before = len(await harness.emulator.client.bot_messages(harness.staff_group))
    for user in (STRANGER, SELLER, BUYER):
        await harness.feed(harness.in_topic(user, command.format(order=harness.order)))
    assert harness.errors == []
    assert len(await harness.emulator.client.bot_messages(harness.staff_group)) == before
    with factory() as session:
        handoff = session.get(Handoff, harness.handoff)
        assert (handoff.state, handoff.assignee_telegram_id, handoff.events[-1].kind) == ("open", None, "topic")
        assert session.get(Order, harness.order).status == "paid"
    # the same command from staff is answered
    await harness.feed(harness.in_topic(STAFF, "/queue"))
    assert len(await harness.emulator.client.bot_messages(harness.staff_group)) == before + 1
