"""getMe, commands and chat actions."""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import bad_request
from .base import Ctx

COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}


async def get_me(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Return the bot's User with the getMe-only capability fields."""
    return {
        **ctx.bot.user,
        "can_join_groups": True,
        "can_read_all_group_messages": True,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def _scope_key(p: dict[str, Any]) -> str:
    """Storage key for (scope, language_code)."""
    scope = p.get("scope") or {"type": "default"}
    return json.dumps([scope, p.get("language_code") or ""], sort_keys=True)


async def set_my_commands(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Validate and store the command list for a scope and language."""
    commands = p["commands"]
    if not isinstance(commands, list) or len(commands) > ctx.rt.settings.limits.max_commands:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    clean = []
    for c in commands:
        if not isinstance(c, dict) or not COMMAND_RE.match(str(c.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(c.get("description", "")).strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        clean.append({"command": c["command"], "description": c["description"]})
    ctx.bot.commands[_scope_key(p)] = clean
    return True


async def get_my_commands(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Commands stored for exactly this scope and language."""
    return ctx.bot.commands.get(_scope_key(p), [])


async def delete_my_commands(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Drop commands for a scope and language."""
    ctx.bot.commands.pop(_scope_key(p), None)
    return True


async def send_chat_action(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Record a chat action (typing, upload_photo, ...)."""
    conv = ctx.chat(p)
    if p["action"] not in ACTIONS:
        raise bad_request("wrong parameter action in request")
    ctx.bot.chat_actions.append(
        {
            "chat_id": conv.chat_id,
            "action": p["action"],
            "date": ctx.state.now(),
            "message_thread_id": p.get("message_thread_id"),
        }
    )
    del ctx.bot.chat_actions[:-100]
    ctx.state.notifier.changed()
    return True


METHODS = {
    "getMe": get_me,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "sendChatAction": send_chat_action,
}
