"""Forum topics a support desk needs: edit, close and reopen topics; getChatMember for staff checks."""

from __future__ import annotations

import pytest
import telegram
from telegram.error import BadRequest

from sandbox.client import SandboxClient, SandboxError


@pytest.mark.asyncio
async def test_topics_are_edited_closed_and_reopened(bot: telegram.Bot, client: SandboxClient) -> None:
    """Closing a topic stops members writing there; the bot (an admin) still can; reopening allows it again."""
    staff = await client.create_user("Sam", "sam", "en")
    group = await client.create_group("Staff", members=[staff["id"]], bots=[bot.token], forum=True)
    topic = await bot.create_forum_topic(group["id"], "#1 · María · es · dispute")
    tid = topic.message_thread_id
    assert await bot.edit_forum_topic(group["id"], tid, name="#1 · María · es · dispute on order 4")
    assert await bot.close_forum_topic(group["id"], tid)
    with pytest.raises(BadRequest, match="Topic_not_modified"):
        await bot.close_forum_topic(group["id"], tid)
    with pytest.raises(SandboxError, match="TOPIC_CLOSED"):
        await client.send_text(staff["id"], "one more thing", chat_id=group["id"], thread_id=tid)
    await bot.send_message(group["id"], "Closed by Sam", message_thread_id=tid)
    assert await bot.reopen_forum_topic(group["id"], tid)
    await client.send_text(staff["id"], "reopened", chat_id=group["id"], thread_id=tid)
    thread = await client.messages(group["id"], thread_id=tid)
    kinds = [next(k for k in ("forum_topic_created", "forum_topic_edited", "forum_topic_closed",
                              "forum_topic_reopened", "text") if k in m) for m in thread]
    assert kinds == ["forum_topic_created", "forum_topic_edited", "forum_topic_closed", "text",
                     "forum_topic_reopened", "text"]
    assert thread[1]["forum_topic_edited"] == {"name": "#1 · María · es · dispute on order 4"}
    state = await client.state()
    assert state["groups"][0]["topics"][0]["name"] == "#1 · María · es · dispute on order 4"
    with pytest.raises(BadRequest, match="Message thread not found"):
        await bot.close_forum_topic(group["id"], 9999)
    with pytest.raises(BadRequest, match="Topic_title_empty"):
        await bot.edit_forum_topic(group["id"], tid, name="")
    plain = await client.create_group("Plain", bots=[bot.token])
    with pytest.raises(BadRequest, match="The chat is not a forum"):
        await bot.close_forum_topic(plain["id"], tid)


@pytest.mark.asyncio
async def test_get_chat_member_tells_staff_from_strangers(bot: telegram.Bot, client: SandboxClient) -> None:
    """Members are members, the bot is an admin that may manage topics, anyone else has left."""
    staff = await client.create_user("Sam", "sam", "en")
    stranger = await client.create_user("Eve", "eve", "en")
    group = await client.create_group("Staff", members=[staff["id"]], bots=[bot.token], forum=True)
    member = await bot.get_chat_member(group["id"], staff["id"])
    assert member.status == "member" and member.user.id == staff["id"]
    assert (await bot.get_chat_member(group["id"], stranger["id"])).status == "left"
    me = await bot.get_chat_member(group["id"], bot.id)
    assert me.status == "administrator" and me.can_manage_topics is True
    with pytest.raises(BadRequest, match="User not found"):
        await bot.get_chat_member(group["id"], 424242)
    other = await client.create_group("Elsewhere", members=[staff["id"]])
    with pytest.raises(telegram.error.Forbidden, match="not a member"):
        await bot.get_chat_member(other["id"], staff["id"])


def test_the_demo_world_has_a_staff_forum_at_a_fixed_chat_id() -> None:
    """`tradewind run` points the bot's SUPPORT_CHAT_ID at it; Sam (staff) is a member, the bot too."""
    from sandbox import create_app
    from sandbox.settings import Settings
    from tradewind.demo_world import STAFF, STAFF_GROUP_ID, populate

    rt = create_app(Settings()).state.rt
    assert populate(rt, bot_token="777:demo") == STAFF_GROUP_ID
    group = rt.state.groups[STAFF_GROUP_ID]
    assert group.chat["is_forum"] and STAFF.user_id in group.members and 777 in group.bot_ids
    assert rt.state.add_group("Someone else's").id != STAFF_GROUP_ID
    with pytest.raises(ValueError, match="taken"):
        rt.state.add_group("Again", chat_id=STAFF_GROUP_ID)
