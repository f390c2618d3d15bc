"""The buyer journey's first steps in Norwegian and Chinese: search, card, cart."""

from __future__ import annotations

import pytest

from sandbox.client import SandboxClient
from tests.e2e.stack import Stack


@pytest.mark.parametrize(("language", "query", "add", "currency", "total"), [
    ("nb-NO", "jeg ser etter en genser i ull", "🛒 Legg i handlekurven", "kr", "Totalt:"),
    ("zh-CN", "我想买羊毛毛衣", "🛒 加入购物车", "¥", "合计："),
])
async def test_search_and_add_to_cart(stack: Stack, language: str, query: str, add: str, currency: str,
                                      total: str) -> None:
    async with SandboxClient(stack.urls["emulator"]) as client:
        user = (await client.create_user(f"Buyer {language}", None, language))["id"]
        await client.send_text(user, query)
        card = await client.wait_for_message(user, timeout=20)
        if not card.get("photo"):  # a notice first, e.g. "these match some of your words"
            card = await client.wait_for_message(user, timeout=20)
        assert card.get("photo"), card.get("text")
        assert currency in card["caption"]
        await client.press_button(user, card["message_id"], text=add)
        while total not in (message := await client.wait_for_message(user, timeout=20)).get("text", ""):
            pass
        assert currency in message["text"]
