"""Money: Decimal with a currency, quantized per currency, formatted per locale."""

from decimal import Decimal

import pytest

from marketplace.money import CurrencyMismatch, Money, total


def test_floats_are_refused_because_they_cannot_hold_money_exactly() -> None:
    with pytest.raises(TypeError):
        Money(0.1, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money("1", "EUR") * 1.5  # type: ignore[operator]


def test_unknown_currency_and_garbage_amounts_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown currency"):
        Money("1", "XYZ")
    with pytest.raises(ValueError, match="not a valid amount"):
        Money("12,50", "EUR")
    with pytest.raises(ValueError):
        Money("NaN", "EUR")


def test_adding_different_currencies_is_refused() -> None:
    with pytest.raises(CurrencyMismatch):
        Money("1", "EUR") + Money("1", "NOK")
    with pytest.raises(CurrencyMismatch):
        total([Money("1", "EUR"), Money("2", "USD")], "EUR")


@pytest.mark.parametrize(("amount", "currency", "expected"), [
    ("1450.005", "NOK", Decimal("1450.00")),  # half-even
    ("1450.015", "NOK", Decimal("1450.02")),
    ("450000.4", "VND", Decimal("450000")),  # no minor unit
    ("12.3456", "KWD", Decimal("12.346")),  # three decimals
])
def test_quantize_uses_each_currencys_minor_unit(amount: str, currency: str, expected: Decimal) -> None:
    assert Money(amount, currency).quantize().amount == expected


def test_arithmetic_is_exact() -> None:
    assert Money("0.1", "EUR") + Money("0.2", "EUR") == Money("0.3", "EUR")
    assert (Money("19.99", "EUR") * 3).amount == Decimal("59.97")
    assert total([], "ARS") == Money("0", "ARS")


def test_minor_units_for_telegram_invoices() -> None:
    assert Money("1450.00", "NOK").to_minor_units() == 145000
    assert Money("450000", "VND").to_minor_units() == 450000


@pytest.mark.parametrize(("locale", "currency", "needle"), [
    ("es_AR", "ARS", "$"),
    ("nb", "NOK", "kr"),
    ("de_CH", "CHF", "CHF"),
    ("zh", "CNY", "¥"),
])
def test_format_follows_the_readers_locale(locale: str, currency: str, needle: str) -> None:
    text = Money("38500.5", currency).format(locale)
    assert needle in text
    assert "38" in text


def test_format_separators_differ_by_locale() -> None:
    assert Money("1234.5", "EUR").format("en") == "€1,234.50"
    assert Money("1234.5", "EUR").format("de") == "1.234,50\xa0€"
