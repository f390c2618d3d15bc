"""What a cart will really cost delivered: shipping, delivery time and import charges (estimated)."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Query

from marketplace.api.deps import SessionDep
from marketplace.api.routing import ReleasingRoute
from marketplace.api.schemas import MoneyOut, TelegramId
from marketplace.models import Shop
from marketplace.money import Money, buyer_locale, total
from marketplace.services import carts
from marketplace.services.errors import DomainError
from marketplace.services.landed_cost import estimate_import_charges, quote_shipping, supported_countries
from marketplace.services.rates import RateTable

router = APIRouter(tags=["quotes"], route_class=ReleasingRoute)


@router.get("/shipping/countries")
def shipping_countries() -> list[str]:
    """The countries we ship to (ISO alpha-2)."""
    return supported_countries()


@router.get("/customers/{telegram_user_id}/cart/quote")
def cart_quote(telegram_user_id: TelegramId, session: SessionDep,
               shipping_country: Annotated[str, Query(min_length=2, max_length=2)]) -> dict:
    """Per shop: goods, shipping and days, estimated import VAT/duty/fees; all in the buyer's currency too."""
    customer = carts.get_customer(session, telegram_user_id)
    cart = carts.open_cart(session, customer)
    if not cart.items:
        raise DomainError("the cart is empty", code="cart_empty")
    rates, destination = RateTable.load(session), shipping_country.upper()
    locale = buyer_locale(customer.language, customer.country)
    by_shop: dict[int, list] = defaultdict(list)
    for item in cart.items:
        by_shop[item.product.shop_id].append(item)
    shops, grand = [], []
    for shop_id, items in sorted(by_shop.items()):
        shop: Shop = items[0].product.shop
        goods = total([Money(i.product.price_amount, i.product.price_currency) * i.quantity for i in items],
                      shop.currency)
        shipping = quote_shipping(origin=shop.country, destination=destination,
                                  items=sum(i.quantity for i in items), currency=shop.currency, rates=rates)
        charges = estimate_import_charges(origin=shop.country, destination=destination, goods=goods,
                                          shipping=shipping.cost, rates=rates)
        landed = (rates.convert(goods + shipping.cost, customer.currency)
                  + rates.convert(charges.total, customer.currency))
        grand.append(landed)
        shops.append({
            "shop_id": shop_id, "shop_name": shop.name, "origin": shop.country,
            "goods": MoneyOut.of(goods, locale), "shipping": MoneyOut.of(shipping.cost, locale),
            "carrier": shipping.carrier, "min_days": shipping.min_days, "max_days": shipping.max_days,
            "import_estimate": {"vat": MoneyOut.of(charges.vat, locale), "duty": MoneyOut.of(charges.duty, locale),
                                "fees": MoneyOut.of(charges.fees, locale), "total": MoneyOut.of(charges.total, locale),
                                "collected_at_sale": charges.collected_at_sale, "table_date": charges.table_date,
                                "reasons": charges.reasons},
            "landed_total": MoneyOut.of(landed, locale)})
    return {"destination": destination, "currency": customer.currency, "shops": shops,
            "landed_total": MoneyOut.of(total(grand, customer.currency), locale),
            "estimate_note": "import VAT, duty and fees are estimates from a dated table"}
