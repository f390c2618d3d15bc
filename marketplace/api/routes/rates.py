"""Exchange rates and conversion."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from marketplace.api.deps import SessionDep
from marketplace.api.routing import ReleasingRoute
from marketplace.api.schemas import MoneyOut
from marketplace.models import ExchangeRate
from marketplace.money import Money
from marketplace.services.rates import RateTable

router = APIRouter(tags=["rates"], route_class=ReleasingRoute)


@router.get("/rates")
def list_rates(session: SessionDep) -> list[dict[str, str]]:
    """Units per EUR for every currency we convert, with the date and source."""
    return [{"currency": r.currency, "rate": str(r.rate), "date": r.rate_date, "source": r.source}
            for r in session.scalars(select(ExchangeRate).order_by(ExchangeRate.currency))]


@router.get("/rates/convert")
def convert(session: SessionDep, amount: Annotated[Decimal, Query(max_digits=18)],
            source: Annotated[str, Query(alias="from", min_length=3, max_length=3)],
            to: Annotated[str, Query(min_length=3, max_length=3)], locale: str = "en") -> MoneyOut:
    """Convert an amount between currencies at the stored rates."""
    return MoneyOut.of(RateTable.load(session).convert(Money(amount, source), to), locale)
