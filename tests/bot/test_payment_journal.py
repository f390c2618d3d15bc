"""The payment journal: taken-but-unsettled payments survive the process; a torn last line is ignored;
the update queue writes a payment before anything else sees it."""

from __future__ import annotations

from pathlib import Path

from telegram import Chat, Message, SuccessfulPayment, Update, User

from bot.payment_journal import JournaledQueue, PaymentJournal, TakenPayment


def taken(charge: str, order: int = 1) -> TakenPayment:
    return TakenPayment(update_id=order, chat_id=42, language="es", payload=f"order:{order}", total_amount=49900,
                        currency="NOK", charge_id=charge)


def test_pending_survives_and_restart_keeps_only_it(tmp_path: Path) -> None:
    journal = PaymentJournal(tmp_path / "var" / "payments.journal")
    journal.taken(taken("a", 1))
    journal.taken(taken("b", 2))
    journal.taken(taken("a", 1))  # Telegram delivered it again
    journal.settled("a")
    journal.taken(taken("c", 3))
    journal.close()
    with journal.path.open("a") as f:
        f.write('{"settled":"c')  # the process died in the middle of a line
    again = PaymentJournal(journal.path)
    assert again.pending() == [taken("b", 2), taken("c", 3)]
    again.restart(again.pending())
    assert PaymentJournal(journal.path).pending() == [taken("b", 2), taken("c", 3)]
    again.settled("b")
    again.settled("c")
    again.close()
    assert PaymentJournal(journal.path).pending() == []


def test_no_file_means_nothing_pending_and_restart_writes_nothing(tmp_path: Path) -> None:
    journal = PaymentJournal(tmp_path / "none")
    assert journal.pending() == []
    journal.restart([])
    assert not journal.path.exists()


async def test_the_queue_writes_a_payment_before_it_is_queued_and_nothing_else(tmp_path: Path) -> None:
    journal = PaymentJournal(tmp_path / "payments.journal")
    queue = JournaledQueue(journal)
    buyer = User(42, "María", False, language_code="es")
    paid = Message(7, None, Chat(42, "private"), from_user=buyer, successful_payment=SuccessfulPayment(
        "NOK", 49900, "order:5", "tg-charge-5", "provider-charge-5"))
    text = Message(8, None, Chat(42, "private"), from_user=buyer, text="hola")
    await queue.put(Update(100, message=text))
    await queue.put(Update(101, message=paid))
    assert journal.pending() == [TakenPayment(update_id=101, chat_id=42, language="es", payload="order:5",
                                              total_amount=49900, currency="NOK", charge_id="tg-charge-5")]
    assert queue.qsize() == 2
    journal.close()
