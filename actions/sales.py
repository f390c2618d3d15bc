"""'How are my sales this week?': paid orders of the seller's shop per day, summed exactly by the
marketplace, told in the seller's language and drawn as a chart the bot sends as a photo."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

from babel.dates import format_skeleton
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.marketplace import Marketplace
from actions.seller import SellerAction, money
from actions.seller_texts import tell
from actions.seller_words import period_dates, period_in


def day_name(day: date | str, language: str) -> str:
    """'Jun 3', '3 jun', '6月3日'."""
    return format_skeleton("MMMd", date.fromisoformat(str(day)), locale=language)


def summary(report: dict[str, Any], period: str, language: str) -> str:
    """The period, its takings and paid orders, and its best day."""
    header = tell(f"sales_{period}", language, start=day_name(report["start"], language),
                  end=day_name(report["end"], language))
    if not report["orders"]:
        return f"{header}\n{tell('no_sales', language)}"
    currency = report["currency"]
    lines = [header, tell("sales_total", language, total=money(report["total"]["amount"], currency, language),
                          orders=report["orders"])]
    best = report.get("best_day")
    if period != "today" and best:
        lines.append(tell("best_day", language, day=day_name(best["date"], language),
                          total=money(best["total"]["amount"], currency, language)))
    return "\n".join(lines)


class ActionSalesSummary(SellerAction):
    """Sales today, this week or this month (named in any of the eight languages; this week if none)."""

    def name(self) -> str:
        return "action_sales_summary"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, market: Marketplace,
                  shop: dict[str, Any], user: int, language: str) -> list[dict[str, Any]]:
        period = period_in((tracker.latest_message or {}).get("text"))
        start, end = period_dates(period, datetime.now(UTC).date())
        window = {"from": start.isoformat(), "to": end.isoformat(), "lang": language}
        report = await market.get(f"/shops/{shop['id']}/sales", acting=user, **window)
        text = summary(report, period, language)
        if period == "today" or not report["orders"]:
            dispatcher.utter_message(text=text)
            return []
        # The same figures give the same picture: the version lets the bot reuse an uploaded chart.
        version = hashlib.sha256(repr([(d["date"], d["total"]["amount"]) for d in report["days"]]).encode()).hexdigest()
        chart = market.url(f"/shops/{shop['id']}/sales.png", user=user, v=version[:12], **window)
        dispatcher.utter_message(json_message={"type": "chart", "text": text, "photo": chart})
        return []
