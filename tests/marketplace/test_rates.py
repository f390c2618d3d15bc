"""Exchange rates: the shipped ECB file, exact conversion, refresh that survives being offline."""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from marketplace.money import Money
from marketplace.services.errors import DomainError
from marketplace.services.rates import (
    RateTable,
    parse_ecb_csv,
    read_rate_files,
    refresh_rates_file,
)
from tradewind.paths import REPO_ROOT

RATES = REPO_ROOT / "data" / "rates"
ECB_SAMPLE = "Date, USD, NOK, \n2 January 2025, 1.0350, 11.80, \n"


def table() -> RateTable:
    rates = read_rate_files(RATES / "eurofxref.csv", RATES / "supplementary.csv")
    return RateTable({r.currency: r.rate for r in rates})


def test_shipped_file_is_dated_and_covers_every_demo_currency() -> None:
    rates = {r.currency: r for r in read_rate_files(RATES / "eurofxref.csv", RATES / "supplementary.csv")}
    for code in ("EUR", "NOK", "ARS", "CHF", "KES", "VND", "PEN", "CNY", "BRL", "USD"):
        assert code in rates
    assert rates["NOK"].date == "2024-12-31" and rates["NOK"].source == "ECB"
    assert rates["EUR"].rate == Decimal(1)


def test_conversion_goes_through_eur_with_decimal_and_rounds_to_the_target_unit() -> None:
    rates = table()
    ars = rates.convert(Money("1450.00", "NOK"), "ARS")
    assert ars.currency == "ARS"
    assert ars.amount == (Decimal("1450.00") / Decimal("11.7950") * Decimal("1070.0")).quantize(Decimal("0.01"))
    assert rates.convert(Money("100", "EUR"), "VND").amount == Decimal("2642000")
    assert rates.convert(Money("5", "EUR"), "EUR") == Money("5.00", "EUR")


def test_missing_rate_is_a_clear_error() -> None:
    with pytest.raises(DomainError, match="no exchange rate for JOD"):
        table().convert(Money("1", "JOD"), "EUR")


def _zip(csv_text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref.csv", csv_text)
    return buffer.getvalue()


def test_refresh_replaces_the_file_with_what_the_ecb_serves(tmp_path: Path) -> None:
    target = tmp_path / "eurofxref.csv"
    target.write_text((RATES / "eurofxref.csv").read_text())
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=_zip(ECB_SAMPLE)))
    assert refresh_rates_file("https://ecb.invalid/eurofxref.zip", target, client=httpx.Client(transport=transport))
    assert parse_ecb_csv(target.read_text())[1].rate == Decimal("1.0350")


@pytest.mark.parametrize("response", [
    httpx.Response(503),
    httpx.Response(200, content=b"not a zip"),
    httpx.Response(200, content=_zip("garbage")),
])
def test_refresh_keeps_the_last_good_file_when_the_download_fails(tmp_path: Path, response: httpx.Response) -> None:
    target = tmp_path / "eurofxref.csv"
    good = (RATES / "eurofxref.csv").read_text()
    target.write_text(good)
    client = httpx.Client(transport=httpx.MockTransport(lambda request: response))
    assert not refresh_rates_file("https://ecb.invalid/eurofxref.zip", target, client=client)
    assert target.read_text() == good


def test_refresh_keeps_the_last_good_file_when_offline(tmp_path: Path) -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    target = tmp_path / "eurofxref.csv"
    target.write_text("old")
    assert not refresh_rates_file("https://ecb.invalid/x.zip", target,
                                  client=httpx.Client(transport=httpx.MockTransport(offline)))
    assert target.read_text() == "old"
