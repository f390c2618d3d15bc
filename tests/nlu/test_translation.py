import time

import pytest

from nlu.translation import CircuitBreaker, MemoryBackend, TranslationMemory, Translator, TranslatorSettings

from .translation_server import StandInTranslator, closed_port_url

PHRASES = {"где мой заказ": "where is my order"}


def make_translator(url: str, tmp_path, **overrides) -> Translator:
    settings = TranslatorSettings(
        provider="libre", url=url, api_key="test-key", timeout=overrides.pop("timeout", 2.0),
        cache_path=str(tmp_path / "tm.sqlite3"), failure_threshold=overrides.pop("failure_threshold", 2),
        reset_after=overrides.pop("reset_after", 60.0),
    )
    return Translator(settings)


def test_libre_translator_over_real_http_translates(tmp_path):
    with StandInTranslator(PHRASES) as server:
        result = make_translator(server.url, tmp_path).translate("где мой заказ", source="ru", target="en")
    assert (result.text, result.translated, result.cached) == ("where is my order", True, False)
    assert server.requests[0]["path"] == "/translate"
    assert (server.requests[0]["source"], server.requests[0]["target"]) == ("ru", "en")


def test_translation_memory_answers_repeats_without_calling_the_provider(tmp_path):
    with StandInTranslator(PHRASES) as server:
        translator = make_translator(server.url, tmp_path)
        translator.translate("где мой заказ", source="ru")
        again = translator.translate("где мой заказ", source="ru")
    assert again.cached and again.text == "where is my order"
    assert len(server.requests) == 1
    # the SQLite file survives a new Translator (a restart)
    reloaded = Translator(translator.settings)
    assert reloaded.translate("где мой заказ", source="ru").cached


def test_provider_down_returns_original_text_marked_untranslated(tmp_path):
    result = make_translator(closed_port_url(), tmp_path).translate("где мой заказ", source="ru")
    assert (result.text, result.translated) == ("где мой заказ", False)
    assert result.error


def test_slow_provider_times_out(tmp_path):
    with StandInTranslator(PHRASES, delay=1.5) as server:
        start = time.monotonic()
        result = make_translator(server.url, tmp_path, timeout=0.3).translate("где мой заказ", source="ru")
    assert not result.translated and time.monotonic() - start < 1.4


def test_provider_errors_open_the_circuit(tmp_path):
    with StandInTranslator(PHRASES, status=500) as server:
        translator = make_translator(server.url, tmp_path, failure_threshold=2)
        for text in ("один", "два", "три", "четыре"):
            assert translator.translate(text, source="ru").translated is False
    assert translator.breaker.state == "open"
    assert len(server.requests) == 2  # calls 3 and 4 never reached the provider
    assert translator.translate("пять", source="ru").error == "circuit open"


def test_circuit_half_opens_and_closes_after_success():
    now = [0.0]
    breaker = CircuitBreaker(failure_threshold=1, reset_after=10, clock=lambda: now[0])
    breaker.record_failure()
    assert not breaker.allow()
    now[0] = 11
    assert breaker.state == "half-open" and breaker.allow()
    breaker.record_success()
    assert breaker.state == "closed"


def test_disabled_provider_never_calls_out():
    result = Translator(TranslatorSettings(provider="none")).translate("hola", source="es")
    assert not result.translated and result.text == "hola"


def test_settings_come_from_environment(tmp_path):
    settings = TranslatorSettings.from_env(
        {"TRANSLATOR_PROVIDER": "libre", "TRANSLATOR_URL": "http://127.0.0.1:5000/", "TRANSLATOR_API_KEY": "k",
         "TRANSLATOR_CACHE_PATH": str(tmp_path / "c.db"), "TRANSLATOR_TIMEOUT": "1.5"}
    )
    assert (settings.provider, settings.url, settings.api_key, settings.timeout) == ("libre", "http://127.0.0.1:5000/", "k", 1.5)
    with pytest.raises(ValueError):
        TranslatorSettings.from_env({"TRANSLATOR_PROVIDER": "babelfish"})


def test_memory_in_memory_mode():
    memory = TranslationMemory(":memory:")
    memory.put("libre", "ru", "en", "да", "yes")
    assert memory.get("libre", "ru", "en", "да") == "yes"
    assert memory.get("libre", "ru", "en", "нет") is None


def test_norwegian_and_chinese_codes_reach_libre_as_is(tmp_path):
    # deep-translator 1.11's LibreTranslate table lacks Norwegian Bokmål; LibreTranslate itself has "nb".
    with StandInTranslator({"nb": {"¿Cuándo llega?": "Når kommer den?"}}) as server:
        translator = make_translator(server.url, tmp_path)
        to_nb = translator.translate("¿Cuándo llega?", source="es", target="nb")
        from_nb = translator.translate("Når kommer den?", source="nb", target="zh")
    assert (to_nb.text, to_nb.translated) == ("Når kommer den?", True)
    assert from_nb.translated and from_nb.text == "[zh] Når kommer den?"
    assert [(r["source"], r["target"]) for r in server.requests] == [("es", "nb"), ("nb", "zh")]


def test_a_pluggable_memory_backend_replaces_the_sqlite_file(tmp_path):
    class DictMemory:
        def __init__(self):
            self.rows = {}

        def get(self, provider, source, target, text):
            return self.rows.get((provider, source, target, text.strip()))

        def put(self, provider, source, target, text, translated):
            self.rows[(provider, source, target, text.strip())] = translated

    memory = DictMemory()
    assert isinstance(memory, MemoryBackend)
    with StandInTranslator(PHRASES) as server:
        settings = TranslatorSettings(provider="libre", url=server.url, api_key="k",
                                      cache_path=str(tmp_path / "unused" / "tm.sqlite3"))
        translator = Translator(settings, memory=memory)
        translator.translate("где мой заказ", source="ru")
        again = translator.translate("где мой заказ ", source="ru")
    assert again.cached and len(server.requests) == 1
    assert memory.rows == {("libre", "ru", "en", "где мой заказ"): "where is my order"}
    assert not (tmp_path / "unused").exists()
