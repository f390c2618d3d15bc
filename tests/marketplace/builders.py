"""Small builders for test data, going through the real services."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marketplace.money import Money
from marketplace.models import Customer, ExchangeRate, Order, Product, Shop
from marketplace.services import carts, catalog, checkout
from marketplace.services.rates import load_rates, read_rate_files
from tradewind.paths import REPO_ROOT


def shop(session: Session, *, owner: int = 900001, country: str = "NO", currency: str = "NOK",
         language: str = "nb", name: str = "Bergen Strikk") -> Shop:
    return catalog.create_shop(session, owner_telegram_id=owner, name=name, country=country,
                               currency=currency, language=language)


def product(session: Session, the_shop: Shop, *, title: str = "Lusekofte genser i ull",
            description: str = "Håndstrikket genser av norsk ull", price: str = "1450.00",
            stock: int = 5, category: str = "clothing",
            translations: dict[str, tuple[str, str]] | None = None) -> Product:
    return catalog.create_product(session, shop=the_shop, title=title, description=description,
                                  category=category, price=price, stock=stock, translations=translations)


def customer(session: Session, *, telegram_user_id: int = 700001, language: str = "es",
             country: str = "AR", currency: str = "ARS") -> Customer:
    return carts.upsert_customer(session, telegram_user_id=telegram_user_id, name="María",
                                 language=language, country=country, currency=currency)


def rates(session: Session) -> None:
    """Load the shipped exchange rates unless the table already has them (shipping quotes need them)."""
    if session.scalar(select(func.count(ExchangeRate.currency))) == 0:
        folder = REPO_ROOT / "data" / "rates"
        load_rates(session, read_rate_files(folder / "eurofxref.csv", folder / "supplementary.csv"))


def order(session: Session, *, quantity: int = 1, stock: int = 5, buyer_id: int = 700001) -> Order:
    """A pending order (NO shop -> AR buyer, shipping quoted) for one product of a fresh shop."""
    rates(session)
    the_shop = shop(session)
    item = product(session, the_shop, stock=stock)
    buyer = customer(session, telegram_user_id=buyer_id)
    cart = carts.open_cart(session, buyer)
    carts.set_item(session, cart=cart, product_id=item.id, quantity=quantity)
    [placed] = checkout.checkout(session, cart=cart, customer=buyer, shipping_country="AR",
                                 shipping_address="Av. Corrientes 1234, Buenos Aires")
    return placed


def pay(session: Session, placed: Order, *, charge_id: str | None = None) -> Order:
    """Record the full payment of an order (money held), as Telegram's successful_payment would."""
    checkout.record_payment(session, order=placed, amount=Money(placed.total, placed.currency),
                            charge_id=charge_id or f"charge-{placed.id}", actor="system")
    return placed
