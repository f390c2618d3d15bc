"""Full-text product search across every stored language, with price/country/category filters.

SQLite uses an FTS5 index (bm25 ranking) and PostgreSQL a GIN-indexed generated tsvector column
`search_vector` (ts_rank); both index `product_translations.search_text`, which `search_text.document_terms` fills on write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Float, Integer, Select, and_, false, func, or_, select, text
from sqlalchemy.orm import Session, selectinload

from marketplace.models import Product, ProductStatus, Shop
from marketplace.money import Money
from marketplace.search_text import query_terms
from marketplace.services.rates import RateTable

MAX_PAGE_SIZE = 50

_SQLITE_MATCH = """
SELECT pt.product_id AS product_id, -min(hits.rank) AS score
FROM (SELECT rowid, rank FROM product_search WHERE product_search MATCH :query) AS hits
JOIN product_translations pt ON pt.id = hits.rowid GROUP BY pt.product_id
"""
_POSTGRES_MATCH = """
SELECT pt.product_id AS product_id, max(ts_rank(pt.search_vector, to_tsquery('simple', :query))) AS score
FROM product_translations pt
WHERE pt.search_vector @@ to_tsquery('simple', :query) GROUP BY pt.product_id
"""

_SQLITE_PROBE = "SELECT 1 FROM product_search WHERE product_search MATCH :query LIMIT 1"
_POSTGRES_PROBE = "SELECT 1 FROM product_translations WHERE search_vector @@ to_tsquery('simple', :query) LIMIT 1"


@dataclass(frozen=True)
class SearchQuery:
    """What a buyer asked for."""

    text: str = ""
    language: str | None = None
    max_price: Money | None = None
    country: str | None = None
    category: str | None = None
    page: int = 1
    page_size: int = 5
    in_stock_only: bool = True


@dataclass
class SearchPage:
    """One page of ranked results."""

    products: list[Product]
    scores: dict[int, float]
    total: int
    page: int
    page_size: int
    terms: list[list[str]] = field(default_factory=list)
    relaxed: bool = False  # no listing had every word; these match some of them


def _match_query(dialect: str, groups: list[set[str]], *, every_word: bool) -> str:
    """FTS5 or tsquery syntax: each word as an OR of its forms; words joined by AND or OR."""
    if dialect == "sqlite":
        alternatives = ["(" + " OR ".join(f'"{t}"' for t in sorted(g)) + ")" for g in groups]
        return (" AND " if every_word else " OR ").join(alternatives)
    alternatives = ["(" + " | ".join(f"'{t}'" for t in sorted(g)) + ")" for g in groups]
    return (" & " if every_word else " | ").join(alternatives)


def _price_filter(session: Session, limit: Money):
    """`price <= limit`, converted exactly into every currency we hold a rate for."""
    rates = RateTable.load(session)
    clauses = []
    for currency in rates.rates:
        ceiling = rates.convert(limit, currency).amount
        clauses.append(and_(Product.price_currency == currency, Product.price_amount <= ceiling))
    return or_(*clauses) if clauses else false()


def _known(session: Session, group: set[str]) -> bool:
    """Whether any listing contains one of the word's forms (one index probe)."""
    dialect = session.get_bind().dialect.name
    sql = (_SQLITE_PROBE if dialect == "sqlite" else _POSTGRES_PROBE)
    return session.execute(text(sql), {"query": _match_query(dialect, [group], every_word=True)}).first() is not None


def search_products(session: Session, query: SearchQuery) -> SearchPage:
    """Ranked, filtered, paginated search: listings with every word first; if none, with some."""
    groups = query_terms(query.text, query.language)
    if query.text.strip() and not groups:  # only stop words or punctuation: nothing to look for
        return SearchPage(products=[], scores={}, total=0, page=max(1, query.page),
                          page_size=max(1, min(query.page_size, MAX_PAGE_SIZE)))
    groups = [g for g in groups if _known(session, g)] or groups  # "busco", "I want": not in any listing
    result = _search(session, query, groups, every_word=True)
    if result.total == 0 and len(groups) > 1:
        result = _search(session, query, groups, every_word=False)
        result.relaxed = True
    return result


def _search(session: Session, query: SearchQuery, groups: list[set[str]], *, every_word: bool) -> SearchPage:
    page_size = max(1, min(query.page_size, MAX_PAGE_SIZE))
    page = max(1, query.page)
    stmt: Select = select(Product.id).join(Shop, Shop.id == Product.shop_id).where(
        Product.status == ProductStatus.ACTIVE)
    score_col = None
    if groups:
        dialect = session.get_bind().dialect.name
        sql = _SQLITE_MATCH if dialect == "sqlite" else _POSTGRES_MATCH
        matches = text(sql).bindparams(query=_match_query(dialect, groups, every_word=every_word)).columns(
            product_id=Integer, score=Float).subquery("matches")
        stmt = stmt.join(matches, matches.c.product_id == Product.id)
        score_col = matches.c.score
    if query.in_stock_only:
        stmt = stmt.where(Product.stock > 0)
    if query.country:
        stmt = stmt.where(Shop.country == query.country.upper())
    if query.category:
        stmt = stmt.where(Product.category == query.category.lower())
    if query.max_price is not None:
        stmt = stmt.where(_price_filter(session, query.max_price))
    score = score_col if score_col is not None else Product.id.label("score")
    ranked = (stmt.add_columns(score, func.count().over().label("total"))
              .order_by(score.desc(), Product.id).limit(page_size).offset((page - 1) * page_size))
    rows = session.execute(ranked).all()
    if rows:
        total = rows[0].total
    elif page == 1:
        total = 0
    else:  # past the last page: count separately
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    ids = [row[0] for row in rows]
    loaded = {p.id: p for p in session.scalars(
        select(Product).where(Product.id.in_(ids))
        .options(selectinload(Product.translations), selectinload(Product.shop)))}
    return SearchPage(products=[loaded[i] for i in ids],
                      scores={row[0]: float(row[1]) if score_col is not None else 0.0 for row in rows},
                      total=total, page=page, page_size=page_size,
                      terms=[sorted(g) for g in groups])


def price_in(rates: RateTable, product: Product, currency: str) -> Money:
    """The product's price converted for a buyer."""
    return rates.convert(Money(Decimal(product.price_amount), product.price_currency), currency)
