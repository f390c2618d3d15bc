"""Alembic environment: the URL comes from the caller's config or the marketplace settings."""

from __future__ import annotations

from alembic import context

from marketplace.core.config import MarketplaceSettings
from marketplace.core.db import make_engine
from marketplace.core.migrate import include_object
from marketplace.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or MarketplaceSettings().database_url


def run_offline() -> None:
    """Emit SQL without a connection."""
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True, render_as_batch=True,
                      include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate over a real connection."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True,
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
