"""Shops and listings: create, translate, edit. Search text is computed here, once, on write."""

from __future__ import annotations

from decimal import Decimal

import pycountry
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from marketplace.models import Product, ProductStatus, ProductTranslation, Shop
from marketplace.money import Money, check_currency
from marketplace.search_text import SUPPORTED_LANGUAGES, document_terms
from marketplace.services.errors import DomainError, NotFound


def check_country(code: str) -> str:
    """Upper-cased ISO 3166-1 alpha-2 code, or a clear error."""
    upper = (code or "").strip().upper()
    if len(upper) != 2 or pycountry.countries.get(alpha_2=upper) is None:
        raise DomainError(f"unknown country code: {code!r}")
    return upper


def check_language(code: str) -> str:
    """One of the languages Tradewind supports."""
    lower = (code or "").strip().lower()
    if lower not in SUPPORTED_LANGUAGES:
        raise DomainError(f"unsupported language {code!r}; use one of {', '.join(SUPPORTED_LANGUAGES)}")
    return lower


def create_shop(session: Session, *, owner_telegram_id: int, name: str, country: str, currency: str,
                language: str, city: str | None = None, description: str = "") -> Shop:
    """Open a shop."""
    shop = Shop(owner_telegram_id=owner_telegram_id, name=name.strip(), country=check_country(country),
                currency=check_currency(currency), language=check_language(language), city=city,
                description=description)
    session.add(shop)
    session.flush()
    return shop


def set_translation(product: Product, *, language: str, title: str, description: str = "",
                    source: str = "original") -> ProductTranslation:
    """Add or replace the product's text in one language (with its search text)."""
    language = check_language(language)
    if not title.strip():
        raise DomainError("title must not be empty")
    existing = next((t for t in product.translations if t.language == language), None)
    translation = existing or ProductTranslation(language=language)
    translation.title, translation.description, translation.source = title.strip(), description.strip(), source
    translation.search_text = document_terms(f"{translation.title} {translation.description}", language)
    if existing is None:
        product.translations.append(translation)
    return translation


def create_product(session: Session, *, shop: Shop, title: str, description: str, category: str,
                   price: Decimal | str, stock: int, photos: list[str] | None = None,
                   translations: dict[str, tuple[str, str]] | None = None) -> Product:
    """List a product in the shop's currency and language, with optional other-language texts."""
    amount = Money(price, shop.currency).quantize()
    if amount.amount <= 0:
        raise DomainError("price must be positive")
    if stock < 0:
        raise DomainError("stock cannot be negative")
    product = Product(shop_id=shop.id, category=category.strip().lower(), original_language=shop.language,
                      price_amount=amount.amount, price_currency=amount.currency, stock=stock,
                      photos=list(photos or []))
    set_translation(product, language=shop.language, title=title, description=description)
    for language, (other_title, other_description) in (translations or {}).items():
        if language != shop.language:
            set_translation(product, language=language, title=other_title,
                            description=other_description, source="machine")
    session.add(product)
    session.flush()
    return product


def get_product(session: Session, product_id: int) -> Product:
    """A product with its shop and translations, or NotFound."""
    product = session.scalar(select(Product).where(Product.id == product_id)
                             .options(selectinload(Product.translations), selectinload(Product.shop)))
    if product is None:
        raise NotFound(f"product {product_id} not found")
    return product


def update_product(product: Product, *, price: Decimal | str | None = None, stock: int | None = None,
                   status: ProductStatus | None = None) -> Product:
    """Change price, stock or visibility."""
    if price is not None:
        amount = Money(price, product.price_currency).quantize()
        if amount.amount <= 0:
            raise DomainError("price must be positive")
        product.price_amount = amount.amount
    if stock is not None:
        if stock < 0:
            raise DomainError("stock cannot be negative")
        product.stock = stock
    if status is not None:
        product.status = status
    return product


def add_stock(session: Session, product: Product, added: int, limit: int = 100_000) -> Product:
    """Add to the stock in one conditional UPDATE (a concurrent sale or edit is not lost)."""
    moved = session.execute(update(Product).where(Product.id == product.id, Product.stock + added <= limit)
                            .values(stock=Product.stock + added))
    if moved.rowcount != 1:
        raise DomainError(f"stock cannot exceed {limit}")
    session.refresh(product, ["stock"])
    return product


def text_in(product: Product, language: str) -> ProductTranslation:
    """The product's text in `language`, falling back to the original."""
    by_lang = {t.language: t for t in product.translations}
    return by_lang.get(language) or by_lang[product.original_language]
