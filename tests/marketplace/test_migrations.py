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


def test_downgrading_a_column_keeps_the_rows_that_point_at_its_table(database_url: str) -> None:
    """0003 adds customers.last_seen_at; taking it away must not cascade into carts, orders, items."""
    from sqlalchemy import func, select

    from marketplace.core.db import make_session_factory, transaction
    from marketplace.models import Cart, Order, OrderItem
    from marketplace.services import carts, checkout
    from tests.marketplace import builders

    engine = make_engine(database_url)
    with transaction(make_session_factory(engine)) as session:
        builders.rates(session)
        product = builders.product(session, builders.shop(session, owner=5001))
        customer = builders.customer(session, telegram_user_id=5002)
        cart = carts.open_cart(session, customer)
        carts.set_item(session, cart=cart, product_id=product.id, quantity=1)
        checkout.checkout(session, cart=cart, customer=customer, shipping_country="AR", shipping_address="Calle 1")
    counts = lambda conn: [conn.scalar(select(func.count()).select_from(t)) for t in (Cart, Order, OrderItem)]  # noqa: E731
    with engine.connect() as conn:
        before = counts(conn)
    config = alembic_config(database_url)
    command.downgrade(config, "0002")
    try:
        with engine.connect() as conn:
            assert counts(conn) == before
    finally:
        command.upgrade(config, "head")  # the PostgreSQL leg shares one database with the tests after this
        engine.dispose()
