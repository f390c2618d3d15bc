"""sendInvoice and answerPreCheckoutQuery."""

from __future__ import annotations

import re
from typing import Any

from ..errors import bad_request
from ..messaging import bot_send
from .base import Ctx, check_markup

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def _total(prices: Any) -> int:
    """Sum of LabeledPrice amounts, validating their shape."""
    if not isinstance(prices, list) or not prices:
        raise bad_request("prices must be non-empty")
    total = 0
    for price in prices:
        if (
            not isinstance(price, dict)
            or "label" not in price
            or not isinstance(price.get("amount"), int)
        ):
            raise bad_request("can't parse prices JSON object")
        total += price["amount"]
    return total


async def send_invoice(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Send an invoice message; its payload is kept server-side for the payment flow."""
    conv = ctx.chat(p)
    currency = p["currency"]
    if not CURRENCY_RE.match(currency):
        raise bad_request("CURRENCY_INVALID")
    total = _total(p["prices"])
    if total <= 0:
        raise bad_request("CURRENCY_TOTAL_AMOUNT_INVALID")
    if currency == "XTR" and (p.get("provider_token") or len(p["prices"]) != 1):
        raise bad_request(
            "XTR_INVOICE_INVALID" if p.get("provider_token") else "STARS_INVOICE_INVALID"
        )
    if not 1 <= len(p["title"]) <= 32:
        raise bad_request("INVOICE_TITLE_INVALID" if p["title"] else "title is empty")
    if not 1 <= len(p["description"]) <= 255:
        raise bad_request("INVOICE_DESCRIPTION_INVALID")
    if not 1 <= len(p["payload"].encode()) <= 128:
        raise bad_request("INVOICE_PAYLOAD_INVALID")
    check_markup(ctx, p.get("reply_markup"))
    ctx.flood(conv)
    invoice = {
        "title": p["title"],
        "description": p["description"],
        "start_parameter": p.get("start_parameter") or "",
        "currency": currency,
        "total_amount": total,
    }
    msg = bot_send(ctx.state, ctx.bot, conv, {"invoice": invoice}, p)
    conv.extras[msg["message_id"]] = {
        "payload": p["payload"],
        "prices": p["prices"],
        "currency": currency,
        "total_amount": total,
        "provider_token": p.get("provider_token") or "",
        "paid": False,
        "need": [
            k
            for k in ("need_name", "need_phone_number", "need_email", "need_shipping_address")
            if p.get(k)
        ],
    }
    return msg


async def answer_pre_checkout_query(ctx: Ctx, p: dict[str, Any]) -> Any:
    """Record the bot's verdict on a pre-checkout query."""
    query = ctx.state.queries.get(str(p["pre_checkout_query_id"]))
    if (
        query is None
        or query.kind != "pre_checkout_query"
        or query.bot_id != ctx.bot.id
        or query.answer
    ):
        raise bad_request("QUERY_ID_INVALID")
    ok = bool(p["ok"])
    if not ok and not p.get("error_message"):
        raise bad_request("ERROR_MESSAGE_EMPTY")
    query.answer = {"ok": ok, "error_message": p.get("error_message")}
    ctx.state.notifier.changed()
    return True


METHODS = {"sendInvoice": send_invoice, "answerPreCheckoutQuery": answer_pre_checkout_query}
