"""The last few messages of each private chat, kept in memory for the support summary.

Only the latest `size` messages per person are kept, in this process; a restart forgets them
(with several bot instances, bot/shared_state.py keeps them in Redis for a day). When a conversation is handed to support, staff see them (translated) at the top of the topic.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Line:
    """One message: who wrote it ('person' or 'bot'), what, when (UTC)."""

    who: str
    text: str
    at: datetime


class ChatHistory:
    """A bounded ring of recent messages per chat; the least recently active chats are dropped first."""

    def __init__(self, size: int = 10, chats: int = 10_000) -> None:
        self._size, self._chats = size, chats
        self._lines: OrderedDict[int, deque[Line]] = OrderedDict()

    def add(self, chat_id: int, who: str, text: str) -> None:
        """Remember a message (empty texts are ignored)."""
        if not text.strip():
            return
        lines = self._lines.pop(chat_id, None) or deque(maxlen=self._size)
        lines.append(Line(who, text.strip(), datetime.now(UTC)))
        self._lines[chat_id] = lines
        while len(self._lines) > self._chats:
            self._lines.popitem(last=False)

    def last(self, chat_id: int) -> list[Line]:
        """The chat's recent messages, oldest first."""
        return list(self._lines.get(chat_id, ()))

    def forget(self, chat_id: int) -> None:
        """Drop a chat's messages (e.g. after /forgetme)."""
        self._lines.pop(chat_id, None)
