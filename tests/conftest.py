"""Shared fixtures: real databases (SQLite always, PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.config import MarketplaceSettings, normalise_database_url
from marketplace.core.db import make_engine, make_session_factory, transaction
from marketplace.core.migrate import upgrade
from marketplace.models import Base
from marketplace.services.rates import load_rates, read_rate_files
from tradewind.paths import REPO_ROOT

# tests/nlu runs inside .venv-rasa (Rasa 3.6, pydantic 1); the Makefile runs it separately.
collect_ignore = ["nlu"]

SERVICE_TOKEN = "test-service-token"
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating once keeps tests fast)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database on the TEST_DATABASE_URL server, migrated once."""
    base = make_url(normalise_database_url(os.environ["TEST_DATABASE_URL"]))
    name = f"tradewind_test_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base.render_as_string(hide_password=False)).execution_options(
        isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database for one test."""
    if request.param == "sqlite":
        path = tmp_path / "tradewind.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test database."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory on the test database."""
    return make_session_factory(engine)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> MarketplaceSettings:
    """Marketplace settings pointing at the test database and a temporary media folder."""
    return MarketplaceSettings(database_url=database_url, service_token=SERVICE_TOKEN,
                               media_dir=tmp_path / "media",
                               rates_file=REPO_ROOT / "data" / "rates" / "eurofxref.csv",
                               rates_extra_file=REPO_ROOT / "data" / "rates" / "supplementary.csv")


@pytest.fixture
async def api(settings: MarketplaceSettings, factory: sessionmaker[Session]) -> AsyncIterator[httpx.AsyncClient]:
    """The real API app over ASGITransport, authenticated as a service, with exchange rates loaded."""
    from marketplace.api.main import create_app

    with transaction(factory) as session:
        load_rates(session, read_rate_files(settings.rates_file, settings.rates_extra_file))
    async with api_client(create_app(settings)) as client:
        yield client


@asynccontextmanager
async def api_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client of this API app (started and stopped around it) over ASGITransport, as a service."""
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://marketplace",
                                     headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}) as client:
            yield client
