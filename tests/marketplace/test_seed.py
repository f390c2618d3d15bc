"""The demo catalog seeds once, with photos, and cross-lingual search works on it offline."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.config import MarketplaceSettings
from marketplace.models import Product, ProductTranslation, Shop
from marketplace.seed.demo import seed_catalog, seed_rates
from marketplace.services.search import SearchQuery, search_products

# (query, language, seller country filter, words the top result's English title must contain)
EXPECTED = [
    ("busco un suéter de lana", "es", None, "sweater"),
    ("busco un suéter de lana", "es", "NO", "sweater"),
    ("ullgenser", "nb", "NO", "sweater"),
    ("毛衣", "zh", None, "sweater"),
    ("Olivenöl", "de", "IT", "olive oil"),
    ("yerba mate", "es", None, "mate"),
    ("chocolat", "fr", None, "chocolat"),
    ("carteira de cortiça", "pt", None, "cork"),
    ("Nussknacker", "de", None, "nutcracker"),
    ("foulard di seta", "it", None, "silk scarf"),
    ("ceramic mug", "en", None, "ceramic mug"),
    ("wool socks", "en", None, "wool socks"),
]


def test_seed_creates_the_demo_catalog_once_with_photos(
        factory: sessionmaker[Session], settings: MarketplaceSettings) -> None:
    seed_rates(factory, ecb_file=settings.rates_file, extra_file=settings.rates_extra_file)
    lines: list[str] = []
    result = seed_catalog(factory, catalog_file=settings.catalog_file, media_dir=settings.media_dir,
                          progress=lines.append)
    assert (result.shops, result.products, result.skipped) == (12, 120, False)
    assert len(lines) == 12 and lines[-1].endswith("120/120 products")
    with factory() as session:
        assert session.scalar(select(func.count(func.distinct(Shop.country)))) == 12
        assert session.scalar(select(func.count(ProductTranslation.id))) == 120 * 8
        photo = session.scalars(select(Product.photos)).first()[0]
    with Image.open(Path(settings.media_dir) / photo) as image:
        assert image.size == (512, 512)
    again = seed_catalog(factory, catalog_file=settings.catalog_file, media_dir=settings.media_dir)
    assert again.skipped

    with factory() as session:
        for text, language, country, words in EXPECTED:
            page = search_products(session, SearchQuery(text=text, language=language, country=country))
            assert page.products and not page.relaxed, text
            english = next(t.title for t in page.products[0].translations if t.language == "en").lower()
            assert all(w in english for w in words.split()), (text, english)
            assert country is None or {p.shop.country for p in page.products} == {country}
