""""Did you mean …?" names the likely intent in the person's language and keeps their entities."""

from __future__ import annotations

import json

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.clarify import ActionDefaultAskAffirmation, yes_payload
from actions.intent_names import known
from tests.actions.conftest import tracker_from
from tradewind.paths import REPO_ROOT

UNSURE = {"name": "nlu_fallback", "confidence": 0.7}
RANKING = [{"name": "nlu_fallback", "confidence": 0.7}, {"name": "order_status", "confidence": 0.3},
           {"name": "mark_shipped", "confidence": 0.28}]


def unsure(language: str, text: str, entities: list[dict]) -> dict:
    return {"text": text, "intent": UNSURE, "intent_ranking": RANKING, "entities": entities,
            "metadata": {"telegram_user_id": 700001}}


@pytest.mark.parametrize(("language", "question", "yes", "no"), [
    ("es", "¿Quisiste decir: seguir un pedido?", "Sí", "No"),
    ("zh", "你是想查询订单状态吗？", "是的", "不是"),
    ("nb", "Mente du: spore en bestilling?", "Ja", "Nei"),
])
async def test_asks_in_the_conversation_language_with_the_runner_up_intent(
        language: str, question: str, yes: str, no: str) -> None:
    tracker = tracker_from("search_es", slots={"language": language},
                           latest_message=unsure(language, "77881 ???", [{"entity": "order_id", "value": 77881}]))
    dispatcher = CollectingDispatcher()
    assert await ActionDefaultAskAffirmation().run(dispatcher, tracker, {}) == []
    [message] = dispatcher.messages
    assert message["text"] == question
    assert [(b["title"], b["payload"]) for b in message["buttons"]] == [
        (yes, '/order_status{"order_id":77881}'), (no, "/out_of_scope")]


async def test_nothing_to_offer_asks_to_rephrase() -> None:
    tracker = tracker_from("search_es", latest_message={"text": "???", "intent": UNSURE,
                                                       "intent_ranking": [UNSURE], "entities": []})
    dispatcher = CollectingDispatcher()
    await ActionDefaultAskAffirmation().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_ask_rephrase"


def test_yes_payload_fits_telegram_callback_data() -> None:
    long_product = {"entity": "product", "value": "x" * 80}
    payload = yes_payload("search_product", [{"entity": "country", "value": "NO"}, long_product,
                                             {"entity": "max_price", "value": 50}])
    assert len(f"r:{payload}".encode()) <= 64
    assert json.loads(payload[len("/search_product"):]) == {"country": "NO", "max_price": 50}


def test_every_intent_in_the_domain_has_a_description() -> None:
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}
    assert intents - known() == set()
