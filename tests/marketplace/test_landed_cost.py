"""Landed cost: shipping quotes and import VAT/duty estimates from the shipped, dated tables."""

from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import get_currency_precision
from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.money import Money
from marketplace.services.errors import DomainError
from marketplace.services.landed_cost import (
    DUTIES_FILE,
    LANES_FILE,
    SHIPPING_RATES_FILE,
    estimate_import_charges,
    load_duties,
    load_lanes,
    load_shipping_rates,
    quote_shipping,
    read_table,
    supported_countries,
)
from marketplace.services.rates import RateTable, read_rate_files
from tradewind.paths import REPO_ROOT

RATES = REPO_ROOT / "data" / "rates"
REQUIRED = {"NO", "AR", "CH", "KE", "VN", "PE", "IT", "PT", "DE", "FR", "CN", "BR",
            "US", "GB", "ES", "MX", "CL", "NL", "SE", "DK", "JP"}
EU = {"IT", "PT", "DE", "FR", "ES", "NL", "SE", "DK"}


def table() -> RateTable:
    rates = read_rate_files(RATES / "eurofxref.csv", RATES / "supplementary.csv")
    return RateTable({r.currency: r.rate for r in rates})


TABLE = table()


def quantized(money: Money) -> bool:
    """True when the amount carries exactly the currency's minor-unit digits."""
    return money.amount.as_tuple().exponent == -get_currency_precision(money.currency)


def estimate(origin: str, destination: str, goods: Money, shipping: Money | None = None):
    return estimate_import_charges(origin=origin, destination=destination, goods=goods,
                                   shipping=shipping or Money("10", "EUR"), rates=TABLE)


def test_tables_are_dated_and_cover_the_same_countries() -> None:
    lanes, duties = load_lanes(), load_duties()
    assert set(lanes) == set(duties), "every shipping country needs an import-charges row and back"
    assert REQUIRED <= set(lanes)
    assert read_table(LANES_FILE)[0]["valid_from"] == "2026-11-01"
    assert read_table(SHIPPING_RATES_FILE)[0]["valid_from"] == "2026-11-01"
    assert read_table(DUTIES_FILE)[0]["date"] == "2026-11-01"
    regions = {region for region, _ in lanes.values()}
    assert set(load_shipping_rates()) == {(a, b) for a in regions for b in regions}


def test_every_table_currency_converts_with_the_shipped_rates() -> None:
    for rule in load_duties().values():
        TABLE.convert(Money("1", rule.currency), rule.threshold_currency)
        assert rule.vat_rate >= 0 and rule.duty_rate >= 0 and rule.handling_fee >= 0
        assert (rule.customs_union == "EU") == (rule.country in EU)


def test_domestic_shipping_is_cheaper_and_faster_than_any_international_lane() -> None:
    countries = supported_countries()
    for origin in countries:
        for items in (1, 4):
            home = quote_shipping(origin=origin, destination=origin, items=items, currency="EUR",
                                  rates=TABLE)
            assert home.domestic
            for destination in set(countries) - {origin}:
                away = quote_shipping(origin=origin, destination=destination, items=items,
                                      currency="EUR", rates=TABLE)
                assert not away.domestic
                assert home.cost < away.cost, (origin, destination)
                assert home.max_days < away.max_days and home.min_days <= away.min_days


def test_norwegian_sweater_to_argentina_is_quoted_in_pesos_with_plausible_days() -> None:
    quote = quote_shipping(origin="no", destination="AR", items=1, currency="ARS", rates=TABLE)
    assert quote.cost.currency == "ARS" and quantized(quote.cost)
    assert quote.cost == TABLE.convert(Money("36.00", "EUR"), "ARS")  # NORDIC -> SOUTH_AMERICA
    assert 5 <= quote.min_days < quote.max_days <= 40
    assert quote.carrier and quote.valid_from == "2026-11-01"

    charges = estimate("NO", "AR", Money("1450", "NOK"), quote.cost)
    assert charges.duty == Money("0.00", "ARS")
    assert any("below the duty-free threshold of 400 USD" in r for r in charges.reasons)
    customs_value = TABLE.convert(Money("1450", "NOK"), "ARS") + quote.cost
    assert charges.vat == (customs_value * Decimal("0.21")).quantize()
    assert charges.fees == Money("12000.00", "ARS")
    assert charges.total == charges.vat + charges.duty + charges.fees


def test_more_items_cost_more_but_take_the_same_time() -> None:
    one = quote_shipping(origin="VN", destination="DE", items=1, currency="VND", rates=TABLE)
    three = quote_shipping(origin="VN", destination="DE", items=3, currency="VND", rates=TABLE)
    assert one.cost < three.cost and quantized(three.cost)
    assert (one.min_days, one.max_days) == (three.min_days, three.max_days)
    with pytest.raises(DomainError, match="at least one item"):
        quote_shipping(origin="VN", destination="DE", items=0, currency="VND", rates=TABLE)


@pytest.mark.parametrize("destination", sorted(EU))
def test_eu_destination_pays_vat_from_the_first_euro(destination: str) -> None:
    charges = estimate("NO", destination, Money("1", "EUR"), Money("0", "EUR"))
    assert charges.vat.amount > 0
    assert any("from the first unit" in r for r in charges.reasons)
    assert charges.collected_at_sale and charges.fees.amount == 0  # IOSS: paid at checkout


def test_small_eu_parcel_pays_the_flat_low_value_duty_and_big_ones_pay_the_rate() -> None:
    small = estimate("CN", "DE", Money("40", "EUR"))
    assert small.duty == Money("3.00", "EUR")
    assert any("low-value threshold of 150 EUR" in r for r in small.reasons)
    big = estimate("CN", "DE", Money("400", "EUR"))
    assert big.duty == Money("16.40", "EUR")  # 4% of 400 + 10 shipping
    assert big.vat == Money("81.02", "EUR")  # 19% of (400 + 10 + 16.40)
    assert not big.collected_at_sale and big.fees == Money("6.00", "EUR")


def test_buying_inside_the_eu_has_no_import_charges() -> None:
    charges = estimate("IT", "DE", Money("900", "EUR"))
    assert charges.total == Money("0.00", "EUR")
    assert "customs union" in charges.reasons[0]


def test_small_parcel_below_the_duty_threshold_pays_no_duty_and_says_why() -> None:
    small = estimate("NO", "GB", Money("50", "GBP"))
    assert small.duty == Money("0.00", "GBP")
    assert ("no duty: goods value 50.00 GBP is below the duty-free threshold of 135 GBP"
            in small.reasons)
    big = estimate("NO", "GB", Money("500", "GBP"))
    assert big.duty.amount > 0
    assert any("above the duty-free threshold of 135 GBP" in r for r in big.reasons)


def test_peru_lets_small_parcels_in_free_and_charges_above_200_usd() -> None:
    small = estimate("BR", "PE", Money("150", "USD"))
    assert small.total == Money("0.00", "PEN") and small.fees.amount == 0
    assert any("VAT-free threshold of 200 USD" in r for r in small.reasons)
    big = estimate("BR", "PE", Money("250", "USD"))
    assert big.duty.amount > 0 and big.vat.amount > 0 and big.fees == Money("15.00", "PEN")


def test_us_has_no_import_vat_but_no_longer_a_de_minimis() -> None:
    # The 800 USD de minimis was suspended in August 2025: duty is due from the first dollar.
    us = estimate("JP", "US", Money("30", "USD"))
    assert us.vat == Money("0.00", "USD") and "no import VAT" in us.reasons
    assert us.duty.amount > 0 and any("no duty-free threshold" in r for r in us.reasons)
    # Japan still waives duty and consumption tax on small personal imports.
    japan = estimate("US", "JP", Money("30", "USD"))
    assert japan.total == Money("0", "JPY")
    assert any("duty-free threshold of 10000 JPY" in r for r in japan.reasons)


def test_domestic_orders_have_no_import_charges() -> None:
    charges = estimate("BR", "BR", Money("5000", "BRL"))
    assert charges.total == Money("0.00", "BRL")
    assert charges.reasons == ["domestic order: no import charges"]


@pytest.mark.parametrize("code, message", [("AU", r"Australia \(AU\) yet"),
                                           ("zz", "unknown country code")])
def test_unknown_country_is_refused_clearly(code: str, message: str) -> None:
    with pytest.raises(DomainError, match=message) as error:
        quote_shipping(origin="NO", destination=code, items=1, currency="NOK", rates=TABLE)
    with pytest.raises(DomainError, match=message):
        estimate(code, "NO", Money("10", "NOK"))
    if code == "AU":
        assert "we do not ship to" in error.value.message and "NO" in error.value.message


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(DomainError, match="must not be negative"):
        estimate("CN", "FR", Money("-1", "EUR"))


@pytest.mark.parametrize("destination", sorted(REQUIRED))
def test_charges_are_money_in_the_destination_currency_and_quantized(destination: str) -> None:
    origin = "CN" if destination != "CN" else "US"
    charges = estimate(origin, destination, Money("2000", "EUR"), Money("25", "EUR"))
    currency = load_duties()[destination].currency
    for money in (charges.vat, charges.duty, charges.fees, charges.total):
        assert isinstance(money, Money) and money.currency == currency and quantized(money)
    assert charges.table_date == "2026-11-01" and charges.reasons


def test_tables_are_read_from_any_dated_file(tmp_path: Path) -> None:
    path = tmp_path / "lanes.csv"
    path.write_text("# Source: test\n# valid_from: 2027-01-01\ncountry,region\nNO,NORDIC\n")
    meta, rows = read_table(path)
    assert meta["valid_from"] == "2027-01-01" and rows == ({"country": "NO", "region": "NORDIC"},)


COUNTRIES = supported_countries()
CURRENCIES = sorted(TABLE.rates)
AMOUNTS = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False,
                      allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(origin=st.sampled_from(COUNTRIES), destination=st.sampled_from(COUNTRIES), goods=AMOUNTS,
       goods_currency=st.sampled_from(CURRENCIES), shipping=AMOUNTS,
       shipping_currency=st.sampled_from(CURRENCIES))
def test_charges_are_never_negative_and_add_up(origin: str, destination: str, goods: Decimal,
                                               goods_currency: str, shipping: Decimal,
                                               shipping_currency: str) -> None:
    charges = estimate(origin, destination, Money(goods, goods_currency),
                       Money(shipping, shipping_currency))
    parts = (charges.vat, charges.duty, charges.fees)
    assert all(part.amount >= 0 for part in parts)
    assert charges.total == charges.vat + charges.duty + charges.fees
    assert all(quantized(money) for money in (*parts, charges.total))
    if charges.collected_at_sale:
        assert charges.fees.amount == 0
