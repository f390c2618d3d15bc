"""A small local append-only file of lines, shared by the bot's journals (outbox, payments)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


class JournalFile:
    """Each line is one small `write` to an O_APPEND file: a killed process leaves at most its last line
    cut short (readers skip it), and only the machine losing power could lose a line written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def lines(self) -> list[str]:
        """Every line written so far (none when there is no file)."""
        if not self.path.exists():
            return []
        return self.path.read_text(encoding="utf-8", errors="replace").splitlines()

    def append(self, line: str) -> None:
        """Add one line (opened on first use)."""
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.write(self._fd, (line + "\n").encode())  # one small write: no blocking to speak of

    def rewrite(self, lines: Iterable[str]) -> None:
        """Replace the file by these lines at once (a temporary file, then a rename)."""
        self.close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        os.replace(tmp, self.path)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
