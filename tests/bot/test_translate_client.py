"""MarketplaceClient.translate(): the contract for the bot's handlers, over real HTTP; never raises."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bot.marketplace_client import MarketplaceClient
from marketplace.core.config import MarketplaceSettings
from tests.conftest import SERVICE_TOKEN
from tests.marketplace.translating import with_translator
from tests.translation_server import StandInTranslator


@pytest.fixture
def translator() -> Iterator[StandInTranslator]:
    with StandInTranslator({"en": {"Hei, når kommer pakken?": "Hi, when does the parcel arrive?"}}) as server:
        yield server


@pytest.fixture
def settings(settings: MarketplaceSettings, translator: StandInTranslator) -> MarketplaceSettings:
    return with_translator(settings, translator.url)


async def test_translate_through_the_marketplace(marketplace_url: str, translator: StandInTranslator) -> None:
    async with httpx.AsyncClient() as http:
        client = MarketplaceClient(http, marketplace_url, SERVICE_TOKEN)
        result = await client.translate("Hei, når kommer pakken?", "nb", "en")
        translator.status = 503
        failing = await client.translate("Takk!", "nb", "en")
    assert result == {"text": "Hi, when does the parcel arrive?", "original": "Hei, når kommer pakken?",
                      "source": "nb", "target": "en", "translated": True, "note": None}
    assert (failing["text"], failing["translated"]) == ("Takk!", False) and failing["note"].startswith(
        "translation unavailable")


async def test_translate_never_raises(marketplace_url: str) -> None:
    async with httpx.AsyncClient() as http:
        wrong_token = await MarketplaceClient(http, marketplace_url, "not-the-token").translate("Hei", "nb", "es")
        down = await MarketplaceClient(http, "http://127.0.0.1:9", SERVICE_TOKEN).translate("Hei", "nb", "es")
        invalid = await MarketplaceClient(http, marketplace_url, SERVICE_TOKEN).translate("Hei", "nb", "not a code")
    for result in (wrong_token, down, invalid):
        assert result["text"] == result["original"] == "Hei" and result["translated"] is False
        assert result["note"] == "translation unavailable"
