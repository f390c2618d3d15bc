import pytest

from nlu.language import detect_language
from nlu.languages import normalize_language_code


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("hi, I'm looking for cheap running shoes", "en"),
        ("hola, busco unas zapatillas baratas para correr", "es"),
        ("oi, estou procurando um tenis barato pra correr", "pt"),
        ("hallo, ich suche günstige laufschuhe", "de"),
        ("bonjour, je cherche des chaussures de course pas chères", "fr"),
        ("ciao, cerco delle scarpe da corsa economiche", "it"),
        ("hei, jeg ser etter billige løpesko", "nb"),
        ("你好，我想买便宜的跑步鞋", "zh"),
    ],
)
def test_detects_each_of_the_eight_languages(text, language):
    assert detect_language(text).language == language


def test_bokmal_is_reported_as_nb():
    assert detect_language("tusen takk for hjelpen").language == "nb"


def test_short_text_falls_back_to_previous_language():
    detection = detect_language("ok", previous_language="de")
    assert (detection.language, detection.source) == ("de", "previous")


def test_short_text_falls_back_to_telegram_language_code():
    detection = detect_language("si", telegram_code="it")
    assert (detection.language, detection.source) == ("it", "telegram")


def test_telegram_regional_codes_are_normalised():
    assert normalize_language_code("pt-BR") == "pt"
    assert normalize_language_code("no") == "nb"
    assert normalize_language_code("zh-hans") == "zh"
    assert normalize_language_code("ru") is None


def test_clear_short_word_beats_the_previous_language():
    assert detect_language("gracias", previous_language="de").language == "es"


def test_empty_text_uses_hints_or_english():
    assert detect_language("👍", telegram_code="fr").language == "fr"
    assert detect_language("👍").language == "en"


def test_other_languages_are_flagged_foreign():
    assert detect_language("Привет, хочу купить телефон").foreign == "ru"
    assert detect_language("ik wil graag een nieuwe telefoon kopen").foreign == "nl"
    assert detect_language("quiero comprar un telefono nuevo").foreign is None
