"""ActionSearchProducts against the seeded marketplace."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.catalog import ActionSearchProducts
from actions.marketplace import Marketplace
from tests.actions.conftest import tracker_from


async def test_spanish_query_finds_norwegian_sweaters_priced_in_pesos(market: Marketplace) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionSearchProducts().run(dispatcher, tracker_from("search_es"), {})
    [message] = dispatcher.messages  # one card, browsed in place with ◀ ▶
    card = message["custom"]
    assert card["type"] == "product_card" and card["replace"] is False
    title, prices, shop, blank, position = card["text"].split("\n")
    assert title == "Suéter de lana Lusekofte"
    assert prices.startswith("$") and prices.endswith("(NOK1.450,00)")  # pesos (es_AR), kroner beside them
    assert shop == "Bergen Strikkestue · NO"
    assert card["photo"] == "products/no-lusekofte-wool-sweater.png"
    titles = [b["title"] for b in card["buttons"]]
    assert titles == ["🛒 Añadir al carrito", "💬 Preguntar al vendedor", "🔎 Más como este"]
    assert all(len(("r:" + b["payload"]).encode()) <= 64 for b in card["buttons"] + card["nav"])
    total = int(position.split(" de ")[1].split(" ")[0])
    assert position == f"1 de {total} para «suéter de lana»"
    assert [b["title"] for b in card["nav"]] == (["Siguiente ▶"] if total > 1 else [])
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
    [next_button] = first.messages[-1]["custom"]["nav"]
    assert next_button["payload"] == '/search_product{"page":2}'
    slots = {e["name"]: e["value"] for e in events}
    second = CollectingDispatcher()
    paged = tracker_from("search_es", slots={"language": "es", **slots}, latest_message={
        "text": next_button["payload"], "intent": {"name": "search_product"},
        "entities": [{"entity": "page", "value": 2}], "metadata": {"telegram_user_id": 700001}})
    await ActionSearchProducts().run(second, paged, {})
    [shown] = [m["custom"] for m in second.messages]
    assert shown["product_id"] != first.messages[-1]["custom"]["product_id"]
    assert shown["replace"] is True  # the bot shows it in the card that was pressed
    assert shown["text"].endswith("para «lana»") and "\n\n2 de " in shown["text"]
    assert [b["payload"] for b in shown["nav"]][0] == '/search_product{"page":1}'


async def test_marketplace_down_gets_a_clear_message(market: Marketplace) -> None:
    import httpx

    from actions import marketplace as module

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    module.use(Marketplace(httpx.AsyncClient(transport=httpx.MockTransport(down), base_url="http://x")))
    dispatcher = CollectingDispatcher()
    assert await ActionSearchProducts().run(dispatcher, tracker_from("search_es"), {}) == []
    assert dispatcher.messages[0]["text"].startswith("La tienda no responde")
