"""The marketplace's refusals said in the person's language, from the code and values it sends.

The marketplace answers a refused request with `{"detail": <English>, "code": ..., "params": {...}}`;
codes listed here are told in the conversation's language, anything else falls back to the English
detail inside a localised sentence.
"""

from __future__ import annotations

from babel import Locale
from babel.core import UnknownLocaleError

from actions.texts import STATUS, in_language

REFUSALS: dict[str, dict[str, str]] = {
    "out_of_stock": {
        "en": "product #{product} is sold out or has fewer than {quantity} left.",
        "es": "el producto #{product} está agotado o quedan menos de {quantity}.",
        "pt": "o produto #{product} esgotou ou restam menos de {quantity}.",
        "de": "Produkt #{product} ist ausverkauft oder es sind weniger als {quantity} übrig.",
        "fr": "le produit n° {product} est épuisé ou il en reste moins de {quantity}.",
        "it": "il prodotto #{product} è esaurito o ne restano meno di {quantity}.",
        "nb": "vare #{product} er utsolgt, eller det er færre enn {quantity} igjen.",
        "zh": "商品 #{product} 已售罄或库存少于 {quantity} 件。"},
    "only_left": {
        "en": "only {left} left of product #{product}.", "es": "solo quedan {left} del producto #{product}.",
        "pt": "só restam {left} do produto #{product}.", "de": "von Produkt #{product} sind nur noch {left} da.",
        "fr": "il ne reste que {left} exemplaire(s) du produit n° {product}.",
        "it": "del prodotto #{product} ne restano solo {left}.", "nb": "det er bare {left} igjen av vare #{product}.",
        "zh": "商品 #{product} 只剩 {left} 件。"},
    "not_available": {
        "en": "product #{product} is not available any more.", "es": "el producto #{product} ya no está disponible.",
        "pt": "o produto #{product} não está mais disponível.", "de": "Produkt #{product} ist nicht mehr erhältlich.",
        "fr": "le produit n° {product} n'est plus disponible.", "it": "il prodotto #{product} non è più disponibile.",
        "nb": "vare #{product} er ikke lenger tilgjengelig.", "zh": "商品 #{product} 已下架。"},
    "quantity_range": {
        "en": "the quantity must be between 1 and {max}.", "es": "la cantidad debe estar entre 1 y {max}.",
        "pt": "a quantidade deve estar entre 1 e {max}.", "de": "die Menge muss zwischen 1 und {max} liegen.",
        "fr": "la quantité doit être comprise entre 1 et {max}.", "it": "la quantità deve essere tra 1 e {max}.",
        "nb": "antallet må være mellom 1 og {max}.", "zh": "数量必须在 1 到 {max} 之间。"},
    "cart_empty": {
        "en": "your cart is empty.", "es": "tu carrito está vacío.", "pt": "seu carrinho está vazio.",
        "de": "dein Warenkorb ist leer.", "fr": "ton panier est vide.", "it": "il carrello è vuoto.",
        "nb": "handlekurven din er tom.", "zh": "你的购物车是空的。"},
    "no_shipping": {
        "en": "we don't ship to {country_name} yet.", "es": "todavía no enviamos a {country_name}.",
        "pt": "ainda não enviamos para {country_name}.", "de": "nach {country_name} liefern wir noch nicht.",
        "fr": "nous ne livrons pas encore vers {country_name}.", "it": "non spediamo ancora in {country_name}.",
        "nb": "vi sender ikke til {country_name} ennå.", "zh": "我们暂时还不能寄往{country_name}。"},
    "order_state": {
        "en": "order #{order} is {status_name}, so that can't be done now.",
        "es": "el pedido #{order} está {status_name}, así que ahora no se puede.",
        "pt": "o pedido #{order} está {status_name}, então agora não dá.",
        "de": "Bestellung #{order} ist {status_name}, das geht jetzt nicht mehr.",
        "fr": "la commande n° {order} est {status_name}, ce n'est plus possible.",
        "it": "l'ordine #{order} è {status_name}, quindi ora non si può.",
        "nb": "ordre #{order} er {status_name}, så det går ikke nå.",
        "zh": "订单 #{order} 当前状态为{status_name}，现在无法这样操作。"},
    "order_changed": {
        "en": "order #{order} changed meanwhile; please try again.",
        "es": "el pedido #{order} cambió mientras tanto; inténtalo de nuevo.",
        "pt": "o pedido #{order} mudou nesse meio-tempo; tente de novo.",
        "de": "Bestellung #{order} hat sich inzwischen geändert; bitte versuch es noch einmal.",
        "fr": "la commande n° {order} a changé entre-temps ; réessaie.",
        "it": "l'ordine #{order} è cambiato nel frattempo; riprova.",
        "nb": "ordre #{order} ble endret i mellomtiden; prøv igjen.",
        "zh": "订单 #{order} 刚刚有变动，请重试。"},
}


def _country_name(code: str, language: str) -> str:
    try:
        return Locale.parse(language).territories.get(code.upper(), code)
    except (UnknownLocaleError, ValueError):
        return code


def refusal(code: str | None, params: dict[str, str] | None, language: str) -> str | None:
    """The refusal in `language`, or None when the code is unknown (or its values are missing)."""
    variants = REFUSALS.get(code or "")
    if variants is None:
        return None
    values = dict(params or {})
    if "country" in values:
        values["country_name"] = _country_name(values["country"], language)
    if "status" in values:
        values["status_name"] = STATUS.get(values["status"], {}).get(language, values["status"])
    try:
        return in_language(variants, language).format(**values)
    except KeyError:
        return None
