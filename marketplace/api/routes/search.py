"""Product search."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query

from marketplace.api.deps import SessionDep
from marketplace.api.routing import ReleasingRoute
from marketplace.api.schemas import ProductOut, SearchOut
from marketplace.money import Money, buyer_locale, check_currency
from marketplace.services.search import MAX_PAGE_SIZE, SearchQuery, search_products
from marketplace.services.rates import RateTable

router = APIRouter(tags=["search"], route_class=ReleasingRoute)


@router.get("/search")
def search(
    session: SessionDep,
    q: Annotated[str, Query(max_length=300)] = "",
    lang: Annotated[str, Query(min_length=2, max_length=8)] = "en",
    currency: Annotated[str, Query(min_length=3, max_length=3)] = "EUR",
    max_price: Annotated[Decimal | None, Query(gt=0, max_digits=14)] = None,
    max_price_currency: Annotated[str | None, Query(min_length=3, max_length=3)] = None,
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    category: Annotated[str | None, Query(max_length=40)] = None,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 5,
    buyer_country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
) -> SearchOut:
    """Ranked full-text search in any supported language; prices in the buyer's currency."""
    currency = check_currency(currency)
    limit = Money(max_price, max_price_currency or currency) if max_price is not None else None
    result = search_products(session, SearchQuery(
        text=q, language=lang, max_price=limit, country=country, category=category, page=page,
        page_size=page_size))
    rates = RateTable.load(session)
    locale = buyer_locale(lang, buyer_country)
    items = [ProductOut.of(p, language=lang, currency=currency, locale=locale, rates=rates,
                           score=result.scores.get(p.id)) for p in result.products]
    pages = -(-result.total // result.page_size)
    return SearchOut(total=result.total, page=result.page, page_size=result.page_size, pages=pages,
                     terms=result.terms, relaxed=result.relaxed, items=items)
