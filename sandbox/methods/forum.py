"""createForumTopic."""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from ..messaging import store
from ..state import Group, Json, State
from .base import Ctx

ICON_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)


def open_topic(
    state: State, group: Group, creator: Json, name: str, icon_color: int | None
) -> Json:
    """Create a topic: a forum_topic_created service message whose id is the thread id."""
    if not group.chat.get("is_forum"):
        raise bad_request("the chat is not a forum")
    if not 1 <= len(name) <= 128:
        raise bad_request("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")
    color = ICON_COLORS[0] if icon_color is None else int(icon_color)
    if color not in ICON_COLORS:
        raise bad_request("TOPIC_ICON_COLOR_INVALID")
    conv = state.convs[("group", group.id)]
    tid = conv.next_id
    service = {"forum_topic_created": {"name": name, "icon_color": color}}
    group.topics[tid] = {"message_thread_id": tid, "name": name, "icon_color": color}
    store(state, conv, creator, service, thread_id=tid)
    return dict(group.topics[tid])


async def create_forum_topic(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Create a forum topic in a forum supergroup the bot is in."""
    conv = ctx.chat(p)
    if conv.chat["type"] == "private":
        raise bad_request("the chat is not a forum")
    group = ctx.state.groups[conv.chat_id]
    return open_topic(ctx.state, group, ctx.bot.user, p["name"], p.get("icon_color"))


METHODS = {"createForumTopic": create_forum_topic}
