"""Periodic work the bot process does for the marketplace."""

from __future__ import annotations

import logging

from bot.services import Context

log = logging.getLogger(__name__)


async def escrow_tick(context: Context) -> None:
    """Ask the marketplace to remind silent buyers and auto-release overdue orders (idempotent)."""
    marketplace = context.bot_data.marketplace
    if marketplace is None:
        return
    try:
        result = await marketplace.run_escrow()
    except Exception:  # noqa: BLE001 - the next tick tries again; never kill the job queue
        log.warning("escrow upkeep failed; will retry on the next tick", exc_info=True)
        return
    if result["reminded"] or result["released"]:
        log.info("escrow upkeep: reminded %s, released %s", result["reminded"], result["released"])
