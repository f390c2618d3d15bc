"""Deliver the marketplace outbox: order alerts to sellers, order notifications to buyers.

The worker runs as a task in the bot process. It claims a batch of due messages with a lease
(`POST /outbox/claim`), sends each recipient's message, and reports it delivered only after
Telegram accepted it (`POST /outbox/{id}/delivered`, per recipient, idempotent). A failure is
reported with its error (`/failed`: exponential backoff in the marketplace); a flood-control 429
is waited out and retried, never dropped. After a crash nothing is lost: the lease runs out and
the message comes back with only the recipients not yet told. A message is never sent once its
lease is (nearly) over, so two workers never send the same one.

Pace: at most `outbox_max_rate` messages per second overall (under Telegram's ~30, on top of
the app's AIORateLimiter) and `outbox_chat_interval` seconds between two messages to one chat.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from datetime import timedelta

import httpx
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import RetryAfter, TelegramError

from bot.alerts import Alert, UnknownAlert, render
from bot.config import BotSettings
from bot.outbox_journal import SentJournal
from bot.metrics import metrics
from tradewind import request_id
from tradewind.paths import var_dir

log = logging.getLogger(__name__)


def retry_seconds(exc: RetryAfter) -> float:
    """Telegram's `retry_after` in seconds (PTB gives an int or a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class OutboxApi:
    """The marketplace's outbox routes over the bot's shared httpx client."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, service_token: str, *, timeout: float = 10.0) -> None:
        self._http, self._base, self._timeout = http, base_url.rstrip("/"), timeout
        self._headers = {"Authorization": f"Bearer {service_token}"}

    async def _post(self, path: str, body: dict | None = None) -> dict:
        response = await self._http.post(f"{self._base}{path}", headers=self._headers, json=body,
                                         timeout=self._timeout)
        response.raise_for_status()
        return response.json()

    async def claim(self, limit: int, lease_seconds: float) -> list[dict]:
        """Due messages, leased to us for `lease_seconds`."""
        return (await self._post("/outbox/claim", {"limit": limit, "lease_seconds": lease_seconds}))["messages"]

    async def delivered(self, message_id: int, recipient: str) -> None:
        """Telegram accepted the message for `recipient`."""
        await self._post(f"/outbox/{message_id}/delivered", {"recipient": recipient})

    async def failed(self, message_id: int, error: str, retry_after: float | None = None) -> None:
        """Sending failed; the marketplace schedules the next try."""
        await self._post(f"/outbox/{message_id}/failed", {"error": error[:2000] or "error", "retry_after": retry_after})


class RatePacer:
    """At most `rate` messages per second, evenly spaced; after a lull at most `burst` catch up at once."""

    def __init__(self, rate: float, burst: int = 3) -> None:
        self._gap, self._burst, self._next = 1.0 / rate, burst, 0.0

    def reserve(self) -> float:
        """Book the next send slot; returns how long to wait for it."""
        now = time.monotonic()
        slot = max(self._next, now - self._burst * self._gap)
        self._next = slot + self._gap
        return max(0.0, slot - now)


class ChatPacer:
    """Spaces messages to the same chat at least `interval` seconds apart (reservations, no locks)."""

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._next: dict[int, float] = {}

    def reserve(self, chat_id: int) -> float:
        """Book the chat's next slot; returns how long to wait for it."""
        now = time.monotonic()
        if len(self._next) > 50_000:  # forget chats whose slot is long past
            self._next = {c: t for c, t in self._next.items() if t > now}
        slot = max(now, self._next.get(chat_id, 0.0))
        self._next[chat_id] = slot + self._interval
        return slot - now


class OutboxWorker:
    """Claims, sends and acknowledges outbox messages until stopped."""

    def __init__(self, bot: Bot, api: OutboxApi, settings: BotSettings) -> None:
        self._bot, self._api, self._settings = bot, api, settings
        self._rate = RatePacer(settings.outbox_max_rate)
        self._pacer = ChatPacer(settings.outbox_chat_interval)
        self._stopping = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._deadline: dict[int, float] = {}  # outbox id -> monotonic time after which we must not send
        self._paused_until = 0.0  # Telegram said "retry after": nobody sends before this
        self.sent = 0
        self._journal = SentJournal(settings.outbox_journal or var_dir() / "outbox-sent.journal")
        self._unrecorded: set[tuple[int, str]] = set()  # sent by an earlier run, not yet recorded

    def start(self) -> None:
        """Start the claim loop as a task of the running event loop."""
        if self._runner is None:
            self._unrecorded = self._journal.unrecorded()
            self._runner = asyncio.get_running_loop().create_task(self._run(), name="outbox-worker")

    async def stop(self, grace: float = 5.0) -> None:
        """Stop claiming, let sends in progress finish (up to `grace` s), hand unsent messages back."""
        if self._runner is None or self._stopping.is_set():
            return
        self._stopping.set()
        await self._runner
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        self._journal.close()

    async def _catch_up(self) -> None:
        """Record what an earlier run sent but could not record (it died in between); start a fresh journal."""
        for message_id, recipient in sorted(self._unrecorded):
            try:
                await self._api.delivered(message_id, recipient)
                self._unrecorded.discard((message_id, recipient))
            except httpx.HTTPError as exc:  # kept: when the message comes back, it is recorded, not sent
                log.warning("outbox %s: cannot record the earlier delivery to %s yet: %s", message_id, recipient, exc)
        self._journal.restart(self._unrecorded)

    async def _sleep(self, seconds: float) -> bool:
        """Sleep unless stopping; True when stopping."""
        if seconds > 0:
            try:
                await asyncio.wait_for(self._stopping.wait(), seconds)
            except TimeoutError:
                pass
        return self._stopping.is_set()

    async def _run(self) -> None:
        failures = 0
        stopped = asyncio.get_running_loop().create_task(self._stopping.wait())
        try:
            await self._catch_up()
            while not self._stopping.is_set():
                # One request id per round: the claim and the acknowledgements of what it brought.
                with request_id.bound(request_id=request_id.new("outbox-")):
                    failures = await self._claim_once(failures, stopped)
        finally:
            stopped.cancel()

    async def _claim_once(self, failures: int, stopped: asyncio.Task) -> int:
        """One round: claim what fits and start sending it; returns the count of failed claims in a row."""
        settings = self._settings
        room = settings.outbox_batch_size - len(self._tasks)
        if room < max(1, settings.outbox_batch_size // 2):  # enough in hand; claim more once half is sent
            await asyncio.wait(set(self._tasks) | {stopped}, timeout=settings.outbox_poll_interval,
                               return_when=asyncio.FIRST_COMPLETED)
            return failures
        asked = time.monotonic()  # the lease starts no earlier than this
        try:
            messages = await self._api.claim(room, settings.outbox_lease_seconds)
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            failures += 1
            if failures in (1, 10) or failures % 100 == 0:
                log.warning("outbox: cannot claim from the marketplace (%s failures in a row): %s", failures, exc)
            await self._sleep(min(30.0, settings.outbox_poll_interval * 2 ** min(failures, 5)))
            return failures
        # Stop sending a bit before the lease ends: after that the message may belong to someone else.
        deadline = asked + settings.outbox_lease_seconds - max(5.0, settings.outbox_lease_seconds / 10)
        for message in messages:
            known = message["id"] in self._deadline
            self._deadline[message["id"]] = deadline
            if not known:  # a message we still hold came back because its lease ran out: keep one copy
                task = asyncio.get_running_loop().create_task(self._deliver(message))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        if not messages:
            await self._sleep(settings.outbox_poll_interval)
        return 0

    async def _deliver(self, message: dict) -> None:
        """Send every recipient's message in turn, each acknowledged once Telegram accepted it; one
        recipient's failure (blocked the bot, …) does not hold back the others."""
        message_id, errors = message["id"], []
        try:
            for delivery in message["deliveries"]:
                recipient = delivery["recipient"]
                if (message_id, recipient) in self._unrecorded:  # an earlier run sent it and died: record only
                    await self._acknowledge(message_id, recipient)
                    self._unrecorded.discard((message_id, recipient))
                    continue
                try:
                    alert = render(message, delivery)
                    if not await self._send(message_id, delivery["chat_id"], alert, recipient):
                        return  # stopping, or the lease is over: the message comes back as it is
                except (UnknownAlert, KeyError, ValueError) as exc:
                    log.error("outbox %s: cannot render %s for the %s: %s", message_id, message["topic"], recipient, exc)
                    metrics().alerts_failed.labels(reason="render").inc()
                    errors.append(f"{recipient}: cannot render: {exc}")
                    continue
                except TelegramError as exc:
                    log.info("outbox %s: %s not delivered to the %s: %s", message_id, message["topic"], recipient, exc)
                    metrics().alerts_failed.labels(reason="telegram").inc()
                    errors.append(f"{recipient}: {type(exc).__name__}: {exc}")
                    continue
                self.sent += 1
                metrics().alerts_sent.inc()
                await self._acknowledge(message_id, recipient)
            if errors:
                await self._report_failure(message_id, "; ".join(errors))
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the worker; the message is retried later
            log.exception("outbox %s: unexpected error", message_id)
            await self._report_failure(message_id, f"{type(exc).__name__}: {exc}")
        finally:
            self._deadline.pop(message_id, None)

    async def _send(self, message_id: int, chat_id: int, alert: Alert, recipient: str) -> bool:
        """Send once Telegram allows it; False when we must leave the message (stopping, lease over)."""
        wait = self._pacer.reserve(chat_id)
        while True:
            wait = max(wait, self._paused_until - time.monotonic())
            if await self._sleep(wait) or await self._sleep(self._rate.reserve()):  # the chat's turn, then ours
                await self._report_failure(message_id, "the worker stopped before sending", retry_after=0)
                return False
            if time.monotonic() >= self._deadline.get(message_id, 0.0):
                log.warning("outbox %s: lease nearly over before sending; it will come back", message_id)
                return False
            try:
                await self._bot.send_message(chat_id, alert.text, parse_mode=ParseMode.HTML, reply_markup=alert.markup)
                self._journal.sent(message_id, recipient)  # before anything else can go wrong
                return True
            except RetryAfter as exc:  # the rate limiter's own retries ran out: wait, then try again
                wait = retry_seconds(exc) + 0.1
                self._paused_until = max(self._paused_until, time.monotonic() + wait)
                metrics().alerts_retried.inc()
                log.warning("outbox %s: flood control, retrying in %.1f s", message_id, wait)

    async def _acknowledge(self, message_id: int, recipient: str) -> None:
        """Tell the marketplace; retried, since a lost acknowledgement means sending again later."""
        for attempt in range(12):
            try:
                await self._api.delivered(message_id, recipient)
                self._journal.recorded(message_id, recipient)
                return
            except httpx.HTTPError as exc:
                log.warning("outbox %s: cannot record delivery to %s (try %s): %s", message_id, recipient,
                            attempt + 1, exc)
                await asyncio.sleep(min(5.0, 0.2 * 2 ** attempt))
        log.error("outbox %s: delivery to %s not recorded; it may be sent again", message_id, recipient)

    async def _report_failure(self, message_id: int, error: str, retry_after: float | None = None) -> None:
        try:
            await self._api.failed(message_id, error, retry_after)
        except httpx.HTTPError as exc:  # the lease runs out and the message comes back anyway
            log.warning("outbox %s: cannot report the failure: %s", message_id, exc)
