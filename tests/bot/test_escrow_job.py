"""The bot's job queue runs the marketplace's escrow upkeep: an overdue shipped order gets released."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.db import transaction
from marketplace.models import Order, OrderEvent, utcnow
from marketplace.services.orders import OrderAction, transition
from tests.bot.conftest import Emulator, bot_settings, running_bot
from tests.conftest import SERVICE_TOKEN
from tests.marketplace import builders


async def test_overdue_escrow_is_released_by_the_bots_job(
        emulator: Emulator, marketplace_url: str, factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        order = builders.order(session)
        transition(session, order=order, action=OrderAction.PAY, actor="system")
        transition(session, order=order, action=OrderAction.SHIP, actor="seller:900001",
                   fields={"carrier": "Posten", "tracking_number": "LA1NO"})
        shipped = session.scalars(select(OrderEvent).where(OrderEvent.event == "ship")).one()
        shipped.created_at = utcnow() - timedelta(days=30)
        order_id = order.id
    settings = bot_settings(emulator, marketplace_url=marketplace_url, service_token=SERVICE_TOKEN)
    async with running_bot(settings):
        for _ in range(200):  # the first tick runs 5 s after start
            with factory() as session:
                if session.get(Order, order_id).status == "completed":
                    break
            await asyncio.sleep(0.1)
    with factory() as session:
        assert session.get(Order, order_id).status == "completed"
        release = session.scalars(select(OrderEvent).where(OrderEvent.event == "release")).one()
        assert release.actor == "system" and "automatically" in release.note
