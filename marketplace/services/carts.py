"""Customers and their carts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from marketplace.models import Cart, CartItem, Customer, Product, ProductStatus, utcnow
from marketplace.money import check_currency
from marketplace.services.catalog import check_country, check_language
from marketplace.services.errors import DomainError, NotFound

MAX_QUANTITY = 99


def upsert_customer(session: Session, *, telegram_user_id: int, name: str | None = None,
                    language: str | None = None, country: str | None = None,
                    currency: str | None = None) -> Customer:
    """Create the customer on first contact; update the fields given."""
    customer = session.scalar(select(Customer).where(Customer.telegram_user_id == telegram_user_id))
    if customer is None:
        customer = Customer(telegram_user_id=telegram_user_id)
        session.add(customer)
    if name is not None:
        customer.name = name
    if language is not None:
        customer.language = check_language(language)
    if country is not None:
        customer.country = check_country(country)
    if currency is not None:
        customer.currency = check_currency(currency)
    customer.last_seen_at = utcnow()  # the actions upsert on every turn: counts active customers
    session.flush()
    return customer


def get_customer(session: Session, telegram_user_id: int) -> Customer:
    """The customer with this Telegram id, or NotFound."""
    customer = session.scalar(select(Customer).where(Customer.telegram_user_id == telegram_user_id))
    if customer is None:
        raise NotFound(f"customer {telegram_user_id} not found")
    return customer


def open_cart(session: Session, customer: Customer) -> Cart:
    """The customer's open cart (created empty if needed), items and products loaded."""
    query = (select(Cart).where(Cart.customer_id == customer.id, Cart.status == "open")
             .options(selectinload(Cart.items).selectinload(CartItem.product).selectinload(Product.shop),
                      selectinload(Cart.items).selectinload(CartItem.product)
                      .selectinload(Product.translations)))
    cart = session.scalar(query)
    if cart is None:
        cart = Cart(customer_id=customer.id, items=[])
        session.add(cart)
        session.flush()
    return cart


def _check_quantity(quantity: int) -> int:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise DomainError(f"quantity must be between 1 and {MAX_QUANTITY}", code="quantity_range", max=MAX_QUANTITY)
    return quantity


def set_item(session: Session, *, cart: Cart, product_id: int, quantity: int, add: bool = False) -> Cart:
    """Put `quantity` of a product in the cart (or add to what is there when `add`)."""
    product = session.get(Product, product_id)
    if product is None or product.status != ProductStatus.ACTIVE:
        raise NotFound(f"product {product_id} is not available", code="not_available", product=product_id)
    item = next((i for i in cart.items if i.product_id == product_id), None)
    wanted = _check_quantity(quantity + (item.quantity if item and add else 0))
    if wanted > product.stock:
        raise DomainError(f"only {product.stock} left of product {product_id}", code="only_left",
                          left=product.stock, product=product_id)
    if item is None:
        cart.items.append(CartItem(product_id=product_id, quantity=wanted, product=product))
    else:
        item.quantity = wanted
    session.flush()
    return cart


def remove_item(session: Session, *, cart: Cart, product_id: int) -> Cart:
    """Take a product out of the cart."""
    item = next((i for i in cart.items if i.product_id == product_id), None)
    if item is None:
        raise NotFound(f"product {product_id} is not in the cart")
    cart.items.remove(item)
    session.flush()
    return cart
