"""Reading sellers' words in the eight languages: periods, amounts, product changes, shipping details."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
import yaml

from actions.seller_words import (
    carrier_in,
    category_in,
    change_in,
    currency_in,
    language_in,
    order_number,
    parse_amount,
    period_dates,
    period_in,
    product_and_value,
    stock_added,
    tracking_in,
)
from tradewind.paths import REPO_ROOT

LANGUAGES = ("en", "es", "pt", "de", "fr", "it", "nb", "zh")


@pytest.mark.parametrize(("text", "period"), [
    ("sales today", "today"), ("¿cuánto vendí hoy?", "today"), ("vendas de hoje", "today"),
    ("Umsatz heute", "today"), ("mes ventes d'aujourd'hui", "today"), ("vendite di oggi", "today"),
    ("salg i dag", "today"), ("今天卖了多少", "today"),
    ("sales this week", "week"), ("ventas de esta semana", "week"), ("vendas desta semana", "week"),
    ("Umsatz diese Woche", "week"), ("ventes de cette semaine", "week"), ("vendite di questa settimana", "week"),
    ("salg denne uken", "week"), ("本周销售", "week"),
    ("sales this month", "month"), ("ventas del mes", "month"), ("vendas deste mês", "month"),
    ("Umsatz diesen Monat", "month"), ("ventes ce mois", "month"), ("vendite di questo mese", "month"),
    ("salg denne måneden", "month"), ("本月销售", "month"),
    ("how are my sales?", "week"),  # nothing named: this week
])
def test_periods_in_eight_languages(text: str, period: str) -> None:
    assert period_in(text) == period


def test_period_dates_start_on_monday_and_the_first_of_the_month() -> None:
    thursday = date(2026, 6, 4)
    assert period_dates("today", thursday) == (thursday, thursday)
    assert period_dates("week", thursday) == (date(2026, 6, 1), thursday)
    assert period_dates("month", date(2026, 6, 30)) == (date(2026, 6, 1), date(2026, 6, 30))


@pytest.mark.parametrize(("text", "amount"), [
    ("450", Decimal("450")), ("1.450,50", Decimal("1450.50")), ("1,450.50", Decimal("1450.50")),
    ("1 450 kr", Decimal("1450")), ("NOK 99.9", Decimal("99.9")), ("12,000", Decimal("12000")),
    ("1.450", Decimal("1450")), ("99,90 €", Decimal("99.90")), ("0,001", Decimal("0.001")),
    ("0", None), ("gratis", None), ("", None),
])
def test_amounts_as_people_write_them(text: str, amount: Decimal | None) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(("text", "change", "product", "value"), [
    ("set price of 12 to 450", "price", 12, Decimal("450")),
    ("cambia el precio a 450,50 del producto 12", "price", 12, Decimal("450.50")),
    ("preço do 12 para 99", "price", 12, Decimal("99")),
    ("把12号商品的价格改成450", "price", 12, Decimal("450")),
    ("stock of 12 is 0", "stock", 12, Decimal("0")),
    ("Bestand von #7 auf 20", "stock", 7, Decimal("20")),
    ("pause product 12", "pause", 12, None), ("metti in pausa il prodotto 3", "pause", 3, None),
    ("desactivar producto 7", "pause", 7, None), ("暂停商品12", "pause", 12, None),
    ("unpause 3", "resume", 3, None), ("réactiver le produit 5", "resume", 5, None),
    ("sett produkt 9 på pause", "pause", 9, None), ("aktiver produkt 9", "resume", 9, None),
])
def test_product_changes(text: str, change: str, product: int, value: Decimal | None) -> None:
    assert change_in(text) == change
    assert product_and_value(text) == (product, value)


# Per language: price, stock, pause and resume, with verb forms, inflections and phrasings beyond the
# dictionary forms ("pausalo", "réactive", "costs", "back on sale", "item 5", "價格").
@pytest.mark.parametrize(("text", "change", "product", "value"), [
    # en
    ("product 26 now costs 39.90", "price", 26, Decimal("39.90")),
    ("can you change the price of item 44 to 2500 pls", "price", 44, Decimal("2500")),
    ("set qty of 19 to 6 pls", "stock", 19, Decimal("6")),
    ("i restocked product 8, i have 30 now", "stock", 8, Decimal("30")),
    ("got 12 new ones of product 2, stock is 14 now", "stock", 2, Decimal("14")),
    ("take product 16 off sale for now", "pause", 16, None), ("stop showing product 10", "pause", 10, None),
    ("im out of product 6, hide it till i restock", "pause", 6, None),
    ("put 9 back on sale", "resume", 9, None), ("put product 7 back online", "resume", 7, None),
    ("unhide product 12 pls", "resume", 12, None), ("relist product 30", "resume", 30, None),
    ("show product 5 in the shop again", "resume", 5, None),
    # es
    ("el producto 4 ahora cuesta 19,99", "price", 4, Decimal("19.99")),
    ("ponele precio 350 al artículo 2", "price", 2, Decimal("350")),
    ("cantidad del producto 26 a 50", "stock", 26, Decimal("50")),
    ("repuse el producto 8, ahora tengo 30", "stock", 8, Decimal("30")),
    ("se me agotó el 3, pausalo", "pause", 3, None), ("ocúltalo, el #4 ya no está", "pause", 4, None),
    ("sacar de venta el producto 16 por ahora", "pause", 16, None),
    ("no muestres más el producto 10", "pause", 10, None),
    ("reactívalo, publicación 3", "resume", 3, None), ("reanuda el #11 porfa", "resume", 11, None),
    ("quita la pausa del producto 5", "resume", 5, None), ("pone el 9 de nuevo a la venta", "resume", 9, None),
    # pt
    ("o produto 15 agora custa 80", "price", 15, Decimal("80")),
    ("alterar o preço do artigo 20 para 14,99 €", "price", 20, Decimal("14.99")),
    ("quantidade do produto 26 para 50", "stock", 26, Decimal("50")),
    ("repus o produto 8, agora tenho 30", "stock", 8, Decimal("30")),
    ("desativa o 19 que não tenho mais", "pause", 19, None), ("esconde o produto 10 da loja", "pause", 10, None),
    ("oculta o anúncio 7", "pause", 7, None), ("tira o produto 16 da loja por agora", "pause", 16, None),
    ("reativa o #11 por favor", "resume", 11, None), ("ativa o 22 de novo", "resume", 22, None),
    ("tira a pausa do produto 5", "resume", 5, None), ("coloca o 9 à venda outra vez", "resume", 9, None),
    # de
    ("produkt 15 kostet jetzt 80", "price", 15, Decimal("80")),
    ("preis von 24 soll 1.200 sein", "price", 24, Decimal("1200")),
    ("menge von artikel 26 auf 50", "stock", 26, Decimal("50")),
    ("produkt 8 nachgefüllt, hab jetzt 30", "stock", 8, Decimal("30")),
    ("deaktivier den 19, hab keine mehr", "pause", 19, None), ("3 ist ausverkauft, pausier das", "pause", 3, None),
    ("artikel 9 vorübergehend ausblenden", "pause", 9, None),
    ("nimm produkt 16 vorerst aus dem shop", "pause", 16, None),
    ("reaktivier die 22", "resume", 22, None), ("hab wieder ware vom 6, aktivier es", "resume", 6, None),
    ("pause bei produkt 5 aufheben", "resume", 5, None),
    ("produkt 30 wieder im shop anzeigen", "resume", 30, None),
    # fr
    ("le produit 15 coûte maintenant 80", "price", 15, Decimal("80")),
    ("salut, le prix de l'article 40 passe à 75 $", "price", 40, Decimal("75")),
    ("quantité du produit 26 à 50", "stock", 26, Decimal("50")),
    ("j'ai réapprovisionné le produit 8, j'en ai 30", "stock", 8, Decimal("30")),
    ("désactive l'annonce 28 pour la fin de semaine", "pause", 28, None),
    ("masque l'annonce 15, y en a plus", "pause", 15, None),
    ("cacher le produit 9 temporairement", "pause", 9, None),
    ("n’affiche plus le produit 10", "pause", 10, None),
    ("réactive le #11 stp", "resume", 11, None), ("reactiver l'annonce 23", "resume", 23, None),
    ("enlève la pause du produit 5", "resume", 5, None), ("remettre le 9 en vente", "resume", 9, None),
    # it
    ("il prodotto 15 ora costa 80", "price", 15, Decimal("80")),
    ("prezzo articolo 20: 14,99", "price", 20, Decimal("14.99")),
    ("cambia la quantità del 17 a 6", "stock", 17, Decimal("6")),
    ("ho rifornito il prodotto 8, ne ho 30", "stock", 8, Decimal("30")),
    ("nascondi l'annuncio 7", "pause", 7, None), ("il 35 è finito, sospendilo", "pause", 35, None),
    ("non mostrare più il prodotto 10", "pause", 10, None),
    ("togli il prodotto 16 dal negozio per adesso", "pause", 16, None),
    ("riattivalo, articolo 6", "resume", 6, None), ("rimetti online il prodotto 7", "resume", 7, None),
    ("togli la pausa al prodotto 5", "resume", 5, None), ("mostra di nuovo il prodotto 30", "resume", 30, None),
    # nb
    ("produkt 15 koster nå 80", "price", 15, Decimal("80")),
    ("kan du sette prisen på annonsen 11 til 120 kr", "price", 11, Decimal("120")),
    ("endre beholdningen på 17 til 6", "stock", 17, Decimal("6")),
    ("beholdning på vare 12 er 8", "stock", 12, Decimal("8")),
    ("skjul vare 9 midlertidig", "pause", 9, None), ("deaktiver 19, har ikke flere", "pause", 19, None),
    ("ikke vis produkt 10 lenger", "pause", 10, None),
    ("ta produkt 16 ut av butikken foreløpig", "pause", 16, None),
    ("reaktiver 22", "resume", 22, None), ("gjør produkt 8 aktiv igjen", "resume", 8, None),
    ("fjern pausen på produkt 5", "resume", 5, None), ("sett 9 til salgs igjen", "resume", 9, None),
    # zh
    ("15号商品现在卖80", "price", 15, Decimal("80")), ("把9号降价到45", "price", 9, Decimal("45")),
    ("21号商品涨价到320", "price", 21, Decimal("320")), ("30号改价12.5", "price", 30, Decimal("12.5")),
    ("20號商品價格改成149", "price", 20, Decimal("149")),
    ("8号补货了，现在有30件", "stock", 8, Decimal("30")), ("31号存货15件", "stock", 31, Decimal("15")),
    ("把9号暂时隐藏", "pause", 9, None), ("别再显示10号商品了", "pause", 10, None), ("19号没有了，下架", "pause", 19, None),
    ("取消5号商品的暂停", "resume", 5, None), ("9号重新开始卖", "resume", 9, None), ("恢復12號商品", "resume", 12, None),
])
def test_product_changes_in_each_language(text: str, change: str, product: int, value: Decimal | None) -> None:
    assert change_in(text) == change
    assert product_and_value(text) == (product, value)


@pytest.mark.parametrize(("text", "product", "total", "added"), [
    ("i have 20 more of item 5", 5, None, 20), ("20 more for 5", 5, None, 20),
    ("tenho mais 20 unidades do produto 5", 5, None, 20), ("hab 20 stück mehr von produkt 5", 5, None, 20),
    ("j'en ai 20 de plus du produit 5", 5, None, 20), ("ne ho 20 in più del prodotto 5", 5, None, 20),
    ("har 20 til av produkt 5", 5, None, 20), ("5号商品又到了20件", 5, None, 20),
    ("tengo 20 más del producto 5, ahora son 25", 5, Decimal("25"), None),
    ("me llegaron 10 del producto 13, stock 12", 13, Decimal("12"), None),
    ("10 stück vom produkt 13 sind gekommen, lager 12", 13, Decimal("12"), None),
    ("13号到了10件，库存12", 13, Decimal("12"), None),
])
def test_more_stock_is_an_increase_not_the_new_stock(text: str, product: int, total: Decimal | None,
                                                     added: int | None) -> None:
    """'20 more' never becomes the stock itself: the new total when named, else the increase."""
    assert change_in(text) == "stock"
    assert product_and_value(text) == (product, total)
    assert stock_added(text) == added


@pytest.mark.parametrize("text", [
    "edit product 12", "editar producto 12", "produkt 12 bearbeiten", "modifier le produit 12", "修改12号商品",
    "change something", "sold out 4",
])
def test_no_change_named_is_unclear(text: str) -> None:
    assert change_in(text) is None


def edit_product_examples(language: str) -> list[str]:
    """The `edit_product` training examples of one language, entity annotations taken out."""
    nlu = yaml.safe_load((REPO_ROOT / "data" / "nlu" / f"{language}.yml").read_text(encoding="utf-8"))["nlu"]
    [block] = [b for b in nlu if b.get("intent") == "edit_product"]
    lines = [line.strip()[2:] for line in block["examples"].splitlines() if line.strip().startswith("- ")]
    return [re.sub(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})", r"\1", line) for line in lines]


def read_fully(text: str) -> bool:
    """A change and a product, and for price or stock the new value (or how many more arrived)."""
    change = change_in(text)
    product, value = product_and_value(text)
    if change is None or product is None:
        return False
    if change in ("pause", "resume") or value is not None:
        return True
    return change == "stock" and stock_added(text) is not None


def test_edit_product_training_examples_are_read_in_every_language() -> None:
    """Each language's sellers are understood, and at least 95 % of all 480-odd examples overall."""
    unread: dict[str, list[str]] = {}
    total = 0
    for language in LANGUAGES:
        examples = edit_product_examples(language)
        assert len(examples) >= 50, language
        total += len(examples)
        unread[language] = [text for text in examples if not read_fully(text)]
        assert len(unread[language]) <= 0.1 * len(examples), (language, unread[language])
    missed = sum(len(texts) for texts in unread.values())
    assert missed <= 0.05 * total, unread


@pytest.mark.parametrize(("text", "order", "carrier", "tracking"), [
    ("order 45 shipped with Posten LA123NO", 45, "Posten", "LA123NO"),
    ("shipped LA123456789NO for order 45 via Bring", 45, "Bring", "LA123456789NO"),
    ("pedido #45 enviado con Correos PQ4F6P0702345670128000", 45, "Correos", "PQ4F6P0702345670128000"),
    ("Bestellung Nr. 45 mit DHL 00340434161094042557 verschickt", 45, "DHL", "00340434161094042557"),
    ("commande 45 expédiée avec Speedy Courier AB12345CD", 45, "Speedy Courier", "AB12345CD"),
    ("订单45已用顺丰发货 SF1234567890", 45, "顺丰", "SF1234567890"),
    ("order 45 is shipped", 45, None, None),
    ("shipped with DHL 00340434161094042557", None, "DHL", "00340434161094042557"),
])
def test_shipping_details(text: str, order: int | None, carrier: str | None, tracking: str | None) -> None:
    assert order_number(text) == order
    assert tracking_in(text, order) == tracking
    assert carrier_in(text, tracking) == carrier


def test_categories_languages_and_currencies_by_name() -> None:
    assert [category_in(t) for t in ("Ropa", "服装", "Kitchen", "Bijoux", "shoes")] == [
        "clothing", "clothing", "kitchen", "jewelry", None]
    assert [language_in(t) for t in ("Deutsch", "noruego", "中文", "nb", "Norsk bokmål", "klingon")] == [
        "de", "nb", "zh", "nb", "nb", None]
    assert [currency_in(t) for t in ("nok", "corona noruega", "Euro", "xyz")] == ["NOK", "NOK", "EUR", None]
