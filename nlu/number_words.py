"""Numbers written as digits or as words in the eight languages -> int/float.

``parse_number("dos")`` -> 2, ``parse_number("zweiundzwanzig", "de")`` -> 22,
``parse_number("两个")`` -> 2, ``parse_number("1.299,50", "de")`` -> 1299.5.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlu.textnorm import fold

Number = int | float

# Values >= 100 are multipliers ("two hundred"); "pair" and "dozen" multiply too.
_MULTIPLIERS = {100, 1000, 1_000_000}

_WORDS: dict[str, dict[str, int]] = {
    "en": {
        "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
        "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
        "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
        "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40,
        "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
        "thousand": 1000, "million": 1_000_000, "couple": 2, "pair": 2, "dozen": 12,
    },
    "es": {
        "cero": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
        "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
        "trece": 13, "catorce": 14, "quince": 15, "dieciseis": 16, "diecisiete": 17,
        "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiun": 21, "veintiuno": 21,
        "veintiuna": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24,
        "veinticinco": 25, "veintiseis": 26, "veintisiete": 27, "veintiocho": 28,
        "veintinueve": 29, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60,
        "setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100,
        "doscientos": 200, "doscientas": 200, "trescientos": 300, "trescientas": 300,
        "cuatrocientos": 400, "quinientos": 500, "quinientas": 500, "seiscientos": 600,
        "setecientos": 700, "ochocientos": 800, "novecientos": 900, "mil": 1000,
        "millon": 1_000_000, "millones": 1_000_000, "par": 2, "docena": 12,
    },
    "pt": {
        "zero": 0, "um": 1, "uma": 1, "dois": 2, "duas": 2, "tres": 3, "quatro": 4,
        "cinco": 5, "seis": 6, "sete": 7, "oito": 8, "nove": 9, "dez": 10, "onze": 11,
        "doze": 12, "treze": 13, "catorze": 14, "quatorze": 14, "quinze": 15,
        "dezesseis": 16, "dezasseis": 16, "dezessete": 17, "dezassete": 17, "dezoito": 18,
        "dezenove": 19, "dezanove": 19, "vinte": 20, "trinta": 30, "quarenta": 40,
        "cinquenta": 50, "sessenta": 60, "setenta": 70, "oitenta": 80, "noventa": 90,
        "cem": 100, "cento": 100, "duzentos": 200, "duzentas": 200, "trezentos": 300,
        "quatrocentos": 400, "quinhentos": 500, "seiscentos": 600, "setecentos": 700,
        "oitocentos": 800, "novecentos": 900, "mil": 1000, "milhao": 1_000_000,
        "milhoes": 1_000_000, "par": 2, "duzia": 12,
    },
    "de": {
        "null": 0, "ein": 1, "eins": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1,
        "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "funf": 5, "fuenf": 5, "sechs": 6,
        "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwolf": 12, "zwoelf": 12,
        "dreizehn": 13, "vierzehn": 14, "funfzehn": 15, "fuenfzehn": 15, "sechzehn": 16,
        "siebzehn": 17, "achtzehn": 18, "neunzehn": 19, "zwanzig": 20, "dreißig": 30,
        "dreissig": 30, "vierzig": 40, "funfzig": 50, "fuenfzig": 50, "sechzig": 60,
        "siebzig": 70, "achtzig": 80, "neunzig": 90, "hundert": 100, "tausend": 1000,
        "million": 1_000_000, "paar": 2, "dutzend": 12,
    },
    "fr": {
        "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
        "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
        "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20,
        "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "quatrevingt": 80,
        "quatrevingts": 80, "septante": 70, "huitante": 80, "octante": 80, "nonante": 90,
        "cent": 100, "cents": 100, "mille": 1000, "million": 1_000_000, "paire": 2,
        "douzaine": 12,
    },
    "it": {
        "zero": 0, "un": 1, "uno": 1, "una": 1, "due": 2, "tre": 3, "quattro": 4,
        "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9, "dieci": 10, "undici": 11,
        "dodici": 12, "tredici": 13, "quattordici": 14, "quindici": 15, "sedici": 16,
        "diciassette": 17, "diciotto": 18, "diciannove": 19, "venti": 20, "vent": 20,
        "trenta": 30, "trent": 30, "quaranta": 40, "quarant": 40, "cinquanta": 50,
        "cinquant": 50, "sessanta": 60, "sessant": 60, "settanta": 70, "settant": 70,
        "ottanta": 80, "ottant": 80, "novanta": 90, "novant": 90, "cento": 100,
        "mille": 1000, "mila": 1000, "milione": 1_000_000, "paio": 2, "dozzina": 12,
    },
    "nb": {
        "null": 0, "en": 1, "ei": 1, "ett": 1, "et": 1, "to": 2, "tre": 3, "fire": 4,
        "fem": 5, "seks": 6, "sju": 7, "syv": 7, "atte": 8, "aatte": 8, "ni": 9, "ti": 10,
        "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14, "femten": 15,
        "seksten": 16, "sytten": 17, "atten": 18, "nitten": 19, "tjue": 20, "tyve": 20,
        "tretti": 30, "tredve": 30, "forti": 40, "femti": 50, "seksti": 60,
        "sytti": 70, "atti": 80, "aatti": 80, "nitti": 90, "hundre": 100, "tusen": 1000,
        "million": 1_000_000, "millioner": 1_000_000, "par": 2, "dusin": 12,
    },
}

#: Words that join parts of one number ("twenty and one", "treinta y dos").
_CONNECTORS = {
    "en": {"and"}, "es": {"y"}, "pt": {"e"}, "de": {"und"}, "fr": {"et"}, "it": {"e"},
    "nb": {"og"}, "zh": set(),
}
#: Small words that may sit inside a quantity span without being a number.
_FILLERS = {"of", "de", "di", "do", "da", "des", "du", "von", "av", "half"}

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
#: Chinese measure words that follow a numeral ("两个", "三件").
ZH_CLASSIFIERS = "个件台双只条瓶套盒部把本张包支块对副箱袋份"

_DIGITS_RE = re.compile(r"\d+(?:[.,']\d+)*")
_KILO_RE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*k$", re.I)


def _as_number(value: float) -> Number:
    return int(value) if float(value).is_integer() else value


def parse_digits(text: str, language: str | None = None) -> Number | None:
    """Parse the first digit group in ``text``, understanding "1.299,50" and "1,299.50"."""
    kilo = _KILO_RE.match(text.strip())
    match = _DIGITS_RE.search(text)
    if not match:
        return None
    raw = match.group(0).replace("'", "")
    if "." in raw and "," in raw:
        decimal = "." if raw.rfind(".") > raw.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        raw = raw.replace(thousands, "").replace(decimal, ".")
    else:
        for sep in (".", ","):
            if sep in raw:
                parts = raw.split(sep)
                if len(parts) > 2 or all(len(p) == 3 for p in parts[1:]):
                    raw = raw.replace(sep, "")  # thousands separator
                else:
                    raw = raw.replace(sep, ".")
    try:
        value = float(raw)
    except ValueError:
        return None
    if kilo:
        value *= 1000
    if re.search(r"\d\s*万", text):
        value *= 10000
    elif re.search(r"\d\s*千", text):
        value *= 1000
    return _as_number(value)


def parse_chinese_numeral(text: str) -> int | None:
    """"十二" -> 12, "两百" -> 200, "一千五百" -> 1500, "两个" -> 2."""
    chars = [c for c in text if c in _ZH_DIGITS or c in _ZH_UNITS]
    if not chars:
        return None
    total, section, digit = 0, 0, None
    for char in chars:
        if char in _ZH_DIGITS:
            digit = _ZH_DIGITS[char]
            continue
        unit = _ZH_UNITS[char]
        if unit == 10000:
            section = (section + (digit or 0)) * unit
            total += section
            section = 0
        else:
            section += (1 if digit is None else digit) * unit
        digit = None
    return total + section + (digit or 0)


@lru_cache(maxsize=None)
def _vocabulary(language: str | None) -> dict[str, int]:
    if language in _WORDS:
        vocab = dict(_WORDS["en"]) if language != "en" else {}
        # "a"/"an"/"to"/"et" are too ambiguous to borrow from another language
        for word in ("a", "an"):
            vocab.pop(word, None)
        vocab.update(_WORDS[language])
        return vocab
    vocab = {}
    for lang in reversed(list(_WORDS)):
        vocab.update(_WORDS[lang])
    return vocab


def _connectors(language: str | None) -> set[str]:
    if language in _CONNECTORS:
        return _CONNECTORS[language] | {"and"}
    return set().union(*_CONNECTORS.values())


def _segment(word: str, vocab: dict[str, int], joiners: set[str]) -> list[int] | None:
    """Split a compound ("zweiundzwanzig", "ventitre", "tjuefem") into known parts."""
    best: dict[int, list[int] | None] = {0: []}
    for end in range(1, len(word) + 1):
        options = []
        for start in range(max(0, end - 14), end):
            prefix = best.get(start)
            if prefix is None:
                continue
            piece = word[start:end]
            if piece in vocab:
                options.append(prefix + [vocab[piece]])
            elif piece in joiners:
                options.append(prefix)
        if options:
            best[end] = min(options, key=len)
    return best.get(len(word))


def _combine(values: list[int]) -> int:
    total, current = 0, 0
    for value in values:
        if value in _MULTIPLIERS:
            if value >= 1000:
                total += max(current, 1) * value
                current = 0
            else:
                current = max(current, 1) * value
        else:
            current += value
    return total + current


_HALF_DOZEN = re.compile(r"\b(?:half(?:\s+a)?|media|meia|halbes?|demi|mezza|halvt?)[\s-]+"
                         r"(?:dozen|docena|duzia|dutzend|douzaine|dozzina|dusin)\b")


def parse_number_words(text: str, language: str | None = None) -> int | None:
    """Parse number words ("twenty one", "treinta y dos", "quatre-vingt-dix", "meia duzia")."""
    folded = fold(text)
    folded = re.sub(r"quatre[\s-]+vingt", "quatrevingt", folded)
    folded = _HALF_DOZEN.sub(" halfdozen ", folded)
    vocab = _vocabulary(language)
    joiners = _connectors(language)
    values: list[int] = []
    seen_number = False
    for word in re.findall(r"[^\W\d_]+", folded):
        if word in joiners or word in _FILLERS:
            continue
        if word in ("pair", "par", "paar", "paire", "paio", "couple", "dozen", "docena",
                    "duzia", "dutzend", "douzaine", "dozzina", "dusin", "halfdozen"):
            # "a dozen" = 12, "two dozen" = 24, "un par" = 2, "une demi-douzaine" = 6
            factor = 6 if word == "halfdozen" else vocab.get(
                word, 12 if word.startswith(("doz", "duz", "dut", "dou", "dus")) else 2)
            base = values.pop() if values and values[-1] < 100 else 1
            values.append(base * factor)
            seen_number = True
            continue
        if word in vocab:
            values.append(vocab[word])
            seen_number = True
            continue
        parts = _segment(word, vocab, joiners) if len(word) > 4 else None
        if parts:
            values.extend(parts)
            seen_number = True
        elif seen_number:
            break  # "two iphones": stop at the first word that is not a number
    if not seen_number:
        return None
    return _combine(values)


def parse_number(text: str, language: str | None = None) -> Number | None:
    """Best-effort number from a span: digits first, then Chinese numerals, then words."""
    if not text or not text.strip():
        return None
    if re.search(r"\d", text):
        return parse_digits(text, language)
    if "半打" in text:
        return 6
    zh = parse_chinese_numeral(text)
    if zh is not None:
        return zh
    return parse_number_words(text, language)
