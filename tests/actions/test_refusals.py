"""The marketplace's refusals reach the person in their language (code + values), never as raw English."""

from __future__ import annotations

import pytest

from actions.marketplace import Marketplace, MarketplaceError
from actions.refusals import REFUSALS, refusal
from actions.texts import LANGUAGES

SAMPLE = {"product": "7", "quantity": "3", "left": "2", "max": "99", "country": "JP", "order": "41",
          "status": "shipped", "action": "cancel"}


@pytest.mark.parametrize("code", sorted(REFUSALS))
def test_every_refusal_exists_in_every_language(code: str) -> None:
    said = {language: refusal(code, SAMPLE, language) for language in LANGUAGES}
    assert all(said.values()) and len(set(said.values())) == len(LANGUAGES), said


def test_values_are_localised_and_unknown_codes_fall_back() -> None:
    assert refusal("no_shipping", {"country": "JP"}, "de") == "nach Japan liefern wir noch nicht."
    assert refusal("order_state", {"order": "41", "status": "shipped"}, "es") == (
        "el pedido #41 está enviado, así que ahora no se puede.")
    assert refusal("no_such_code", SAMPLE, "es") is None
    assert refusal("only_left", {}, "es") is None  # values missing: the English detail is used instead


async def test_the_marketplace_sends_a_code_the_actions_can_say(market: Marketplace) -> None:
    await market.put("/customers/700050", {"language": "nb"})
    with pytest.raises(MarketplaceError) as refused:
        await market.post("/customers/700050/cart/items", {"product_id": 1, "quantity": 90})
    assert refused.value.code == "only_left"
    assert refused.value.explain("nb").startswith("Det gikk ikke: ")
    assert "product" not in refused.value.explain("nb")
