"""JSON control API under /sandbox/...: set up the world, act as users, read what bots sent."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import actions
from .actions import ActionError
from .errors import ApiError
from .messaging import bots_of, snapshot
from .methods.forum import open_topic
from .params import Upload
from .runtime import Runtime
from .state import Bot, Json
from .updates import enqueue, find_query, find_sent, resend

Endpoint = Callable[[Request], Awaitable[Any]]


def rt_of(request: Request) -> Runtime:
    """The runtime behind this app."""
    return request.app.state.rt


def endpoint(fn: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a handler: JSON {"ok": true, "result": ...} or {"ok": false, "error": ...} with 400."""

    async def wrapper(request: Request) -> Response:
        try:
            result = await fn(request)
        except (ActionError, KeyError, ValueError, ApiError) as exc:
            text = exc.description if isinstance(exc, ApiError) else str(exc).strip("'\"")
            return JSONResponse({"ok": False, "error": text}, status_code=400)
        if isinstance(result, Response):
            return result
        return JSONResponse({"ok": True, "result": result})

    return wrapper


async def body(request: Request) -> dict[str, Any]:
    """JSON or multipart body as a dict (file parts become Upload)."""
    if "multipart/form-data" in request.headers.get("content-type", ""):
        form = await request.form()
        out: dict[str, Any] = {}
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                out[key] = Upload(
                    value.filename or key, await value.read(), value.content_type or ""
                )
            else:
                out[key] = value
        return out
    raw = await request.body()
    return (await request.json()) if raw.strip() else {}


def find_bot(rt: Runtime, ref: Any) -> Bot | None:
    """Bot by token, id or username; the only bot when ref is empty."""
    bots = list(rt.state.bots.values())
    if ref in (None, ""):
        return bots[0] if len(bots) == 1 else None
    ref = str(ref)
    for bot in bots:
        if ref in (
            bot.token,
            str(bot.id),
            bot.user.get("username"),
            "@" + str(bot.user.get("username")),
        ):
            return bot
    raise ActionError(f"bot {ref} not found")


def opt_int(value: Any) -> int | None:
    """int or None for optional numeric inputs."""
    return None if value in (None, "") else int(value)


def conv_from(rt: Runtime, data: dict[str, Any], user_id: int | None = None) -> Any:
    """Conversation addressed by chat_id (+ bot for private chats) as seen by user_id."""
    chat_id = opt_int(data.get("chat_id"))
    uid = user_id if user_id is not None else (chat_id if chat_id and chat_id > 0 else None)
    if uid is None:
        group = rt.state.groups.get(chat_id or 0)
        if group is None:
            raise ActionError(f"chat {chat_id} not found")
        return rt.state.convs[("group", group.id)]
    return actions.conversation(rt, find_bot(rt, data.get("bot")), uid, chat_id)


async def get_state(request: Request) -> Any:
    """Overview of bots, users, groups and conversations (used by the web page)."""
    st = rt_of(request).state
    return {
        "bots": [
            {
                "token": b.token,
                "user": b.user,
                "webhook": b.webhook.url if b.webhook else None,
                "pending_updates": len(b.updates),
            }
            for b in st.bots.values()
        ],
        "users": list(st.users.values()),
        "groups": [
            {
                "chat": g.chat,
                "members": sorted(g.members),
                "bot_ids": sorted(g.bot_ids),
                "topics": list(g.topics.values()),
            }
            for g in st.groups.values()
        ],
        "chats": [
            {
                "chat": c.chat,
                "bot_id": c.key[1] if c.key[0] == "private" else None,
                "message_count": len(c.messages),
                "reply_keyboard": c.reply_keyboard,
            }
            for c in st.convs.values()
        ],
    }


async def reset(request: Request) -> Any:
    """Forget everything."""
    rt_of(request).reset()
    return True


async def create_bot(request: Request) -> Any:
    """Register a bot; returns token and bot user."""
    d = await body(request)
    bot = rt_of(request).state.add_bot(
        d.get("token"), d.get("username"), d.get("first_name") or "Sandbox Bot"
    )
    return {"token": bot.token, "user": bot.user}


async def create_user(request: Request) -> Any:
    """Register a user."""
    d = await body(request)
    return rt_of(request).state.add_user(
        d.get("first_name") or "User",
        d.get("username"),
        d.get("language_code"),
        d.get("last_name"),
        opt_int(d.get("id")),
    )


async def create_group(request: Request) -> Any:
    """Create a supergroup (forum when forum=true) with user and bot members."""
    rt, d = rt_of(request), await body(request)
    group = rt.state.add_group(d.get("title") or "Group", bool(d.get("forum")), d.get("username"))
    for uid in d.get("members") or []:
        rt.state.user_or_404(int(uid))
        group.members.add(int(uid))
    for ref in d.get("bots") or []:
        group.bot_ids.add(find_bot(rt, ref).id)  # type: ignore[union-attr]
    return group.chat


async def add_member(request: Request) -> Any:
    """Add a user (user_id) or a bot (bot) to a group."""
    rt, d = rt_of(request), await body(request)
    group = rt.state.groups[int(request.path_params["chat_id"])]
    if d.get("user_id") is not None:
        group.members.add(int(rt.state.user_or_404(int(d["user_id"]))["id"]))
    if d.get("bot") is not None:
        group.bot_ids.add(find_bot(rt, d["bot"]).id)  # type: ignore[union-attr]
    return True


async def create_topic(request: Request) -> Any:
    """A member opens a forum topic; bots get the service message."""
    rt, d = rt_of(request), await body(request)
    group = rt.state.groups[int(request.path_params["chat_id"])]
    creator = (
        rt.state.user_or_404(int(d["user_id"]))
        if d.get("user_id")
        else next(iter(rt.state.bots.values())).user
    )
    topic = open_topic(
        rt.state, group, creator, str(d.get("name") or ""), opt_int(d.get("icon_color"))
    )
    conv = rt.state.convs[("group", group.id)]
    if not creator.get("is_bot"):
        for bot in bots_of(rt.state, conv):
            enqueue(rt.state, bot, "message", snapshot(conv.messages[topic["message_thread_id"]]))
    return topic


async def send_message(request: Request) -> Any:
    """A user sends text, a photo or a document (JSON with *_base64 or multipart)."""
    rt, d = rt_of(request), await body(request)
    uid = int(d["user_id"])
    conv = actions.conversation(rt, find_bot(rt, d.get("bot")), uid, opt_int(d.get("chat_id")))
    thread = opt_int(d.get("message_thread_id"))
    for kind in ("photo", "document"):
        upload = d.get(kind)
        if d.get(f"{kind}_base64"):
            upload = Upload(
                d.get("file_name") or f"{kind}.bin",
                base64.b64decode(d[f"{kind}_base64"]),
                d.get("mime_type") or "",
            )
        if isinstance(upload, Upload):
            return actions.send_media(rt, uid, conv, kind, upload, d.get("caption"), thread)
    return actions.send_text(
        rt, uid, conv, str(d.get("text") or ""), thread, opt_int(d.get("reply_to_message_id"))
    )


async def press(request: Request) -> Any:
    """A user presses an inline button."""
    rt, d = rt_of(request), await body(request)
    uid = int(d["user_id"])
    conv = conv_from(rt, d, uid)
    qid = actions.press_button(rt, uid, conv, int(d["message_id"]), d.get("data"), d.get("text"))
    return {"callback_query_id": qid}


async def callback_answer(request: Request) -> Any:
    """The bot's answer to a callback query (null until answered)."""
    return {"answer": actions.callback_answer(rt_of(request), request.path_params["qid"])}


async def pay(request: Request) -> Any:
    """A user pays an invoice (total_amount may be tampered for tests)."""
    rt, d = rt_of(request), await body(request)
    uid = int(d["user_id"])
    conv = conv_from(rt, d, uid)
    timeout = d.get("timeout")
    return await actions.pay_invoice(
        rt,
        uid,
        conv,
        int(d["message_id"]),
        opt_int(d.get("total_amount")),
        d.get("order_info"),
        None if timeout is None else float(timeout),
    )


def _messages(rt: Runtime, request: Request) -> list[Json]:
    """Messages of the addressed chat, optionally only bot ones / after an id / in a thread."""
    q = request.query_params
    conv = conv_from(rt, {"chat_id": request.path_params["chat_id"], "bot": q.get("bot")})
    after, thread = int(q.get("after") or 0), opt_int(q.get("thread"))
    out = [m for m in conv.messages.values() if m["message_id"] > after]
    if q.get("from_bot") in ("1", "true"):
        out = [m for m in out if m["from"].get("is_bot")]
    if thread is not None:
        out = [m for m in out if m.get("message_thread_id") == thread]
    return [snapshot(m) for m in out]


async def list_messages(request: Request) -> Any:
    """Chat history with edits applied."""
    return _messages(rt_of(request), request)


async def wait_message(request: Request) -> Any:
    """Wait for the next bot message after `after` (404 ok=false on timeout)."""
    rt = rt_of(request)
    timeout = min(60.0, float(request.query_params.get("timeout") or 5))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        found = [m for m in _messages(rt, request) if m["from"].get("is_bot")]
        if found:
            return found[0]
        if loop.time() >= deadline or rt.state.closing:
            raise ActionError("timeout waiting for a bot message")
        await rt.state.notifier.wait(deadline - loop.time())


async def chat_actions(request: Request) -> Any:
    """Chat actions (typing, ...) the bot sent."""
    rt = rt_of(request)
    bot = find_bot(rt, request.query_params.get("bot"))
    cid = int(request.path_params["chat_id"])
    return [a for a in (bot.chat_actions if bot else []) if a["chat_id"] == cid]


async def unknown_params(request: Request) -> Any:
    """Parameters bots sent that the spec does not define."""
    return rt_of(request).state.unknown_params


async def calls(request: Request) -> Any:
    """Log of Bot API calls (method and parameter names)."""
    return rt_of(request).state.calls


async def limits(request: Request) -> Any:
    """Read or update limits (POST a partial object)."""
    rt = rt_of(request)
    if request.method == "POST":
        for key, value in (await body(request)).items():
            if not hasattr(rt.settings.limits, key):
                raise ActionError(f"unknown limit {key}")
            setattr(rt.settings.limits, key, type(getattr(rt.settings.limits, key))(value))
        rt.flood.reset()
    return dataclasses.asdict(rt.settings.limits)


async def flood(request: Request) -> Any:
    """How many requests flood control refused (429) since the emulator started, by the limit hit."""
    return dict(rt_of(request).flood.refused)


async def bot_updates(request: Request) -> Any:
    """Pending (unconfirmed) updates of a bot."""
    bot = find_bot(rt_of(request), request.path_params["bot"])
    return list(bot.updates) if bot else []


async def resend_update(request: Request) -> Any:
    """Deliver an earlier update to the bot again (duplicate delivery, as Telegram may do)."""
    rt, d = rt_of(request), await body(request)
    bot = find_bot(rt, d.get("bot"))
    if bot is None:
        raise ActionError("unknown bot")
    update_id = d.get("update_id")
    if update_id is None and d.get("query_id") is not None:
        update_id = find_query(bot, str(d["query_id"]))
    elif update_id is None:
        update_id = find_sent(bot, int(d["chat_id"]), int(d["message_id"]))
    return resend(rt.state, bot, int(update_id), bool(d.get("same_id")))


async def file_bytes(request: Request) -> Response:
    """Raw file content by file_id (for the web page)."""
    stored = rt_of(request).state.files.get(request.path_params["file_id"])
    if stored is None:
        return JSONResponse({"ok": False, "error": "file not found"}, status_code=404)
    return Response(stored.content, media_type=stored.mime_type or "application/octet-stream")


def routes() -> list[Route]:
    """Routes of the control API."""
    table: list[tuple[str, Endpoint, list[str]]] = [
        ("/sandbox/state", get_state, ["GET"]),
        ("/sandbox/reset", reset, ["POST"]),
        ("/sandbox/bots", create_bot, ["POST"]),
        ("/sandbox/users", create_user, ["POST"]),
        ("/sandbox/groups", create_group, ["POST"]),
        ("/sandbox/groups/{chat_id}/members", add_member, ["POST"]),
        ("/sandbox/groups/{chat_id}/topics", create_topic, ["POST"]),
        ("/sandbox/messages", send_message, ["POST"]),
        ("/sandbox/callbacks", press, ["POST"]),
        ("/sandbox/callbacks/{qid}", callback_answer, ["GET"]),
        ("/sandbox/payments", pay, ["POST"]),
        ("/sandbox/chats/{chat_id}/messages", list_messages, ["GET"]),
        ("/sandbox/chats/{chat_id}/wait", wait_message, ["GET"]),
        ("/sandbox/chats/{chat_id}/actions", chat_actions, ["GET"]),
        ("/sandbox/unknown-params", unknown_params, ["GET"]),
        ("/sandbox/calls", calls, ["GET"]),
        ("/sandbox/limits", limits, ["GET", "POST"]),
        ("/sandbox/flood", flood, ["GET"]),
        ("/sandbox/bots/{bot}/updates", bot_updates, ["GET"]),
        ("/sandbox/updates/resend", resend_update, ["POST"]),
    ]
    out = [Route(path, endpoint(fn), methods=methods) for path, fn, methods in table]
    out.append(Route("/sandbox/files/{file_id}", file_bytes, methods=["GET"]))
    return out
