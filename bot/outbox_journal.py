"""What the outbox worker sent but the marketplace has not yet recorded, kept in a local file.

Telegram has no idempotency key, so a worker killed between "Telegram accepted the message" and "the
marketplace recorded the delivery" (one HTTP round trip) would send it again once the lease runs out.
The worker writes one line to this journal the moment Telegram accepts, and another once the
marketplace has recorded it; a restarted worker first records whatever the journal says was sent,
and never sends those again. The window left is the time to append one line (a write to the kernel,
which survives the process being killed; only the machine losing power could lose it).
One file per bot process: several instances on one host each need their own OUTBOX_JOURNAL.
"""

from __future__ import annotations

from pathlib import Path

from bot.journal_file import JournalFile

SENT, RECORDED = "sent", "recorded"


class SentJournal:
    """Append-only lines `sent <id> <recipient>` / `recorded <id> <recipient>`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = JournalFile(path)

    def unrecorded(self) -> set[tuple[int, str]]:
        """What was sent but never recorded, according to the file (read at start-up)."""
        pending: set[tuple[int, str]] = set()
        for line in self._file.lines():
            parts = line.split()
            if len(parts) != 3 or not parts[1].isascii() or not parts[1].isdigit():
                continue  # a line cut short by a crash
            entry = (int(parts[1]), parts[2])
            if parts[0] == SENT:
                pending.add(entry)
            elif parts[0] == RECORDED:
                pending.discard(entry)
        return pending

    def restart(self, still_pending: set[tuple[int, str]]) -> None:
        """Start a fresh file holding only what is still unrecorded."""
        self._file.rewrite(f"{SENT} {m} {r}" for m, r in sorted(still_pending))

    def sent(self, message_id: int, recipient: str) -> None:
        """Telegram accepted this message for this recipient."""
        self._file.append(f"{SENT} {message_id} {recipient}")

    def recorded(self, message_id: int, recipient: str) -> None:
        """The marketplace knows it was delivered."""
        self._file.append(f"{RECORDED} {message_id} {recipient}")

    def close(self) -> None:
        self._file.close()
