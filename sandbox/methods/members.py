"""getChatMember: who is in a chat, as the staff-group checks of bots need it."""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from ..state import Json
from .base import Ctx

ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)
NO_RIGHTS = (
    "can_be_edited",
    "is_anonymous",
    "can_promote_members",
    "can_change_info",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


def administrator(user: Json) -> Json:
    """A bot administrator that may manage topics (what a support bot needs)."""
    return {
        "status": "administrator",
        "user": dict(user),
        **{right: True for right in ADMIN_RIGHTS},
        **{right: False for right in NO_RIGHTS},
    }


async def get_chat_member(ctx: Ctx, p: dict[str, Any]) -> Any:
    """A member's status: bots in a group are administrators, members are members, others left."""
    conv = ctx.chat(p)
    uid = int(p["user_id"])
    st = ctx.state
    bot = st.bot_by_id(uid)
    user = bot.user if bot else st.users.get(uid)
    if user is None:
        raise bad_request("user not found")
    if conv.chat["type"] == "private":
        if uid not in (conv.chat_id, ctx.bot.id):
            raise bad_request("user not found")
        return {"status": "member", "user": dict(user)}
    group = st.groups[conv.chat_id]
    if bot is not None and bot.id in group.bot_ids:
        return administrator(user)
    if uid in group.members:
        return {"status": "member", "user": dict(user)}
    return {"status": "left", "user": dict(user)}


METHODS = {"getChatMember": get_chat_member}
