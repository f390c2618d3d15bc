from nlu.entities import normalize_entities


def by_type(entities):
    return {e["entity"]: e["value"] for e in entities}


def test_diet_spans_get_normalised_and_rule_entities_added():
    text = "quiero dos fundas de iphone por menos de 20 euros, envio a Noruega"
    diet = [
        {"entity": "quantity", "start": 7, "end": 10, "value": "dos"},
        {"entity": "product", "start": 11, "end": 27, "value": "fundas de iphone"},
        {"entity": "max_price", "start": 41, "end": 43, "value": "20"},
    ]
    result = by_type(normalize_entities(text, diet, "es", "search_product"))
    assert result == {"quantity": 2, "product": "fundas de iphone", "max_price": 20, "currency": "EUR", "country": "NO"}


def test_long_numbers_become_order_ids():
    assert by_type(normalize_entities("where is my order #123456789", [], "en")) == {"order_id": 123456789}


def test_price_next_to_currency_is_found_without_diet_for_searches():
    result = by_type(normalize_entities("我想买手机，500元以内，寄到阿根廷", [], "zh", "search_product"))
    assert result == {"max_price": 500, "currency": "CNY", "country": "AR"}


def test_unparseable_numeric_span_is_dropped():
    assert normalize_entities("some shoes", [{"entity": "quantity", "start": 0, "end": 4, "value": "some"}], "en") == []
