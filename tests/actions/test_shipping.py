"""A seller's orders: what waits, 'order 45 shipped with Posten LA123NO' through the state machine
(logged with the seller as actor), the ship form asking what is missing, and refusals."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency
from rasa_sdk.executor import CollectingDispatcher

from actions.marketplace import Marketplace
from actions.shipping import (
    ActionAskShipOrder,
    ActionDropShipping,
    ActionListOrders,
    ActionShipOrder,
    ActionStartShipping,
    ValidateShipForm,
)
from tests.actions.sellers import BUYER, OTHER_SELLER, SELLER, paid_order, run, slots_set, tracker

SHIP_SLOTS = {"ship_order": None, "ship_carrier": None, "ship_tracking": None}


async def test_open_orders_new_first_with_ship_buttons(market: Marketplace) -> None:
    messages, _ = await run(ActionListOrders(), tracker("nye ordrer?", "list_orders"))
    assert messages[0]["text"] == "Ingen ordrer venter på deg akkurat nå."
    accepted, new = await paid_order(market, 1), await paid_order(market, 2, quantity=2)
    await market.post(f"/orders/{accepted['id']}/actions", {"action": "accept", "actor": f"seller:{SELLER}"})
    messages, _ = await run(ActionListOrders(), tracker("show my orders", "list_orders", language="en"))
    lines = messages[0]["text"].splitlines()
    assert lines[0] == "Orders waiting for you:"
    total = format_currency(Decimal(new["total"]), "NOK", locale="en")
    assert lines[1] == f"#{new['id']} · {total} · 2 × {new['items'][0]['title']} → AR — new, paid — accept and ship it"
    assert lines[2].startswith(f"#{accepted['id']} · ") and lines[2].endswith("accepted — waiting to be shipped")
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        f'/mark_shipped{{"order_id":{new["id"]}}}', f'/mark_shipped{{"order_id":{accepted["id"]}}}']
    messages, _ = await run(ActionListOrders(), tracker("my orders", "list_orders", user=OTHER_SELLER, language="en"))
    assert messages[0]["text"] == "No orders are waiting for you right now."
    messages, _ = await run(ActionListOrders(), tracker("my orders", "list_orders", user=BUYER, language="en"))
    assert messages[0]["text"] == "You don't have a shop yet — say “I want to sell” to open one."


async def test_one_sentence_ships_the_order_logged_with_the_seller_as_actor(market: Marketplace) -> None:
    order = await paid_order(market, 1)
    text = f"ordre {order['id']} sendt med Posten LA123456789NO"
    messages, events = await run(ActionStartShipping(), tracker(text, "mark_shipped"))
    assert messages == [] and events[-1]["name"] == "ship_form" and slots_set(events) == SHIP_SLOTS
    _, events = await run(ValidateShipForm(), tracker(text, "mark_shipped"))  # the form's activation
    filled = slots_set(events)
    assert filled == {"ship_order": order["id"], "ship_carrier": "Posten", "ship_tracking": "LA123456789NO"}
    messages, events = await run(ActionShipOrder(), tracker(text, "mark_shipped", slots=filled))
    assert messages[0]["text"] == (f"📦 Ordre #{order['id']} er merket som sendt med Posten (LA123456789NO). "
                                   "Kjøperen får sporingsnummeret.")
    assert slots_set(events) == SHIP_SLOTS
    shipped = await market.get(f"/orders/{order['id']}")
    assert (shipped["status"], shipped["carrier"], shipped["tracking_number"]) == ("shipped", "Posten", "LA123456789NO")
    assert (shipped["events"][-1]["event"], shipped["events"][-1]["actor"]) == ("ship", f"seller:{SELLER}")


async def test_what_is_missing_is_asked_and_checked(market: Marketplace) -> None:
    order = await paid_order(market, 1)
    form = ValidateShipForm()
    pressed = tracker(f'/mark_shipped{{"order_id":{order["id"]}}}', "mark_shipped", order_id=order["id"])
    assert slots_set((await run(form, pressed))[1]) == {"ship_order": order["id"]}
    carrier = tracker("Bring", "inform", slots={"requested_slot": "ship_carrier", "ship_order": order["id"]})
    assert slots_set((await run(form, carrier))[1]) == {"ship_carrier": "Bring"}
    tracking = tracker("la 123 456 789 no", "inform", slots={"requested_slot": "ship_tracking"})
    assert slots_set((await run(form, tracking))[1]) == {"ship_tracking": "LA123456789NO"}
    sentence = tracker("sporingsnummeret er LA 123 456 789 NO", "inform", slots={"requested_slot": "ship_tracking"})
    messages, events = await run(form, sentence)
    assert slots_set(events) == {"ship_tracking": None} and "ser ikke ut som et sporingsnummer" in messages[0]["text"]
    one_token = tracker("sporingsnummeret er LA123456789NO", "inform", slots={"requested_slot": "ship_tracking"})
    assert slots_set((await run(form, one_token))[1]) == {"ship_tracking": "LA123456789NO"}
    dispatcher = CollectingDispatcher()
    said = tracker("", "inform")
    assert (await form.validate_ship_tracking("ab", dispatcher, said, {})) == {"ship_tracking": None}
    assert dispatcher.messages[0]["text"] == "«ab» ser ikke ut som et sporingsnummer (5 til 80 bokstaver og sifre)."
    assert await form.validate_ship_tracking("la 123 456 789 no", CollectingDispatcher(), said, {}) == {
        "ship_tracking": "LA123456789NO"}
    assert await form.validate_ship_order(str(order["id"]), CollectingDispatcher(), said, {}) == {
        "ship_order": order["id"]}
    messages, _ = await run(ActionAskShipOrder(), tracker("", "inform", language="en"))
    assert messages[0]["text"] == "Which order did you ship? Write its number."
    assert messages[0]["buttons"] == [{"title": f"#{order['id']}", "payload": f'/choose{{"choice":"{order["id"]}"}}'}]
    messages, events = await run(ActionDropShipping(), tracker("nei", "deny", slots={"ship_order": order["id"]}))
    assert messages[0]["text"] == "Greit, jeg merket ingenting som sendt." and slots_set(events) == SHIP_SLOTS
    assert (await market.get(f"/orders/{order['id']}"))["status"] == "paid"


async def test_nobody_ships_someone_elses_order(market: Marketplace) -> None:
    order = await paid_order(market, 1)
    dispatcher = CollectingDispatcher()
    other = tracker("", "inform", user=OTHER_SELLER, language="en")
    assert await ValidateShipForm().validate_ship_order(order["id"], dispatcher, other, {}) == {"ship_order": None}
    assert dispatcher.messages[0]["text"] == f"Order #{order['id']} is not one of your paid orders waiting to ship."
    forged = {"ship_order": order["id"], "ship_carrier": "DHL", "ship_tracking": "JD014600003828"}
    messages, _ = await run(ActionShipOrder(), tracker("", "inform", user=OTHER_SELLER, language="en", slots=forged))
    assert messages[0]["text"] == f"I couldn't do that: order {order['id']} not found"
    messages, _ = await run(ActionStartShipping(), tracker("order shipped", "mark_shipped", user=OTHER_SELLER,
                                                           language="en"))
    assert messages[0]["text"] == "None of your orders is paid and waiting to ship."
    messages, _ = await run(ActionStartShipping(), tracker("order shipped", "mark_shipped", user=BUYER, language="en"))
    assert messages[0]["text"] == "You don't have a shop yet — say “I want to sell” to open one."
    after = await market.get(f"/orders/{order['id']}")
    assert after["status"] == "paid" and all(e["event"] != "ship" for e in after["events"])
