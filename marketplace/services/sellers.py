"""What a seller may see and change: their own shop, their listings (paused ones too)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from marketplace.models import Product, ProductStatus, Shop
from marketplace.services.errors import Conflict, NotFound


def owned_shop(session: Session, shop_id: int, acting_user: int) -> Shop:
    """The shop if `acting_user` owns it; someone else's shop looks like a missing one."""
    shop = session.get(Shop, shop_id)
    if shop is None or shop.owner_telegram_id != acting_user:
        raise NotFound(f"shop {shop_id} not found")
    return shop


def check_first_shop(session: Session, owner_telegram_id: int) -> None:
    """One shop per person: refuse a second one, naming the first."""
    existing = session.scalar(select(Shop).where(Shop.owner_telegram_id == owner_telegram_id).order_by(Shop.id))
    if existing is not None:
        raise Conflict(f"you already own the shop {existing.name!r} (#{existing.id})")


def inventory(session: Session, shop: Shop, *, max_stock: int | None = None,
              status: ProductStatus | None = None) -> list[Product]:
    """The shop's listings, lowest stock first, optionally at or below `max_stock` or in one status."""
    query = (select(Product).where(Product.shop_id == shop.id)
             .options(selectinload(Product.translations), selectinload(Product.shop))
             .order_by(Product.stock, Product.id))
    if max_stock is not None:
        query = query.where(Product.stock <= max_stock)
    if status is not None:
        query = query.where(Product.status == status)
    return list(session.scalars(query))
