"""The outbox journal: sent-but-unrecorded deliveries survive the process; a torn last line is ignored."""

from __future__ import annotations

from pathlib import Path

from bot.outbox_journal import SentJournal


def test_unrecorded_survives_and_restart_keeps_only_it(tmp_path: Path) -> None:
    journal = SentJournal(tmp_path / "var" / "sent.journal")
    journal.sent(7, "seller")
    journal.sent(7, "buyer")
    journal.recorded(7, "seller")
    journal.sent(8, "seller")
    journal.close()
    with journal.path.open("a") as f:
        f.write("sent 9")  # the process died in the middle of a line
    again = SentJournal(journal.path)
    assert again.unrecorded() == {(7, "buyer"), (8, "seller")}
    again.restart({(8, "seller")})
    assert SentJournal(journal.path).unrecorded() == {(8, "seller")}
    again.recorded(8, "seller")
    again.close()
    assert SentJournal(journal.path).unrecorded() == set()


def test_no_file_means_nothing_pending(tmp_path: Path) -> None:
    assert SentJournal(tmp_path / "none").unrecorded() == set()
