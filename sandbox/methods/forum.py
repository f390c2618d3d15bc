"""Forum topics: createForumTopic, editForumTopic, closeForumTopic, reopenForumTopic."""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from ..messaging import store
from ..state import Group, Json, State
from .base import Ctx

ICON_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)


def _check_name(name: str) -> str:
    if not 1 <= len(name) <= 128:
        raise bad_request("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")
    return name


def open_topic(
    state: State, group: Group, creator: Json, name: str, icon_color: int | None
) -> Json:
    """Create a topic: a forum_topic_created service message whose id is the thread id."""
    if not group.chat.get("is_forum"):
        raise bad_request("the chat is not a forum")
    _check_name(name)
    color = ICON_COLORS[0] if icon_color is None else int(icon_color)
    if color not in ICON_COLORS:
        raise bad_request("TOPIC_ICON_COLOR_INVALID")
    conv = state.convs[("group", group.id)]
    tid = conv.next_id
    service = {"forum_topic_created": {"name": name, "icon_color": color}}
    group.topics[tid] = {"message_thread_id": tid, "name": name, "icon_color": color}
    store(state, conv, creator, service, thread_id=tid)
    return dict(group.topics[tid])


def _forum(ctx: Ctx, p: dict[str, Any]) -> Group:
    """The forum supergroup addressed by chat_id (the bot must be a member)."""
    conv = ctx.chat(p)
    if conv.chat["type"] == "private" or not ctx.state.groups[conv.chat_id].chat.get("is_forum"):
        raise bad_request("the chat is not a forum")
    return ctx.state.groups[conv.chat_id]


def _topic(group: Group, thread_id: Any) -> int:
    """A topic id of the group, or Telegram's error."""
    try:
        tid = int(thread_id)
    except (TypeError, ValueError):
        raise bad_request("message thread not found") from None
    if tid not in group.topics:
        raise bad_request("message thread not found")
    return tid


def _service(ctx: Ctx, group: Group, tid: int, content: Json) -> None:
    """A service message from the bot in the topic (bots get no updates for their own actions)."""
    store(ctx.state, ctx.state.convs[("group", group.id)], ctx.bot.user, content, thread_id=tid)


async def create_forum_topic(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Create a forum topic in a forum supergroup the bot is in."""
    conv = ctx.chat(p)
    if conv.chat["type"] == "private":
        raise bad_request("the chat is not a forum")
    group = ctx.state.groups[conv.chat_id]
    return open_topic(ctx.state, group, ctx.bot.user, p["name"], p.get("icon_color"))


async def edit_forum_topic(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Rename a topic (and/or change its custom emoji icon)."""
    group = _forum(ctx, p)
    tid = _topic(group, p["message_thread_id"])
    edited: Json = {}
    if p.get("name") is not None:
        edited["name"] = _check_name(str(p["name"]))
    if p.get("icon_custom_emoji_id") is not None:
        edited["icon_custom_emoji_id"] = str(p["icon_custom_emoji_id"])
    if not edited:
        raise bad_request("TOPIC_NOT_MODIFIED")
    group.topics[tid].update(edited)
    _service(ctx, group, tid, {"forum_topic_edited": edited})
    return True


async def close_forum_topic(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Close a topic: members can no longer write in it (the bot, an admin, still can)."""
    group = _forum(ctx, p)
    tid = _topic(group, p["message_thread_id"])
    if tid in group.closed_topics:
        raise bad_request("TOPIC_NOT_MODIFIED")
    group.closed_topics.add(tid)
    _service(ctx, group, tid, {"forum_topic_closed": {}})
    return True


async def reopen_forum_topic(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Reopen a closed topic."""
    group = _forum(ctx, p)
    tid = _topic(group, p["message_thread_id"])
    if tid not in group.closed_topics:
        raise bad_request("TOPIC_NOT_MODIFIED")
    group.closed_topics.discard(tid)
    _service(ctx, group, tid, {"forum_topic_reopened": {}})
    return True


METHODS = {
    "createForumTopic": create_forum_topic,
    "editForumTopic": edit_forum_topic,
    "closeForumTopic": close_forum_topic,
    "reopenForumTopic": reopen_forum_topic,
}
