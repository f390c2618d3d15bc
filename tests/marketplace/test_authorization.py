"""Who may reach what, for every marketplace route: buyer, seller, staff and a stranger.

The API is called only by our own services (service token); the person a call acts for travels as a
Telegram id (in the path, the body, `X-Acting-User` or an order actor). Each route is one of:
* for a person about someone's object: only the roles in `allowed` get a 2xx; everyone else gets a
  404 or 403 that shows nothing of the object;
* about the caller themselves (the person's id is the address): each person sees only their own data;
* for our services only (catalog, payments reported by Telegram, jobs, the outbox worker, support
  staff whose membership the bot checks with getChatMember): no person in the call.
A route added without a row here fails `test_every_route_has_a_row`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy.orm import Session, sessionmaker

from marketplace.api.main import create_app
from marketplace.core.config import MarketplaceSettings
from tests.marketplace.authz_world import ADDRESS, PEOPLE, PROMPT, STRANGER, World, build

SELF = frozenset({"self"})  # marker: the caller acts on their own records
SERVICE = None  # marker: no person in the call
UNPROTECTED = {("GET", "/healthz"), ("GET", "/metrics"), ("GET", "/openapi.json"), ("GET", "/docs"),
               ("GET", "/docs/oauth2-redirect"), ("GET", "/redoc")}
MESSAGE = "¿Cuándo llega?"  # the buyer's message to the seller
Body = Callable[[World, int], dict[str, Any]]


@dataclass(frozen=True)
class Row:
    """One route, called on behalf of each person (`me`) on the buyer's and the seller's objects."""

    method: str
    route: str  # the path template as the app declares it
    url: str  # formatted with `w` (the World) and `me` (the caller's Telegram id)
    allowed: frozenset[str] | None  # roles that get a 2xx; SELF; or SERVICE
    json: Body | None = None
    params: Body | None = None
    acting: bool = False  # send X-Acting-User: me
    why: str = field(default="", compare=False)

    def request(self, w: World, me: int) -> dict[str, Any]:
        """httpx.request keyword arguments for this caller."""
        kwargs: dict[str, Any] = {"method": self.method, "url": self.url.format(w=w, me=me)}
        if self.json is not None:
            kwargs["json"] = self.json(w, me)
        if self.params is not None:
            kwargs["params"] = self.params(w, me)
        if self.acting:
            kwargs["headers"] = {"X-Acting-User": str(me)}
        return kwargs


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


SALES = {"from": (date.today() - timedelta(days=30)).isoformat(), "to": date.today().isoformat()}
R = Row
ROWS = [
    # Shops and listings: only the owner changes a listing or sees the shop's books.
    R("POST", "/shops", "/shops", SELF, json=lambda w, me: {
        "owner_telegram_id": me, "name": f"Shop {me}", "country": "NO", "currency": "NOK", "language": "nb"}),
    R("GET", "/shops", "/shops", SERVICE, params=lambda w, me: {"owner_telegram_id": me}, why="public catalog"),
    R("GET", "/shops/{shop_id}", "/shops/{w.shop}", SERVICE, why="public catalog"),
    R("POST", "/shops/{shop_id}/products", "/shops/{w.shop}/products", roles("seller"), acting=True,
      json=lambda w, me: {"title": "Votter", "category": "clothing", "price": "300", "stock": 2}),
    R("GET", "/products/{product_id}", "/products/{w.product}", SERVICE, why="public catalog"),
    R("PATCH", "/products/{product_id}", "/products/{w.product}", roles("seller"), acting=True,
      json=lambda w, me: {"price": "1.00"}),
    R("PUT", "/products/{product_id}/translations/{language}", "/products/{w.product}/translations/es",
      roles("seller"), acting=True, json=lambda w, me: {"title": "Gratis"}),
    R("GET", "/shops/{shop_id}/inventory", "/shops/{w.shop}/inventory", roles("seller"), acting=True),
    R("GET", "/shops/{shop_id}/sales", "/shops/{w.shop}/sales", roles("seller"), acting=True,
      params=lambda w, me: SALES),
    R("GET", "/shops/{shop_id}/sales.png", "/shops/{w.shop}/sales.png", roles("seller"),
      params=lambda w, me: {**SALES, "user": me}),
    R("GET", "/shops/{shop_id}/orders", "/shops/{w.shop}/orders", roles("seller"), acting=True),
    R("GET", "/search", "/search", SERVICE, params=lambda w, me: {"q": "genser"}, why="public catalog"),
    R("GET", "/rates", "/rates", SERVICE, why="public reference data"),
    R("GET", "/rates/convert", "/rates/convert", SERVICE,
      params=lambda w, me: {"amount": "10", "from": "NOK", "to": "EUR"}, why="public reference data"),
    R("GET", "/shipping/countries", "/shipping/countries", SERVICE, why="public reference data"),
    R("POST", "/translate", "/translate", SERVICE, json=lambda w, me: {"text": "hei", "target": "es"},
      why="a tool for the services"),
    R("GET", "/media/{path:path}", "/media/{w.photo}", SERVICE, why="listing photos are public"),
    R("POST", "/media", "/media", SERVICE, why="the bot uploads a shop owner's photo (owner checked by the bot)"),
    # The person's own records: the id in the path is the caller.
    R("PUT", "/customers/{telegram_user_id}", "/customers/{me}", SELF, json=lambda w, me: {"language": "en"}),
    R("GET", "/customers/{telegram_user_id}", "/customers/{me}", SELF),
    R("GET", "/customers/{telegram_user_id}/export", "/customers/{me}/export", SELF),
    R("DELETE", "/customers/{telegram_user_id}", "/customers/{me}", SELF),
    R("GET", "/customers/{telegram_user_id}/cart", "/customers/{me}/cart", SELF),
    R("POST", "/customers/{telegram_user_id}/cart/items", "/customers/{me}/cart/items", SELF,
      json=lambda w, me: {"product_id": w.product}),
    R("PUT", "/customers/{telegram_user_id}/cart/items/{product_id}", "/customers/{me}/cart/items/{w.product}",
      SELF, json=lambda w, me: {"quantity": 2}),
    R("DELETE", "/customers/{telegram_user_id}/cart/items/{product_id}", "/customers/{me}/cart/items/{w.product}",
      SELF),
    R("GET", "/customers/{telegram_user_id}/cart/quote", "/customers/{me}/cart/quote", SELF,
      params=lambda w, me: {"shipping_country": "AR"}),
    R("POST", "/customers/{telegram_user_id}/checkout", "/customers/{me}/checkout", SELF,
      json=lambda w, me: {"shipping_country": "AR", "shipping_address": "Somewhere 1, Lima"}),
    R("GET", "/customers/{telegram_user_id}/orders", "/customers/{me}/orders", SELF),
    R("GET", "/handoffs/active", "/handoffs/active", SELF, params=lambda w, me: {"telegram_user_id": me}),
    # Orders: the buyer and the shop's owner, each only what their side may do.
    R("GET", "/orders/{order_id}", "/orders/{w.paid}", roles("buyer", "seller"), acting=True),
    R("POST", "/orders/{order_id}/actions", "/orders/{w.paid}/actions", roles("seller"),
      json=lambda w, me: {"action": "accept", "actor": f"seller:{me}"}),
    R("POST", "/orders/{order_id}/actions", "/orders/{w.paid}/actions", roles("buyer"),
      json=lambda w, me: {"action": "cancel", "actor": f"buyer:{me}"}),
    R("POST", "/orders/{order_id}/precheckout", "/orders/{w.pending}/precheckout", roles("buyer"),
      json=lambda w, me: {"telegram_user_id": me, "amount": "1", "currency": "NOK"}),  # see _outcome
    R("POST", "/orders/{order_id}/review", "/orders/{w.done}/review", roles("buyer"),
      json=lambda w, me: {"telegram_user_id": me, "stars": 5}),
    R("POST", "/orders/{order_id}/payments", "/orders/{w.pending}/payments", SERVICE,
      json=lambda w, me: {"amount": "0", "currency": "NOK", "charge_id": "tg-1"},
      why="Telegram reported the payment to the bot"),  # amount filled in by the test from the order
    R("POST", "/escrow/run", "/escrow/run", SERVICE, why="the bot's periodic job"),
    # Buyer <-> seller conversations: only the two participants.
    R("POST", "/conversations", "/conversations", roles("buyer"),
      json=lambda w, me: {"telegram_user_id": me, "role": "buyer", "order_id": w.paid}),
    R("POST", "/conversations", "/conversations", roles("seller"),
      json=lambda w, me: {"telegram_user_id": me, "role": "seller", "order_id": w.paid}),
    R("GET", "/conversations/by-message", "/conversations/by-message", roles("buyer"),
      params=lambda w, me: {"telegram_user_id": me, "message_id": PROMPT}),
    R("PUT", "/conversations/{conversation_id}/prompt", "/conversations/{w.conversation}/prompt",
      roles("buyer", "seller"), json=lambda w, me: {"telegram_user_id": me, "message_id": 7}),
    R("POST", "/conversations/{conversation_id}/messages", "/conversations/{w.conversation}/messages",
      roles("buyer", "seller"), json=lambda w, me: {"telegram_user_id": me, "text": "hola"}),
    R("GET", "/conversations/{conversation_id}/messages", "/conversations/{w.conversation}/messages",
      roles("buyer", "seller"), params=lambda w, me: {"telegram_user_id": me}),
    R("GET", "/conversations/messages/{message_id}", "/conversations/messages/{w.message}",
      roles("buyer", "seller"), params=lambda w, me: {"telegram_user_id": me}),
    R("PUT", "/conversations/messages/{message_id}/delivery", "/conversations/messages/{w.message}/delivery",
      SERVICE, json=lambda w, me: {"recipient_message_id": 9}, why="the bot, after delivering it"),
    # Support: a person opens (only about their own order) and rates (only their own handoff);
    # staff routes are for staff, whose membership of the staff group the bot checks.
    R("POST", "/handoffs", "/handoffs", roles("buyer"), json=lambda w, me: {
        "telegram_user_id": me, "language": "es", "reason": "dispute", "order_id": w.disputed}),
    R("POST", "/handoffs/{handoff_id}/rating", "/handoffs/{w.closed_handoff}/rating", roles("buyer"),
      json=lambda w, me: {"telegram_user_id": me, "stars": 4}),
    R("GET", "/handoffs/queue", "/handoffs/queue", SERVICE, why="staff"),
    R("GET", "/handoffs/stats", "/handoffs/stats", SERVICE, why="staff"),
    R("GET", "/handoffs/{handoff_id}", "/handoffs/{w.handoff}", SERVICE, why="staff"),
    R("PUT", "/handoffs/{handoff_id}/topic", "/handoffs/{w.handoff}/topic", SERVICE,
      json=lambda w, me: {"staff_chat_id": -100123, "thread_id": 5}, why="the bot opened the topic"),
    R("POST", "/handoffs/{handoff_id}/claim", "/handoffs/{w.handoff}/claim", SERVICE,
      json=lambda w, me: {"staff_telegram_id": me}, why="staff"),
    R("POST", "/handoffs/{handoff_id}/staff-reply", "/handoffs/{w.handoff}/staff-reply", SERVICE,
      json=lambda w, me: {"staff_telegram_id": me}, why="staff"),
    R("POST", "/handoffs/{handoff_id}/notes", "/handoffs/{w.handoff}/notes", SERVICE,
      json=lambda w, me: {"staff_telegram_id": me, "text": "called"}, why="staff"),
    R("POST", "/handoffs/{handoff_id}/resolve", "/handoffs/{w.handoff}/resolve", SERVICE,
      json=lambda w, me: {"staff_telegram_id": me, "action": "refund", "order_id": w.disputed},
      why="staff; only the handed-off person's orders (test_staff_resolve_only_the_persons_orders)"),
    R("POST", "/handoffs/{handoff_id}/close", "/handoffs/{w.handoff}/close", SERVICE,
      json=lambda w, me: {"staff_telegram_id": me}, why="staff"),
    # The outbox worker in the bot process.
    R("POST", "/outbox/claim", "/outbox/claim", SERVICE, json=lambda w, me: {}, why="the outbox worker"),
    R("POST", "/outbox/{message_id}/delivered", "/outbox/{w.outbox}/delivered", SERVICE, why="the outbox worker"),
    R("POST", "/outbox/{message_id}/failed", "/outbox/{w.outbox}/failed", SERVICE,
      json=lambda w, me: {"error": "Forbidden: bot was blocked by the user"}, why="the outbox worker"),
]


def app_routes() -> set[tuple[str, str]]:
    """(method, path) of every route the app serves."""
    app = create_app(MarketplaceSettings(database_url="sqlite://", service_token="x"))
    return {(method, route.path) for route in iter_route_contexts(app.routes) for method in route.methods or ()
            if method != "HEAD"}


def test_every_route_has_a_row() -> None:
    rows = {(row.method, row.route) for row in ROWS}
    assert app_routes() - UNPROTECTED - rows == set(), "a new route needs a row in ROWS"
    assert rows - app_routes() == set(), "a row for a route that no longer exists"


@pytest.fixture
async def seeded(api: httpx.AsyncClient, factory: sessionmaker[Session], settings: MarketplaceSettings) -> World:
    """The world, plus one relayed message from the buyer to the seller."""
    world = build(factory, settings.media_dir)
    posted = await api.post(f"/conversations/{world.conversation}/messages",
                            json={"telegram_user_id": PEOPLE["buyer"], "text": MESSAGE})
    assert posted.status_code == 201, posted.text
    return replace(world, message=posted.json()["id"])


def _outcome(row: Row, response: httpx.Response) -> bool:
    """Whether the call was let through (precheckout answers 200 with `ok` either way)."""
    if row.route == "/orders/{order_id}/precheckout":
        return response.status_code == 200 and "belongs to someone else" not in str(response.json()["reason"])
    return 200 <= response.status_code < 300


def _ids(row: Row) -> str:
    return f"{row.method} {row.route} {sorted(row.allowed) if row.allowed else 'service'}"


@pytest.mark.parametrize("row", [r for r in ROWS if r.allowed not in (SELF, SERVICE)], ids=_ids)
async def test_only_the_owner_reaches_an_object(row: Row, api: httpx.AsyncClient, seeded: World) -> None:
    assert row.allowed is not None
    order = sorted(PEOPLE, key=lambda role: role in row.allowed)  # refusals first: the object is unchanged
    for role in order:
        response = await api.request(**row.request(seeded, PEOPLE[role]))
        assert response.status_code < 500, response.text
        if role in row.allowed:
            assert _outcome(row, response), (role, response.status_code, response.text)
        else:
            assert not _outcome(row, response), (role, response.status_code, response.text)
            if row.route != "/orders/{order_id}/precheckout":
                assert response.status_code in (403, 404), (role, response.status_code, response.text)
            assert ADDRESS not in response.text and MESSAGE not in response.text


@pytest.mark.parametrize("row", [r for r in ROWS if r.allowed == SELF], ids=_ids)
async def test_a_person_sees_only_their_own_records(row: Row, api: httpx.AsyncClient, seeded: World) -> None:
    buyers_orders = {seeded.pending, seeded.paid, seeded.done, seeded.disputed}
    for role in ("seller", "staff", "stranger", "buyer"):
        response = await api.request(**row.request(seeded, PEOPLE[role]))
        assert response.status_code < 500 and response.status_code != 403, (role, response.text)
        if row.route == "/customers/{telegram_user_id}/orders" and response.status_code == 200:
            shown = {order["id"] for order in response.json()}
            assert (shown >= buyers_orders) if role == "buyer" else not (shown & buyers_orders), (role, shown)
        if role != "buyer":
            assert ADDRESS not in response.text and MESSAGE not in response.text, (role, response.text)


@pytest.mark.parametrize("row", [r for r in ROWS if r.allowed is SERVICE], ids=_ids)
async def test_service_routes_work_for_the_services(row: Row, api: httpx.AsyncClient, seeded: World) -> None:
    kwargs = row.request(seeded, PEOPLE["staff"])
    if row.route == "/orders/{order_id}/payments":
        order = (await api.get(f"/orders/{seeded.pending}")).json()
        kwargs["json"] |= {"amount": order["total"], "currency": order["currency"]}
    if row.route == "/media":
        kwargs["files"] = {"file": ("p.png", (await api.get(f"/media/{seeded.photo}")).content, "image/png")}
    response = await api.request(**kwargs)
    assert 200 <= response.status_code < 300, (row.why, response.status_code, response.text)


async def test_staff_resolve_only_the_persons_orders(api: httpx.AsyncClient, seeded: World,
                                                     factory: sessionmaker[Session]) -> None:
    refused = await api.post(f"/handoffs/{seeded.handoff}/resolve", json={
        "staff_telegram_id": PEOPLE["staff"], "action": "release", "order_id": seeded.paid + 1000})
    assert refused.status_code == 404
    mine = await api.get(f"/customers/{STRANGER}/orders")
    assert mine.status_code == 200
    # the stranger's cart becomes an order of theirs; staff cannot touch it from the buyer's handoff
    placed = await api.post(f"/customers/{STRANGER}/checkout",
                            json={"shipping_country": "DE", "shipping_address": "Hauptstraße 1, Berlin"})
    assert placed.status_code == 201, placed.text
    theirs = placed.json()[0]["id"]
    refused = await api.post(f"/handoffs/{seeded.handoff}/resolve", json={
        "staff_telegram_id": PEOPLE["staff"], "action": "refund", "order_id": theirs})
    assert refused.status_code == 404 and "not one of this person's orders" in refused.json()["detail"]


async def test_without_the_service_token_every_route_answers_401(api: httpx.AsyncClient) -> None:
    transport = api._transport  # the same app, no Authorization header
    async with httpx.AsyncClient(transport=transport, base_url="http://marketplace") as anonymous:
        for method, path in sorted(app_routes() - UNPROTECTED):
            url = path.replace("{path:path}", "x").replace("{language}", "es")
            url = "".join(part if not part.startswith("{") else "1" for part in _split(url))
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "test-service-token"},
                            {"Authorization": "Basic dGVzdC1zZXJ2aWNlLXRva2Vu"}):
                response = await anonymous.request(method, url, headers=headers, json={})
                assert response.status_code == 401, (method, path, headers, response.status_code)
                assert response.headers["WWW-Authenticate"] == "Bearer"
        assert (await anonymous.get("/healthz")).status_code == 200


def _split(path: str) -> list[str]:
    """'/orders/{order_id}/x' -> ['/orders/', '{order_id}', '/x']."""
    parts, current = [], ""
    for char in path:
        if char == "{":
            parts.append(current)
            current = char
        elif char == "}":
            parts.append(current + char)
            current = ""
        else:
            current += char
    return [*parts, current]
