"""Render a claimed outbox message for one recipient: HTML text and, for sellers, the order buttons.

Amounts are Decimal strings in the shop's currency, formatted with Babel in the reader's locale
(language + country); countries are named in the reader's language.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale, localedata
from babel.dates import format_date
from babel.numbers import format_currency
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot import callback_data
from bot.alert_texts import say
from bot.texts import pick_language, text

SELLER, BUYER = "seller", "buyer"
MAX_ITEM_LINES = 20


class UnknownAlert(ValueError):
    """The marketplace asked for a message this bot cannot render (a newer topic)."""


@dataclass(frozen=True)
class Alert:
    """A message ready to send."""

    text: str
    markup: InlineKeyboardMarkup | None = None


@lru_cache(maxsize=256)
def locale_of(language: str, country: str | None) -> str:
    """The Babel locale for a reader: 'nb' + 'NO' -> 'nb_NO' where Babel knows it, else the language."""
    language = pick_language(language)
    if country and localedata.exists(f"{language}_{country.upper()}"):
        return f"{language}_{country.upper()}"
    return language


def money(amount: str, currency: str, locale: str) -> str:
    """An exact amount formatted for the reader, e.g. 'kr 3 418,98' for nb_NO."""
    return format_currency(Decimal(amount), currency, locale=locale)


def country_name(code: str | None, language: str) -> str:
    """A country's name in the reader's language ('AR' -> 'Argentina'); the code when Babel lacks it."""
    if not code:
        return "—"
    return Locale.parse(pick_language(language)).territories.get(code.upper(), code.upper())


def esc(value: object) -> str:
    """HTML-escape a value for Telegram (quotes stay as they are)."""
    return html.escape(str(value), quote=False)


def seller_buttons(order_id: int, language: str, *, accept: bool = True, ship: bool = True) -> InlineKeyboardMarkup:
    """Accept / Mark shipped / Message the buyer for one order (`sa:`, `ss:`, `sm:` + order id)."""
    row = []
    if accept:
        row.append((say("btn_accept", language), callback_data.SELLER_ACCEPT))
    if ship:
        row.append((say("btn_shipped", language), callback_data.SELLER_SHIP))
    row.append((say("btn_message", language), callback_data.SELLER_MESSAGE))
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=callback_data.encode(kind, str(order_id)))]
                                 for label, kind in row])


def seller_card(message: dict, language: str, locale: str) -> Alert:
    """The new-order card: items, buyer's country, amount, address, buttons."""
    order, buyer = message["order"], message.get("buyer") or {}
    lines = [f"<b>{esc(say('new_order', language, order=order['id']))}</b>"]
    items = order["items"]
    lines += [f"• {item['quantity']} × {esc(item['title'])}" for item in items[:MAX_ITEM_LINES]]
    if len(items) > MAX_ITEM_LINES:
        lines.append(f"• … (+{len(items) - MAX_ITEM_LINES})")
    country = buyer.get("country") or order.get("shipping_country")
    lines.append(esc(say("buyer_from", language, country=country_name(country, language))))
    lines.append(esc(say("amount", language, total=money(order["total"], order["currency"], locale),
                         shipping=money(order["shipping"], order["currency"], locale))))
    lines.append(f"{esc(say('ship_to', language))}\n{esc(order.get('shipping_address') or '—')}")
    lines.append(f"<i>{esc(say('held', language))}</i>")
    body = "\n".join(lines)
    if len(body) > MessageLimit.MAX_TEXT_LENGTH:
        body = body[: MessageLimit.MAX_TEXT_LENGTH - 1] + "…"
    return Alert(body, seller_buttons(order["id"], language))


def render(message: dict, delivery: dict) -> Alert:
    """The message `delivery["recipient"]` gets for this outbox row, in their language."""
    topic, recipient, order = message["topic"], delivery["recipient"], message.get("order")
    language = pick_language(delivery["language"])
    locale = locale_of(language, delivery.get("country"))
    if order is None:
        raise UnknownAlert(f"{topic} has no order")
    values: dict[str, object] = {"order": order["id"], "shop": (message.get("shop") or {}).get("name", ""),
                                 "amount": money(order["total"], order["currency"], locale)}
    if topic == "order.paid" and recipient == SELLER:
        return seller_card(message, language, locale)
    if topic == "order.paid":
        return _plain(text("paid", language).format(order=order["id"]))
    if topic == "order.shipped":
        values.update(carrier=order.get("carrier") or "—", tracking=order.get("tracking_number") or "—")
    if topic == "order.delivery_reminder":
        release_on = datetime.fromisoformat(message["payload"]["release_on"])
        values["date"] = format_date(release_on.date(), format="long", locale=locale)
    if topic == "order.cancelled" and recipient == BUYER:
        sentence = say("buyer_cancelled", language, **values)
        if order.get("paid"):
            sentence += " " + say("buyer_refund", language, **values)
        return _plain(sentence)
    key = KEYS.get((topic, recipient))
    if key is None:
        raise UnknownAlert(f"no {recipient} message for {topic}")
    return _plain(say(key, language, **{k: esc(v) for k, v in values.items()}), escaped=True)


KEYS: dict[tuple[str, str], str] = {
    ("order.accepted", BUYER): "buyer_accepted",
    ("order.shipped", BUYER): "buyer_shipped",
    ("order.delivered", SELLER): "seller_delivered",
    ("order.delivered", BUYER): "buyer_delivered",
    ("order.completed", SELLER): "seller_released",
    ("order.completed", BUYER): "buyer_completed",
    ("order.released", SELLER): "seller_released",
    ("order.released", BUYER): "buyer_released",
    ("order.cancelled", SELLER): "seller_cancelled",
    ("order.disputed", SELLER): "seller_disputed",
    ("order.disputed", BUYER): "buyer_disputed",
    ("order.refunded", SELLER): "seller_refunded",
    ("order.refunded", BUYER): "buyer_refunded",
    ("order.delivery_reminder", BUYER): "buyer_reminder",
}


def _plain(sentence: str, *, escaped: bool = False) -> Alert:
    return Alert(sentence if escaped else esc(sentence))
