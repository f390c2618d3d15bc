"""Money: a Decimal amount with an ISO 4217 currency, quantized to the currency's precision."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

import pycountry
from babel.numbers import format_currency, get_currency_precision


class CurrencyMismatch(ValueError):
    """Raised when amounts in different currencies are combined."""


@lru_cache(maxsize=512)
def check_currency(code: str) -> str:
    """Return the upper-cased ISO 4217 code, or raise ValueError for an unknown one."""
    upper = (code or "").strip().upper()
    if len(upper) != 3 or pycountry.currencies.get(alpha_3=upper) is None:
        raise ValueError(f"unknown currency code: {code!r}")
    return upper


@lru_cache(maxsize=512)
def exponent(currency: str) -> Decimal:
    """The smallest unit of a currency as a Decimal exponent (0.01 for EUR, 1 for VND)."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Convert to Decimal, refusing floats (they cannot represent money exactly)."""
    if isinstance(value, float):
        raise TypeError("money amounts must not be floats; pass a str or Decimal")
    if isinstance(value, bool):
        raise TypeError("money amounts must be numbers")
    try:
        result = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"not a valid amount: {value!r}") from exc
    if not result.is_finite():
        raise ValueError(f"not a valid amount: {value!r}")
    return result


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount of one currency."""

    amount: Decimal
    currency: str

    def __init__(self, amount: Decimal | int | str, currency: str) -> None:
        object.__setattr__(self, "currency", check_currency(currency))
        object.__setattr__(self, "amount", to_decimal(amount))

    @classmethod
    def zero(cls, currency: str) -> Money:
        """The zero amount of a currency."""
        return cls(0, currency)

    def quantize(self) -> Money:
        """Round half-even to the currency's minor unit."""
        return Money(self.amount.quantize(exponent(self.currency), ROUND_HALF_EVEN), self.currency)

    def _same(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented  # type: ignore[return-value]
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} and {other.currency}")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same(other).amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, float):
            raise TypeError("multiply money by int or Decimal, not float")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __str__(self) -> str:
        return f"{self.quantize().amount} {self.currency}"

    def to_minor_units(self) -> int:
        """Integer amount in the smallest unit (what Telegram invoices use)."""
        return int(self.quantize().amount.scaleb(get_currency_precision(self.currency)))

    def format(self, locale: str = "en") -> str:
        """Format for people with Babel, e.g. 'kr 1 450,00' for nb or 'US$1,450.00' for en."""
        return format_currency(self.quantize().amount, self.currency, locale=locale)


def total(items: list[Money], currency: str) -> Money:
    """Sum amounts of one currency (zero for an empty list); refuses mixed currencies."""
    result = Money.zero(currency)
    for item in items:
        result = result + item
    return result


@lru_cache(maxsize=256)
def buyer_locale(language: str, country: str | None = None) -> str:
    """The Babel locale for a person: 'es' + 'AR' -> 'es_AR' where Babel knows it, else 'es'."""
    from babel import localedata

    language = (language or "en").lower()
    if country and localedata.exists(f"{language}_{country.upper()}"):
        return f"{language}_{country.upper()}"
    return language if localedata.exists(language) else "en"
