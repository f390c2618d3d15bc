"""Search relevance across languages, filters, ranking and pagination, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.db import transaction
from marketplace.money import Money
from marketplace.services.rates import load_rates, read_rate_files
from marketplace.services.search import SearchQuery, search_products
from tests.marketplace import builders
from tradewind.paths import REPO_ROOT

SWEATER = {
    "nb": ("Lusekofte genser i ull", "Håndstrikket genser av norsk ull fra Bergen"),
    "es": ("Suéter noruego de lana", "Suéter tejido a mano con lana noruega"),
    "en": ("Norwegian wool sweater", "Hand-knitted sweater made of Norwegian wool"),
    "de": ("Norwegischer Wollpullover", "Handgestrickter Pullover aus norwegischer Wolle"),
    "zh": ("挪威羊毛毛衣", "用挪威羊毛手工编织的毛衣"),
    "pt": ("Camisola norueguesa de lã", "Camisola tricotada à mão com lã norueguesa"),
}
SCARF = {
    "es": ("Bufanda de alpaca", "Bufanda suave tejida con lana de alpaca del Perú"),
    "en": ("Alpaca scarf", "Soft scarf woven from Peruvian alpaca wool"),
    "nb": ("Skjerf av alpakka", "Mykt skjerf vevd av alpakkaull fra Peru"),
    "zh": ("羊驼围巾", "秘鲁羊驼毛织成的柔软围巾"),
}
COFFEE = {
    "pt": ("Café especial do Cerrado", "Grãos de café torrados em Minas Gerais"),
    "en": ("Cerrado specialty coffee", "Coffee beans roasted in Minas Gerais"),
    "es": ("Café de especialidad del Cerrado", "Granos de café tostados en Minas Gerais"),
    "de": ("Spezialitätenkaffee aus dem Cerrado", "In Minas Gerais geröstete Kaffeebohnen"),
}


def _list(session: Session, shop, texts: dict[str, tuple[str, str]], **kw):  # noqa: ANN001, ANN202
    lang = shop.language
    title, description = texts[lang]
    return builders.product(session, shop, title=title, description=description,
                            translations={k: v for k, v in texts.items() if k != lang}, **kw)


@pytest.fixture
def catalog(factory: sessionmaker[Session]) -> dict[str, int]:
    """Three shops in three countries and currencies, listings translated as the seed does."""
    rates = REPO_ROOT / "data" / "rates"
    with transaction(factory) as session:
        load_rates(session, read_rate_files(rates / "eurofxref.csv", rates / "supplementary.csv"))
        norway = builders.shop(session)
        peru = builders.shop(session, owner=900002, country="PE", currency="PEN", language="es", name="Andes")
        brazil = builders.shop(session, owner=900003, country="BR", currency="BRL", language="pt", name="Café")
        ids = {
            "sweater": _list(session, norway, SWEATER, price="1450.00").id,
            "scarf": _list(session, peru, SCARF, price="180.00", category="accessories").id,
            "coffee": _list(session, brazil, COFFEE, price="79.90", category="food").id,
            "sold_out": _list(session, norway, {"nb": ("Votter i ull", "Strikkede votter")}, stock=0).id,
        }
    return ids


def _ids(factory: sessionmaker[Session], **query) -> list[int]:  # noqa: ANN003
    with factory() as session:
        return [p.id for p in search_products(session, SearchQuery(**query)).products]


@pytest.mark.parametrize(("text", "language"), [
    ("busco un suéter de lana de Noruega", "es"),
    ("sueter lana", "es"),  # no accents, as people type
    ("genser", "nb"),
    ("wool sweaters", "en"),
    ("Pullover aus Wolle", "de"),
    ("毛衣", "zh"),
    ("camisola de lã", "pt"),
    ("suéter de lana", None),  # language unknown: stems of every language are tried
])
def test_a_query_in_any_language_finds_the_norwegian_sweater_first(
        catalog: dict[str, int], factory: sessionmaker[Session], text: str, language: str | None) -> None:
    assert _ids(factory, text=text, language=language)[0] == catalog["sweater"]


def test_listings_with_every_word_come_before_listings_with_some(
        catalog: dict[str, int], factory: sessionmaker[Session]) -> None:
    assert _ids(factory, text="lana de alpaca", language="es") == [catalog["scarf"]]
    with factory() as session:
        page = search_products(session, SearchQuery(text="suéter de alpaca", language="es"))
    assert page.relaxed and {p.id for p in page.products} == {catalog["sweater"], catalog["scarf"]}
    assert catalog["coffee"] not in [p.id for p in page.products]


def test_chinese_query_is_segmented(catalog: dict[str, int], factory: sessionmaker[Session]) -> None:
    assert _ids(factory, text="我想买羊驼围巾", language="zh")[0] == catalog["scarf"]


def test_sold_out_and_paused_listings_are_hidden(catalog: dict[str, int], factory: sessionmaker[Session]) -> None:
    assert catalog["sold_out"] not in _ids(factory, text="votter", language="nb")
    assert catalog["sold_out"] in _ids(factory, text="votter", language="nb", in_stock_only=False)


def test_max_price_is_compared_in_the_buyers_currency(catalog: dict[str, int], factory: sessionmaker[Session]) -> None:
    # 1450 NOK is about 131,500 ARS; 180 PEN about 49,300 ARS.
    cheap = _ids(factory, text="lana", language="es", max_price=Money("100000", "ARS"))
    assert cheap == [catalog["scarf"]]
    both = _ids(factory, text="lana", language="es", max_price=Money("140000", "ARS"))
    assert set(both) == {catalog["sweater"], catalog["scarf"]}


def test_country_and_category_filters(catalog: dict[str, int], factory: sessionmaker[Session]) -> None:
    assert _ids(factory, text="lana", language="es", country="NO") == [catalog["sweater"]]
    assert _ids(factory, text="", category="food") == [catalog["coffee"]]
    assert _ids(factory, text="lana", language="es", country="BR") == []


def test_pagination_counts_and_pages(catalog: dict[str, int], factory: sessionmaker[Session]) -> None:
    with factory() as session:
        first = search_products(session, SearchQuery(text="", page=1, page_size=2))
        second = search_products(session, SearchQuery(text="", page=2, page_size=2))
    assert first.total == 3 and len(first.products) == 2 and len(second.products) == 1
    assert not {p.id for p in first.products} & {p.id for p in second.products}


def test_nonsense_finds_nothing(catalog: dict[str, int], factory: sessionmaker[Session]) -> None:
    assert _ids(factory, text="xylophone zeppelin", language="en") == []
    assert _ids(factory, text="de la el", language="es") == []  # only stop words


async def test_search_route_prices_results_for_the_buyer(api, factory: sessionmaker[Session]) -> None:  # noqa: ANN001
    with transaction(factory) as session:
        shop = builders.shop(session)
        _list(session, shop, SWEATER)
    response = await api.get("/search", params={"q": "suéter de lana", "lang": "es", "currency": "ARS",
                                                "buyer_country": "AR", "max_price": "200", "max_price_currency": "EUR"})
    body = response.json()
    assert response.status_code == 200 and body["total"] == 1
    item = body["items"][0]
    assert item["title"] == "Suéter noruego de lana" and item["shop"]["country"] == "NO"
    assert item["price"]["currency"] == "ARS" and Decimal(item["price"]["amount"]) > Decimal("100000")
    assert item["seller_price"]["amount"] == "1450.00" and item["seller_price"]["currency"] == "NOK"
    bad = await api.get("/search", params={"q": "x", "page_size": 500})
    assert bad.status_code == 422
