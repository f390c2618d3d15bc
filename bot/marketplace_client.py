"""What the bot asks the marketplace directly (everything conversational goes through Rasa)."""

from __future__ import annotations

import time
from decimal import Decimal

import httpx


class MarketplaceClient:
    """A thin client over the shared httpx client, authenticated with the service token."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, service_token: str, *, ttl: float = 300.0) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {service_token}"}
        self._ttl = ttl
        self._roles: dict[int, tuple[float, str]] = {}

    async def role_of(self, telegram_user_id: int) -> str:
        """'seller' for a shop owner, else 'buyer'; cached, and 'buyer' when the marketplace is down."""
        cached = self._roles.get(telegram_user_id)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        try:
            response = await self._http.get(f"{self._base}/shops", params={"owner_telegram_id": telegram_user_id},
                                            headers=self._headers, timeout=1.0)
            response.raise_for_status()
            role = "seller" if response.json() else "buyer"
        except httpx.HTTPError:
            return "buyer"  # not cached: ask again next time
        self._roles[telegram_user_id] = (time.monotonic() + self._ttl, role)
        return role

    async def export(self, telegram_user_id: int) -> dict | None:
        """Everything stored about a person, or None when nothing is."""
        response = await self._http.get(f"{self._base}/customers/{telegram_user_id}/export", headers=self._headers)
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return response.json()

    async def forget(self, telegram_user_id: int) -> str | None:
        """Delete a person's data; None when done, else the marketplace's reason for refusing."""
        response = await self._http.delete(f"{self._base}/customers/{telegram_user_id}", headers=self._headers)
        if response.status_code in (200, 404):
            self._roles.pop(telegram_user_id, None)
            return None
        if response.status_code == 409:
            return str(response.json().get("detail"))
        response.raise_for_status()
        return None

    async def precheckout(self, order_id: int, *, telegram_user_id: int, amount: Decimal, currency: str) -> str | None:
        """None when the payment may go ahead, else the reason to show the buyer."""
        try:
            response = await self._http.post(
                f"{self._base}/orders/{order_id}/precheckout", headers=self._headers, timeout=5.0,
                json={"telegram_user_id": telegram_user_id, "amount": str(amount), "currency": currency})
        except httpx.HTTPError:
            return "the shop cannot confirm this order right now; nothing was charged, please try again"
        if response.status_code == 404:
            return "this order does not exist"
        if response.status_code >= 400:
            return "the shop cannot confirm this order right now; nothing was charged, please try again"
        body = response.json()
        return None if body.get("ok") else str(body.get("reason"))

    async def record_payment(self, order_id: int, *, amount: Decimal, currency: str, charge_id: str) -> bool:
        """Tell the marketplace the money arrived (safe to repeat with the same charge id).
        True when this call recorded it, False when the same charge was already recorded."""
        response = await self._http.post(f"{self._base}/orders/{order_id}/payments", headers=self._headers,
                                         json={"amount": str(amount), "currency": currency, "charge_id": charge_id})
        response.raise_for_status()
        return response.status_code == 201

    async def run_escrow(self) -> dict[str, list[int]]:
        """Remind and auto-release through the marketplace's escrow upkeep."""
        response = await self._http.post(f"{self._base}/escrow/run", headers=self._headers, timeout=30.0)
        response.raise_for_status()
        return response.json()
