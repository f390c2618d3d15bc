"""Bring a database up to the latest schema with Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001, ARG001
    """Leave the search objects that migration 0001 creates by hand out of autogenerate."""
    return name not in {"search_vector", "product_search", "ix_product_translations_fts"} and not (
        name or "").startswith("product_search")


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at our migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Apply all migrations up to `revision`."""
    command.upgrade(alembic_config(database_url), revision)
