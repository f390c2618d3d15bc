"""Customers and carts."""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter

from marketplace.api.deps import SessionDep
from marketplace.api.routing import ReleasingRoute
from marketplace.api.schemas import (
    CartItemIn,
    CartLineOut,
    CartOut,
    CustomerIn,
    CustomerOut,
    MoneyOut,
    QuantityIn,
    RowId,
    ShopTotalOut,
    TelegramId,
)
from marketplace.models import Cart, Customer, Shop
from marketplace.money import Money, buyer_locale, total
from marketplace.services import carts, privacy
from marketplace.services.catalog import text_in
from marketplace.services.rates import RateTable

router = APIRouter(tags=["customers"], route_class=ReleasingRoute)


def cart_out(cart: Cart, customer: Customer, rates: RateTable) -> CartOut:
    """A cart priced in the buyer's currency, with per-shop totals in both currencies."""
    currency, locale = customer.currency, buyer_locale(customer.language, customer.country)
    lines: list[CartLineOut] = []
    shops: dict[int, Shop] = {}
    per_shop: dict[int, list[Money]] = defaultdict(list)
    for item in sorted(cart.items, key=lambda i: (i.product.shop_id, i.product_id)):
        product = item.product
        unit = Money(product.price_amount, product.price_currency)
        shops[product.shop_id] = product.shop
        per_shop[product.shop_id].append(unit * item.quantity)
        converted = rates.convert(unit, currency)
        lines.append(CartLineOut(product_id=product.id, shop_id=product.shop_id,
                                 title=text_in(product, customer.language).title, quantity=item.quantity,
                                 unit_price=MoneyOut.of(converted, locale),
                                 line_total=MoneyOut.of(converted * item.quantity, locale)))
    shop_totals: list[ShopTotalOut] = []
    converted_totals: list[Money] = []
    for shop_id, amounts in per_shop.items():
        shop_total = total(amounts, shops[shop_id].currency)
        converted_totals.append(rates.convert(shop_total, currency))
        shop_totals.append(ShopTotalOut(shop_id=shop_id, shop_name=shops[shop_id].name,
                                        total=MoneyOut.of(shop_total, locale),
                                        total_converted=MoneyOut.of(converted_totals[-1], locale)))
    return CartOut(id=cart.id, currency=currency, items=lines, shops=shop_totals,
                   total=MoneyOut.of(total(converted_totals, currency), locale))


@router.put("/customers/{telegram_user_id}")
def upsert_customer(telegram_user_id: TelegramId, body: CustomerIn, session: SessionDep) -> CustomerOut:
    """Create or update a customer."""
    customer = carts.upsert_customer(session, telegram_user_id=telegram_user_id, **body.model_dump())
    session.commit()
    return CustomerOut.model_validate(customer)


@router.get("/customers/{telegram_user_id}")
def get_customer(telegram_user_id: TelegramId, session: SessionDep) -> CustomerOut:
    """One customer."""
    return CustomerOut.model_validate(carts.get_customer(session, telegram_user_id))


@router.get("/customers/{telegram_user_id}/export")
def export(telegram_user_id: TelegramId, session: SessionDep) -> dict:
    """Everything stored about the person (/mydata)."""
    return privacy.export_customer(session, telegram_user_id)


@router.delete("/customers/{telegram_user_id}")
def forget(telegram_user_id: TelegramId, session: SessionDep) -> dict[str, int]:
    """Delete the person's data; their finished orders stay anonymised (/forgetme)."""
    anonymised = privacy.forget_customer(session, telegram_user_id)
    session.commit()
    return {"orders_anonymised": anonymised}


@router.get("/customers/{telegram_user_id}/cart")
def get_cart(telegram_user_id: TelegramId, session: SessionDep) -> CartOut:
    """The customer's open cart."""
    customer = carts.get_customer(session, telegram_user_id)
    cart = carts.open_cart(session, customer)
    session.commit()
    return cart_out(cart, customer, RateTable.load(session))


@router.post("/customers/{telegram_user_id}/cart/items")
def add_item(telegram_user_id: TelegramId, body: CartItemIn, session: SessionDep) -> CartOut:
    """Add a product (quantities add up)."""
    customer = carts.get_customer(session, telegram_user_id)
    cart = carts.set_item(session, cart=carts.open_cart(session, customer), product_id=body.product_id,
                          quantity=body.quantity, add=True)
    session.commit()
    return cart_out(cart, customer, RateTable.load(session))


@router.put("/customers/{telegram_user_id}/cart/items/{product_id}")
def set_quantity(telegram_user_id: TelegramId, product_id: RowId, body: QuantityIn, session: SessionDep) -> CartOut:
    """Set the quantity of a product in the cart."""
    customer = carts.get_customer(session, telegram_user_id)
    cart = carts.set_item(session, cart=carts.open_cart(session, customer), product_id=product_id,
                          quantity=body.quantity)
    session.commit()
    return cart_out(cart, customer, RateTable.load(session))


@router.delete("/customers/{telegram_user_id}/cart/items/{product_id}")
def remove_item(telegram_user_id: TelegramId, product_id: RowId, session: SessionDep) -> CartOut:
    """Take a product out of the cart."""
    customer = carts.get_customer(session, telegram_user_id)
    cart = carts.remove_item(session, cart=carts.open_cart(session, customer), product_id=product_id)
    session.commit()
    return cart_out(cart, customer, RateTable.load(session))
