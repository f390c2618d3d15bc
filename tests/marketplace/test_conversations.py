"""Buyer <-> seller conversations in the marketplace: who may write, translation, replies, history."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from marketplace.core.config import MarketplaceSettings
from marketplace.core.db import transaction
from marketplace.models import ConversationMessage, Customer
from tests.marketplace import builders
from tests.marketplace.translating import api_client, with_translator
from tests.translation_server import StandInTranslator, closed_port_url

SELLER, BUYER, STRANGER = 900001, 700001, 555555  # builders.order: a Norwegian shop, a Spanish buyer
NB_TEXT, ES_TEXT = "Genseren sendes i morgen.", "El suéter se envía mañana."


def an_order(factory: sessionmaker[Session]) -> tuple[int, int]:
    with transaction(factory) as session:
        order = builders.order(session, buyer_id=BUYER)
        return order.id, order.items[0].product_id


async def open_thread(api: httpx.AsyncClient, user: int, role: str, **subject: int) -> httpx.Response:
    return await api.post("/conversations", json={"telegram_user_id": user, "role": role, **subject})


async def test_only_the_orders_buyer_and_seller_open_its_thread(api: httpx.AsyncClient,
                                                                factory: sessionmaker[Session]) -> None:
    order_id, product_id = an_order(factory)
    buyer = await open_thread(api, BUYER, "buyer", order_id=order_id)
    seller = await open_thread(api, SELLER, "seller", order_id=order_id)
    assert buyer.status_code == seller.status_code == 200
    assert buyer.json()["id"] == seller.json()["id"]
    assert (buyer.json()["role"], buyer.json()["language"], buyer.json()["other_language"]) == ("buyer", "es", "nb")
    assert (seller.json()["role"], seller.json()["language"], seller.json()["shop_name"]) == (
        "seller", "nb", "Bergen Strikk")
    for user, role in ((STRANGER, "buyer"), (STRANGER, "seller"), (BUYER, "seller"), (SELLER, "buyer")):
        refused = await open_thread(api, user, role, order_id=order_id)
        assert refused.status_code == 403, (user, role)
    assert (await open_thread(api, BUYER, "buyer", order_id=99999)).status_code == 404
    both = await api.post("/conversations", json={"telegram_user_id": BUYER, "role": "buyer", "order_id": order_id,
                                                  "product_id": product_id})
    assert both.status_code == 422 and "either order_id or product_id" in both.json()["detail"]
    post = await api.post(f"/conversations/{buyer.json()['id']}/messages",
                          json={"telegram_user_id": STRANGER, "text": "hola"})
    assert post.status_code == 403


async def test_a_new_buyer_asks_about_a_product(api: httpx.AsyncClient, factory: sessionmaker[Session]) -> None:
    _order_id, product_id = an_order(factory)
    asked = await open_thread(api, 812345, "buyer", product_id=product_id, language="de")
    assert asked.status_code == 200
    assert (asked.json()["topic"], asked.json()["product_title"]) == (f"product:{product_id}", "Lusekofte genser i ull")
    with factory() as session:
        assert session.scalar(select(Customer.language).where(Customer.telegram_user_id == 812345)) == "de"
    assert (await open_thread(api, SELLER, "buyer", product_id=product_id)).status_code == 403  # own listing
    assert (await open_thread(api, SELLER, "seller", product_id=product_id)).status_code == 422


async def test_messages_are_translated_recorded_and_replies_find_their_thread(
        settings: MarketplaceSettings, factory: sessionmaker[Session]) -> None:
    order_id, _ = an_order(factory)
    with StandInTranslator({"es": {NB_TEXT: ES_TEXT}}) as server:
        async with api_client(with_translator(settings, server.url)) as api:
            thread = (await open_thread(api, SELLER, "seller", order_id=order_id)).json()
            prompt = await api.put(f"/conversations/{thread['id']}/prompt",
                                   json={"telegram_user_id": SELLER, "message_id": 41})
            assert prompt.status_code == 204
            found = await api.get("/conversations/by-message", params={"telegram_user_id": SELLER, "message_id": 41})
            assert found.json()["id"] == thread["id"] and found.json()["role"] == "seller"
            not_theirs = await api.get("/conversations/by-message",
                                       params={"telegram_user_id": BUYER, "message_id": 41})
            assert not_theirs.status_code == 404

            sent = await api.post(f"/conversations/{thread['id']}/messages",
                                  json={"telegram_user_id": SELLER, "text": NB_TEXT, "message_id": 42})
            assert sent.status_code == 201
            message = sent.json()
            assert (message["text"], message["original"], message["translated"], message["note"]) == (
                ES_TEXT, NB_TEXT, True, None)
            assert (message["sender_role"], message["recipient_telegram_id"], message["language"],
                    message["original_language"], message["order_id"]) == ("seller", BUYER, "es", "nb", order_id)
            retried = await api.post(f"/conversations/{thread['id']}/messages",
                                     json={"telegram_user_id": SELLER, "text": NB_TEXT, "message_id": 42})
            assert retried.json()["id"] == message["id"] and server.count() == 1

            await api.put(f"/conversations/messages/{message['id']}/delivery", json={"recipient_message_id": 7})
            reply_to = await api.get("/conversations/by-message", params={"telegram_user_id": BUYER, "message_id": 7})
            assert (reply_to.json()["id"], reply_to.json()["role"]) == (thread["id"], "buyer")
            own = await api.get("/conversations/by-message", params={"telegram_user_id": SELLER, "message_id": 42})
            assert own.json()["id"] == thread["id"]

            original = await api.get(f"/conversations/messages/{message['id']}", params={"telegram_user_id": BUYER})
            assert original.json()["original"] == NB_TEXT
            peek = await api.get(f"/conversations/messages/{message['id']}", params={"telegram_user_id": STRANGER})
            assert peek.status_code == 404
            history = await api.get(f"/conversations/{thread['id']}/messages", params={"telegram_user_id": BUYER})
            assert [m["original"] for m in history.json()] == [NB_TEXT]
    with factory() as session:
        row = session.scalars(select(ConversationMessage)).one()
    assert (row.sender_chat_id, row.sender_message_id, row.recipient_chat_id, row.recipient_message_id) == (
        SELLER, 42, BUYER, 7)
    assert (row.original_text, row.translated_text, row.delivered_at is not None) == (NB_TEXT, ES_TEXT, True)


async def test_with_the_provider_down_the_original_is_kept_with_a_note(
        settings: MarketplaceSettings, factory: sessionmaker[Session]) -> None:
    order_id, _ = an_order(factory)
    async with api_client(with_translator(settings, closed_port_url())) as api:
        thread = (await open_thread(api, BUYER, "buyer", order_id=order_id)).json()
        sent = (await api.post(f"/conversations/{thread['id']}/messages",
                               json={"telegram_user_id": BUYER, "text": "¿Cuándo llega?"})).json()
        blank = await api.post(f"/conversations/{thread['id']}/messages",
                               json={"telegram_user_id": BUYER, "text": "  "})
    assert (sent["text"], sent["translated"], sent["language"]) == ("¿Cuándo llega?", False, "nb")
    assert sent["note"].startswith("translation unavailable")
    assert blank.status_code == 400 and blank.json()["detail"] == "the message is empty"


async def test_mydata_shows_the_conversations_and_forgetme_deletes_them(
        api: httpx.AsyncClient, factory: sessionmaker[Session]) -> None:
    order_id, _ = an_order(factory)
    thread = (await open_thread(api, BUYER, "buyer", order_id=order_id)).json()
    await api.post(f"/conversations/{thread['id']}/messages", json={"telegram_user_id": BUYER, "text": "¿Talla M?"})
    await api.post(f"/conversations/{thread['id']}/messages", json={"telegram_user_id": SELLER, "text": "Ja."})
    exported = (await api.get(f"/customers/{BUYER}/export")).json()["conversations"]
    assert [(c["topic"], [(m["from"], m["text"]) for m in c["messages"]]) for c in exported] == [
        (f"order:{order_id}", [("buyer", "¿Talla M?"), ("seller", "Ja.")])]
    await api.post(f"/orders/{order_id}/actions", json={"action": "cancel", "actor": f"buyer:{BUYER}"})
    assert (await api.delete(f"/customers/{BUYER}")).status_code == 200
    with factory() as session:
        assert session.scalars(select(ConversationMessage)).all() == []
