"""POST /translate and machine-translated listings, against a LibreTranslate stand-in on loopback
called by the real deep-translator client; the translation memory lives in the marketplace database."""

from __future__ import annotations

import asyncio
import time

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from marketplace.api.main import create_app
from marketplace.core.config import MarketplaceSettings
from marketplace.core.db import transaction
from marketplace.models import ProductTranslation, TranslationMemoryEntry
from marketplace.search_text import document_terms
from marketplace.services.listing_translation import translate_listing
from marketplace.services.rates import load_rates, read_rate_files
from marketplace.services.translation import TranslationService
from tests.conftest import SERVICE_TOKEN
from tests.marketplace.translating import api_client, with_translator
from tests.support import start_server, stop_server
from tests.translation_server import StandInTranslator, closed_port_url

SELLER = 424242
TITLE, DESCRIPTION = "Lusekofte genser i ull", "Håndstrikket genser av norsk ull"
PHRASES = {"es": {TITLE: "Suéter lusekofte de lana", DESCRIPTION: "Suéter tejido a mano con lana noruega"},
           "en": {TITLE: "Lusekofte wool sweater", DESCRIPTION: "Hand-knitted sweater of Norwegian wool"}}


async def translate(client: httpx.AsyncClient, text: str, source: str = "nb", target: str = "es") -> dict:
    response = await client.post("/translate", json={"text": text, "source": source, "target": target})
    assert response.status_code == 200, response.text
    return response.json()


async def test_translate_calls_the_provider_and_answers_in_the_contract_shape(settings: MarketplaceSettings) -> None:
    with StandInTranslator(PHRASES) as server:
        async with api_client(with_translator(settings, server.url)) as api:
            body = await translate(api, TITLE)
    assert body == {"text": "Suéter lusekofte de lana", "original": TITLE, "source": "nb", "target": "es",
                    "translated": True, "note": None}
    assert server.requests == [{"path": "/translate", "q": TITLE, "source": "nb", "target": "es", "format": "text",
                                "api_key": "test-key"}]


async def test_memory_answers_repeats_without_calling_the_provider_even_after_a_restart(
        settings: MarketplaceSettings, factory: sessionmaker[Session]) -> None:
    with StandInTranslator(PHRASES) as server:
        configured = with_translator(settings, server.url)
        async with api_client(configured) as api:
            first = await translate(api, TITLE)
            again = await translate(api, f"  {TITLE} ")
        async with api_client(configured) as restarted:
            after_restart = await translate(restarted, TITLE)
            other_language = await translate(restarted, TITLE, target="en")
    assert first["text"] == again["text"] == after_restart["text"] == "Suéter lusekofte de lana"
    assert again["translated"] and again["original"] == f"  {TITLE} "
    assert other_language["text"] == "Lusekofte wool sweater"
    assert server.count(q=TITLE, target="es") == 1 and server.count(q=TITLE, target="en") == 1
    with factory() as session:
        rows = session.scalars(select(TranslationMemoryEntry).order_by(TranslationMemoryEntry.id)).all()
    assert [(r.provider, r.source, r.target, r.text, r.translated) for r in rows] == [
        ("libre", "nb", "es", TITLE, "Suéter lusekofte de lana"),
        ("libre", "nb", "en", TITLE, "Lusekofte wool sweater")]
    assert len(rows[0].text_hash) == 64


async def test_provider_down_gives_the_original_with_a_note_never_an_error(
        settings: MarketplaceSettings, factory: sessionmaker[Session]) -> None:
    async with api_client(with_translator(settings, closed_port_url())) as api:
        body = await translate(api, "Hei, når sender du?")
    assert body["text"] == body["original"] == "Hei, når sender du?"
    assert body["translated"] is False and body["note"].startswith("translation unavailable")
    with factory() as session:
        assert session.scalar(select(func.count(TranslationMemoryEntry.id))) == 0


async def test_failing_provider_opens_the_circuit(settings: MarketplaceSettings) -> None:
    with StandInTranslator(PHRASES, status=500) as server:
        async with api_client(with_translator(settings, server.url, translator_failure_threshold=2)) as api:
            answers = [await translate(api, text) for text in ("en", "to", "tre", "fire")]
            assert server.count() == 2  # calls 3 and 4 never reached the provider
            server.status = 200  # the provider recovers, but the circuit stays open until reset_after
            still_open = await translate(api, "fem")
    assert [a["translated"] for a in answers] == [False] * 4
    assert "retrying later" in answers[2]["note"] and "retrying later" in still_open["note"]
    assert server.count() == 2


async def test_disabled_by_default_and_bad_input_is_explained(api: httpx.AsyncClient) -> None:
    body = await translate(api, "Hei")
    assert body == {"text": "Hei", "original": "Hei", "source": "nb", "target": "es", "translated": False,
                    "note": "translation unavailable: no translation provider is configured"}
    same = await translate(api, "Hola", source="es", target="es")
    assert same["translated"] is False and same["note"] is None
    bad = await api.post("/translate", json={"text": "Hei", "source": "nb", "target": "es; drop"})
    assert bad.status_code == 422 and "target" in bad.json()["detail"]
    anonymous = await api.post("/translate", json={"text": "Hei", "target": "es"}, headers={"Authorization": ""})
    assert anonymous.status_code == 401


async def create_listing(api: httpx.AsyncClient, **extra: object) -> dict:
    shop = await api.post("/shops", json={"owner_telegram_id": SELLER, "name": "Bergen Strikk", "country": "NO",
                                          "currency": "NOK", "language": "nb"})
    assert shop.status_code == 201, shop.text
    response = await api.post(f"/shops/{shop.json()['id']}/products", headers={"X-Acting-User": str(SELLER)},
                              json={"title": TITLE, "description": DESCRIPTION, "category": "clothing",
                                    "price": "1450.00", "stock": 3, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def stored(factory: sessionmaker[Session], product_id: int) -> dict[str, ProductTranslation]:
    with factory() as session:
        return {t.language: t for t in session.scalars(
            select(ProductTranslation).where(ProductTranslation.product_id == product_id))}


async def test_a_new_listing_is_stored_in_all_eight_languages_and_found_in_spanish(
        settings: MarketplaceSettings, factory: sessionmaker[Session]) -> None:
    with StandInTranslator(PHRASES) as server:
        async with api_client(with_translator(settings, server.url)) as api:
            with transaction(factory) as session:
                load_rates(session, read_rate_files(settings.rates_file, settings.rates_extra_file))
            product = await create_listing(api)
            texts = stored(factory, product["id"])
            found = (await api.get("/search", params={"q": "suéter de lana", "lang": "es"})).json()
            spanish = (await api.get(f"/products/{product['id']}", params={"lang": "es"})).json()
    assert set(texts) == {"en", "es", "pt", "de", "fr", "it", "nb", "zh"}
    assert texts["nb"].source == "original"
    assert {lang: t.source for lang, t in texts.items() if lang != "nb"} == dict.fromkeys(
        ["en", "es", "pt", "de", "fr", "it", "zh"], "machine")
    assert (texts["es"].title, texts["es"].description) == (
        "Suéter lusekofte de lana", "Suéter tejido a mano con lana noruega")
    assert texts["de"].title == f"[de] {TITLE}"
    for lang, t in texts.items():
        assert t.search_text == document_terms(f"{t.title} {t.description}", lang)
    assert server.count() == 14  # title and description, into seven languages
    assert [item["id"] for item in found["items"]] == [product["id"]]
    assert (spanish["title"], spanish["translated"], spanish["original_title"]) == (
        "Suéter lusekofte de lana", True, TITLE)


async def test_without_a_provider_the_listing_is_created_in_its_own_language_only(
        settings: MarketplaceSettings, factory: sessionmaker[Session]) -> None:
    async with api_client(with_translator(settings, closed_port_url())) as api:
        product = await create_listing(api)
    assert product["title"] == TITLE
    assert {lang: t.source for lang, t in stored(factory, product["id"]).items()} == {"nb": "original"}


async def test_seller_corrects_a_translation_and_the_machine_leaves_it_alone(
        settings: MarketplaceSettings, factory: sessionmaker[Session]) -> None:
    with StandInTranslator(PHRASES) as server:
        configured = with_translator(settings, server.url)
        async with api_client(configured) as api:
            with transaction(factory) as session:
                load_rates(session, read_rate_files(settings.rates_file, settings.rates_extra_file))
            product = await create_listing(api, translations={"fr": {"title": "Pull lusekofte en laine"}})
            path = f"/products/{product['id']}/translations/es"
            fixed = await api.put(path, headers={"X-Acting-User": str(SELLER)},
                                  json={"title": "Jersey noruego de lana", "description": "Tejido a mano"})
            stranger = await api.put(path, headers={"X-Acting-User": "999"}, json={"title": "Spam"})
            unknown = await api.put(f"/products/{product['id']}/translations/ru",
                                    headers={"X-Acting-User": str(SELLER)}, json={"title": "Свитер"})
            empty = await api.put(path, headers={"X-Acting-User": str(SELLER)}, json={"title": ""})
        service = TranslationService(configured, factory)
        assert translate_listing(service, factory, product["id"]) == []  # every language has a text now
    assert fixed.status_code == 200 and fixed.json()["title"] == "Jersey noruego de lana"
    assert stranger.status_code == 404 and unknown.status_code == 400 and empty.status_code == 422
    texts = stored(factory, product["id"])
    assert (texts["es"].title, texts["es"].source) == ("Jersey noruego de lana", "seller")
    assert texts["es"].search_text == document_terms("Jersey noruego de lana Tejido a mano", "es")
    assert (texts["fr"].title, texts["fr"].source) == ("Pull lusekofte en laine", "machine")
    assert server.count(target="fr") == 0  # the text the seller gave was not translated again


async def test_translating_does_not_slow_down_creating_the_listing(
        settings: MarketplaceSettings, factory: sessionmaker[Session]) -> None:
    with StandInTranslator(PHRASES, delay=0.15) as server:  # 14 calls: over 2 s in all
        server_app, task, url = await start_server(create_app(with_translator(settings, server.url)))
        try:
            async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}) as api:
                started = time.monotonic()
                product = await create_listing(api)
                took = time.monotonic() - started
                deadline = time.monotonic() + 15
                while len(stored(factory, product["id"])) < 8 and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
        finally:
            await stop_server(server_app, task)
    assert took < 1.5, took
    assert len(stored(factory, product["id"])) == 8
