"""What staff read in the support group: topic titles, the opening summary, /queue and /stats.

Everything is HTML-escaped here; long parts are cut at line boundaries so tags never break.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency

from bot.handoff_texts import staff
from bot.history import Line

FINAL = frozenset({"completed", "released", "refunded", "cancelled"})
TITLE_LIMIT, NAME_LIMIT, LINE_LIMIT, MESSAGE_BUDGET = 128, 40, 300, 3900
EVENTS_SHOWN, ORDERS_SHOWN = 8, 3
Translate = Callable[[str, str, str], Awaitable[dict]]


def esc(value: object) -> str:
    """HTML-escape for Telegram."""
    return html.escape(str(value), quote=False)


def cut(text: str, limit: int = LINE_LIMIT) -> str:
    """Shorten long text with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def person_name(handoff: dict) -> str:
    """The person's first name, else their Telegram id."""
    return cut(handoff.get("name") or str(handoff.get("telegram_user_id") or "?"), NAME_LIMIT)


def reason_text(handoff: dict) -> str:
    """'dispute on order 45', 'asked for a human', ..."""
    reason = staff(f"reason_{handoff['reason']}")
    return reason + (staff("on_order", order=handoff["order_id"]) if handoff.get("order_id") else "")


def topic_title(handoff: dict) -> str:
    """'#12 · María · es · dispute on order 45' (at most 128 characters, Telegram's limit)."""
    return cut(staff("title", id=handoff["id"], name=person_name(handoff), language=handoff["language"],
                     reason=reason_text(handoff)), TITLE_LIMIT)


def money(amount: str, currency: str, language: str) -> str:
    """An exact amount for staff, e.g. 'NOK 1,740.00'."""
    try:
        return format_currency(Decimal(amount), currency, locale=language)
    except (InvalidOperation, ValueError):
        return f"{amount} {currency}"


def when(value: str | None) -> str:
    """'2026-11-28 10:42' from an ISO timestamp (UTC)."""
    if not value:
        return "—"
    return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")


def duration(seconds: float | None) -> str:
    """'45 s', '12 min', '3 h 05 min', '2 d 4 h'."""
    if seconds is None:
        return "—"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 86400} d {seconds % 86400 // 3600} h"


def topic_link(chat_id: int, thread_id: int | None) -> str | None:
    """https://t.me/c/<id>/<thread> for a supergroup topic (None when it cannot be linked)."""
    text = str(chat_id)
    if thread_id is None or not text.startswith("-100"):
        return None
    return f"https://t.me/c/{text[4:]}/{thread_id}"


def fit(lines: list[str], budget: int = MESSAGE_BUDGET) -> str:
    """Join lines, dropping whole lines past Telegram's message size."""
    kept, size = [], 0
    for line in lines:
        if size + len(line) + 1 > budget:
            kept.append("…")
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)


async def history_lines(lines: list[Line], language: str, target: str, translate: Translate) -> list[str]:
    """The last messages: original, then the translation for staff when there is one."""
    if not lines:
        return [staff("no_history")]
    results = await asyncio.gather(*(translate(line.text, language, target) for line in lines))
    out = [staff("history", target=target)]
    for line, result in zip(lines, results):
        icon = "👤" if line.who == "person" else "🤖"
        out.append(f"{icon} {esc(cut(line.text))}")
        if result.get("translated") and result.get("text") != line.text:
            out.append(f"   ↳ <i>{esc(cut(result['text']))}</i>")
    return out


def order_lines(orders: list[dict], shops: dict[int, str], language: str) -> list[str]:
    """Each related order: shop, total, state, and the end of its event log."""
    if not orders:
        return [staff("no_orders")]
    out = [staff("orders")]
    for order in orders:
        out.append(staff("order", id=order["id"], shop=esc(shops.get(order["shop_id"], f"shop {order['shop_id']}")),
                         total=esc(money(order["total"], order["currency"], language)), status=esc(order["status"])))
        for event in order.get("events", [])[-EVENTS_SHOWN:]:
            note = f" — {esc(cut(event['note'], 120))}" if event.get("note") else ""
            out.append(f"   {when(event['created_at'])} {esc(event['event'])}: "
                       f"{esc(event.get('from_status') or '∅')} → {esc(event['to_status'])} "
                       f"by {esc(event['actor'])}{note}")
    return out


def related(handoff: dict, attached: dict | None, own: list[dict]) -> list[dict]:
    """The attached order first, then the person's other orders still in progress (three at most)."""
    orders = [attached] if attached else []
    for order in own:
        if len(orders) >= ORDERS_SHOWN:
            break
        if order["status"] not in FINAL and all(order["id"] != o["id"] for o in orders):
            orders.append(order)
    return orders


def summary(handoff: dict, history: list[str], orders: list[str]) -> str:
    """The first message of a handoff topic: who, why, queue, last messages, orders, commands."""
    head = [f"<b>{esc(topic_title(handoff))}</b>",
            staff("who", name=esc(person_name(handoff)), user=handoff.get("telegram_user_id") or "—",
                  role=esc(handoff["role"]), language=esc(handoff["language"]),
                  country=esc(handoff.get("country") or "—")),
            staff("why", reason=esc(reason_text(handoff))),
            staff("waiting", position=handoff.get("queue_position") or "—", opened=when(handoff["created_at"])), ""]
    tail = ["", staff("commands")]
    body = fit([*history, "", *orders], MESSAGE_BUDGET - sum(len(line) + 1 for line in head + tail))
    return "\n".join([*head, body, *tail])


def queue_text(handoffs: list[dict], chat_id: int) -> str:
    """/queue: open handoffs, oldest first, with waiting time and assignee."""
    if not handoffs:
        return staff("queue_empty")
    lines = [staff("queue_title", count=len(handoffs))]
    for handoff in handoffs:
        title, url = esc(topic_title(handoff)), topic_link(chat_id, handoff.get("thread_id"))
        link = f'<a href="{esc(url)}">{title}</a>' if url else title
        assignee = esc(handoff["assignee_name"] or handoff["assignee_telegram_id"]) if handoff.get(
            "assignee_telegram_id") else staff("unassigned")
        lines.append(staff("queue_line", link=link, waiting=duration(handoff["waiting_seconds"]), assignee=assignee))
    return fit(lines)


def stats_text(stats: dict) -> str:
    """/stats: handoff rate, median first response, average rating for the period."""
    rate = f"{stats['handoff_rate'] * 100:.1f}%" if stats["handoff_rate"] is not None else "—"
    rating = f"{stats['average_rating']}★" if stats["average_rating"] else "—"
    reasons = ", ".join(f"{staff('reason_' + k)} {v}" for k, v in stats["by_reason"].items() if v) or "—"
    return staff("stats", days=stats["days"], handoffs=stats["handoffs"], active=stats["active_people"], rate=rate,
                 first=duration(stats["median_first_response_seconds"]),
                 resolution=duration(stats["median_resolution_seconds"]), rating=rating, ratings=stats["ratings"],
                 open=stats["open"], claimed=stats["claimed"], closed=stats["closed"], reasons=esc(reasons))
