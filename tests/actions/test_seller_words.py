"""Reading sellers' words in the eight languages: periods, amounts, product changes, shipping details."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from actions.seller_words import (
    carrier_in,
    category_in,
    change_in,
    currency_in,
    language_in,
    order_number,
    parse_amount,
    period_dates,
    period_in,
    product_and_value,
    tracking_in,
)


@pytest.mark.parametrize(("text", "period"), [
    ("sales today", "today"), ("¿cuánto vendí hoy?", "today"), ("vendas de hoje", "today"),
    ("Umsatz heute", "today"), ("mes ventes d'aujourd'hui", "today"), ("vendite di oggi", "today"),
    ("salg i dag", "today"), ("今天卖了多少", "today"),
    ("sales this week", "week"), ("ventas de esta semana", "week"), ("vendas desta semana", "week"),
    ("Umsatz diese Woche", "week"), ("ventes de cette semaine", "week"), ("vendite di questa settimana", "week"),
    ("salg denne uken", "week"), ("本周销售", "week"),
    ("sales this month", "month"), ("ventas del mes", "month"), ("vendas deste mês", "month"),
    ("Umsatz diesen Monat", "month"), ("ventes ce mois", "month"), ("vendite di questo mese", "month"),
    ("salg denne måneden", "month"), ("本月销售", "month"),
    ("how are my sales?", "week"),  # nothing named: this week
])
def test_periods_in_eight_languages(text: str, period: str) -> None:
    assert period_in(text) == period


def test_period_dates_start_on_monday_and_the_first_of_the_month() -> None:
    thursday = date(2026, 6, 4)
    assert period_dates("today", thursday) == (thursday, thursday)
    assert period_dates("week", thursday) == (date(2026, 6, 1), thursday)
    assert period_dates("month", date(2026, 6, 30)) == (date(2026, 6, 1), date(2026, 6, 30))


@pytest.mark.parametrize(("text", "amount"), [
    ("450", Decimal("450")), ("1.450,50", Decimal("1450.50")), ("1,450.50", Decimal("1450.50")),
    ("1 450 kr", Decimal("1450")), ("NOK 99.9", Decimal("99.9")), ("12,000", Decimal("12000")),
    ("1.450", Decimal("1450")), ("99,90 €", Decimal("99.90")), ("0,001", Decimal("0.001")),
    ("0", None), ("gratis", None), ("", None),
])
def test_amounts_as_people_write_them(text: str, amount: Decimal | None) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(("text", "change", "product", "value"), [
    ("set price of 12 to 450", "price", 12, Decimal("450")),
    ("cambia el precio a 450,50 del producto 12", "price", 12, Decimal("450.50")),
    ("preço do 12 para 99", "price", 12, Decimal("99")),
    ("把12号商品的价格改成450", "price", 12, Decimal("450")),
    ("stock of 12 is 0", "stock", 12, Decimal("0")),
    ("Bestand von #7 auf 20", "stock", 7, Decimal("20")),
    ("pause product 12", "pause", 12, None), ("metti in pausa il prodotto 3", "pause", 3, None),
    ("desactivar producto 7", "pause", 7, None), ("暂停商品12", "pause", 12, None),
    ("unpause 3", "resume", 3, None), ("réactiver le produit 5", "resume", 5, None),
    ("sett produkt 9 på pause", "pause", 9, None), ("aktiver produkt 9", "resume", 9, None),
])
def test_product_changes(text: str, change: str, product: int, value: Decimal | None) -> None:
    assert change_in(text) == change
    assert product_and_value(text) == (product, value)


@pytest.mark.parametrize(("text", "order", "carrier", "tracking"), [
    ("order 45 shipped with Posten LA123NO", 45, "Posten", "LA123NO"),
    ("shipped LA123456789NO for order 45 via Bring", 45, "Bring", "LA123456789NO"),
    ("pedido #45 enviado con Correos PQ4F6P0702345670128000", 45, "Correos", "PQ4F6P0702345670128000"),
    ("Bestellung Nr. 45 mit DHL 00340434161094042557 verschickt", 45, "DHL", "00340434161094042557"),
    ("commande 45 expédiée avec Speedy Courier AB12345CD", 45, "Speedy Courier", "AB12345CD"),
    ("订单45已用顺丰发货 SF1234567890", 45, "顺丰", "SF1234567890"),
    ("order 45 is shipped", 45, None, None),
    ("shipped with DHL 00340434161094042557", None, "DHL", "00340434161094042557"),
])
def test_shipping_details(text: str, order: int | None, carrier: str | None, tracking: str | None) -> None:
    assert order_number(text) == order
    assert tracking_in(text, order) == tracking
    assert carrier_in(text, tracking) == carrier


def test_categories_languages_and_currencies_by_name() -> None:
    assert [category_in(t) for t in ("Ropa", "服装", "Kitchen", "Bijoux", "shoes")] == [
        "clothing", "clothing", "kitchen", "jewelry", None]
    assert [language_in(t) for t in ("Deutsch", "noruego", "中文", "nb", "Norsk bokmål", "klingon")] == [
        "de", "nb", "zh", "nb", "nb", None]
    assert [currency_in(t) for t in ("nok", "corona noruega", "Euro", "xyz")] == ["NOK", "NOK", "EUR", None]
