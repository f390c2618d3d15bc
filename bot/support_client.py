"""The marketplace's support-handoff routes as the bot calls them (over the shared httpx client)."""

from __future__ import annotations

from typing import Any

import httpx


class SupportRefused(Exception):
    """The marketplace refused a staff action (e.g. an order that cannot be refunded); `detail` says why."""

    def __init__(self, detail: str, status: int) -> None:
        super().__init__(detail)
        self.detail, self.status = detail, status


class SupportClient:
    """Handoffs, their topics and staff actions; orders and shops for the topic summary."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, service_token: str, *, timeout: float = 5.0) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {service_token}"}
        self._timeout = timeout

    async def _call(self, method: str, path: str, *, timeout: float | None = None, **kwargs: Any) -> Any:
        """JSON of a 2xx answer; SupportRefused for a 4xx; httpx.HTTPError when unreachable or failing."""
        response = await self._http.request(method, f"{self._base}{path}", headers=self._headers,
                                            timeout=timeout or self._timeout, **kwargs)
        if 400 <= response.status_code < 500:
            try:
                detail = str(response.json().get("detail"))
            except ValueError:
                detail = response.text
            raise SupportRefused(detail, response.status_code)
        response.raise_for_status()
        return response.json()

    async def get(self, handoff_id: int) -> dict:
        """One handoff with its log."""
        return await self._call("GET", f"/handoffs/{handoff_id}")

    async def active_for_person(self, telegram_user_id: int, *, timeout: float | None = None) -> dict | None:
        """The person's open or claimed handoff, or None."""
        try:
            return await self._call("GET", "/handoffs/active", params={"telegram_user_id": telegram_user_id},
                                    timeout=timeout)
        except SupportRefused as exc:
            if exc.status == 404:
                return None
            raise

    async def active_for_topic(self, staff_chat_id: int, thread_id: int) -> dict | None:
        """The active handoff of a staff-group topic, or None."""
        try:
            return await self._call("GET", "/handoffs/active",
                                    params={"staff_chat_id": staff_chat_id, "thread_id": thread_id})
        except SupportRefused as exc:
            if exc.status == 404:
                return None
            raise

    async def set_topic(self, handoff_id: int, staff_chat_id: int, thread_id: int) -> dict:
        """Remember the topic opened for the handoff (SupportRefused 409 if it has another)."""
        return await self._call("PUT", f"/handoffs/{handoff_id}/topic",
                                json={"staff_chat_id": staff_chat_id, "thread_id": thread_id})

    async def claim(self, handoff_id: int, staff_id: int, staff_name: str | None) -> dict:
        """Assign the handoff to a staff member."""
        return await self._call("POST", f"/handoffs/{handoff_id}/claim",
                                json={"staff_telegram_id": staff_id, "staff_name": staff_name})

    async def staff_replied(self, handoff_id: int, staff_id: int) -> dict:
        """A staff message reached the person (the first one sets the first-response time)."""
        return await self._call("POST", f"/handoffs/{handoff_id}/staff-reply", json={"staff_telegram_id": staff_id})

    async def note(self, handoff_id: int, staff_id: int, text: str) -> dict:
        """An internal note."""
        return await self._call("POST", f"/handoffs/{handoff_id}/notes",
                                json={"staff_telegram_id": staff_id, "text": text})

    async def resolve(self, handoff_id: int, staff_id: int, action: str, order_id: int) -> dict:
        """Refund or release one of the person's orders: {"handoff": ..., "order": ...}."""
        return await self._call("POST", f"/handoffs/{handoff_id}/resolve",
                                json={"staff_telegram_id": staff_id, "action": action, "order_id": order_id})

    async def close(self, handoff_id: int, staff_id: int | None, outcome: str | None = None) -> dict:
        """Hand the conversation back to the bot."""
        return await self._call("POST", f"/handoffs/{handoff_id}/close",
                                json={"staff_telegram_id": staff_id, "outcome": outcome})

    async def rate(self, handoff_id: int, telegram_user_id: int, stars: int) -> dict:
        """The person's rating of the help."""
        return await self._call("POST", f"/handoffs/{handoff_id}/rating",
                                json={"telegram_user_id": telegram_user_id, "stars": stars})

    async def queue(self) -> list[dict]:
        """Active handoffs, oldest first."""
        return await self._call("GET", "/handoffs/queue")

    async def stats(self, days: int) -> dict:
        """Support figures for the last `days` days."""
        return await self._call("GET", "/handoffs/stats", params={"days": days})

    async def order(self, order_id: int) -> dict | None:
        """One order with its event log, or None."""
        try:
            return await self._call("GET", f"/orders/{order_id}")
        except SupportRefused:
            return None

    async def orders_of(self, telegram_user_id: int) -> list[dict]:
        """A buyer's orders, newest first ([] for someone who never bought)."""
        try:
            return await self._call("GET", f"/customers/{telegram_user_id}/orders")
        except SupportRefused:
            return []

    async def shop(self, shop_id: int) -> dict | None:
        """A shop (for its name), or None."""
        try:
            return await self._call("GET", f"/shops/{shop_id}")
        except SupportRefused:
            return None
