"""Search latency on a generated catalog of 100,000 products in 8 languages.

Prints p50/p99 of the real search (FTS5 on SQLite, tsvector/GIN on PostgreSQL) and, as the
baseline measured in the same run, a naive `LIKE '%word%'` scan over the same rows.

    .venv/bin/python bench/search.py [--products 100000] [--queries 200] [--postgres URL]

PostgreSQL is measured when --postgres or BENCH_DATABASE_URL / TEST_DATABASE_URL is set; the
benchmark creates and drops its own database on that server.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from marketplace.core.config import normalise_database_url  # noqa: E402
from marketplace.core.db import make_engine, make_session_factory, transaction  # noqa: E402
from marketplace.core.migrate import upgrade  # noqa: E402
from marketplace.models import Product, ProductTranslation, Shop  # noqa: E402
from marketplace.money import Money  # noqa: E402
from marketplace.search_text import document_terms  # noqa: E402
from marketplace.services.rates import load_rates, read_rate_files  # noqa: E402
from marketplace.services.search import SearchQuery, search_products  # noqa: E402
from tradewind.paths import REPO_ROOT  # noqa: E402

# A small vocabulary per language: (noun, material, adjective), enough for realistic queries.
NOUNS = {
    "en": ["sweater", "scarf", "mug", "basket", "tea", "coffee", "hat", "blanket", "bag", "plate"],
    "es": ["suéter", "bufanda", "taza", "cesta", "té", "café", "sombrero", "manta", "bolso", "plato"],
    "pt": ["camisola", "cachecol", "caneca", "cesto", "chá", "café", "chapéu", "manta", "bolsa", "prato"],
    "de": ["Pullover", "Schal", "Becher", "Korb", "Tee", "Kaffee", "Hut", "Decke", "Tasche", "Teller"],
    "fr": ["pull", "écharpe", "tasse", "panier", "thé", "café", "chapeau", "couverture", "sac", "assiette"],
    "it": ["maglione", "sciarpa", "tazza", "cesto", "tè", "caffè", "cappello", "coperta", "borsa", "piatto"],
    "nb": ["genser", "skjerf", "krus", "kurv", "te", "kaffe", "hatt", "teppe", "veske", "tallerken"],
    "zh": ["毛衣", "围巾", "杯子", "篮子", "茶", "咖啡", "帽子", "毯子", "包", "盘子"],
}
MATERIALS = {
    "en": ["wool", "silk", "linen", "ceramic", "leather", "cotton"],
    "es": ["lana", "seda", "lino", "cerámica", "cuero", "algodón"],
    "pt": ["lã", "seda", "linho", "cerâmica", "couro", "algodão"],
    "de": ["Wolle", "Seide", "Leinen", "Keramik", "Leder", "Baumwolle"],
    "fr": ["laine", "soie", "lin", "céramique", "cuir", "coton"],
    "it": ["lana", "seta", "lino", "ceramica", "pelle", "cotone"],
    "nb": ["ull", "silke", "lin", "keramikk", "lær", "bomull"],
    "zh": ["羊毛", "丝绸", "亚麻", "陶瓷", "皮革", "棉"],
}
JOIN = {"en": "of", "es": "de", "pt": "de", "de": "aus", "fr": "en", "it": "di", "nb": "av", "zh": ""}
SHOPS = [("NO", "NOK", "nb"), ("AR", "ARS", "es"), ("CH", "CHF", "de"), ("KE", "KES", "en"),
         ("VN", "VND", "en"), ("PE", "PEN", "es"), ("IT", "EUR", "it"), ("PT", "EUR", "pt"),
         ("DE", "EUR", "de"), ("CN", "CNY", "zh"), ("BR", "BRL", "pt"), ("FR", "EUR", "fr")]


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def title(lang: str, noun: int, material: int, serial: int) -> str:
    n, m = NOUNS[lang][noun], MATERIALS[lang][material]
    return f"{m}{n} {serial}" if lang == "zh" else f"{n} {JOIN[lang]} {m} {serial}"


def populate(url: str, products: int, seed: int = 7) -> None:
    """Migrate and fill the database with `products` listings, each in all eight languages."""
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    rng = random.Random(seed)
    rates = REPO_ROOT / "data" / "rates"
    with transaction(factory) as session:
        load_rates(session, read_rate_files(rates / "eurofxref.csv", rates / "supplementary.csv"))
        shop_ids = []
        for i, (country, currency, lang) in enumerate(SHOPS * 10):
            result = session.execute(insert(Shop).values(owner_telegram_id=100 + i, name=f"Shop {i}",
                                                         country=country, currency=currency, language=lang))
            shop_ids.append((result.inserted_primary_key[0], currency, lang))
    batch, started = 2000, time.perf_counter()
    for start in range(0, products, batch):
        rows, texts = [], []
        for serial in range(start, min(start + batch, products)):
            shop_id, currency, lang = shop_ids[serial % len(shop_ids)]
            noun, material = rng.randrange(10), rng.randrange(6)
            price = Money(Decimal(rng.randrange(500, 50000)) / 100 * (1000 if currency in ("VND", "ARS", "KES") else 1),
                          currency).quantize().amount
            rows.append({"id": serial + 1, "shop_id": shop_id, "category": "crafts", "original_language": lang,
                         "price_amount": price, "price_currency": currency, "stock": rng.randrange(0, 20),
                         "photos": []})
            for other in NOUNS:
                words = title(other, noun, material, serial)
                texts.append({"product_id": serial + 1, "language": other, "title": words, "description": "",
                              "source": "original" if other == lang else "machine",
                              "search_text": document_terms(words, other)})
        with transaction(factory) as session:
            session.execute(insert(Product), rows)
            session.execute(insert(ProductTranslation), texts)
        done = min(start + batch, products)
        if done % 20000 == 0 or done == products:
            say(f"  generated {done:,}/{products:,} products ({time.perf_counter() - started:.0f}s)")
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()


def queries(count: int, seed: int = 11) -> list[SearchQuery]:
    rng = random.Random(seed)
    result = []
    for _ in range(count):
        lang = rng.choice(list(NOUNS))
        noun, material = rng.choice(NOUNS[lang]), rng.choice(MATERIALS[lang])
        words = f"{material}{noun}" if lang == "zh" else f"{noun} {material}"
        extra = rng.random()
        result.append(SearchQuery(
            text=words, language=lang,
            max_price=Money("50", "EUR") if extra < 0.3 else None,
            country=rng.choice(SHOPS)[0] if 0.3 <= extra < 0.5 else None, page_size=5))
    return result


def like_baseline(session, query: SearchQuery) -> list[int]:  # noqa: ANN001
    """The naive alternative without an index: a substring scan of every title, counted and paged."""
    words = query.text.split() or [query.text]
    matching = select(ProductTranslation.product_id).where(
        *(ProductTranslation.title.ilike(f"%{w}%") for w in words)).distinct()
    session.scalar(select(func.count()).select_from(matching.subquery()))
    return list(session.scalars(matching.order_by(ProductTranslation.product_id).limit(5)))


def measure(url: str, workload: list[SearchQuery]) -> dict[str, list[float]]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    timings: dict[str, list[float]] = {"search": [], "like": []}
    with factory() as session:
        for q in workload[:5]:  # warm caches
            search_products(session, q)
        for q in workload:
            t0 = time.perf_counter()
            search_products(session, q)
            timings["search"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            like_baseline(session, q)
            timings["like"].append(time.perf_counter() - t0)
    engine.dispose()
    return timings


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def report(name: str, timings: dict[str, list[float]]) -> None:
    s, b = timings["search"], timings["like"]
    print(f"{name:<11} search p50 {pct(s, 50):7.2f} ms  p99 {pct(s, 99):7.2f} ms  | "
          f"LIKE baseline p50 {pct(b, 50):8.2f} ms  p99 {pct(b, 99):8.2f} ms  | "
          f"speed-up at p50 x{statistics.median(b) / statistics.median(s):.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    workload = queries(args.queries)
    print(f"catalog: {args.products:,} products x 8 languages; {args.queries} queries (mixed languages, "
          f"30% with a max price, 20% with a country filter)")
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            say("SQLite: generating catalog")
            populate(url, args.products)
            report("SQLite", measure(url, workload))
    if args.postgres:
        base = make_url(normalise_database_url(args.postgres))
        name = f"tradewind_bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(base.render_as_string(hide_password=False)).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = base.set(database=name).render_as_string(hide_password=False)
            say("PostgreSQL: generating catalog")
            populate(url, args.products)
            report("PostgreSQL", measure(url, workload))
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        print("PostgreSQL: skipped (set BENCH_DATABASE_URL or pass --postgres)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
