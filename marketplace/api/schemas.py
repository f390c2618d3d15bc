"""Request and response bodies. Amounts travel as strings with their currency."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from annotated_types import Gt, Lt
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from marketplace.models import Order, Product, Shop
from marketplace.money import Money
from marketplace.services.catalog import text_in
from marketplace.services.rates import RateTable
from marketplace.services.search import price_in

DecimalStr = Annotated[Decimal, PlainSerializer(lambda d: str(d), return_type=str)]
# Ids as the API accepts them anywhere (path, query, header, body): out-of-range values are a 422,
# never a database error. Telegram ids fit in 52 bits; our rows have PostgreSQL `integer` keys.
TelegramId = Annotated[int, Gt(0), Lt(2**53)]
ChatId = Annotated[int, Gt(-(2**53)), Lt(2**53)]  # groups have negative ids
RowId = Annotated[int, Gt(0), Lt(2**31)]


class MoneyOut(BaseModel):
    """An amount, its currency, and how a person in `locale` reads it."""

    amount: str
    currency: str
    formatted: str

    @classmethod
    def of(cls, money: Money, locale: str) -> MoneyOut:
        """Serialise quantized money, formatted with Babel."""
        q = money.quantize()
        return cls(amount=str(q.amount), currency=q.currency, formatted=q.format(locale))


class ShopIn(BaseModel):
    """Opening a shop."""

    model_config = ConfigDict(str_strip_whitespace=True)
    owner_telegram_id: TelegramId
    name: str = Field(min_length=1, max_length=120)
    country: str = Field(min_length=2, max_length=2)
    currency: str = Field(min_length=3, max_length=3)
    language: str = Field(min_length=2, max_length=8)
    city: str | None = Field(default=None, max_length=120)
    description: str = Field(default="", max_length=2000)


class ShopOut(BaseModel):
    """A shop as other services see it."""

    id: int
    owner_telegram_id: int
    name: str
    country: str
    currency: str
    language: str
    city: str | None
    rating: str | None
    rating_count: int

    @classmethod
    def of(cls, shop: Shop) -> ShopOut:
        """Serialise a shop."""
        return cls(id=shop.id, owner_telegram_id=shop.owner_telegram_id, name=shop.name, country=shop.country,
                   currency=shop.currency, language=shop.language, city=shop.city,
                   rating=str(shop.rating) if shop.rating is not None else None, rating_count=shop.rating_count)


class TranslationIn(BaseModel):
    """A listing's text in one language."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)


class ProductIn(BaseModel):
    """A new listing; price is in the shop's currency."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    category: str = Field(min_length=1, max_length=40)
    price: Decimal = Field(gt=0, max_digits=14, decimal_places=4)
    stock: int = Field(ge=0, le=100_000)
    photos: list[str] = Field(default_factory=list, max_length=10)
    translations: dict[str, TranslationIn] = Field(default_factory=dict)


class ProductPatch(BaseModel):
    """Changes a seller may make to a listing."""

    price: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=4)
    stock: int | None = Field(default=None, ge=0, le=100_000)
    add_stock: int | None = Field(default=None, ge=1, le=100_000)  # "20 more": added atomically
    status: str | None = Field(default=None, pattern="^(active|paused)$")


class ProductOut(BaseModel):
    """A listing in a buyer's language and currency, with the seller's own price beside it."""

    id: int
    shop: ShopOut
    language: str
    title: str
    description: str
    original_title: str
    translated: bool
    category: str
    price: MoneyOut
    seller_price: MoneyOut
    stock: int
    status: str
    photos: list[str]
    score: float | None = None

    @classmethod
    def of(cls, product: Product, *, language: str, currency: str, locale: str, rates: RateTable,
           score: float | None = None) -> ProductOut:
        """Serialise for one buyer."""
        text = text_in(product, language)
        original = text_in(product, product.original_language)
        seller = Money(product.price_amount, product.price_currency)
        return cls(id=product.id, shop=ShopOut.of(product.shop), language=text.language, title=text.title,
                   description=text.description, original_title=original.title,
                   translated=text.language != product.original_language, category=product.category,
                   price=MoneyOut.of(price_in(rates, product, currency), locale),
                   seller_price=MoneyOut.of(seller, locale), stock=product.stock, status=product.status,
                   photos=list(product.photos or []), score=score)


class SearchOut(BaseModel):
    """A page of search results."""

    total: int
    page: int
    page_size: int
    pages: int
    terms: list[list[str]]
    relaxed: bool = False
    items: list[ProductOut]


class CustomerIn(BaseModel):
    """Fields of a customer that may be set."""

    name: str | None = Field(default=None, max_length=120)
    language: str | None = Field(default=None, min_length=2, max_length=8)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    currency: str | None = Field(default=None, min_length=3, max_length=3)


class CustomerOut(BaseModel):
    """A customer."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    telegram_user_id: int
    name: str | None
    language: str
    country: str | None
    currency: str


class CartItemIn(BaseModel):
    """Put a product in the cart."""

    product_id: RowId
    quantity: int = Field(default=1, ge=1, le=99)


class QuantityIn(BaseModel):
    """Change a quantity."""

    quantity: int = Field(ge=1, le=99)


class CartLineOut(BaseModel):
    """A cart line in the buyer's currency."""

    product_id: int
    shop_id: int
    title: str
    quantity: int
    unit_price: MoneyOut
    line_total: MoneyOut


class ShopTotalOut(BaseModel):
    """What the buyer owes one shop, in the shop's currency and the buyer's."""

    shop_id: int
    shop_name: str
    total: MoneyOut
    total_converted: MoneyOut


class CartOut(BaseModel):
    """A cart with totals per shop and overall in the buyer's currency."""

    id: int
    currency: str
    items: list[CartLineOut]
    shops: list[ShopTotalOut]
    total: MoneyOut


class CheckoutIn(BaseModel):
    """Where to ship."""

    shipping_country: str = Field(min_length=2, max_length=2)
    shipping_address: str = Field(min_length=5, max_length=500)


class OrderItemOut(BaseModel):
    """An order line."""

    model_config = ConfigDict(from_attributes=True)
    product_id: int | None
    title: str
    unit_price: DecimalStr
    currency: str
    quantity: int


class OrderEventOut(BaseModel):
    """An entry of the order's log."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    event: str
    from_status: str | None
    to_status: str
    actor: str
    note: str | None
    data: dict
    created_at: datetime


class OrderOut(BaseModel):
    """An order with its log."""

    id: int
    customer_id: int | None
    shop_id: int
    status: str
    currency: str
    subtotal: str
    shipping: str
    total: str
    shipping_country: str | None
    carrier: str | None
    tracking_number: str | None
    items: list[OrderItemOut]
    events: list[OrderEventOut]
    created_at: datetime

    @classmethod
    def of(cls, order: Order) -> OrderOut:
        """Serialise an order (amounts quantized to its currency)."""
        def amount(value: Decimal) -> str:
            return str(Money(value, order.currency).quantize().amount)
        return cls(id=order.id, customer_id=order.customer_id, shop_id=order.shop_id, status=order.status,
                   currency=order.currency, subtotal=amount(order.subtotal), shipping=amount(order.shipping),
                   total=amount(order.total), shipping_country=order.shipping_country, carrier=order.carrier,
                   tracking_number=order.tracking_number,
                   items=[OrderItemOut.model_validate(i) for i in order.items],
                   events=[OrderEventOut.model_validate(e) for e in order.events], created_at=order.created_at)


class ActionIn(BaseModel):
    """Move an order: who does what."""

    action: str
    actor: str = Field(pattern=r"^(buyer|seller|staff):\d+$|^system$")
    note: str | None = Field(default=None, max_length=1000)
    carrier: str | None = Field(default=None, max_length=60)
    tracking_number: str | None = Field(default=None, max_length=80)


class PaymentIn(BaseModel):
    """A successful payment as the payment provider reported it."""

    amount: Decimal = Field(gt=0)
    currency: str = Field(min_length=3, max_length=3)
    charge_id: str = Field(min_length=1, max_length=120)


class PreCheckoutIn(BaseModel):
    """What Telegram's pre-checkout query says is about to be paid, and by whom."""

    telegram_user_id: TelegramId
    amount: Decimal = Field(gt=0)
    currency: str = Field(min_length=3, max_length=3)


class ReviewIn(BaseModel):
    """A buyer's review."""

    telegram_user_id: TelegramId
    stars: int = Field(ge=1, le=5)
    text: str | None = Field(default=None, max_length=2000)
