"""Sales summaries from the marketplace in the seller's language, with a chart the bot can fetch."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from babel.dates import format_skeleton
from babel.numbers import format_currency

from actions.marketplace import Marketplace
from actions.sales import ActionSalesSummary
from tests.actions.sellers import BUYER, OTHER_SELLER, paid_order, run, tracker


async def test_today_in_spanish_counts_only_paid_orders(market: Marketplace) -> None:
    first, second = await paid_order(market, 1), await paid_order(market, 2, quantity=2)
    await market.put("/customers/700002", {"language": "es", "country": "AR", "currency": "ARS"})
    await market.post("/customers/700002/cart/items", {"product_id": 1, "quantity": 1})
    await market.post("/customers/700002/checkout", {"shipping_country": "AR", "shipping_address": "Calle 123, Rosario"})
    messages, _ = await run(ActionSalesSummary(), tracker("¿cuánto vendí hoy?", "sales_summary", language="es"))
    total = Decimal(first["total"]) + Decimal(second["total"])
    today = format_skeleton("MMMd", datetime.now(UTC).date(), locale="es")
    assert [m["text"] for m in messages] == [
        f"Ventas de hoy ({today}):\n{format_currency(total, 'NOK', locale='es')} · pedidos pagados: 2"]
    assert messages[0]["custom"] == {}  # one day: no chart


async def test_this_month_in_norwegian_comes_with_a_chart_of_the_same_figures(market: Marketplace) -> None:
    order = await paid_order(market, 1)
    messages, _ = await run(ActionSalesSummary(), tracker("hvordan går salget denne måneden?", "sales_summary"))
    chart = messages[0]["custom"]
    assert chart["type"] == "chart"
    lines = chart["text"].splitlines()
    assert lines[0].startswith("Salg denne måneden (1. ")
    assert lines[1] == f"{format_currency(Decimal(order['total']), 'NOK', locale='nb')} · betalte ordrer: 1"
    assert lines[2].startswith("Beste dag: ")
    assert chart["photo"].startswith("http://marketplace/shops/1/sales.png?")
    picture = await market._http.get(chart["photo"])
    assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG\r\n\x1a\n")
    again, _ = await run(ActionSalesSummary(), tracker("salg denne måneden", "sales_summary"))
    assert again[0]["custom"]["photo"] == chart["photo"]  # same figures, same picture: the bot reuses its upload
    await paid_order(market, 2)
    changed, _ = await run(ActionSalesSummary(), tracker("salg denne måneden", "sales_summary"))
    assert changed[0]["custom"]["photo"] != chart["photo"]


async def test_no_sales_yet_and_a_buyer_asking(market: Marketplace) -> None:
    messages, _ = await run(ActionSalesSummary(), tracker("本周销售怎么样", "sales_summary", language="zh"))
    assert messages[0]["text"].startswith("本周销售（") and messages[0]["text"].endswith("这段时间还没有已付款的订单。")
    assert messages[0]["custom"] == {}  # nothing to draw
    messages, _ = await run(ActionSalesSummary(), tracker("sales this week", "sales_summary", user=BUYER, language="en"))
    assert messages[0]["text"] == "You don't have a shop yet — say “I want to sell” to open one."


async def test_another_seller_sees_only_their_own_shop(market: Marketplace) -> None:
    await paid_order(market, 1)  # shop 1's sale
    messages, _ = await run(ActionSalesSummary(), tracker("ventas de este mes", "sales_summary", user=OTHER_SELLER,
                                                          language="es"))
    assert messages[0]["text"].endswith("Todavía no hay pedidos pagados en este periodo.")
    shop2 = await market.get("/shops/2")
    assert messages[0]["text"].startswith("Ventas de este mes") and shop2["owner_telegram_id"] == OTHER_SELLER
