"""Entity post-processing: normalised values for DIET's entities plus rule-based
currency, country and order-id extraction.

Works on plain Rasa-style entity dicts ({"entity", "start", "end", "value", ...})
so it is testable without Rasa.
"""

from __future__ import annotations

import re
from typing import Any

from nlu.countries import find_countries, normalize_country
from nlu.currency import find_currencies, normalize_currency
from nlu.number_words import parse_number

NUMERIC = ("quantity", "max_price")
EXTRACTOR = "EntityNormalizer"
_ORDER_ID = re.compile(r"(?:#\s*)?(?<![\d.,])(\d{5,})(?![\d.,]*\d)")
#: intents where a number next to a currency is the buyer's price limit
PRICE_INTENTS = {"search_product", "add_to_cart"}


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("start") is None or b.get("start") is None:
        return False  # e.g. the "language" entity has no span
    return a["start"] < b["end"] and b["start"] < a["end"]


def _merge_adjacent(text: str, entities: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """DIET sometimes splits one span ("wine" + "glasses"); join same-type spans
    separated only by spaces or hyphens."""
    spans = sorted((e for e in entities if e.get("entity") == kind and e.get("start") is not None),
                   key=lambda e: e["start"])
    others = [e for e in entities if e not in spans]
    merged: list[dict[str, Any]] = []
    for entity in spans:
        if merged and not text[merged[-1]["end"]:entity["start"]].strip(" -"):
            last = dict(merged[-1])
            last["end"] = entity["end"]
            last["value"] = text[last["start"]:last["end"]]
            merged[-1] = last
        else:
            merged.append(dict(entity))
    return others + merged


def _order_id_value(raw: str) -> int | None:
    digits = re.sub(r"\D", "", raw)
    return int(digits) if digits else None


def normalize_entities(
    text: str,
    entities: list[dict[str, Any]],
    language: str | None = None,
    intent: str | None = None,
) -> list[dict[str, Any]]:
    """Return a new entity list with normalised values.

    * quantity / max_price -> int or float ("dos" -> 2, "1.299,50" -> 1299.5);
      dropped when no number can be read.
    * order_id -> int (digits only); plus any 5+ digit number not claimed by
      another entity.
    * currency -> ISO 4217, country -> ISO 3166-1 alpha-2, found by dictionary
      over Babel names (DIET is not trained on them).
    """
    result: list[dict[str, Any]] = []
    for entity in _merge_adjacent(text, entities, "product"):
        entity = dict(entity)
        kind = entity.get("entity")
        start, end = entity.get("start"), entity.get("end")
        span = text[start:end] if start is not None and end is not None else str(entity.get("value", ""))
        if kind in NUMERIC:
            value = parse_number(span, language)
            if value is None:
                value = parse_number(str(entity.get("value", "")), language)
            if value is None:
                continue
            entity["value"] = value
        elif kind == "order_id":
            value = _order_id_value(span)
            if value is None:
                continue
            entity["value"] = value
        elif kind == "currency":
            code = normalize_currency(span, language)
            if code is None:
                continue
            entity["value"] = code
        elif kind == "country":
            code = normalize_country(span, language)
            if code is None:
                continue
            entity["value"] = code
        elif kind == "product":
            entity["value"] = span.strip(" ,.;:!?¿¡\"'")
            if not entity["value"]:
                continue
        if entity is not None and kind != "language":
            entity.setdefault("processors", [])
            if EXTRACTOR not in entity["processors"] and entity.get("extractor") != EXTRACTOR:
                entity["processors"] = list(entity["processors"]) + [EXTRACTOR]
        result.append(entity)

    def add(kind: str, start: int, end: int, value: Any, confidence: float = 1.0) -> dict[str, Any] | None:
        candidate = {"entity": kind, "start": start, "end": end, "value": value}
        if any(e["entity"] == kind and _overlaps(e, candidate) for e in result if "start" in e):
            return None
        # a currency/country word is not part of a product name
        for other in result:
            if other.get("entity") == "product" and _overlaps(other, candidate) and kind in ("currency", "country"):
                if other["start"] >= start and other["end"] <= end:
                    result.remove(other)
        candidate.update({"confidence_entity": confidence, "extractor": EXTRACTOR})
        result.append(candidate)
        return candidate

    currencies = find_currencies(text, language)
    for match in currencies:
        add("currency", match.start, match.end, match.value)
    for match in find_countries(text, language):
        add("country", match.start, match.end, match.value)

    numeric_spans = [e for e in result if e.get("entity") in NUMERIC + ("order_id",) and "start" in e]
    for m in _ORDER_ID.finditer(text):
        candidate = {"start": m.start(1), "end": m.end(1)}
        if not any(_overlaps(e, candidate) for e in numeric_spans):
            add("order_id", m.start(1), m.end(1), int(m.group(1)))

    if intent in PRICE_INTENTS and not any(e.get("entity") == "max_price" for e in result):
        for match in currencies:
            number = _number_next_to(text, match.start, match.end)
            if number:
                n_start, n_end, value = number
                candidate = {"start": n_start, "end": n_end}
                if not any(_overlaps(e, candidate) for e in result if e.get("entity") != "currency"):
                    add("max_price", n_start, n_end, value)
                    break
    result.sort(key=lambda e: (e.get("start", -1), e.get("end", -1)))
    return result


_NUMBER_BEFORE = re.compile(r"(\d+(?:[.,]\d+)*)\s*$")
_NUMBER_AFTER = re.compile(r"^\s*(\d+(?:[.,]\d+)*)")


def _number_next_to(text: str, start: int, end: int) -> tuple[int, int, Any] | None:
    before = _NUMBER_BEFORE.search(text[:start])
    if before:
        value = parse_number(before.group(1))
        if value is not None:
            return before.start(1), before.end(1), value
    after = _NUMBER_AFTER.search(text[end:])
    if after:
        value = parse_number(after.group(1))
        if value is not None:
            return end + after.start(1), end + after.end(1), value
    return None
