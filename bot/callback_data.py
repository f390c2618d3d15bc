"""Callback data for inline buttons: short prefixed strings, parsed in one place.

`r:<payload>` carries a Rasa button payload (e.g. `r:/add_to_cart{"product_id":12}`);
`l:<code>` picks a language; `p:forget` / `p:keep` answer /forgetme; `sa:`/`ss:`/`sm:<order>` are the
buttons of a seller's order alert. Telegram allows at most 64 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 64
RASA, LANGUAGE, PRIVACY = "r", "l", "p"
# Buttons on a seller's order alert (+ the order id): accept, mark shipped, message the buyer.
# Their own handlers match them (bot/handlers/seller_orders.py, bot/handlers/relay.py), not `decode`.
SELLER_ACCEPT, SELLER_SHIP, SELLER_MESSAGE = "sa", "ss", "sm"


class CallbackDataTooLong(ValueError):
    """The payload does not fit into Telegram's 64 bytes."""


@dataclass(frozen=True)
class Callback:
    """A parsed button press."""

    kind: str
    value: str


def encode(kind: str, value: str) -> str:
    """`kind:value`, refusing anything Telegram would reject."""
    data = f"{kind}:{value}"
    if len(data.encode()) > MAX_BYTES:
        raise CallbackDataTooLong(f"callback data is {len(data.encode())} bytes: {data[:40]}…")
    return data


def decode(data: str | None) -> Callback | None:
    """Parse callback data; None for anything we did not make."""
    if not data or ":" not in data:
        return None
    kind, _, value = data.partition(":")
    if kind not in (RASA, LANGUAGE, PRIVACY) or not value:
        return None
    return Callback(kind, value)
