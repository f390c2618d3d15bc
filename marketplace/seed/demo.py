"""Seed the demo catalog: shops, listings in eight languages, generated photos, exchange rates."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.db import transaction
from marketplace.models import Shop
from marketplace.seed.images import render_product_image
from marketplace.services import catalog
from marketplace.services.rates import load_rates, read_rate_files

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SeedResult:
    """What seeding did."""

    shops: int
    products: int
    rates: int
    skipped: bool


def seed_rates(factory: sessionmaker[Session], *, ecb_file: Path, extra_file: Path) -> int:
    """Load the shipped exchange-rate files into the database."""
    with transaction(factory) as session:
        return load_rates(session, read_rate_files(ecb_file, extra_file))


def seed_catalog(factory: sessionmaker[Session], *, catalog_file: Path, media_dir: Path,
                 progress: Progress = lambda _line: None, force: bool = False) -> SeedResult:
    """Create the demo shops and products unless the database already has shops (or `force`)."""
    with factory() as session:
        if session.scalar(select(func.count(Shop.id))) and not force:
            return SeedResult(shops=0, products=0, rates=0, skipped=True)
    data = json.loads(catalog_file.read_text(encoding="utf-8"))
    photos_dir = media_dir / "products"
    photos_dir.mkdir(parents=True, exist_ok=True)
    shops = products = 0
    total = sum(len(s["products"]) for s in data["shops"])
    for shop_data in data["shops"]:
        with transaction(factory) as session:
            lang = shop_data["language"]
            shop = catalog.create_shop(
                session, owner_telegram_id=shop_data["owner_telegram_id"], name=shop_data["name"],
                country=shop_data["country"], currency=shop_data["currency"], language=lang,
                city=shop_data.get("city"), description=shop_data["description"].get(lang, ""))
            for item in shop_data["products"]:
                photo = f"products/{item['key']}.png"
                (media_dir / photo).write_bytes(render_product_image(
                    title=item["title"]["en"], category=item["category"], color=item["color"],
                    seed=products))
                catalog.create_product(
                    session, shop=shop, title=item["title"][lang], description=item["description"][lang],
                    category=item["category"], price=item["price"], stock=item["stock"], photos=[photo],
                    translations={code: (item["title"][code], item["description"].get(code, ""))
                                  for code in item["title"] if code != lang})
                products += 1
            shops += 1
        progress(f"seeded {shop_data['name']} ({shop_data['country']}): {products}/{total} products")
    return SeedResult(shops=shops, products=products, rates=0, skipped=False)
