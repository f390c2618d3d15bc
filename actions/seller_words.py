"""Reading what a seller wrote, in any of the eight languages: periods ("this week", "本月"), amounts
("1.450,50 kr"), product changes ("set price of 12 to 450", "pause product 12"), carriers and
tracking numbers ("order 45 shipped with Posten LA123NO"), categories and language names."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.numbers import get_currency_name

from actions.texts import LANGUAGES

# Phrases are matched on lower-cased text: as whole words for alphabetic scripts, as they are for Chinese.
# No bare "mes": in French it means "my" ("mes ventes d'aujourd'hui").
PERIODS: dict[str, tuple[str, ...]] = {
    "today": ("today", "hoy", "hoje", "heute", "aujourd'hui", "aujourd’hui", "oggi", "i dag", "idag",
              "today's", "今天", "今日", "本日"),
    "week": ("this week", "week", "weekly", "esta semana", "la semana", "semana", "essa semana",
             "nesta semana", "desta semana", "diese woche", "dieser woche", "diesen woche", "woche",
             "cette semaine", "semaine", "questa settimana", "settimana", "denne uken", "denne uka",
             "denne veka", "i uke", "uken", "uka", "本周", "这周", "这个星期", "这星期", "本星期", "这一周"),
    "month": ("this month", "month", "monthly", "este mes", "el mes", "del mes", "este mês", "neste mês",
              "deste mês", "mês", "diesen monat", "dieser monat", "diesem monat", "monat", "ce mois",
              "mois", "questo mese", "mese", "denne måneden", "denne måned", "i måned", "måneden",
              "本月", "这个月", "这月", "本月份"),
}
DEFAULT_PERIOD = "week"


def _has(text: str, phrase: str) -> bool:
    """Whether `phrase` occurs in `text`: as a whole word, or anywhere for Chinese (no spaces between words)."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in phrase):
        return phrase in text
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def period_in(text: str | None) -> str:
    """'today', 'week' or 'month' from the message (the first named wins); 'week' when none is named."""
    lowered = (text or "").casefold()
    found = [(lowered.find(p), name) for name, phrases in PERIODS.items() for p in phrases if _has(lowered, p)]
    return min(found)[1] if found else DEFAULT_PERIOD


def period_dates(period: str, today: date) -> tuple[date, date]:
    """First and last day of the period that contains `today` (weeks start on Monday)."""
    if period == "today":
        return today, today
    if period == "month":
        return today.replace(day=1), today
    return today - timedelta(days=today.weekday()), today


_NUMBER = re.compile(r"\d[\d\s.,'’]*")


def parse_amount(text: str | None) -> Decimal | None:
    """A positive amount from '450', '1.450,50', '1,450.50', '1 450 kr', 'NOK 99.9'; None if there is none."""
    amount = parse_number(text)
    return amount if amount is not None and amount > 0 else None


def parse_number(text: str | None) -> Decimal | None:
    """The first number written with digits, thousands and decimal separators read as people write them."""
    match = _NUMBER.search(str(text or ""))
    if match is None:
        return None
    raw = re.sub(r"[\s'’]", "", match.group()).rstrip(".,")
    if "," in raw and "." in raw:  # the last separator is the decimal one
        decimal_sep = "," if raw.rfind(",") > raw.rfind(".") else "."
        raw = raw.replace("." if decimal_sep == "," else ",", "").replace(decimal_sep, ".")
    elif "," in raw or "." in raw:
        sep = "," if "," in raw else "."
        head, _, tail = raw.rpartition(sep)
        # one separator followed by exactly three digits groups thousands ("1.450", "12,000"), not after a 0
        if raw.count(sep) > 1 or (len(tail) == 3 and head.strip("0") != ""):
            raw = raw.replace(sep, "")
        else:
            raw = head.replace(sep, "") + "." + tail
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def whole_number(text: str | None) -> int | None:
    """The first whole number written with digits ('8', '1 200', '1.200' → 1200, '-3' → -3), else None."""
    match = re.search(r"-?\d[\d\s.,'’]*", str(text or ""))
    if match is None:
        return None
    raw = re.sub(r"[\s.,'’]", "", match.group())
    return int(raw) if raw.lstrip("-").isdigit() else None


CHANGES: dict[str, tuple[str, ...]] = {  # checked in this order: "unpause" is a resume, "desactivar" a pause
    "resume": ("resume", "unpause", "reactivate", "activate", "reanudar", "reactivar", "activar", "retomar",
               "reativar", "ativar", "fortsetzen", "reaktivieren", "aktivieren", "reprendre", "réactiver",
               "riprendi", "riprendere", "riattiva", "riattivare", "gjenoppta", "aktiver", "aktivere",
               "恢复", "重新上架", "上架", "取消暂停"),
    "pause": ("pause", "hide", "deactivate", "pausar", "pausa", "ocultar", "desactivar", "desativar",
              "pausieren", "deaktivieren", "verstecken", "mettre en pause", "désactiver", "masquer",
              "sospendi", "sospendere", "metti in pausa", "disattiva", "sett på pause", "skjul",
              "deaktiver", "暂停", "下架", "隐藏"),
    "price": ("price", "cost", "precio", "preço", "preco", "preis", "prix", "prezzo", "pris", "价格", "价钱",
              "售价", "定价"),
    "stock": ("stock", "inventory", "quantity", "existencias", "inventario", "estoque", "bestand",
              "lagerbestand", "lager", "vorrat", "scorte", "giacenza", "magazzino", "quantità",
              "beholdning", "på lager", "库存", "存货", "数量"),
}
_PRODUCT_MARK = re.compile(
    r"(?:#|(?<!\w)(?:product|producto|produto|produkt|produit|prodotto|listing|artikel|article|articolo|"
    r"annonce|anuncio|anúncio|vare|商品|产品)(?:\s*(?:no\.?|nr\.?|nº|n°|#))?)\s*$")


def change_in(text: str | None) -> str | None:
    """Which change a seller asks for: 'resume', 'pause', 'price' or 'stock' (None when unclear)."""
    lowered = (text or "").casefold()
    return next((name for name, words in CHANGES.items() if any(_has(lowered, w) for w in words)), None)


def product_and_value(text: str | None) -> tuple[int | None, Decimal | None]:
    """The product number and the new value: 'set price of 12 to 450', 'precio 450 para el producto 12',
    'pause #12', '把12号商品的价格改成450'. The marked number (#12, product 12, 12号) is the product,
    else the first; the value is the last other number."""
    lowered = (text or "").casefold()
    numbers = list(re.finditer(r"\d+(?:[.,]\d+)*", lowered))
    if not numbers:
        return None, None
    product = next((m for m in numbers if _PRODUCT_MARK.search(lowered[:m.start()])
                    or lowered[m.end():].startswith("号")), numbers[0])
    others = [m for m in numbers if m is not product]
    value = parse_number(others[-1].group()) if others else None
    return (int(product.group()) if product.group().isdigit() else None), value


CARRIERS = ("Posten", "Bring", "PostNord", "DHL", "UPS", "FedEx", "USPS", "TNT", "DPD", "GLS", "Hermes",
            "Correos", "CTT", "Correios", "Deutsche Post", "La Poste", "Colissimo", "Chronopost",
            "Poste Italiane", "BRT", "SDA", "Royal Mail", "Canada Post", "China Post", "EMS", "SF Express",
            "Swiss Post", "Die Post", "PostNL", "Andreani", "OCA", "Correo Argentino", "Serpost", "Olva",
            "Chilexpress", "Vietnam Post", "Posta Kenya", "Japan Post", "Aramex", "YunExpress", "Cainiao",
            "Estafeta", "顺丰", "中国邮政", "京东物流", "圆通", "中通", "韵达")
_VIA = r"(?:with|via|by|through|con|por|com|pela|pelo|mit|per|über|avec|par|med|via|用|通过|经)"
_TRACKING = re.compile(r"(?<![\w])(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{5,39}(?![\w])")


def tracking_in(text: str | None, order_id: int | None = None) -> str | None:
    """A tracking number: letters with digits (LA123456789NO, 1Z999AA10123456784) or 10+ digits."""
    for match in _TRACKING.finditer(str(text or "")):
        token = match.group()
        if token.isdigit() and (len(token) < 10 or (order_id is not None and int(token) == order_id)):
            continue
        if any(ch.isalpha() for ch in token) or token.isdigit():
            return token.upper()
    return None


def carrier_in(text: str | None, tracking: str | None = None) -> str | None:
    """A known carrier's name, else the word(s) after 'with/con/mit/avec/med/…' (not the tracking number)."""
    raw = str(text or "")
    lowered = raw.casefold()
    for name in sorted(CARRIERS, key=len, reverse=True):
        if _has(lowered, name.casefold()):
            return name
    match = re.search(rf"(?<![\w]){_VIA}\s+([^\d\s,.;:]+(?:\s+[^\d\s,.;:]+)?)", raw, re.IGNORECASE)
    if match is None:
        return None
    words = [w for w in match.group(1).split() if not tracking or w.upper() != tracking]
    return " ".join(words) or None


CATEGORIES: dict[str, dict[str, str]] = {
    "clothing": {"en": "Clothing", "es": "Ropa", "pt": "Roupas", "de": "Kleidung", "fr": "Vêtements",
                 "it": "Abbigliamento", "nb": "Klær", "zh": "服装"},
    "accessories": {"en": "Accessories", "es": "Accesorios", "pt": "Acessórios", "de": "Accessoires",
                    "fr": "Accessoires", "it": "Accessori", "nb": "Tilbehør", "zh": "配饰"},
    "jewelry": {"en": "Jewelry", "es": "Joyería", "pt": "Joias", "de": "Schmuck", "fr": "Bijoux",
                "it": "Gioielli", "nb": "Smykker", "zh": "首饰"},
    "home": {"en": "Home", "es": "Hogar", "pt": "Casa", "de": "Wohnen", "fr": "Maison", "it": "Casa",
             "nb": "Hjem", "zh": "家居"},
    "kitchen": {"en": "Kitchen", "es": "Cocina", "pt": "Cozinha", "de": "Küche", "fr": "Cuisine",
                "it": "Cucina", "nb": "Kjøkken", "zh": "厨房"},
    "food": {"en": "Food", "es": "Comida", "pt": "Comida", "de": "Lebensmittel", "fr": "Épicerie",
             "it": "Cibo", "nb": "Mat", "zh": "食品"},
    "drinks": {"en": "Drinks", "es": "Bebidas", "pt": "Bebidas", "de": "Getränke", "fr": "Boissons",
               "it": "Bevande", "nb": "Drikke", "zh": "饮品"},
    "crafts": {"en": "Crafts", "es": "Artesanía", "pt": "Artesanato", "de": "Handwerk", "fr": "Artisanat",
               "it": "Artigianato", "nb": "Håndverk", "zh": "手工艺"},
    "art": {"en": "Art", "es": "Arte", "pt": "Arte", "de": "Kunst", "fr": "Art", "it": "Arte", "nb": "Kunst",
            "zh": "艺术品"},
    "beauty": {"en": "Beauty", "es": "Belleza", "pt": "Beleza", "de": "Kosmetik", "fr": "Beauté",
               "it": "Bellezza", "nb": "Skjønnhet", "zh": "美妆"},
    "toys": {"en": "Toys", "es": "Juguetes", "pt": "Brinquedos", "de": "Spielzeug", "fr": "Jouets",
             "it": "Giocattoli", "nb": "Leker", "zh": "玩具"},
    "outdoor": {"en": "Outdoor", "es": "Aire libre", "pt": "Ar livre", "de": "Outdoor", "fr": "Plein air",
                "it": "Outdoor", "nb": "Friluft", "zh": "户外"},
}


def category_in(text: str | None) -> str | None:
    """A category key from its key or its name in any of the eight languages."""
    folded = (text or "").strip().casefold()
    for key, names in CATEGORIES.items():
        if folded == key or folded in (n.casefold() for n in names.values()):
            return key
    return None


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    names = {code: code for code in LANGUAGES}
    for locale in LANGUAGES:
        territory_names = Locale.parse(locale).languages
        for code in LANGUAGES:
            for key in (code, "no" if code == "nb" else code):
                if key in territory_names:
                    names[territory_names[key].casefold()] = code
        names.update({"norsk": "nb", "bokmål": "nb", "norwegian": "nb", "chinese": "zh", "中文": "zh",
                      "汉语": "zh", "普通话": "zh"})
    return names


def language_in(text: str | None) -> str | None:
    """One of the eight language codes from a code or a name ('Deutsch', 'noruego', '中文')."""
    return _language_names().get((text or "").strip().casefold())


def currency_in(text: str | None) -> str | None:
    """An ISO 4217 code from a code ('nok') or a currency name in any of the eight languages ('coronas noruegas')."""
    import pycountry

    folded = (text or "").strip().casefold()
    if len(folded) == 3 and folded.isalpha() and pycountry.currencies.get(alpha_3=folded.upper()):
        return folded.upper()
    return _currency_names().get(folded)


@lru_cache(maxsize=1)
def _currency_names() -> dict[str, str]:
    import pycountry

    names: dict[str, str] = {}
    for currency in pycountry.currencies:
        for locale in LANGUAGES:
            name = get_currency_name(currency.alpha_3, locale=locale)
            if name and name != currency.alpha_3:
                names.setdefault(name.casefold(), currency.alpha_3)
    return names


_ORDER_MARK = re.compile(
    r"(?:#|(?<!\w)(?:order|pedido|encomenda|bestellung|auftrag|commande|ordine|ordre|bestilling|订单)"
    r"(?:\s*(?:no\.?|nr\.?|nº|n°|#))?)\s*$")


def order_number(text: str | None) -> int | None:
    """The order meant in 'order 45 shipped with Posten LA123NO': the number after '#' or 'order'
    (in any of the eight languages), else the first number of at most nine digits standing on its own."""
    lowered = (text or "").casefold()
    numbers = [m for m in re.finditer(r"(?<![\w])\d+(?![\w])|(?<=订单)\d+|\d+(?=号)", lowered)
               if len(m.group()) <= 9]  # longer ones are tracking numbers
    if not numbers:
        return None
    marked = next((m for m in numbers if _ORDER_MARK.search(lowered[:m.start()])), numbers[0])
    return int(marked.group())
