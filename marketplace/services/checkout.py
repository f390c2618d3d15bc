"""Checkout (cart -> one order per shop, stock reserved atomically), payment and reviews."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from marketplace.models import (
    Cart,
    CartItem,
    Customer,
    Order,
    OrderEvent,
    OrderItem,
    OrderStatus,
    Product,
    ProductStatus,
    Review,
    Shop,
    utcnow,
)
from marketplace.money import Money, total
from marketplace.services.catalog import check_country, text_in
from marketplace.services.errors import Conflict, DomainError, NotFound
from marketplace.services.landed_cost import quote_shipping
from marketplace.services.rates import RateTable
from marketplace.services.orders import OrderAction, transition


def reserve_stock(session: Session, *, product_id: int, quantity: int) -> None:
    """Take `quantity` from stock in one conditional UPDATE: of two racing buyers, one wins."""
    result = session.execute(update(Product).where(Product.id == product_id, Product.stock >= quantity)
                             .values(stock=Product.stock - quantity))
    if result.rowcount != 1:
        raise Conflict(f"product {product_id} is sold out or has fewer than {quantity} left",
                       code="out_of_stock", product=product_id, quantity=quantity)


def checkout(session: Session, *, cart: Cart, customer: Customer, shipping_country: str,
             shipping_address: str) -> list[Order]:
    """Turn the open cart into orders awaiting payment, one per shop, with shipping quoted by the
    marketplace (never taken from the caller). All or nothing."""
    if not cart.items:
        raise DomainError("the cart is empty", code="cart_empty")
    if not shipping_address.strip():
        raise DomainError("a shipping address is needed")
    country = check_country(shipping_country)
    by_shop: dict[int, list[CartItem]] = defaultdict(list)
    for item in cart.items:
        by_shop[item.product.shop_id].append(item)
    orders, rates = [], RateTable.load(session)
    for shop_id, items in sorted(by_shop.items()):
        shop = session.get(Shop, shop_id)
        assert shop is not None
        lines = []
        for item in items:
            product = item.product
            if product.status != ProductStatus.ACTIVE:  # paused by the seller after it went in the cart
                raise Conflict(f"{text_in(product, shop.language).title!r} is not for sale right now; "
                               "remove it from the cart")
            reserve_stock(session, product_id=item.product_id, quantity=item.quantity)
            lines.append(OrderItem(product_id=product.id, title=text_in(product, shop.language).title,
                                   unit_price=Decimal(product.price_amount), currency=product.price_currency,
                                   quantity=item.quantity))
        subtotal = total([Money(line.unit_price, line.currency) * line.quantity for line in lines], shop.currency)
        items_count = sum(line.quantity for line in lines)
        shipping = quote_shipping(origin=shop.country, destination=country, items=items_count,
                                  currency=shop.currency, rates=rates).cost
        order = Order(customer_id=customer.id, shop_id=shop_id, currency=shop.currency,
                      subtotal=subtotal.quantize().amount, shipping=shipping.amount,
                      total=(subtotal + shipping).quantize().amount, shipping_country=country,
                      shipping_address=shipping_address.strip(), items=lines)
        session.add(order)
        session.flush()
        session.add(OrderEvent(order_id=order.id, event="place", from_status=None,
                               to_status=OrderStatus.PENDING_PAYMENT.value,
                               actor=f"buyer:{customer.telegram_user_id}", data={}))
        orders.append(order)
    cart.status = "checked_out"
    session.flush()
    return orders


def get_order(session: Session, order_id: int, *, for_update: bool = False) -> Order:
    """An order with items and events, or NotFound."""
    query = select(Order).where(Order.id == order_id).options(
        selectinload(Order.items), selectinload(Order.events), selectinload(Order.shop)
    ).execution_options(populate_existing=True)
    if for_update and session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update(of=Order)
    order = session.scalar(query)
    if order is None:
        raise NotFound(f"order {order_id} not found")
    return order


INVOICE_VALID_FOR = timedelta(hours=24)


def check_invoice(session: Session, *, order: Order, telegram_user_id: int, amount: Money,
                  now: datetime | None = None) -> str | None:
    """Why a payment about to be made must be refused (None: go ahead). Telegram's pre-checkout step."""
    customer = session.get(Customer, order.customer_id) if order.customer_id else None
    if customer is None or customer.telegram_user_id != telegram_user_id:
        return "this invoice belongs to someone else"
    if order.status != OrderStatus.PENDING_PAYMENT:
        return f"order {order.id} is {OrderStatus(order.status).value}, not awaiting payment"
    if (now or utcnow()) - order.created_at > INVOICE_VALID_FOR:
        return "this invoice has expired; please check out again"
    expected = Money(order.total, order.currency).quantize()
    if amount.currency != expected.currency:
        return f"the invoice is in {amount.currency} but the order is in {expected.currency}"
    if amount.quantize() != expected:
        return f"the invoice amount {amount} does not match the order total {expected}"
    return None


def record_payment(session: Session, *, order: Order, amount: Money, charge_id: str, actor: str) -> bool:
    """Mark the order paid (money held) exactly once. Returns False for a repeat of the same charge."""
    if order.payment_charge_id == charge_id:
        return False
    expected = Money(order.total, order.currency).quantize()
    if amount.quantize() != expected:
        raise DomainError(f"payment of {amount} does not match the order total {expected}")
    if session.scalar(select(Order.id).where(Order.payment_charge_id == charge_id)) is not None:
        raise Conflict("this payment was already recorded for another order")
    transition(session, order=order, action=OrderAction.PAY, actor=actor,
               data={"charge_id": charge_id, "amount": str(expected.amount), "currency": expected.currency},
               fields={"payment_charge_id": charge_id})
    return True


def add_review(session: Session, *, order: Order, customer: Customer, stars: int, text: str | None) -> Review:
    """Review a completed order once; the shop's rating counts only completed orders."""
    if order.customer_id != customer.id:
        raise NotFound(f"order {order.id} not found")
    if order.status not in (OrderStatus.COMPLETED, OrderStatus.RELEASED):
        raise Conflict("only completed orders can be reviewed")
    if not 1 <= stars <= 5:
        raise DomainError("stars must be between 1 and 5")
    if session.scalar(select(Review.id).where(Review.order_id == order.id)) is not None:
        raise Conflict(f"order {order.id} is already reviewed")
    review = Review(order_id=order.id, shop_id=order.shop_id, customer_id=customer.id, stars=stars,
                    text=(text or "").strip() or None)
    session.add(review)
    session.execute(update(Shop).where(Shop.id == order.shop_id).values(
        rating_sum=Shop.rating_sum + stars, rating_count=Shop.rating_count + 1))
    session.flush()
    return review
