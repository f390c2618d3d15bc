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

import os
from pathlib import Path

SENT, RECORDED = "sent", "recorded"


class SentJournal:
    """Append-only lines `sent <id> <recipient>` / `recorded <id> <recipient>`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd: int | None = None

    def unrecorded(self) -> set[tuple[int, str]]:
        """What was sent but never recorded, according to the file (read at start-up)."""
        pending: set[tuple[int, str]] = set()
        if not self.path.exists():
            return pending
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
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
        self.close()
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text("".join(f"{SENT} {m} {r}\n" for m, r in sorted(still_pending)), encoding="utf-8")
        os.replace(tmp, self.path)

    def _append(self, kind: str, message_id: int, recipient: str) -> None:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.write(self._fd, f"{kind} {message_id} {recipient}\n".encode())  # one small write: no blocking to speak of

    def sent(self, message_id: int, recipient: str) -> None:
        """Telegram accepted this message for this recipient."""
        self._append(SENT, message_id, recipient)

    def recorded(self, message_id: int, recipient: str) -> None:
        """The marketplace knows it was delivered."""
        self._append(RECORDED, message_id, recipient)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
