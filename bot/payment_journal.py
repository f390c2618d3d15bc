"""Payments Telegram took that the marketplace has not answered yet, kept in a local file.

Telegram sends a `successful_payment` once, and counts it delivered as soon as the bot acknowledges
the update: a poller by asking for the next offset, a webhook by answering 200. python-telegram-bot
does both right after putting the update in its queue, before any handler runs, so a bot killed in
between (or while the marketplace is down and the payment is being retried) would lose a payment the
buyer was charged for. Here the queue itself writes the payment to this journal *before* the update
is acknowledged; the handler writes a second line once the marketplace has answered (recorded, or
refused for good); a restarted bot records whatever the journal still holds. The window left is one
file append. One file per bot process: several instances on one host each need their own
PAYMENT_JOURNAL.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from telegram import Update

from bot.journal_file import JournalFile

log = logging.getLogger(__name__)

TAKEN, SETTLED = "taken", "settled"


@dataclass(frozen=True)
class TakenPayment:
    """What a `successful_payment` update says, enough to record it and tell the buyer."""

    update_id: int
    chat_id: int
    language: str | None
    payload: str
    total_amount: int  # in the currency's smallest unit, as Telegram sends it
    currency: str
    charge_id: str

    @classmethod
    def of(cls, update: Update) -> TakenPayment | None:
        """The payment in an update, or None when the update holds none."""
        message = update.message
        if message is None or message.successful_payment is None:
            return None
        payment = message.successful_payment
        return cls(update_id=update.update_id, chat_id=message.chat_id,
                   language=message.from_user.language_code if message.from_user else None,
                   payload=payment.invoice_payload, total_amount=payment.total_amount,
                   currency=payment.currency, charge_id=payment.telegram_payment_charge_id)


class PaymentJournal:
    """Append-only JSON lines: `{"taken": {...}}` when a payment arrives, `{"settled": charge}` when done."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = JournalFile(path)

    def pending(self) -> list[TakenPayment]:
        """Payments taken but never settled, in arrival order (read at start-up)."""
        taken: dict[str, TakenPayment] = {}
        for line in self._file.lines():
            try:
                entry = json.loads(line)
                if TAKEN in entry:
                    payment = TakenPayment(**entry[TAKEN])
                    taken.setdefault(payment.charge_id, payment)
                elif SETTLED in entry:
                    taken.pop(str(entry[SETTLED]), None)
            except (ValueError, TypeError, AttributeError):
                continue  # a line cut short by a crash
        return list(taken.values())

    def restart(self, still_pending: list[TakenPayment]) -> None:
        """Start a fresh file holding only what is still pending."""
        self.close()
        if still_pending or self.path.exists():
            self._file.rewrite(_line(TAKEN, asdict(p)) for p in still_pending)

    def taken(self, payment: TakenPayment) -> None:
        """Telegram took this payment; nothing has recorded it yet."""
        self._file.append(_line(TAKEN, asdict(payment)))

    def settled(self, charge_id: str) -> None:
        """The marketplace answered for this payment: recorded (now or before), or refused for good."""
        self._file.append(_line(SETTLED, charge_id))

    def close(self) -> None:
        self._file.close()


def _line(kind: str, value: object) -> str:
    return json.dumps({kind: value}, ensure_ascii=False, separators=(",", ":"))


class JournaledQueue(asyncio.Queue):
    """python-telegram-bot's update queue, writing each payment to the journal as it is queued, which is
    before the poller or the webhook acknowledges the update to Telegram."""

    def __init__(self, journal: PaymentJournal) -> None:
        super().__init__()
        self.journal = journal

    async def put(self, item: object) -> None:
        """Journal a payment, then queue the update as usual."""
        if isinstance(item, Update) and (payment := TakenPayment.of(item)) is not None:
            self.journal.taken(payment)
        await super().put(item)
