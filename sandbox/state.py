"""In-memory world: bots, users, chats, conversations, files, pending queries, logs."""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from .errors import bad_request, forbidden

Json = dict[str, Any]
DEFAULT_UPDATES = {"message_reaction", "message_reaction_count", "chat_member"}


class Notifier:
    """Wakes every waiter whenever anything changes."""

    def __init__(self) -> None:
        """Create the first event lazily (inside the running loop)."""
        self._event: asyncio.Event | None = None

    def _current(self) -> asyncio.Event:
        """Event for the current generation."""
        if self._event is None:
            self._event = asyncio.Event()
        return self._event

    def changed(self) -> None:
        """Signal a change and start a new generation."""
        if self._event is not None:
            self._event.set()
        self._event = None

    async def wait(self, timeout: float) -> None:
        """Wait for the next change or timeout."""
        try:
            await asyncio.wait_for(self._current().wait(), max(0.0, timeout))
        except TimeoutError:
            pass


@dataclass
class Webhook:
    """Webhook configuration and delivery status."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class Bot:
    """A bot account with its update queue."""

    token: str
    user: Json
    updates: list[Json] = field(default_factory=list)
    next_update_id: int = 1
    allowed_updates: list[str] | None = None
    webhook: Webhook | None = None
    commands: dict[str, list[Json]] = field(default_factory=dict)
    poll_generation: int = 0
    chat_actions: list[Json] = field(default_factory=list)
    sent: dict[int, Json] = field(default_factory=dict)  # recent updates by id, for redelivery

    @property
    def id(self) -> int:
        """Bot user id."""
        return int(self.user["id"])


@dataclass
class Group:
    """A group/supergroup with members, bots and forum topics."""

    chat: Json
    members: set[int] = field(default_factory=set)
    bot_ids: set[int] = field(default_factory=set)
    topics: dict[int, Json] = field(default_factory=dict)
    closed_topics: set[int] = field(default_factory=set)

    @property
    def id(self) -> int:
        """Chat id."""
        return int(self.chat["id"])


@dataclass
class Conversation:
    """Message history of one chat as seen by one bot (private) or all bots (group)."""

    key: tuple[Any, ...]
    chat: Json
    messages: dict[int, Json] = field(default_factory=dict)
    next_id: int = 1
    extras: dict[int, Json] = field(default_factory=dict)
    reply_keyboard: Json | None = None

    @property
    def chat_id(self) -> int:
        """Chat id."""
        return int(self.chat["id"])


@dataclass
class StoredFile:
    """File content and metadata addressable by file_id."""

    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    mime_type: str = ""
    file_name: str = ""
    source_url: str | None = None


@dataclass
class PendingQuery:
    """A callback or pre-checkout query awaiting the bot's answer."""

    id: str
    bot_id: int
    kind: str
    payload: Json
    answer: Json | None = None
    context: Json = field(default_factory=dict)


class State:
    """The whole emulated world for one app instance."""

    def __init__(self) -> None:
        """Start empty."""
        self.bots: dict[str, Bot] = {}
        self.users: dict[int, Json] = {}
        self.groups: dict[int, Group] = {}
        self.convs: dict[tuple[Any, ...], Conversation] = {}
        self.files: dict[str, StoredFile] = {}
        self.photo_sets: dict[str, list[Json]] = {}
        self.queries: dict[str, PendingQuery] = {}
        self.unknown_params: list[Json] = []
        self.calls: list[Json] = []
        self.notifier = Notifier()
        self.closing = False
        self._user_ids = itertools.count(100000001)
        self._bot_ids = itertools.count(700000001)
        self._group_ids = itertools.count(1001000000001)
        self._query_ids = itertools.count(4000000000000001)

    def now(self) -> int:
        """Unix time."""
        return int(time.time())

    def bot_by_id(self, bot_id: int) -> Bot | None:
        """Find bot by user id."""
        return next((b for b in self.bots.values() if b.id == bot_id), None)

    def add_bot(
        self, token: str | None = None, username: str | None = None, first_name: str = "Sandbox Bot"
    ) -> Bot:
        """Register a bot account; token format is '<id>:<secret>' like Telegram's."""
        if token and token in self.bots:
            return self.bots[token]
        if token and token.split(":", 1)[0].isdigit():
            bot_id = int(token.split(":", 1)[0])
        else:
            bot_id = next(self._bot_ids)
            token = token or f"{bot_id}:{secrets.token_urlsafe(26)[:35]}"
        user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": username or f"sandbox{bot_id}_bot",
        }
        bot = self.bots[token] = Bot(token, user)
        return bot

    def add_user(
        self,
        first_name: str,
        username: str | None = None,
        language_code: str | None = None,
        last_name: str | None = None,
        user_id: int | None = None,
    ) -> Json:
        """Register a human user."""
        uid = user_id or next(self._user_ids)
        user: Json = {"id": uid, "is_bot": False, "first_name": first_name}
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value:
                user[key] = value
        self.users[uid] = user
        return user

    def add_group(
        self, title: str, forum: bool = False, username: str | None = None, chat_id: int | None = None
    ) -> Group:
        """Create a supergroup (optionally a forum; a fixed negative chat_id when given)."""
        if chat_id is not None and (chat_id >= 0 or chat_id in self.groups):
            raise ValueError(f"chat id {chat_id} is taken or not a group id")
        gid = chat_id if chat_id is not None else -next(self._group_ids)
        chat: Json = {"id": gid, "type": "supergroup", "title": title}
        if username:
            chat["username"] = username
        if forum:
            chat["is_forum"] = True
        group = self.groups[int(chat["id"])] = Group(chat)
        self.convs[("group", group.id)] = Conversation(("group", group.id), chat)
        return group

    def user_or_404(self, user_id: int) -> Json:
        """User by id or a ValueError."""
        if user_id not in self.users:
            raise KeyError(f"user {user_id} not found")
        return self.users[user_id]

    def private_conv(self, bot: Bot, user_id: int, create: bool = False) -> Conversation | None:
        """Private chat between bot and user (created on demand when create)."""
        key = ("private", bot.id, user_id)
        conv = self.convs.get(key)
        if conv is None and create:
            user = self.users[user_id]
            chat = {"id": user_id, "type": "private", "first_name": user["first_name"]}
            chat.update({k: user[k] for k in ("last_name", "username") if k in user})
            conv = self.convs[key] = Conversation(key, chat)
        return conv

    def resolve_chat(self, bot: Bot, chat_id: Any) -> Conversation:
        """Conversation for a bot-supplied chat_id, with Telegram's errors."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            group = next(
                (g for g in self.groups.values() if g.chat.get("username") == chat_id[1:]), None
            )
            if group is None:
                raise bad_request("chat not found")
            chat_id = group.id
        try:
            cid = int(chat_id)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        if cid > 0:
            conv = self.private_conv(bot, cid)
            if conv is not None:
                return conv
            if cid in self.users:
                raise forbidden("bot can't initiate conversation with a user")
            if self.bot_by_id(cid):
                raise forbidden("bot can't send messages to bots")
            raise bad_request("chat not found")
        group = self.groups.get(cid)
        if group is None:
            raise bad_request("chat not found")
        if bot.id not in group.bot_ids:
            raise forbidden("bot is not a member of the supergroup chat")
        return self.convs[("group", cid)]

    def new_query_id(self) -> str:
        """Telegram-like numeric string id for queries."""
        return str(next(self._query_ids))

    def log_call(self, bot: Bot, method: str, params: Json, unknown: list[str], limit: int) -> Json:
        """Record an API call and any parameters the spec does not define; returns the entry."""
        entry: Json = {"bot_id": bot.id, "method": method, "params": sorted(params)}
        self.calls.append(entry)
        for name in unknown:
            self.unknown_params.append({"bot_id": bot.id, "method": method, "param": name})
        del self.calls[:-limit]
        return entry
