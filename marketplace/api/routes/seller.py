"""What only a shop's owner sees: their listings (paused too), sales per day and its chart.

The acting Telegram user comes in the `X-Acting-User` header from our own services; someone
else's shop answers 404 like a missing one.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response
from pydantic import BaseModel

from marketplace.api.deps import SessionDep
from marketplace.api.routing import ReleasingRoute
from marketplace.api.schemas import MoneyOut, ProductOut, RowId, TelegramId
from marketplace.models import ProductStatus
from marketplace.money import buyer_locale
from marketplace.services.charts import sales_chart_png
from marketplace.services.rates import RateTable
from marketplace.services.sales import SalesReport, daily_sales
from marketplace.services.sellers import inventory, owned_shop

router = APIRouter(tags=["seller"], route_class=ReleasingRoute)
Lang = Annotated[str, Query(min_length=2, max_length=8)]
From = Annotated[date, Query(alias="from", description="first day (UTC), included")]
To = Annotated[date, Query(alias="to", description="last day (UTC), included")]


class SalesDayOut(BaseModel):
    """One day's takings."""

    date: date
    total: MoneyOut
    orders: int


class SalesOut(BaseModel):
    """A period's takings per day and in all, in the shop's currency."""

    shop_id: int
    currency: str
    start: date
    end: date
    total: MoneyOut
    orders: int
    best_day: SalesDayOut | None
    days: list[SalesDayOut]

    @classmethod
    def of(cls, report: SalesReport, locale: str) -> SalesOut:
        """Serialise a report; amounts formatted for `locale`."""
        days = [SalesDayOut(date=d.day, total=MoneyOut.of(d.total, locale), orders=d.orders) for d in report.days]
        best = max(report.days, key=lambda d: d.total.amount, default=None)
        best_out = next((d for d in days if best and d.date == best.day and best.orders), None)
        return cls(shop_id=report.shop_id, currency=report.currency, start=report.start, end=report.end,
                   total=MoneyOut.of(report.total, locale), orders=report.orders, best_day=best_out, days=days)


@router.get("/shops/{shop_id}/inventory")
def shop_inventory(shop_id: RowId, session: SessionDep, x_acting_user: Annotated[TelegramId, Header()],
                   max_stock: Annotated[int | None, Query(ge=0, le=100_000)] = None,
                   status: Annotated[ProductStatus | None, Query()] = None) -> list[ProductOut]:
    """The owner's listings, paused ones included, lowest stock first."""
    shop = owned_shop(session, shop_id, x_acting_user)
    rates = RateTable.load(session)
    return [ProductOut.of(p, language=shop.language, currency=shop.currency,
                          locale=buyer_locale(shop.language, shop.country), rates=rates)
            for p in inventory(session, shop, max_stock=max_stock, status=status)]


@router.get("/shops/{shop_id}/sales")
def shop_sales(shop_id: RowId, session: SessionDep, x_acting_user: Annotated[TelegramId, Header()],
               start: From, end: To, lang: Lang = "en") -> SalesOut:
    """Paid orders per day (UTC) between two dates, with exact Decimal totals."""
    shop = owned_shop(session, shop_id, x_acting_user)
    return SalesOut.of(daily_sales(session, shop, start, end), buyer_locale(lang, shop.country))


@router.get("/shops/{shop_id}/sales.png", response_class=Response,
            responses={200: {"content": {"image/png": {}}}})
def shop_sales_chart(shop_id: RowId, session: SessionDep, user: Annotated[TelegramId, Query(description="the owner")],
                     start: From, end: To, lang: Lang = "en") -> Response:
    """The same period drawn as a bar chart. The owner is a query parameter, not a header: the bot
    fetches this image by its URL like any other picture."""
    shop = owned_shop(session, shop_id, user)
    png = sales_chart_png(daily_sales(session, shop, start, end), buyer_locale(lang, shop.country))
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})
