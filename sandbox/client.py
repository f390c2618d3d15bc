"""Async Python client for the sandbox control API (for tests, scripts and benchmarks)."""

from __future__ import annotations

import base64
import logging
from typing import Any

import httpx

Json = dict[str, Any]


class SandboxError(RuntimeError):
    """The control API refused an action."""


class SandboxClient:
    """Drive the emulator as people do: create bots/users/groups, chat, press buttons, pay."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        """base_url like http://127.0.0.1:8081 (no trailing slash needed)."""
        logging.getLogger("httpx").setLevel(logging.WARNING)  # httpx logs URLs, and Bot API URLs hold tokens
        self.base_url = base_url.rstrip("/")
        plain = self.base_url.startswith("http://")  # no TLS: skip loading CA certificates
        self.http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout, verify=not plain)
        self._cursor: dict[tuple[str | None, int], int] = {}

    async def __aenter__(self) -> SandboxClient:
        """Use as async context manager."""
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Close the HTTP client."""
        await self.close()

    async def close(self) -> None:
        """Close the HTTP client."""
        await self.http.aclose()

    @property
    def bot_api_url(self) -> str:
        """base_url for telegram.Bot(base_url=...)."""
        return f"{self.base_url}/bot"

    @property
    def file_url(self) -> str:
        """base_file_url for telegram.Bot(base_file_url=...)."""
        return f"{self.base_url}/file/bot"

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call the control API and unwrap {"ok", "result"}."""
        resp = await self.http.request(method, path, **kwargs)
        data = resp.json()
        if not data.get("ok"):
            raise SandboxError(data.get("error") or data.get("description") or resp.text)
        return data["result"]

    def _note(self, bot: str | None, msg: Json) -> Json:
        """Advance the wait cursor past a message we know about."""
        key = (bot, int(msg["chat"]["id"]))
        self._cursor[key] = max(self._cursor.get(key, 0), int(msg["message_id"]))
        return msg

    async def reset(self) -> None:
        """Forget everything on the server."""
        await self._call("POST", "/sandbox/reset")
        self._cursor.clear()

    async def create_bot(
        self, token: str | None = None, username: str | None = None, first_name: str = "Sandbox Bot"
    ) -> Json:
        """Register a bot; returns {"token", "user"}."""
        return await self._call(
            "POST",
            "/sandbox/bots",
            json={"token": token, "username": username, "first_name": first_name},
        )

    async def create_user(
        self,
        first_name: str,
        username: str | None = None,
        language_code: str | None = None,
        last_name: str | None = None,
    ) -> Json:
        """Register a user; returns the User object."""
        return await self._call(
            "POST",
            "/sandbox/users",
            json={
                "first_name": first_name,
                "username": username,
                "language_code": language_code,
                "last_name": last_name,
            },
        )

    async def create_group(
        self,
        title: str,
        members: list[int] = (),
        bots: list[str] = (),  # type: ignore[assignment]
        forum: bool = False,
        username: str | None = None,
    ) -> Json:
        """Create a supergroup (forum if forum=True) with members and bots; returns the Chat."""
        return await self._call(
            "POST",
            "/sandbox/groups",
            json={
                "title": title,
                "members": list(members),
                "bots": list(bots),
                "forum": forum,
                "username": username,
            },
        )

    async def add_member(
        self, chat_id: int, user_id: int | None = None, bot: str | None = None
    ) -> None:
        """Add a user or a bot to a group."""
        await self._call(
            "POST", f"/sandbox/groups/{chat_id}/members", json={"user_id": user_id, "bot": bot}
        )

    async def create_topic(self, chat_id: int, name: str, user_id: int | None = None) -> Json:
        """Open a forum topic as a user; returns the ForumTopic."""
        return await self._call(
            "POST", f"/sandbox/groups/{chat_id}/topics", json={"name": name, "user_id": user_id}
        )

    async def send_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        bot: str | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> Json:
        """Send text as a user (private chat with bot by default); returns the Message."""
        msg = await self._call(
            "POST",
            "/sandbox/messages",
            json={
                "user_id": user_id,
                "text": text,
                "chat_id": chat_id,
                "bot": bot,
                "message_thread_id": thread_id,
                "reply_to_message_id": reply_to,
            },
        )
        return self._note(bot, msg)

    async def send_command(self, user_id: int, command: str, args: str = "", **kwargs: Any) -> Json:
        """Send /command [args] as a user."""
        text = "/" + command.lstrip("/") + (" " + args if args else "")
        return await self.send_text(user_id, text, **kwargs)

    async def send_photo(
        self,
        user_id: int,
        content: bytes,
        caption: str | None = None,
        chat_id: int | None = None,
        bot: str | None = None,
        thread_id: int | None = None,
    ) -> Json:
        """Send a photo as a user."""
        msg = await self._call(
            "POST",
            "/sandbox/messages",
            json={
                "user_id": user_id,
                "photo_base64": base64.b64encode(content).decode(),
                "caption": caption,
                "chat_id": chat_id,
                "bot": bot,
                "message_thread_id": thread_id,
                "mime_type": "image/jpeg",
            },
        )
        return self._note(bot, msg)

    async def send_document(
        self,
        user_id: int,
        content: bytes,
        file_name: str,
        chat_id: int | None = None,
        bot: str | None = None,
        caption: str | None = None,
    ) -> Json:
        """Send a document as a user."""
        msg = await self._call(
            "POST",
            "/sandbox/messages",
            json={
                "user_id": user_id,
                "document_base64": base64.b64encode(content).decode(),
                "file_name": file_name,
                "chat_id": chat_id,
                "bot": bot,
                "caption": caption,
            },
        )
        return self._note(bot, msg)

    async def press_button(
        self,
        user_id: int,
        message_id: int,
        data: str | None = None,
        text: str | None = None,
        chat_id: int | None = None,
        bot: str | None = None,
    ) -> str:
        """Press an inline button by callback_data or label; returns the callback query id."""
        res = await self._call(
            "POST",
            "/sandbox/callbacks",
            json={
                "user_id": user_id,
                "message_id": message_id,
                "data": data,
                "text": text,
                "chat_id": chat_id,
                "bot": bot,
            },
        )
        return str(res["callback_query_id"])

    async def callback_answer(self, query_id: str) -> Json | None:
        """The bot's answerCallbackQuery for a pressed button (None until answered)."""
        return (await self._call("GET", f"/sandbox/callbacks/{query_id}"))["answer"]

    async def pay_invoice(
        self,
        user_id: int,
        message_id: int,
        chat_id: int | None = None,
        bot: str | None = None,
        total_amount: int | None = None,
        timeout: float | None = None,
        order_info: Json | None = None,
    ) -> Json:
        """Pay an invoice; returns {"status": "paid"|"declined"|"timeout", ...}."""
        res = await self._call(
            "POST",
            "/sandbox/payments",
            json={
                "user_id": user_id,
                "message_id": message_id,
                "chat_id": chat_id,
                "bot": bot,
                "total_amount": total_amount,
                "timeout": timeout,
                "order_info": order_info,
            },
        )
        if res.get("message"):
            self._note(bot, res["message"])
        return res

    async def messages(
        self,
        chat_id: int,
        bot: str | None = None,
        from_bot: bool = False,
        thread_id: int | None = None,
    ) -> list[Json]:
        """Messages in a chat (edits applied, deletions removed)."""
        params: dict[str, Any] = {"from_bot": "1" if from_bot else "0"}
        if bot:
            params["bot"] = bot
        if thread_id is not None:
            params["thread"] = thread_id
        return await self._call("GET", f"/sandbox/chats/{chat_id}/messages", params=params)

    async def bot_messages(self, chat_id: int, bot: str | None = None) -> list[Json]:
        """Only the messages bots sent to a chat."""
        return await self.messages(chat_id, bot, from_bot=True)

    async def wait_for_message(
        self, chat_id: int, bot: str | None = None, timeout: float = 5.0, after: int | None = None
    ) -> Json:
        """Next bot message in chat after the last one this client saw (or `after`)."""
        after = self._cursor.get((bot, chat_id), 0) if after is None else after
        params: dict[str, Any] = {"after": after, "timeout": timeout}
        if bot:
            params["bot"] = bot
        try:
            msg = await self._call(
                "GET", f"/sandbox/chats/{chat_id}/wait", params=params, timeout=timeout + 5
            )
        except SandboxError as exc:
            if "timeout" in str(exc):
                raise TimeoutError(f"no bot message in chat {chat_id} within {timeout}s") from exc
            raise
        return self._note(bot, msg)

    async def chat_actions(self, chat_id: int, bot: str | None = None) -> list[Json]:
        """Chat actions the bot sent to chat."""
        return await self._call(
            "GET", f"/sandbox/chats/{chat_id}/actions", params={"bot": bot} if bot else {}
        )

    async def unknown_params(self) -> list[Json]:
        """Parameters bots sent that the spec does not define."""
        return await self._call("GET", "/sandbox/unknown-params")

    async def calls(self) -> list[Json]:
        """Log of Bot API calls made by bots."""
        return await self._call("GET", "/sandbox/calls")

    async def pending_updates(self, bot: str) -> list[Json]:
        """Updates not yet confirmed by the bot."""
        return await self._call("GET", f"/sandbox/bots/{bot}/updates")

    async def resend_update(self, update_id: int | None = None, *, message: Json | None = None,
                            query: str | None = None, bot: str | None = None, same_id: bool = False) -> Json:
        """Deliver an earlier update again (duplicate delivery), by update_id, by the message it
        carried or by the id of the query it carried (a button press, a pre-checkout query);
        returns the copy."""
        body: Json = {"bot": bot, "update_id": update_id, "same_id": same_id, "query_id": query}
        if message is not None:
            body |= {"chat_id": message["chat"]["id"], "message_id": message["message_id"]}
        return await self._call("POST", "/sandbox/updates/resend", json=body)

    async def set_limits(self, **limits: Any) -> Json:
        """Tighten or loosen limits (see sandbox.settings.Limits)."""
        return await self._call("POST", "/sandbox/limits", json=limits)

    async def refused(self) -> Json:
        """429s the emulator's flood control gave so far: {"bot": n, "chat": n}."""
        return await self._call("GET", "/sandbox/flood")

    async def state(self) -> Json:
        """Overview of the world."""
        return await self._call("GET", "/sandbox/state")

    async def file_content(self, file_id: str) -> bytes:
        """Raw bytes of a stored file."""
        resp = await self.http.get(f"/sandbox/files/{file_id}")
        resp.raise_for_status()
        return resp.content
