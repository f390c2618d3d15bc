"""Guards for the demo catalog data (data/catalog/demo.json) and its generated product images."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry
import pytest
from babel.numbers import get_currency_precision
from PIL import Image

from marketplace.seed.images import render_product_image

REPO_ROOT = Path(__file__).parents[2]
CATALOG_FILE = REPO_ROOT / "data" / "catalog" / "demo.json"
LANGUAGES = ["en", "es", "pt", "de", "fr", "it", "nb", "zh"]
CATEGORIES = {"clothing", "accessories", "home", "kitchen", "food", "drinks", "jewelry", "crafts",
              "art", "beauty", "toys", "outdoor"}
EXPECTED_SHOPS = {  # country -> (currency, shop language)
    "NO": ("NOK", "nb"), "AR": ("ARS", "es"), "CH": ("CHF", "de"), "KE": ("KES", "en"),
    "VN": ("VND", "en"), "PE": ("PEN", "es"), "IT": ("EUR", "it"), "PT": ("EUR", "pt"),
    "DE": ("EUR", "de"), "CN": ("CNY", "zh"), "BR": ("BRL", "pt"), "FR": ("EUR", "fr"),
}
NO_SWEATER_KEY = "no-lusekofte-wool-sweater"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEX_COLOR = re.compile(r"^#[0-9a-f]{6}$")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@lru_cache(maxsize=1)
def _catalog() -> dict[str, Any]:
    return json.loads(CATALOG_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog() -> dict[str, Any]:
    return _catalog()


def _shops() -> list[dict[str, Any]]:
    return _catalog()["shops"]


def _products() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(shop, product) for shop in _shops() for product in shop["products"]]


def _product(key: str) -> dict[str, Any]:
    return next(product for _shop, product in _products() if product["key"] == key)


def test_top_level_shape(catalog: dict[str, Any]) -> None:
    assert catalog["version"] == 1
    assert catalog["languages"] == LANGUAGES
    assert isinstance(catalog["shops"], list)


def test_twelve_shops_in_the_expected_countries() -> None:
    shops = _shops()
    assert len(shops) == 12
    found = {shop["country"]: (shop["currency"], shop["language"]) for shop in shops}
    assert found == EXPECTED_SHOPS


@pytest.mark.parametrize("shop", _shops(), ids=lambda shop: shop["key"])
def test_shop_fields(shop: dict[str, Any]) -> None:
    assert pycountry.countries.get(alpha_2=shop["country"]) is not None
    assert pycountry.currencies.get(alpha_3=shop["currency"]) is not None
    assert shop["language"] in LANGUAGES
    assert shop["name"].strip() and shop["city"].strip()
    assert SLUG.match(shop["key"])
    assert isinstance(shop["owner_telegram_id"], int)
    assert len(shop["products"]) >= 10


def test_shop_keys_and_owners_are_distinct() -> None:
    shops = _shops()
    assert len({shop["key"] for shop in shops}) == len(shops)
    assert sorted(shop["owner_telegram_id"] for shop in shops) == list(range(900001, 900013))


def test_at_least_120_products_with_unique_keys() -> None:
    keys = [product["key"] for _shop, product in _products()]
    assert len(keys) >= 120
    assert len(set(keys)) == len(keys)
    assert all(SLUG.match(key) for key in keys)


def _check_translations(texts: dict[str, str], first: str, max_length: int) -> None:
    assert set(texts) == set(LANGUAGES)
    assert next(iter(texts)) == first, "the shop's own language comes first"
    for language, text in texts.items():
        assert isinstance(text, str) and text.strip() == text and text, language
        assert len(text) <= max_length, (language, text)


@pytest.mark.parametrize("shop", _shops(), ids=lambda shop: shop["key"])
def test_shop_description_in_all_languages(shop: dict[str, Any]) -> None:
    _check_translations(shop["description"], shop["language"], 200)


@pytest.mark.parametrize(("shop", "product"), _products(), ids=lambda item: item.get("key"))
def test_product_fields(shop: dict[str, Any], product: dict[str, Any]) -> None:
    assert product["category"] in CATEGORIES
    assert HEX_COLOR.match(product["color"])
    stock = product["stock"]
    assert isinstance(stock, int) and not isinstance(stock, bool) and 0 <= stock <= 40
    _check_translations(product["title"], shop["language"], 60)
    _check_translations(product["description"], shop["language"], 170)


@pytest.mark.parametrize(("shop", "product"), _products(), ids=lambda item: item.get("key"))
def test_price_is_a_decimal_string_with_the_currency_precision(shop: dict[str, Any],
                                                               product: dict[str, Any]) -> None:
    price = product["price"]
    assert isinstance(price, str)
    try:
        amount = Decimal(price)
    except InvalidOperation:  # pragma: no cover - reported as a failure below
        pytest.fail(f"price {price!r} is not a decimal")
    assert amount.is_finite() and amount > 0
    decimals = -amount.as_tuple().exponent
    assert decimals == get_currency_precision(shop["currency"]), (price, shop["currency"])


def test_some_items_are_scarce_and_some_sold_out() -> None:
    stocks = [product["stock"] for _shop, product in _products()]
    assert stocks.count(0) >= 3
    assert stocks.count(1) >= 3


@pytest.mark.parametrize("word", ["sweater", "scarf", "coffee", "tea", "mug"])
def test_overlapping_items_across_shops(word: str) -> None:
    pattern = re.compile(rf"\b{word}\b", re.IGNORECASE)
    shops = {shop["key"] for shop, product in _products() if pattern.search(product["title"]["en"])}
    assert len(shops) >= 3, (word, shops)


def test_norwegian_sweater_spanish_title_says_sueter() -> None:
    assert "suéter" in _product(NO_SWEATER_KEY)["title"]["es"].lower()


@pytest.mark.parametrize(("language", "alternatives"), [
    ("nb", ["genser"]), ("es", ["suéter"]), ("es", ["lana"]), ("en", ["sweater", "jumper"]),
    ("en", ["wool"]), ("de", ["pullover"]), ("de", ["wolle"]), ("fr", ["pull"]), ("fr", ["laine"]),
    ("it", ["maglione"]), ("it", ["lana"]), ("pt", ["suéter", "camisola"]), ("pt", ["lã"]),
    ("zh", ["毛衣"]),
])
def test_norwegian_sweater_uses_words_people_search_for(language: str,
                                                        alternatives: list[str]) -> None:
    product = _product(NO_SWEATER_KEY)
    text = f"{product['title'][language]} {product['description'][language]}".lower()
    assert any(word in text for word in alternatives), (language, alternatives, text)


def _render(**overrides: Any) -> bytes:
    arguments: dict[str, Any] = {"title": "Lusekofte wool sweater", "category": "clothing",
                                 "color": "#8b1e2d", "seed": 7, "size": 128}
    arguments.update(overrides)
    return render_product_image(**arguments)


def test_render_product_image_returns_a_png_of_the_requested_size() -> None:
    data = _render(size=200)
    assert data.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size == (200, 200)
        image.verify()


def test_render_product_image_defaults_to_512_pixels() -> None:
    data = render_product_image(title="Como silk scarf", category="accessories", color="#6c3483",
                                seed=1)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (512, 512)


def test_render_product_image_is_deterministic() -> None:
    assert _render() == _render()


def test_render_product_image_differs_by_color() -> None:
    assert _render(color="#8b1e2d") != _render(color="#1f4e79")


@pytest.mark.parametrize("category", sorted(CATEGORIES) + ["unknown"])
def test_render_product_image_draws_every_category(category: str) -> None:
    data = _render(category=category, title="A long product title that has to be shortened a lot")
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (128, 128)
