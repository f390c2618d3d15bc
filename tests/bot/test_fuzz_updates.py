"""Property-based fuzzing of what Telegram may deliver: arbitrary button data (forged prefixes of every
pattern the bot registers, over 64 bytes, unicode digits) and malformed messages (empty or huge text,
unknown entity types, edits, channel posts, no sender), fed through the real Application against the
emulator and the real marketplace. Nothing may reach the error handler, every button press is
answered, and a button the person may not use gets an alert saying so."""

from __future__ import annotations

import json
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.texts import LANGUAGES
from tests.bot.conftest import TOKEN
from tests.bot.update_harness import CHANNEL, PEOPLE, STAFF, STRANGER, UPDATE_IDS, Harness, harness

__all__ = ["harness"]  # the fixture

# -- callback data ------------------------------------------------------------------------------

PREFIXES = ["", "p:", "sa:", "ss:", "sm:", "so:", "h:", "r:", "r:/ask_seller", "l:", ":", "x:", "sa", "r:/"]
DIGITS = st.one_of(st.integers(min_value=0, max_value=10**20).map(str),
                   st.text(alphabet="0123456789٣²①߃", min_size=1, max_size=14))


def callback_data(order: int, product: int) -> st.SearchStrategy[str]:
    """Button data as our keyboards make it, as a tampered client might, and as nobody would."""
    ids = st.sampled_from([order, product, 0, 1, 2**31, 10**15])
    made = st.one_of(
        st.sampled_from([f"l:{code}" for code in LANGUAGES] + ["p:forget", "p:keep", "l:xx", "l:", "p:"]),
        st.builds(lambda p, n: f"{p}:{n}", st.sampled_from(["sa", "ss", "sm", "so"]), ids),
        st.builds(lambda k, n: f"r:/ask_seller{json.dumps({k: n})}", st.sampled_from(["order_id", "product_id"]),
                  st.one_of(ids, st.text(max_size=5), st.none(), st.booleans())),
        st.builds(lambda h, s: f"h:{h}:{s}", ids, st.integers(min_value=-1, max_value=7)),
        st.builds(lambda text: f"r:{text}", st.text(min_size=1, max_size=80)),
    )
    forged = st.builds(lambda prefix, tail: prefix + tail, st.sampled_from(PREFIXES),
                       st.one_of(DIGITS, st.text(max_size=120), st.just("{"), st.just('{"order_id": 1')))
    return st.one_of(made, forged)


def legitimate(data: str, role: str, order: int, product: int) -> bool:
    """Whether this person may use a button with this data (so no refusal is expected)."""
    if data in {f"l:{code}" for code in LANGUAGES} | {"p:forget", "p:keep"}:
        return True
    if data in (f"sa:{order}", f"ss:{order}", f"sm:{order}"):
        return role == "seller"
    if data.startswith("r:/ask_seller{"):  # "Ask the seller": only about one's order, or any product
        try:
            subject = json.loads(data.removeprefix("r:/ask_seller"))
        except ValueError:
            return False
        return (subject == {"order_id": order} and role == "buyer") or (
            subject == {"product_id": product} and role != "seller")  # not their own listing
    return data.startswith("r:") and len(data) > 2  # any other Rasa payload: Rasa decides what it means


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
async def test_any_button_press_is_answered_and_refused_clearly(harness: Harness, data: st.DataObject) -> None:
    role = data.draw(st.sampled_from(sorted(PEOPLE)), label="role")
    pressed = data.draw(callback_data(harness.order, harness.product), label="data")
    update, query = harness.press(PEOPLE[role], pressed)
    harness.errors.clear()
    await harness.feed(update)
    assert harness.errors == [], harness.errors
    assert query.answer is not None, f"{pressed!r} by the {role} was not answered"
    if not legitimate(pressed, role, harness.order, harness.product):
        assert query.answer["show_alert"] and query.answer["text"], (pressed, role, query.answer)


# -- messages -----------------------------------------------------------------------------------

COMMANDS = ["/start", "/help", "/language", "/mydata", "/translation", "/claim", "/refund", "/release", "/done",
            "/note", "/queue", "/stats", "/unknown", "/start@tradewind_bot", "/forgetme"]
ENTITY_TYPES = ["bold", "bot_command", "mention", "url", "custom_emoji", "spoiler", "no_such_type", "blockquote"]


@st.composite
def messages(draw: st.DrawFn, harness: Harness) -> dict:
    """A message-like update: new or edited, private chat or channel, odd text and entities."""
    state = harness.emulator.rt.state
    user = state.users[draw(st.sampled_from(sorted(PEOPLE.values())))]
    text = draw(st.one_of(
        st.text(max_size=200), st.text(min_size=4000, max_size=4200, alphabet="aé中 😀\n"),
        st.builds(lambda c, a: f"{c} {a}".strip(), st.sampled_from(COMMANDS),
                  st.one_of(st.text(max_size=30), DIGITS, DIGITS.map(lambda n: f"#{n}"),
                            DIGITS.map(lambda n: f"{n} es Suéter"), st.just(str(harness.order)))),
        st.sampled_from(["", " ", "\u200b", "\x00", "🚚 #1 DHL 123", "/"])))
    entities = draw(st.lists(st.builds(lambda kind, offset, length: {"type": kind, "offset": offset,
                                                                     "length": length},
                                       st.sampled_from(ENTITY_TYPES), st.integers(0, 10), st.integers(0, 50)),
                             max_size=3))
    if text.startswith("/"):
        entities.insert(0, {"type": "bot_command", "offset": 0, "length": len(text.split(" ")[0])})
    kind = draw(st.sampled_from(["message", "message", "edited_message", "channel_post", "edited_channel_post"]))
    channel = kind.endswith("channel_post")
    staff_group = not channel and draw(st.integers(0, 3)) == 0  # (the bot may post 20 a minute there)
    message: dict = {"message_id": draw(st.integers(1, 10**6)), "date": state.now(),
                     "chat": CHANNEL if channel else {"id": user["id"], "type": "private",
                                                      "first_name": user["first_name"]}}
    if staff_group:  # staff, someone who is not (any more), or an anonymous admin; in the topic or not
        sender = draw(st.sampled_from([STAFF, STRANGER, None]))
        user = state.users[sender] if sender else user
        message["chat"] = {"id": harness.staff_group, "type": "supergroup", "title": "Tradewind support",
                           "is_forum": True}
        if draw(st.booleans()):
            message |= {"message_thread_id": harness.topic, "is_topic_message": True}
        if sender is None:
            message["sender_chat"] = message["chat"]
        else:
            message["from"] = dict(user)
    elif not channel:
        message["from"] = dict(user)
    if text or draw(st.booleans()):
        message["text"] = text
        message["entities"] = entities
    if kind.startswith("edited"):
        message["edit_date"] = state.now()
    if not channel and not staff_group and draw(st.booleans()):
        prompt = draw(st.sampled_from([f"🚚 #{harness.order} — tracking?", "✍️ Write your message", "Menu"]))
        message["reply_to_message"] = {"message_id": harness.keyboards[user["id"]], "date": state.now(),
                                       "chat": message["chat"], "from": state.bots[TOKEN].user, "text": prompt}
    return {"update_id": next(UPDATE_IDS), kind: message}


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
async def test_malformed_messages_never_reach_the_error_handler(harness: Harness, data: st.DataObject,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    update = data.draw(messages(harness), label="update")
    harness.errors.clear()
    message = update.get("message") or update.get("edited_message") or {}
    outsider = message.get("chat", {}).get("id") == harness.staff_group and message.get("from", {}).get("id") != STAFF
    before = len(await harness.emulator.client.bot_messages(harness.staff_group))
    with caplog.at_level(logging.ERROR):
        await harness.feed(update)
    assert harness.errors == [], harness.errors
    if outsider:  # whatever someone who is not staff writes in the staff group, the bot does nothing
        assert len(await harness.emulator.client.bot_messages(harness.staff_group)) == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("bot")], caplog.text
