import pytest

from nlu.number_words import parse_chinese_numeral, parse_digits, parse_number


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("two", "en", 2),
        ("a dozen", "en", 12),
        ("half a dozen", "en", 6),
        ("media docena", "es", 6),
        ("meia duzia", "pt", 6),
        ("ein halbes Dutzend", "de", 6),
        ("une demi-douzaine", "fr", 6),
        ("demi-douzaine", "fr", 6),
        ("mezza dozzina", "it", 6),
        ("et halvt dusin", "nb", 6),
        ("半打", "zh", 6),
        ("two dozen", "en", 24),
        ("twenty-one", "en", 21),
        ("five hundred", "en", 500),
        ("dos", "es", 2),
        ("treinta y dos", "es", 32),
        ("un par", "es", 2),
        ("dois", "pt", 2),
        ("vinte e duas", "pt", 22),
        ("trezentos", "pt", 300),
        ("zwei", "de", 2),
        ("zweiundzwanzig", "de", 22),
        ("dreihundert", "de", 300),
        ("fünf", "de", 5),
        ("deux", "fr", 2),
        ("quatre-vingt-dix", "fr", 90),
        ("soixante-dix-sept", "fr", 77),
        ("due", "it", 2),
        ("ventitré", "it", 23),
        ("ventuno", "it", 21),
        ("to", "nb", 2),
        ("tjuefem", "nb", 25),
        ("åtte", "nb", 8),
        ("两个", "zh", 2),
        ("十二", "zh", 12),
        ("三件", "zh", 3),
    ],
)
def test_number_words_in_eight_languages_become_ints(text, language, expected):
    assert parse_number(text, language) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.299,50", 1299.5), ("1,299.50", 1299.5), ("1.500", 1500), ("2.5", 2.5), ("50 euros", 50), ("2k", 2000), ("3千", 3000)],
)
def test_digit_groups_understand_both_decimal_conventions(text, expected):
    assert parse_digits(text) == expected


def test_chinese_numerals_with_units():
    assert parse_chinese_numeral("一千五百") == 1500
    assert parse_chinese_numeral("两百") == 200


def test_words_that_are_not_numbers_give_none():
    assert parse_number("zapatos", "es") is None
    assert parse_number("", "en") is None
