"""What the bot asks the marketplace directly (everything conversational goes through Rasa)."""

from __future__ import annotations

import asyncio
import logging
import time
from decimal import Decimal

import httpx

log = logging.getLogger(__name__)
PAYMENT_PATIENCE = 300.0  # seconds a payment is retried while the marketplace is down (Telegram never resends it)


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

    async def record_payment(self, order_id: int, *, amount: Decimal, currency: str, charge_id: str,
                             patience: float = PAYMENT_PATIENCE) -> bool:
        """Tell the marketplace the money arrived (safe to repeat with the same charge id). Telegram sends
        a payment once, so while the marketplace is unreachable or failing (5xx) this keeps trying, with
        backoff, for up to `patience` seconds. True when this call recorded it, False when the same
        charge was already recorded (also when an earlier try was recorded but its answer was lost)."""
        deadline, pause = time.monotonic() + patience, 0.2
        while True:
            try:
                response = await self._http.post(f"{self._base}/orders/{order_id}/payments", headers=self._headers,
                                                 json={"amount": str(amount), "currency": currency,
                                                       "charge_id": charge_id})
                if response.status_code < 500 or time.monotonic() + pause > deadline:
                    response.raise_for_status()
                    return response.status_code == 201
            except httpx.TransportError:
                if time.monotonic() + pause > deadline:
                    raise
            log.warning("payment %s for order %s not recorded yet; trying again in %.1f s", charge_id, order_id, pause)
            await asyncio.sleep(pause)
            pause = min(5.0, pause * 2)

    async def run_escrow(self) -> dict[str, list[int]]:
        """Remind and auto-release through the marketplace's escrow upkeep."""
        response = await self._http.post(f"{self._base}/escrow/run", headers=self._headers, timeout=30.0)
        response.raise_for_status()
        return response.json()

    async def owns_shop(self, telegram_user_id: int) -> bool:
        """Whether this person owns a shop, asked now (not cached: a shop opened a minute ago counts);
        the answer also refreshes the cached role. Raises httpx.HTTPError when the marketplace is down."""
        response = await self._http.get(f"{self._base}/shops", params={"owner_telegram_id": telegram_user_id},
                                        headers=self._headers, timeout=2.0)
        response.raise_for_status()
        owner = bool(response.json())
        self._roles[telegram_user_id] = (time.monotonic() + self._ttl, "seller" if owner else "buyer")
        return owner

    async def upload_photo(self, data: bytes, filename: str) -> str:
        """Store a photo in the marketplace (`POST /media`); returns the path a listing refers to it by."""
        response = await self._http.post(f"{self._base}/media", headers=self._headers, timeout=15.0,
                                         files={"file": (filename, data, "application/octet-stream")})
        response.raise_for_status()
        return str(response.json()["path"])

    async def correct_title(self, product_id: int, language: str, title: str, *, acting: int) -> dict | None:
        """The seller's own title for a listing in one language (the description there is kept);
        None when the product is not the seller's."""
        headers = {**self._headers, "X-Acting-User": str(acting)}
        current = await self._http.get(f"{self._base}/products/{product_id}", params={"lang": language},
                                       headers=self._headers, timeout=5.0)
        if current.status_code in (404, 422):  # no such product, or an id no product can have
            return None
        current.raise_for_status()
        product = current.json()
        description = product["description"] if product["language"] == language else ""
        response = await self._http.put(f"{self._base}/products/{product_id}/translations/{language}",
                                        headers=headers, timeout=5.0, json={"title": title, "description": description})
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return response.json()

    async def translate(self, text: str, source: str, target: str, *, timeout: float = 5.0) -> dict:
        """`POST /translate`; never raises: on any trouble the original comes back with translated=False."""
        untranslated = {"text": text, "original": text, "source": source, "target": target, "translated": False,
                        "note": "translation unavailable"}
        try:
            response = await self._http.post(f"{self._base}/translate", headers=self._headers, timeout=timeout,
                                             json={"text": text, "source": source, "target": target})
            response.raise_for_status()
            body = response.json()
            if not isinstance(body, dict) or not isinstance(body.get("text"), str):
                return untranslated
            return {**untranslated, **body}
        except (httpx.HTTPError, ValueError):
            return untranslated

    # Buyer <-> seller conversations. Refusals (a stranger, a forged button) come back as
    # ConversationRefused; an unreachable marketplace as httpx.HTTPError.

    async def _conversation_call(self, method: str, path: str, *, timeout: float = 5.0,
                                 **kwargs: object) -> dict:
        response = await self._http.request(method, f"{self._base}{path}", headers=self._headers, timeout=timeout,
                                             **kwargs)
        if response.status_code in (403, 404, 422):
            detail = response.json().get("detail") if response.headers.get("content-type", "").startswith(
                "application/json") else None
            raise ConversationRefused(str(detail or response.status_code))
        response.raise_for_status()
        return response.json() if response.content else {}

    async def open_conversation(self, telegram_user_id: int, role: str, *, order_id: int | None = None,
                                product_id: int | None = None, language: str | None = None) -> dict:
        """The caller's thread about an order or a product (created on first use)."""
        return await self._conversation_call("POST", "/conversations", json={
            "telegram_user_id": telegram_user_id, "role": role, "order_id": order_id, "product_id": product_id,
            "language": language})

    async def set_prompt(self, conversation_id: int, telegram_user_id: int, message_id: int) -> None:
        """Remember the ForceReply prompt sent to this participant."""
        await self._conversation_call("PUT", f"/conversations/{conversation_id}/prompt",
                                      json={"telegram_user_id": telegram_user_id, "message_id": message_id})

    async def conversation_for_reply(self, telegram_user_id: int, message_id: int) -> dict | None:
        """The thread that the replied-to message belongs to, or None."""
        try:
            return await self._conversation_call("GET", "/conversations/by-message", params={
                "telegram_user_id": telegram_user_id, "message_id": message_id})
        except ConversationRefused:
            return None

    async def post_message(self, conversation_id: int, telegram_user_id: int, text: str, message_id: int) -> dict:
        """Record a message; the answer holds the recipient and the text translated for them."""
        return await self._conversation_call("POST", f"/conversations/{conversation_id}/messages", timeout=15.0,
                                             json={"telegram_user_id": telegram_user_id, "text": text,
                                                   "message_id": message_id})

    async def mark_delivered(self, message_id: int, recipient_message_id: int) -> None:
        """Note the relayed message's id in the recipient's chat."""
        await self._conversation_call("PUT", f"/conversations/messages/{message_id}/delivery",
                                      json={"recipient_message_id": recipient_message_id})

    async def conversation_message(self, message_id: int, telegram_user_id: int) -> dict:
        """One relayed message with its original, for its sender or recipient only."""
        return await self._conversation_call("GET", f"/conversations/messages/{message_id}",
                                             params={"telegram_user_id": telegram_user_id})

    # Seller order actions (the order alert's buttons). Refusals come back as (status, detail).

    async def order_action(self, order_id: int, action: str, actor: str, **fields: str) -> tuple[int, dict]:
        """`POST /orders/{id}/actions`: the status code and the body (the order, or the refusal's detail)."""
        response = await self._http.post(f"{self._base}/orders/{order_id}/actions", headers=self._headers,
                                         timeout=5.0, json={"action": action, "actor": actor, **fields})
        if response.status_code >= 500:
            response.raise_for_status()
        return response.status_code, response.json()

    async def seller_order(self, order_id: int, telegram_user_id: int) -> dict | None:
        """The order if it belongs to one of this person's shops, else None."""
        response = await self._http.get(f"{self._base}/orders/{order_id}", headers=self._headers, timeout=5.0)
        if response.status_code in (404, 422):  # no such order, or an id no order can have (a forged button)
            return None
        response.raise_for_status()
        order = response.json()
        shops = await self._http.get(f"{self._base}/shops", params={"owner_telegram_id": telegram_user_id},
                                     headers=self._headers, timeout=5.0)
        shops.raise_for_status()
        return order if order["shop_id"] in {shop["id"] for shop in shops.json()} else None


class ConversationRefused(Exception):
    """The marketplace refused: not a participant, no such order/product, or bad input."""
