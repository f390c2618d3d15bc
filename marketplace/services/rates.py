"""Exchange rates: the ECB reference rates (units per 1 EUR) kept in the `exchange_rates` table.

The repo ships a dated ECB file plus a small supplementary file for currencies the ECB does not
publish. `refresh_rates_file` downloads a newer ECB file when online and keeps the last good one
otherwise; `load_rates` copies the files into the database.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import httpx
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from marketplace.models import ExchangeRate
from marketplace.money import Money, check_currency, exponent
from marketplace.services.errors import DomainError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rate:
    """Units of `currency` per 1 EUR."""

    currency: str
    rate: Decimal
    date: str
    source: str


def parse_ecb_csv(text: str) -> list[Rate]:
    """Parse the ECB `eurofxref.csv` format (a header row of codes, one row of rates)."""
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text)) if row]
    header, values = rows[0], rows[1]
    day = datetime.strptime(values[0], "%d %B %Y").date().isoformat()
    rates = [Rate("EUR", Decimal(1), day, "ECB")]
    for code, value in zip(header[1:], values[1:], strict=False):
        if code and value and _current(code):
            rates.append(Rate(code, Decimal(value), day, "ECB"))
    return rates


def _current(code: str) -> bool:
    """Skip currencies that no longer exist (e.g. BGN after Bulgaria joined the euro in 2026)."""
    try:
        check_currency(code)
    except ValueError:
        log.debug("skipping rate for retired currency %s", code)
        return False
    return True


def parse_supplementary_csv(text: str) -> list[Rate]:
    """Parse `currency,rate,date,source` rows (comment lines start with #)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [Rate(check_currency(r["currency"]), Decimal(r["rate"]), r["date"], r["source"])
            for r in csv.DictReader(lines)]


def read_rate_files(ecb_file: Path, extra_file: Path | None) -> list[Rate]:
    """All rates from the shipped files; ECB wins where both name a currency."""
    rates = {r.currency: r for r in parse_supplementary_csv(extra_file.read_text())} if (
        extra_file and extra_file.exists()) else {}
    rates.update({r.currency: r for r in parse_ecb_csv(ecb_file.read_text())})
    return list(rates.values())


def load_rates(session: Session, rates: list[Rate]) -> int:
    """Replace the rates table with `rates`; returns how many were stored."""
    session.execute(delete(ExchangeRate))
    session.add_all(ExchangeRate(currency=r.currency, rate=r.rate, rate_date=r.date, source=r.source)
                    for r in rates)
    session.flush()
    return len(rates)


def refresh_rates_file(url: str, target: Path, *, client: httpx.Client | None = None) -> bool:
    """Download the ECB zip into `target`; on any failure keep the last good file. True if updated."""
    try:
        with client or httpx.Client(timeout=10.0, follow_redirects=True) as http:
            response = http.get(url)
        response.raise_for_status()
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            text = archive.read("eurofxref.csv").decode("utf-8")
        parse_ecb_csv(text)  # refuse to store something we cannot read
    except (httpx.HTTPError, zipfile.BadZipFile, KeyError, ValueError, IndexError) as exc:
        log.warning("rates refresh failed (%s); keeping %s", exc.__class__.__name__, target)
        return False
    tmp = target.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.replace(target)
    return True


class RateTable:
    """Rates loaded from the database for one request; converts Money exactly with Decimal."""

    def __init__(self, rates: dict[str, Decimal]) -> None:
        self.rates = rates

    @classmethod
    def load(cls, session: Session) -> RateTable:
        """Read the current rates."""
        return cls({c: r for c, r in session.execute(select(ExchangeRate.currency, ExchangeRate.rate))})

    def per_eur(self, currency: str) -> Decimal:
        """Units of `currency` per EUR, or a clear error when we have no rate."""
        try:
            return self.rates[check_currency(currency)]
        except KeyError:
            raise DomainError(f"no exchange rate for {currency}") from None

    def convert(self, money: Money, currency: str) -> Money:
        """`money` in another currency, rounded half-even to that currency's minor unit."""
        currency = check_currency(currency)
        if currency == money.currency:
            return money.quantize()
        amount = money.amount / self.per_eur(money.currency) * self.per_eur(currency)
        return Money(amount.quantize(exponent(currency), ROUND_HALF_EVEN), currency)
