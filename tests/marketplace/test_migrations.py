"""Alembic migrations: up, down and up again; the models and the schema agree."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from marketplace.core.db import make_engine
from marketplace.core.migrate import alembic_config, include_object
from marketplace.models import Base


def test_downgrade_and_upgrade_round_trip(database_url: str) -> None:
    config = alembic_config(database_url)
    command.downgrade(config, "base")
    engine = make_engine(database_url)
    assert "orders" not in inspect(engine).get_table_names()
    command.upgrade(config, "head")
    assert {"orders", "order_events", "outbox", "exchange_rates"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_models_match_the_migrated_schema(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []
