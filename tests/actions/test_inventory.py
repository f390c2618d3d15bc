"""Editing listings from the chat in several languages, what runs low, and other people's products."""

from __future__ import annotations

from actions.inventory import ActionEditProduct, ActionLowStock
from actions.marketplace import Marketplace
from tests.actions.sellers import BUYER, OTHER_SELLER, SELLER, run, tracker


async def own_product(market: Marketplace) -> dict:
    """The seeded shop 1's first listing."""
    [product] = [p for p in await market.get("/shops/1/inventory", acting=SELLER) if p["id"] == 1]
    return product


async def test_price_stock_pause_and_resume_in_the_sellers_words(market: Marketplace) -> None:
    messages, _ = await run(ActionEditProduct(), tracker("set price of 1 to 1.399,50", "edit_product", language="en"))
    product = await own_product(market)
    assert messages[0]["text"] == f"#1 {product['title']} now costs NOK1,399.50."
    assert product["seller_price"]["amount"] == "1399.50"
    messages, _ = await run(ActionEditProduct(), tracker("cambia el stock del producto 1 a 12", "edit_product",
                                                         language="es"))
    assert messages[0]["text"] == f"#1 {product['title']}: 12 en stock."
    assert (await own_product(market))["stock"] == 12
    messages, _ = await run(ActionEditProduct(), tracker("暂停商品1", "edit_product", language="zh"))
    assert messages[0]["text"] == f"⏸ #1 {product['title']} 已暂停：恢复之前买家搜不到它。"
    assert messages[0]["buttons"] == [{"title": "▶ 恢复 #1", "payload": '/edit_product{"product_id":1,"change":"resume"}'}]
    assert (await own_product(market))["status"] == "paused"
    assert 1 not in [i["id"] for i in (await market.get("/search", q=product["title"], lang="nb"))["items"]]
    pressed = tracker('/edit_product{"product_id":1,"change":"resume"}', "edit_product", language="de",
                      product_id=1, change="resume")
    messages, _ = await run(ActionEditProduct(), pressed)
    assert messages[0]["text"] == f"▶ #1 {product['title']} ist wieder im Verkauf."
    assert 1 in [i["id"] for i in (await market.get("/search", q=product["title"], lang="nb"))["items"]]


async def test_n_more_adds_to_the_current_stock(market: Marketplace) -> None:
    before = (await own_product(market))["stock"]
    messages, _ = await run(ActionEditProduct(), tracker("i have 20 more of item 1", "edit_product", language="en"))
    assert (await own_product(market))["stock"] == before + 20
    assert f": {before + 20} in stock" in messages[0]["text"]
    messages, _ = await run(ActionEditProduct(), tracker("i got 100000 more of item 1", "edit_product", language="en"))
    assert "100000" in messages[0]["text"] and (await own_product(market))["stock"] == before + 20


async def test_unclear_requests_get_examples_and_change_nothing(market: Marketplace) -> None:
    before = await own_product(market)
    for text in ("change something", "set price of 1", "stock of 1 to 2.5"):
        messages, _ = await run(ActionEditProduct(), tracker(text, "edit_product", language="en"))
        assert messages[0]["text"].startswith("Tell me the product number and the change"), text
    assert await own_product(market) == before


async def test_someone_elses_product_is_not_found_and_unchanged(market: Marketplace) -> None:
    before = await own_product(market)
    messages, _ = await run(ActionEditProduct(), tracker("pause product 1", "edit_product", user=OTHER_SELLER,
                                                         language="en"))
    assert messages[0]["text"] == "I can't find product #1 in your shop."
    messages, _ = await run(ActionEditProduct(), tracker("pause product 1", "edit_product", user=BUYER, language="en"))
    assert messages[0]["text"] == "You don't have a shop yet — say “I want to sell” to open one."
    assert await own_product(market) == before


async def test_low_stock_lists_listings_at_or_below_the_threshold(market: Marketplace) -> None:
    inventory = await market.get("/shops/1/inventory", acting=SELLER)
    await run(ActionEditProduct(), tracker(f"stock of {inventory[-1]['id']} is 0", "edit_product"))
    await run(ActionEditProduct(), tracker(f"sett produkt {inventory[-1]['id']} på pause", "edit_product"))
    messages, _ = await run(ActionLowStock(), tracker("hva har lite på lager?", "low_stock"))
    lines = messages[0]["text"].splitlines()
    assert lines[0] == "Med 3 eller færre på lager:"
    assert f"#{inventory[-1]['id']} {inventory[-1]['title']} — 0 igjen (på pause)" in lines
    expected = [p for p in await market.get("/shops/1/inventory", acting=SELLER, max_stock=3)]
    assert len(lines) == 1 + len(expected)
    messages, _ = await run(ActionLowStock(), tracker("what is at or below 0 in stock", "low_stock", language="en"))
    sold_out = await market.get("/shops/1/inventory", acting=SELLER, max_stock=0)
    assert messages[0]["text"].splitlines() == ["At or below 0 in stock:"] + [
        f"#{p['id']} {p['title']} — 0 left" + (" (paused)" if p["id"] == inventory[-1]["id"] else "") for p in sold_out]
    assert inventory[-1]["id"] in [p["id"] for p in sold_out]
    messages, _ = await run(ActionLowStock(), tracker("low stock", "low_stock", user=OTHER_SELLER, language="en"))
    assert "#" + str(inventory[-1]["id"]) + " " not in messages[0]["text"]  # shop 2 sees only its own
