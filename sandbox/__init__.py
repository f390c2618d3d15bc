"""Tradewind sandbox: a loopback Telegram Bot API emulator driven by the Bot API spec."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from .settings import Settings

__all__ = ["create_app"]


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the emulator app (see sandbox.app.create_app)."""
    from .app import create_app as _create

    return _create(settings)
