"""Shops and their listings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Header, Query, Request, status
from sqlalchemy import select

from marketplace.api.deps import SessionDep
from marketplace.api.routing import ReleasingRoute
from marketplace.api.schemas import (
    ProductIn,
    ProductOut,
    ProductPatch,
    RowId,
    ShopIn,
    ShopOut,
    TelegramId,
    TranslationIn,
)
from marketplace.models import ProductStatus, Shop
from marketplace.services import catalog, sellers
from marketplace.services.listing_translation import translate_listing
from marketplace.services.errors import NotFound
from marketplace.money import buyer_locale
from marketplace.services.rates import RateTable

router = APIRouter(tags=["shops"], route_class=ReleasingRoute)


def _shop(session, shop_id: int) -> Shop:  # noqa: ANN001
    shop = session.get(Shop, shop_id)
    if shop is None:
        raise NotFound(f"shop {shop_id} not found")
    return shop


@router.post("/shops", status_code=status.HTTP_201_CREATED)
def create_shop(body: ShopIn, session: SessionDep) -> ShopOut:
    """Open a shop (one per person)."""
    sellers.check_first_shop(session, body.owner_telegram_id)
    shop = catalog.create_shop(session, **body.model_dump())
    session.commit()
    return ShopOut.of(shop)


@router.get("/shops")
def list_shops(session: SessionDep, owner_telegram_id: TelegramId | None = None) -> list[ShopOut]:
    """All shops, or those of one owner."""
    query = select(Shop).order_by(Shop.id)
    if owner_telegram_id is not None:
        query = query.where(Shop.owner_telegram_id == owner_telegram_id)
    return [ShopOut.of(s) for s in session.scalars(query)]


@router.get("/shops/{shop_id}")
def get_shop(shop_id: RowId, session: SessionDep) -> ShopOut:
    """One shop."""
    return ShopOut.of(_shop(session, shop_id))


@router.post("/shops/{shop_id}/products", status_code=status.HTTP_201_CREATED)
def create_product(shop_id: RowId, body: ProductIn, session: SessionDep, request: Request,
                   background: BackgroundTasks, x_acting_user: Annotated[TelegramId, Header()]) -> ProductOut:
    """List a product; only the shop's owner may. Title and description are then machine-translated
    into the other languages in the background (the listing is usable at once in its own language)."""
    shop = _shop(session, shop_id)
    if shop.owner_telegram_id != x_acting_user:
        raise NotFound(f"shop {shop_id} not found")
    product = catalog.create_product(
        session, shop=shop, title=body.title, description=body.description, category=body.category,
        price=body.price, stock=body.stock, photos=body.photos,
        translations={lang: (t.title, t.description) for lang, t in body.translations.items()})
    session.commit()
    background.add_task(translate_listing, request.app.state.translation, request.app.state.session_factory,
                        product.id)
    return ProductOut.of(product, language=shop.language, currency=shop.currency, locale=shop.language,
                         rates=RateTable.load(session))


@router.get("/products/{product_id}")
def get_product(product_id: RowId, session: SessionDep, lang: str = "en",
                currency: Annotated[str | None, Query(min_length=3, max_length=3)] = None,
                buyer_country: Annotated[str | None, Query(min_length=2, max_length=2)] = None) -> ProductOut:
    """A listing in the buyer's language and currency, formatted for the buyer's locale."""
    product = catalog.get_product(session, product_id)
    return ProductOut.of(product, language=lang, currency=currency or product.price_currency,
                         locale=buyer_locale(lang, buyer_country),
                         rates=RateTable.load(session))


@router.patch("/products/{product_id}")
def update_product(product_id: RowId, body: ProductPatch, session: SessionDep,
                   x_acting_user: Annotated[TelegramId, Header()]) -> ProductOut:
    """Change price, stock or visibility; only the shop's owner may."""
    product = catalog.get_product(session, product_id)
    if product.shop.owner_telegram_id != x_acting_user:
        raise NotFound(f"product {product_id} not found")
    catalog.update_product(product, price=body.price, stock=body.stock,
                           status=ProductStatus(body.status) if body.status else None)
    if body.add_stock is not None:
        catalog.add_stock(session, product, body.add_stock)
    session.commit()
    return ProductOut.of(product, language=product.original_language, currency=product.price_currency,
                         locale=product.original_language, rates=RateTable.load(session))


@router.put("/products/{product_id}/translations/{language}")
def correct_translation(product_id: RowId, language: str, body: TranslationIn, session: SessionDep,
                        x_acting_user: Annotated[TelegramId, Header()]) -> ProductOut:
    """The seller writes (or corrects) the listing's text in one language; only the shop's owner may."""
    product = catalog.get_product(session, product_id)
    if product.shop.owner_telegram_id != x_acting_user:
        raise NotFound(f"product {product_id} not found")
    language = catalog.check_language(language)
    catalog.set_translation(product, language=language, title=body.title, description=body.description,
                            source="original" if language == product.original_language else "seller")
    session.commit()
    return ProductOut.of(product, language=language, currency=product.price_currency, locale=language,
                         rates=RateTable.load(session))
