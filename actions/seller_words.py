"""Reading what a seller wrote, in any of the eight languages: periods ("this week", "本月"), amounts
("1.450,50 kr"), product changes ("set price of 12 to 450", "pause product 12"), carriers and
tracking numbers ("order 45 shipped with Posten LA123NO"), categories and language names."""

from __future__ import annotations

import re
import unicodedata
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


_TRADITIONAL = str.maketrans("價錢貨庫數號復顯隱暫銷賣漲設為編輯個單從這補產買減別啟開",
                             "价钱货库数号复显隐暂销卖涨设为编辑个单从这补产买减别启开")


def _fold(text: str | None) -> str:
    """Lower-cased, without accents ('réactive' → 'reactive', 'stück' → 'stuck'), ’ as ', full-width
    digits as digits and traditional Chinese as simplified ('價格' → '价格')."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").casefold().replace("’", "'").replace("‘", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_TRADITIONAL)


def _rules(*patterns: str) -> re.Pattern[str]:
    """One regex from word patterns: 'paus*' is a stem (pause, pausar, pausalo, pausieren), ' ~ ' skips
    up to 40 characters inside a clause, a space is any whitespace; Latin words stand whole, Chinese
    ones anywhere (no spaces between words)."""
    compiled = []
    for pattern in patterns:
        body = _fold(pattern).replace(" ~ ", "\0").replace("*", r"\w*").replace(" ", r"\s+")
        body = body.replace("\0", r"\s(?:[^,.;:!?\n]{0,40}?\s)?")
        latin = not any("\u4e00" <= ch <= "\u9fff" for ch in body)
        head = r"(?<!\w)" if latin and (body[0].isalpha() or body[0] in "('") else ""
        tail = r"(?!\w)" if latin and (body[-1] == ")" or body[-1].isalpha()) and not body.endswith(
            ("\\w", "\\d")) else ""
        compiled.append(head + body + tail)
    return re.compile("|".join(f"(?:{c})" for c in compiled))


# "20 more", "tenho mais 20 unidades", "又到了20件": how many arrived, which is not the new stock.
_ADDED = _rules(
    r"(\d+) (?:more|extra|new)", r"(?:got|received|another|add|added) (\d+)",  # en
    r"(\d+) (?:unidades )?(?:mas|de mas)", r"(?:llegaron|recibi*|agregu*|sume) (\d+)",  # es
    r"mais (\d+) (?:unidades?|pecas?|itens|do|da|de)", r"(\d+) (?:unidades )?a mais",  # pt
    r"(?:chegaram|recebi*) (\d+)",
    r"(\d+) (?:stuck )?(?:mehr|dazu)", r"(\d+) stuck ~ (?:gekommen|angekommen|geliefert)",  # de
    r"(\d+) (?:de plus|en plus)", r"(?:recu|rajoute) (\d+)",  # fr
    r"(\d+) in piu", r"(?:arrivat*|ricevut*|aggiunt*) (\d+)",  # it
    r"(\d+) (?:til av|flere|ekstra)", r"(?:fikk inn|fatt inn) (\d+)",  # nb
    r"(?:又到了|到了|又来了|来了|多了|补了|再加|增加|加了)(\d+)(?=件|个|份|套|只|台)")  # zh
_AGAIN = ("(?:again|otra vez|de nuevo|de novo|outra vez|novamente|wieder|a nouveau|de nouveau|di nuovo|igjen|"
          "pa nytt)")
_SHOW = "(?:show*|mostr*|muestr*|anzeig*|zeig*|affich*|vis|visible|visibile|synlig)"
# Checked tier by tier, the first tier that matches wins: "quita la pausa" resumes, "stop showing" pauses
# before "show … again" resumes, a pause wins over "stock" in "hide it till i restock", a named price or
# stock over a currency.
CHANGE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("resume", _rules(  # ending a pause
        "unpaus*", "un-paus*", "(?:remov*|end|lift*) (?:the )?pause", "despaus*",
        "(?:quit*|sac*) (?:la |de (?:la )?)?pausa", "(?:tir*|remov*|sai*) (?:a |da )?pausa",
        "pause ~ (?:aufheb*|beend*)", "entpausier*", "(?:enlev*|retir*|lev*) (?:la )?pause",
        "sort* de (?:la )?pause", "(?:togli*|rimuov*) (?:la )?pausa", "(?:fjern*|avslutt*|opphev*) pause*",
        "取消.{0,10}暂停", "解除暂停")),
    ("pause", _rules(  # no longer showing, off sale
        "stop showing", "(?:don't|do not|dont) show", "off (?:sale|the shop|the store|line)", "offline",
        "unlist*", "remov* ~ from (?:the |my )?(?:shop|store)",
        "no (?:lo |la )?(?:muestr*|mostr*)", "(?:sac*|quit*) ~ de (?:la )?(?:venta|tienda)",
        "nao (?:o |a )?mostr*", "tir* ~ da (?:loja|venda)",
        "nicht mehr (?:anzeig*|zeig*)", "nimm* ~ aus dem (?:shop|verkauf|sortiment)",
        "aus dem (?:shop|verkauf|sortiment) nehm*",
        "n'affich* plus", "ne plus affich*", "hors ligne", "retir* ~ de la (?:boutique|vente)",
        "non (?:lo |la )?mostr*", "togli* ~ (?:dal negozio|dalla vendita)",
        "ikke vis*", "ta ~ ut av (?:butikken|salg)", "fjern* ~ fra butikken",
        "别再显示", "不要显示", "不再显示", "不卖了", "先不卖", "停售", "停止销售")),
    ("resume", _rules(
        "resum*", "reactiv*", "activ*", "unhid*", "relist*", "back on", "online", "available", "visible",
        f"{_SHOW} ~ {_AGAIN}", f"{_AGAIN} ~ {_SHOW}",
        "reanud*", "retom*", "a la venta", "reativ*", "ativ*", "a venda",
        "fortsetz*", "reaktiv*", "aktiv*", "freischalt*", "freigeb*", "zum verkauf",
        "repren*", "reaffich*", "en ligne", "en vente", "riprend*", "riattiv*", "attiv*", "in vendita",
        "gjenoppt*", "fortsett*", "til salgs", "ut igjen",
        "恢复", "重新(?:上架|开始|显示|上线|开卖|销售)", "上架", "继续卖", "继续销售")),
    ("pause", _rules(
        "paus*", "hid*", "deactiv*", "disabl*", "invisib*", "unavailable", "ocult*", "desactiv*", "escond*",
        "desativ*", "inativ*", "deaktiv*", "inaktiv*", "versteck*", "ausblend*", "masqu*", "cach*", "suspend*",
        "sospend*", "disattiv*", "nascond*", "skjul*", "暂停", "下架", "隐藏")),
    ("price", _rules(
        "pric*", "cost*", "charg*", "precio*", "cuest*", r"vale \d", r"sale (?:a |por |en )?\d",
        "preco*", "(?:custa|custar|custam|custe|custo)", r"sai (?:a |por )?\d", "valor", "preis*", "kost*",
        "prix", "cout*", "tarif*", "se vend*", r"vend* (?:a|por|pour|per|for|til) \d", "prezz*", "pris*",
        r"selg* ~ for \d", "价", r"卖(?:到|成|价)?\d")),
    ("stock", _rules(
        "stock*", "restock*", "inventor*", "inventa*", "quantit*", "qty", "(?:unit|units)",
        "(?:piece|pieces)", "pcs", "left", "existenc*", "cantidad*", "unidad*", "repus*", "estoqu*",
        "quantidade*", "unidade*", "bestand*", "lager*", "vorrat*", "menge*", "stuck", "stk", "nachgef*",
        "aufgef*", "reapprovision*", "(?:unite|unites)", "scort*", "giacenz*", "magazzin*", "pezz*", "riforn*",
        "beholdning*", "antall*", "(?:fylt*|fylle*) pa", "库存", "存货", "数量", "补货", "补了", "进货", "到货",
        r"\d\s*(?:件|个)")),
    ("stock", _ADDED),
    ("price", _rules(  # an amount in a currency, when nothing else is named
        r"(?:kr|nok|sek|dkk|eur|euros?|usd|dollars?|pesos?|reais|real|francs?|franken|chf|gbp|yuan|rmb)",
        r"\d\s*(?:\$|€|£|¥|元|块)", r"(?:\$|€|£|¥)\s*\d")),
)
_PRODUCT_MARK = re.compile(_fold(
    r"(?:#|(?<!\w)(?:product|item|listing|producto|artículo|anuncio|publicación|produto|artigo|anúncio|"
    r"publicação|produkt|artikel|inserat|produit|article|annonce|prodotto|articolo|annuncio|produktet|vare|"
    r"varen|annonse|annonsen|商品|产品|货品)(?:\s*(?:number|no\.?|nr\.?|nº|n°|#|:))?)\s*$"))
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def change_in(text: str | None) -> str | None:
    """Which change a seller asks for: 'resume', 'pause', 'price' or 'stock' (None when unclear)."""
    folded = _fold(text)
    return next((change for change, rule in CHANGE_RULES if rule.search(folded)), None)


def _added_at(folded: str) -> dict[int, int]:
    """Where each 'N more' number starts, and N."""
    found = {}
    for match in _ADDED.finditer(folded):
        start, digits = next((match.start(i), g) for i, g in enumerate(match.groups(), 1) if g is not None)
        found[start] = int(digits)
    return found


def _read(text: str | None) -> tuple[int | None, Decimal | None, int | None]:
    """Product number, new value and 'N more' from a seller's message."""
    folded = _fold(text)
    added = _added_at(folded)
    numbers = list(_DIGITS.finditer(folded))
    plain = [m for m in numbers if m.start() not in added]
    marked = [m for m in numbers
              if _PRODUCT_MARK.search(folded[:m.start()]) or folded[m.end():].startswith("号")]
    product = (marked or plain or [None])[0]
    others = [m for m in plain if m is not product]
    value = parse_number(others[-1].group()) if others else None
    increases = [n for start, n in added.items() if product is None or start != product.start()]
    number = int(product.group()) if product is not None and product.group().isdigit() else None
    return number, value, increases[-1] if increases and value is None else None


def product_and_value(text: str | None) -> tuple[int | None, Decimal | None]:
    """The product number and the new value: 'set price of 12 to 450', 'precio 450 para el producto 12',
    'pause #12', '把12号商品的价格改成450', 'i have 20 more of item 5, 25 in all'. The marked number
    (#12, product/item/artículo 12, 12号) is the product, else the first; the value is the last other
    number that is not an increase ('20 more' is no new stock: 'i have 20 more of item 5' has no value)."""
    product, value, _ = _read(text)
    return product, value


def stock_added(text: str | None) -> int | None:
    """How many more the seller got when no new total is named: 'i have 20 more of item 5' → 20,
    'tenho mais 20 do produto 5' → 20; None when the message names the total ('…, now 25')."""
    return _read(text)[2]


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
