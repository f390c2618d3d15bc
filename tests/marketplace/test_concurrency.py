"""Races: stock is reserved atomically and payments count once, under real concurrency."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import anyio
import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.config import MarketplaceSettings
from marketplace.core.db import transaction
from marketplace.models import Order, OrderEvent, Product
from marketplace.services.checkout import reserve_stock
from marketplace.services.errors import Conflict
from tests.conftest import api_client
from tests.marketplace import builders


async def test_two_buyers_racing_for_the_last_item_exactly_one_wins(
        api: httpx.AsyncClient, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        shop = builders.shop(session)
        product_id = builders.product(session, shop, stock=1).id
    buyers = range(800001, 800011)
    for buyer in buyers:
        await api.put(f"/customers/{buyer}", json={"language": "es", "currency": "ARS"})
        assert (await api.post(f"/customers/{buyer}/cart/items",
                               json={"product_id": product_id})).status_code == 200

    async def buy(buyer: int) -> int:
        response = await api.post(f"/customers/{buyer}/checkout",
                                  json={"shipping_country": "AR", "shipping_address": "Calle Falsa 123, Rosario"})
        return response.status_code

    codes = await asyncio.gather(*(buy(b) for b in buyers))
    assert sorted(codes) == [201] + [409] * (len(buyers) - 1)
    with factory() as session:
        assert session.get(Product, product_id).stock == 0
        assert session.scalar(select(func.count(Order.id))) == 1


def test_reserve_stock_in_parallel_threads_never_oversells(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        product_id = builders.product(session, builders.shop(session), stock=5).id

    def attempt(_: int) -> bool:
        try:
            with transaction(factory) as session:
                reserve_stock(session, product_id=product_id, quantity=1)
            return True
        except Conflict:
            return False

    with ThreadPoolExecutor(max_workers=8) as pool:
        wins = sum(pool.map(attempt, range(20)))
    assert wins == 5
    with factory() as session:
        assert session.get(Product, product_id).stock == 0


async def test_the_same_payment_delivered_concurrently_marks_paid_once(
        api: httpx.AsyncClient, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order = builders.order(session)
        order_id, amount = order.id, str(order.total)
    body = {"amount": amount, "currency": "NOK", "charge_id": "tg-charge-1"}
    codes = await asyncio.gather(*(api.post(f"/orders/{order_id}/payments", json=body) for _ in range(6)))
    assert sorted(r.status_code for r in codes) == [200] * 5 + [201], [r.text for r in codes]
    with factory() as session:
        assert session.scalar(select(func.count(OrderEvent.id)).where(OrderEvent.event == "pay")) == 1
        assert session.get(Order, order_id).status == "paid"


async def test_a_burst_bigger_than_the_thread_and_connection_pools_is_answered_not_stalled(
        settings: MarketplaceSettings, factory: sessionmaker[Session]) -> None:
    # A sync route runs in a worker thread, and FastAPI validates its return value in another worker
    # thread. A request that kept its database connection between the two could wait for a thread while
    # every thread waited for a connection: a stall until the pool timeout, then 500s.
    from marketplace.api.main import create_app

    with transaction(factory) as session:
        shop_id = builders.shop(session).id
    small = settings.model_copy(update={"db_pool_size": 2, "db_max_overflow": 0, "db_pool_timeout": 3.0})
    app = create_app(small)
    threads = anyio.to_thread.current_default_thread_limiter()
    tokens, threads.total_tokens = threads.total_tokens, 4
    try:
        async with api_client(app) as client:
            responses = await asyncio.gather(*(client.get(f"/shops/{shop_id}") for _ in range(40)))
    finally:
        threads.total_tokens = tokens
    assert [r.status_code for r in responses] == [200] * 40, {r.status_code for r in responses}


def test_every_api_route_releases_its_session_when_the_endpoint_returns() -> None:
    import importlib
    import pkgutil

    from fastapi.routing import APIRoute

    import marketplace.api.routes as package
    from marketplace.api.routing import ReleasingRoute

    routes = [route for info in pkgutil.iter_modules(package.__path__)
              for route in importlib.import_module(f"{package.__name__}.{info.name}").router.routes
              if isinstance(route, APIRoute)]
    assert len(routes) > 50
    assert [r.path for r in routes if not isinstance(r, ReleasingRoute)] == []
