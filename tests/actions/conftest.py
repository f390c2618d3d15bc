"""Actions tested the financial-demo way: Trackers from JSON, CollectingDispatcher, and the real
marketplace API (seeded demo catalog, real SQLite) reached through httpx.ASGITransport."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rasa_sdk import Tracker

from actions import marketplace as market_module
from marketplace.api.main import create_app
from marketplace.core.config import MarketplaceSettings
from marketplace.core.db import make_engine, make_session_factory
from marketplace.core.migrate import upgrade
from marketplace.seed.demo import seed_catalog, seed_rates
from tests.conftest import SERVICE_TOKEN
from tradewind.paths import REPO_ROOT

TRACKERS = Path(__file__).parent / "trackers"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A migrated SQLite database with the demo catalog and its photos, made once."""
    folder = tmp_path_factory.mktemp("seeded")
    path, media = folder / "seeded.db", folder / "media"
    upgrade(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    factory = make_session_factory(engine)
    settings = MarketplaceSettings(database_url=f"sqlite:///{path}", service_token=SERVICE_TOKEN)
    seed_rates(factory, ecb_file=settings.rates_file, extra_file=settings.rates_extra_file)
    seed_catalog(factory, catalog_file=REPO_ROOT / "data" / "catalog" / "demo.json", media_dir=media)
    engine.dispose()
    return path, media


@pytest.fixture
async def market(seeded_template: tuple[Path, Path], tmp_path: Path) -> AsyncIterator[market_module.Marketplace]:
    """The actions' marketplace client, wired to a fresh copy of the seeded marketplace."""
    path = tmp_path / "market.db"
    shutil.copy(seeded_template[0], path)
    settings = MarketplaceSettings(database_url=f"sqlite:///{path}", service_token=SERVICE_TOKEN,
                                   media_dir=seeded_template[1])
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://marketplace",
                                 headers={"Authorization": f"Bearer {SERVICE_TOKEN}"})
        client = market_module.Marketplace(http)
        market_module.use(client)
        yield client
        await http.aclose()


def tracker_from(name: str, **overrides: Any) -> Tracker:
    """A Tracker from tests/actions/trackers/<name>.json, with fields overridden."""
    data = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    data.update(overrides)
    return Tracker.from_dict(data)
