"""Alert texts exist in all eight languages and every outbox topic renders for its recipients."""

from __future__ import annotations

import string

import pytest

from bot.alert_texts import TEXTS
from bot.alerts import KEYS, UnknownAlert, country_name, locale_of, money, render
from bot.handlers.seller_orders import PROMPT, parse_shipment
from bot.texts import LANGUAGES
from marketplace.services.outbox import RECIPIENTS


def fields(sentence: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}


def test_every_sentence_has_eight_languages_with_the_same_placeholders() -> None:
    for key, variants in TEXTS.items():
        assert set(variants) == set(LANGUAGES), key
        assert len({frozenset(fields(v)) for v in variants.values()}) == 1, key
        assert not any("<" in v or "&" in v for v in variants.values()), key  # sent as HTML


def test_the_ship_prompt_is_recognised_in_every_language() -> None:
    for language in LANGUAGES:
        prompt = TEXTS["ship_prompt"][language].format(order=4711)
        assert PROMPT.match(prompt).group(1) == "4711"


def message(topic: str, actor: str = "system") -> dict:
    return {"id": 9, "topic": topic, "payload": {"order_id": 4711, "actor": actor,
                                                  "release_on": "2026-12-24T10:00:00+00:00"},
            "order": {"id": 4711, "status": "paid", "currency": "NOK", "subtotal": "2900.00", "shipping": "518.98",
                      "total": "3418.98", "paid": True, "shipping_country": "AR",
                      "shipping_address": "Av. Corrientes 1234 <3F>, Buenos Aires", "carrier": "Posten",
                      "tracking_number": "LA123456789NO",
                      "items": [{"title": "Lusekofte & co", "quantity": 2, "unit_price": "1450.00", "currency": "NOK"}]},
            "shop": {"id": 1, "name": "Bergen Strikk", "owner_telegram_id": 900001, "country": "NO", "currency": "NOK",
                     "language": "nb"},
            "buyer": {"telegram_user_id": 700001, "language": "es", "country": "AR", "currency": "ARS"}}


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_topic_renders_for_each_of_its_recipients(language: str) -> None:
    for topic, recipients in RECIPIENTS.items():
        for recipient in recipients:
            alert = render(message(topic), {"recipient": recipient, "chat_id": 1, "language": language, "country": None})
            assert "4711" in alert.text, (topic, recipient, language)
            assert "<3F>" not in alert.text and "& co" not in alert.text  # people's text is escaped
            assert (alert.markup is not None) == (topic == "order.paid" and recipient == "seller")
    with pytest.raises(UnknownAlert):
        render(message("order.teleported"), {"recipient": "buyer", "chat_id": 1, "language": language})
    assert {key for key in KEYS.values()} <= set(TEXTS)


def test_the_sellers_card_speaks_the_sellers_language_and_its_buttons_fit_telegram() -> None:
    card = render(message("order.paid"), {"recipient": "seller", "chat_id": 1, "language": "de", "country": "DE"})
    assert "Käufer aus: Argentinien" in card.text and "3.418,98\xa0NOK" in card.text
    assert "Av. Corrientes 1234 &lt;3F&gt;, Buenos Aires" in card.text
    data = [b.callback_data for row in card.markup.inline_keyboard for b in row]
    assert data == ["sa:4711", "ss:4711", "sm:4711"] and all(len(d.encode()) < 64 for d in data)
    refund = render(message("order.cancelled"), {"recipient": "buyer", "chat_id": 1, "language": "fr", "country": "FR"})
    assert refund.text == "❌ La commande n° 4711 a été annulée. 3\u202f418,98\xa0NOK te seront remboursés."


def test_money_and_countries_are_localised() -> None:
    assert locale_of("nb", "NO") == "nb_NO" and locale_of("zh", "AR") == "zh" and locale_of("xx", None) == "en"
    assert money("1450.5", "NOK", "nb_NO") == "1\xa0450,50\xa0kr"
    assert money("131538.79", "ARS", "es_AR") == "$131.538,79"
    assert country_name("NO", "zh") == "挪威" and country_name(None, "en") == "—"


@pytest.mark.parametrize(("reply", "expected"), [
    ("DHL 00340434161094042557", ("DHL", "00340434161094042557")),
    ("Posten Norge LA123456789NO", ("Posten Norge", "LA123456789NO")),
    ("Correos, PK 1234 5678 ES", ("Correos", "PK12345678ES")),
    ("  ups\n1z999aa10123456784 ", ("ups", "1Z999AA10123456784")),
    ("Posten", None),
    ("LA123456789NO", None),
    ("DHL Express", None),  # no tracking number
    ("Posten LA1", None),  # too short
    ("x" * 61 + " LA123456789NO", None),
])
def test_carrier_and_tracking_number_are_read_from_the_reply(reply: str, expected: tuple[str, str] | None) -> None:
    assert parse_shipment(reply) == expected
