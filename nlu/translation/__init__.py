"""Machine translation for messages outside the eight native languages.

``Translator.translate(text, source, target)`` never raises: when the provider
is unreachable, slow or failing (or the circuit breaker is open) it returns the
original text with ``translated=False``.
"""

from nlu.translation.breaker import CircuitBreaker
from nlu.translation.memory import MemoryBackend, TranslationMemory, text_hash
from nlu.translation.settings import TranslatorSettings
from nlu.translation.translator import Translation, Translator

__all__ = ["CircuitBreaker", "MemoryBackend", "Translation", "TranslationMemory", "Translator", "TranslatorSettings",
           "text_hash"]
