"""Landed cost: shipping quotes and import VAT/duty estimates, so buyers see the whole price first.

The figures live in dated CSV files (`data/shipping/lanes.csv`, `data/shipping/rates.csv`,
`data/duties/import-2026-11.csv`) whose leading `# key: value` comments carry their date. Tables are
read lazily, once per path. Arithmetic is Decimal only; conversion goes through the caller's
RateTable and every amount is quantized to its currency's minor unit.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pycountry

from marketplace.money import Money
from marketplace.services.catalog import check_country
from marketplace.services.errors import DomainError
from marketplace.services.rates import RateTable
from tradewind.paths import REPO_ROOT

LANES_FILE = REPO_ROOT / "data" / "shipping" / "lanes.csv"
SHIPPING_RATES_FILE = REPO_ROOT / "data" / "shipping" / "rates.csv"
DUTIES_FILE = REPO_ROOT / "data" / "duties" / "import-2026-11.csv"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Service:
    """One way to ship a parcel: EUR prices and working days."""

    base_eur: Decimal
    per_item_eur: Decimal
    min_days: int
    max_days: int
    carrier: str


@dataclass(frozen=True)
class DutyRule:
    """One destination's row of the import-charges table (see the file's header for the columns)."""

    country: str
    currency: str
    threshold_currency: str
    vat_rate: Decimal
    vat_threshold: Decimal
    collected_at_sale: bool
    sale_collection_limit: Decimal | None
    duty_threshold: Decimal
    duty_rate_below_threshold: Decimal
    flat_duty_below_threshold: Decimal
    duty_rate: Decimal
    handling_fee: Decimal
    customs_union: str
    notes: str


@dataclass(frozen=True)
class ShippingQuote:
    """What shipping costs (in the buyer's currency) and how long it takes."""

    cost: Money
    min_days: int
    max_days: int
    carrier: str
    domestic: bool
    valid_from: str


@dataclass(frozen=True)
class ImportEstimate:
    """Estimated import charges in the destination's currency, with reasons a person can read."""

    vat: Money
    duty: Money
    fees: Money
    total: Money
    table_date: str
    collected_at_sale: bool
    reasons: list[str]


@lru_cache(maxsize=16)
def read_table(path: Path) -> tuple[dict[str, str], tuple[dict[str, str], ...]]:
    """(metadata from `# key: value` comment lines, rows) of a commented CSV file."""
    meta: dict[str, str] = {}
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key.strip().isidentifier():
                meta[key.strip()] = value.strip()
        elif line.strip():
            lines.append(line)
    return meta, tuple(csv.DictReader(lines))


@lru_cache(maxsize=16)
def load_lanes(path: Path = LANES_FILE) -> dict[str, tuple[str, Service]]:
    """Country -> (shipping region, domestic service)."""
    return {r["country"]: (r["region"], Service(
        Decimal(r["domestic_base_eur"]), Decimal(r["domestic_per_item_eur"]),
        int(r["domestic_min_days"]), int(r["domestic_max_days"]), r["domestic_carrier"]))
        for r in read_table(path)[1]}


@lru_cache(maxsize=16)
def load_shipping_rates(path: Path = SHIPPING_RATES_FILE) -> dict[tuple[str, str], Service]:
    """(origin region, destination region) -> international service."""
    return {(r["origin_region"], r["destination_region"]): Service(
        Decimal(r["base_eur"]), Decimal(r["per_item_eur"]), int(r["min_days"]), int(r["max_days"]),
        r["carrier"]) for r in read_table(path)[1]}


@lru_cache(maxsize=16)
def load_duties(path: Path = DUTIES_FILE) -> dict[str, DutyRule]:
    """Destination country -> its import-charges rule."""
    return {r["country"]: DutyRule(
        r["country"], r["currency"], r["threshold_currency"], Decimal(r["vat_rate"]),
        Decimal(r["vat_threshold"]), r["vat_collected_at_sale"].strip().lower() == "true",
        Decimal(r["sale_collection_limit"]) if r["sale_collection_limit"].strip() else None,
        Decimal(r["duty_threshold"]), Decimal(r["duty_rate_below_threshold"]),
        Decimal(r["flat_duty_below_threshold"]), Decimal(r["duty_rate"]),
        Decimal(r["handling_fee"]), r["customs_union"].strip(), r["notes"])
        for r in read_table(path)[1]}


def _supported(code: str) -> str:
    """A country we ship to, or a clear error naming it and listing where we do ship."""
    country, lanes = check_country(code), load_lanes()
    if country not in lanes:
        name = getattr(pycountry.countries.get(alpha_2=country), "name", country)
        raise DomainError(f"we do not ship to {name} ({country}) yet; "
                          f"we ship to {', '.join(sorted(lanes))}", code="no_shipping", country=country)
    return country


def _limit(amount: Decimal, currency: str) -> str:
    """A threshold as people write it: '150 EUR', '61.5 CHF'."""
    return f"{amount.normalize():f} {currency}"


def quote_shipping(*, origin: str, destination: str, items: int, currency: str,
                   rates: RateTable) -> ShippingQuote:
    """Price and delivery time for `items` items in one parcel, in the buyer's `currency`."""
    if items < 1:
        raise DomainError("a parcel needs at least one item")
    origin, destination = _supported(origin), _supported(destination)
    lanes = load_lanes()
    domestic = origin == destination
    if domestic:
        service, valid_from = lanes[origin][1], read_table(LANES_FILE)[0].get("valid_from", "")
    else:
        service = load_shipping_rates()[(lanes[origin][0], lanes[destination][0])]
        valid_from = read_table(SHIPPING_RATES_FILE)[0].get("valid_from", "")
    eur = Money(service.base_eur + service.per_item_eur * (items - 1), "EUR")
    return ShippingQuote(rates.convert(eur, currency), service.min_days, service.max_days,
                         service.carrier, domestic, valid_from)


def estimate_import_charges(*, origin: str, destination: str, goods: Money, shipping: Money,
                            rates: RateTable) -> ImportEstimate:
    """VAT, duty and clearance fees the buyer in `destination` should expect (an estimate)."""
    origin, destination = _supported(origin), _supported(destination)
    if goods.amount < 0 or shipping.amount < 0:
        raise DomainError("goods and shipping must not be negative")
    duties = load_duties()
    if destination not in duties:
        raise DomainError(f"no import-charges data for {destination} yet")
    rule, date = duties[destination], read_table(DUTIES_FILE)[0].get("date", "")
    cur, thr = rule.currency, rule.threshold_currency
    zero = Money.zero(cur).quantize()
    union = rule.customs_union
    same_union = bool(union) and union == getattr(duties.get(origin), "customs_union", "")
    if origin == destination or same_union:
        why = ("domestic order: no import charges" if origin == destination
               else f"{origin} and {destination} are both in the {union} customs union: "
               "no import charges")
        return ImportEstimate(zero, zero, zero, zero, date, False, [why])

    reasons: list[str] = []
    value = rates.convert(goods, thr)  # thresholds are compared with the goods value alone
    customs_value = rates.convert(goods, cur) + rates.convert(shipping, cur)
    low_duty = rule.duty_rate_below_threshold > 0 or rule.flat_duty_below_threshold > 0
    kind = "low-value" if low_duty else "duty-free"
    limit = f"{kind} threshold of {_limit(rule.duty_threshold, thr)}"
    if rule.duty_threshold > 0 and value.amount <= rule.duty_threshold:
        flat = rates.convert(Money(rule.flat_duty_below_threshold, thr), cur)
        duty = (customs_value * (rule.duty_rate_below_threshold / HUNDRED) + flat).quantize()
        where = "below" if value.amount < rule.duty_threshold else "at"
        reasons.append(f"{f'reduced duty of {duty}' if low_duty else 'no duty'}: "
                       f"goods value {value} is {where} the {limit}")
    else:
        duty = (customs_value * (rule.duty_rate / HUNDRED)).quantize()
        reasons.append("no customs duty on most consumer goods" if rule.duty_rate == 0 else
                       f"duty {rule.duty_rate}% on goods + shipping" + (
                           f": goods value {value} is above the {limit}" if rule.duty_threshold > 0
                           else " (no duty-free threshold)"))

    if rule.vat_rate == 0:
        vat = zero
        reasons.append("no import VAT")
    elif rule.vat_threshold > 0 and value.amount <= rule.vat_threshold:
        vat = zero
        reasons.append(f"no VAT: goods value {value} is within the VAT-free threshold of "
                       f"{_limit(rule.vat_threshold, thr)}")
    else:
        vat = ((customs_value + duty) * (rule.vat_rate / HUNDRED)).quantize()
        reasons.append(f"VAT {rule.vat_rate}% on goods + shipping + duty" + (
            " from the first unit (no VAT-free threshold)" if rule.vat_threshold == 0 else
            f": goods value is above the VAT-free threshold of {_limit(rule.vat_threshold, thr)}"))

    due = (vat + duty).amount > 0
    at_sale = due and rule.collected_at_sale and (
        rule.sale_collection_limit is None or value.amount <= rule.sale_collection_limit)
    fees = zero
    if at_sale:
        reasons.append("charged at checkout under the destination's low-value scheme, "
                       "so nothing more is due on delivery")
    elif due and rule.handling_fee > 0:
        fees = Money(rule.handling_fee, cur).quantize()
        reasons.append(f"carrier clearance fee of {fees} for collecting the charges on delivery")
    return ImportEstimate(vat, duty, fees, vat + duty + fees, date, at_sale, reasons)


def supported_countries() -> list[str]:
    """Countries we ship from and to, sorted."""
    return sorted(load_lanes())
