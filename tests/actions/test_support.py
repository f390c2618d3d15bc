"""Handing over to support: two fallbacks in a row, asking for a human, and disputes with the order
attached, against the real marketplace (handoffs opened there, orders moved by the state machine)."""

from __future__ import annotations

from typing import Any

import httpx
from rasa_sdk.executor import CollectingDispatcher

from actions import marketplace as market_module
from actions.handoff import ActionOpenDispute, ActionRequestHandoff
from actions.marketplace import Marketplace
from actions.support import ActionDefaultFallback
from tests.actions.conftest import tracker_from
from tests.actions.test_orders import SELLER, paid_order, said
from tests.translation_server import closed_port_url

BUYER = 700001


def user(intent: str, text: str = "???") -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": []}}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


def fallback_tracker(events: list[dict[str, Any]]):  # noqa: ANN201 - a rasa_sdk Tracker
    latest = {**said("nlu_fallback"), "text": "blorp zzz", "intent": {"name": "nlu_fallback", "confidence": 0.2}}
    return tracker_from("search_es", latest_message=latest, events=events)


async def run_fallback(events: list[dict[str, Any]]) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    returned = await ActionDefaultFallback().run(dispatcher, fallback_tracker(events), {})
    return dispatcher, returned


async def test_one_fallback_asks_to_rephrase_and_hands_nothing_over(market: Marketplace) -> None:
    dispatcher, events = await run_fallback([user("search_product", "suéter"), action("action_search_products"),
                                             action("action_listen"), user("nlu_fallback")])
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_rephrase"]
    assert [e["event"] for e in events] == ["rewind"]
    assert (await market.get("/handoffs/queue")) == []


async def test_two_fallbacks_in_a_row_hand_over_to_support(market: Marketplace) -> None:
    dispatcher, events = await run_fallback([
        user("nlu_fallback"), action("action_two_stage_fallback"), action("action_listen"), user("nlu_fallback")])
    assert dispatcher.messages[0]["response"] == "utter_default"
    handoff = dispatcher.messages[1]["custom"]["handoff"]
    assert (handoff["reason"], handoff["created"], handoff["queue_position"]) == ("fallback", True, 1)
    assert [e["event"] for e in events] == ["rewind", "slot", "slot"]
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"} == {
        "handoff_requested": True, "handoff_reason": "fallback"}
    opened = await market.get("/handoffs/active", telegram_user_id=BUYER)
    assert (opened["id"], opened["language"], opened["country"], opened["role"]) == (handoff["id"], "es", "AR", "buyer")
    # a core fallback right after a rephrase request counts too
    again, _ = await run_fallback([user("order_status"), action("action_default_fallback"), action("action_listen"),
                                   user("cancel_order")])
    assert again.messages[1]["custom"]["handoff"] == {**handoff, "created": False}


async def test_fallbacks_before_the_last_handoff_ended_do_not_count(market: Marketplace) -> None:
    dispatcher, events = await run_fallback([
        user("nlu_fallback"), action("action_default_fallback"),
        {"event": "slot", "name": "handoff_requested", "value": False}, user("nlu_fallback")])
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_rephrase"]
    restarted, _ = await run_fallback([user("nlu_fallback"), action("action_default_fallback"),
                                       {"event": "session_started"}, user("nlu_fallback")])
    assert [m["response"] for m in restarted.messages] == ["utter_ask_rephrase"]


async def test_without_the_marketplace_the_person_is_told_to_try_later() -> None:
    async with httpx.AsyncClient(base_url=closed_port_url()) as http:
        market_module.use(Marketplace(http))
        dispatcher, events = await run_fallback([user("nlu_fallback"), action("action_two_stage_fallback"),
                                                 user("nlu_fallback")])
    assert dispatcher.messages == [{**dispatcher.messages[0], "text": (
        "Ahora mismo no pude contactar con una persona del equipo. Inténtalo de nuevo en unos minutos.")}]
    assert [e["event"] for e in events] == ["rewind"]


async def test_asking_for_a_human_opens_one_handoff_and_escalations_say_so(market: Marketplace) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionRequestHandoff().run(dispatcher, tracker_from("search_es", latest_message=said(
        "talk_to_human")), {})
    [message] = dispatcher.messages
    assert message["custom"]["handoff"]["reason"] == "talk_to_human" and message["custom"]["handoff"]["created"]
    assert {e["name"]: e["value"] for e in events} == {"handoff_requested": True, "handoff_reason": "talk_to_human"}
    twice = CollectingDispatcher()
    await ActionRequestHandoff().run(twice, tracker_from("search_es", latest_message=said("talk_to_human")), {})
    assert twice.messages[0]["custom"]["handoff"]["id"] == message["custom"]["handoff"]["id"]
    assert twice.messages[0]["custom"]["handoff"]["created"] is False
    seller = said("talk_to_human")
    seller["metadata"].update(telegram_user_id=SELLER, role="seller", first_name="Kari")
    escalated = CollectingDispatcher()
    await ActionRequestHandoff().run(escalated, tracker_from(
        "search_es", latest_message=seller, slots={"language": "nb", "handoff_reason": "escalation"}), {})
    opened = await market.get(f"/handoffs/{escalated.messages[0]['custom']['handoff']['id']}")
    assert (opened["reason"], opened["role"], opened["name"], opened["country"], opened["queue_position"]) == (
        "escalation", "seller", "Kari", "NO", 2)


async def dispute(order_id: int | None, telegram_user_id: int = BUYER) -> CollectingDispatcher:
    message = said("open_dispute", **({"order_id": order_id} if order_id else {}))
    message["text"] = "el paquete llegó roto"
    message["metadata"]["telegram_user_id"] = telegram_user_id
    dispatcher = CollectingDispatcher()
    await ActionOpenDispute().run(dispatcher, tracker_from("search_es", latest_message=message), {})
    return dispatcher


async def test_a_dispute_holds_the_money_and_hands_over_with_the_order(market: Marketplace) -> None:
    order = await paid_order(market)
    await market.post(f"/orders/{order['id']}/actions", {"action": "ship", "actor": f"seller:{SELLER}",
                                                         "carrier": "Posten", "tracking_number": "LA1NO"})
    dispatcher = await dispute(None)  # the only order that can be disputed
    assert dispatcher.messages[0]["text"].startswith(f"Siento lo ocurrido. Abrí una reclamación para el pedido "
                                                     f"#{order['id']}")
    handoff = dispatcher.messages[1]["custom"]["handoff"]
    assert (handoff["reason"], handoff["order_id"]) == ("dispute", order["id"])
    disputed = await market.get(f"/orders/{order['id']}")
    assert disputed["status"] == "disputed"
    assert (disputed["events"][-1]["actor"], disputed["events"][-1]["note"]) == (f"buyer:{BUYER}",
                                                                                 "el paquete llegó roto")
    again = await dispute(order["id"])
    assert again.messages[1]["custom"]["handoff"]["id"] == handoff["id"]
    assert (await market.get(f"/orders/{order['id']}"))["status"] == "disputed"


async def test_a_forged_order_id_disputes_nothing(market: Marketplace) -> None:
    order = await paid_order(market)
    await market.put("/customers/4242", {"language": "es"})
    dispatcher = await dispute(order["id"], telegram_user_id=4242)
    assert dispatcher.messages == [{**dispatcher.messages[0], "text": "Todavía no tienes pedidos."}]
    assert (await market.get(f"/orders/{order['id']}"))["status"] == "paid"
    assert await market.get("/handoffs/queue") == []


async def test_an_order_past_disputing_still_reaches_a_human(market: Marketplace) -> None:
    order = await paid_order(market)
    await market.post(f"/orders/{order['id']}/actions", {"action": "cancel", "actor": f"buyer:{BUYER}"})
    which = await dispute(None)
    assert which.messages[0]["buttons"] == [{"title": f"Problema con #{order['id']}",
                                             "payload": f'/open_dispute{{"order_id":{order["id"]}}}'}]
    dispatcher = await dispute(order["id"])
    assert dispatcher.messages[0]["text"].startswith(f"El pedido #{order['id']} ya no admite reclamación (cancelado)")
    assert dispatcher.messages[1]["custom"]["handoff"]["order_id"] == order["id"]
