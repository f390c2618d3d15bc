import pytest

from nlu.countries import find_countries, normalize_country
from nlu.currency import find_currencies, normalize_currency


@pytest.mark.parametrize(
    ("text", "language", "code"),
    [
        ("dollars", "en", "USD"),
        ("$", "en", "USD"),
        ("£", "en", "GBP"),
        ("euros", "es", "EUR"),
        ("dolares", "es", "USD"),
        ("reais", "pt", "BRL"),
        ("R$", "pt", "BRL"),
        ("Franken", "de", "CHF"),
        ("Euro", "de", "EUR"),
        ("francs", "fr", "CHF"),
        ("couronnes", "fr", "NOK"),
        ("sterline", "it", "GBP"),
        ("dollari", "it", "USD"),
        ("kroner", "nb", "NOK"),
        ("kr", "nb", "NOK"),
        ("元", "zh", "CNY"),
        ("美元", "zh", "USD"),
        ("¥", "zh", "CNY"),
        ("¥", "en", "JPY"),
    ],
)
def test_currency_names_and_symbols_in_eight_languages_map_to_iso_4217(text, language, code):
    assert normalize_currency(text, language) == code


@pytest.mark.parametrize(
    ("text", "language", "code"),
    [
        ("Norway", "en", "NO"),
        ("Noruega", "es", "NO"),
        ("Suica", "pt", "CH"),
        ("Schweiz", "de", "CH"),
        ("Allemagne", "fr", "DE"),
        ("Germania", "it", "DE"),
        ("Sveits", "nb", "CH"),
        ("阿根廷", "zh", "AR"),
        ("EEUU", "es", "US"),
        ("japao", "pt", "JP"),
    ],
)
def test_country_names_in_eight_languages_map_to_alpha2(text, language, code):
    assert normalize_country(text, language) == code


def test_currency_found_in_running_text_with_offsets():
    text = "quiero un iphone por menos de 500 euros"
    [match] = find_currencies(text, "es")
    assert (text[match.start:match.end], match.value) == ("euros", "EUR")


def test_measure_word_yuan_only_counts_after_a_number():
    assert [m.value for m in find_currencies("我想要500元以下的手机", "zh")] == ["CNY"]
    assert find_currencies("元旦快乐", "zh") == []


def test_everyday_words_are_not_countries_unless_capitalised():
    assert find_countries("I want a turkey and a jersey", "en") == []
    assert [m.value for m in find_countries("ship from Turkey?", "en")] == ["TR"]


def test_countries_found_in_running_text():
    found = find_countries("kan dere sende til Sverige og Danmark", "nb")
    assert [m.value for m in found] == ["SE", "DK"]
