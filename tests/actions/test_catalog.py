"""ActionSearchProducts against the seeded marketplace."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.catalog import ActionSearchProducts
from actions.marketplace import Marketplace
from tests.actions.conftest import tracker_from


async def test_spanish_query_finds_norwegian_sweaters_priced_in_pesos(market: Marketplace) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionSearchProducts().run(dispatcher, tracker_from("search_es"), {})
    cards = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert cards and all(c["type"] == "product_card" for c in cards)
    title, prices, shop = cards[0]["text"].split("\n")
    assert title == "Suéter de lana Lusekofte"
    assert prices.startswith("$") and prices.endswith("(NOK1.450,00)")  # pesos (es_AR), kroner beside them
    assert shop == "Bergen Strikkestue · NO"
    assert cards[0]["photo"] == "products/no-lusekofte-wool-sweater.png"
    titles = [b["title"] for b in cards[0]["buttons"]]
    assert titles == ["🛒 Añadir al carrito", "💬 Preguntar al vendedor", "🔎 Más como este"]
    assert all(len(("r:" + b["payload"]).encode()) <= 64 for c in cards for b in c["buttons"])
    assert dispatcher.messages[-1]["text"] == f"{len(cards)} resultados para «suéter de lana» (página 1 de 1)."
    slots = {e["name"]: e["value"] for e in events}
    assert slots["search_query"] == "suéter de lana" and slots["search_country"] == "NO"
    customer = await market.get("/customers/700001")
    assert (customer["country"], customer["currency"], customer["language"]) == ("AR", "ARS", "es")


async def test_no_results_suggest_how_to_widen_the_search(market: Marketplace) -> None:
    tracker = tracker_from("search_es", latest_message={
        "text": "busco un submarino amarillo", "intent": {"name": "search_product"},
        "entities": [{"entity": "product", "value": "submarino amarillo"}, {"entity": "country", "value": "NO"}],
        "metadata": {"telegram_user_id": 700001, "language_code": "es-AR"}})
    dispatcher = CollectingDispatcher()
    await ActionSearchProducts().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert "No encontré nada para «submarino amarillo»" in message["text"] and "filtro de país" in message["text"]


async def test_next_page_keeps_the_search_and_shows_other_products(market: Marketplace) -> None:
    first = CollectingDispatcher()
    tracker = tracker_from("search_es", latest_message={
        "text": "lana", "intent": {"name": "search_product"}, "entities": [{"entity": "product", "value": "lana"}],
        "metadata": {"telegram_user_id": 700001, "language_code": "es-AR"}})
    events = await ActionSearchProducts().run(first, tracker, {})
    next_button = first.messages[-1]["buttons"][-1]
    assert next_button["payload"] == '/search_product{"page":2}'
    slots = {e["name"]: e["value"] for e in events}
    second = CollectingDispatcher()
    paged = tracker_from("search_es", slots={"language": "es", **slots}, latest_message={
        "text": next_button["payload"], "intent": {"name": "search_product"},
        "entities": [{"entity": "page", "value": 2}], "metadata": {"telegram_user_id": 700001}})
    await ActionSearchProducts().run(second, paged, {})
    ids = lambda d: {m["custom"]["product_id"] for m in d.messages if m.get("custom")}  # noqa: E731
    assert ids(second) and not ids(first) & ids(second)
    assert "(página 2 de" in second.messages[-1]["text"]


async def test_marketplace_down_gets_a_clear_message(market: Marketplace) -> None:
    import httpx

    from actions import marketplace as module

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    module.use(Marketplace(httpx.AsyncClient(transport=httpx.MockTransport(down), base_url="http://x")))
    dispatcher = CollectingDispatcher()
    assert await ActionSearchProducts().run(dispatcher, tracker_from("search_es"), {}) == []
    assert dispatcher.messages[0]["text"].startswith("La tienda no responde")
