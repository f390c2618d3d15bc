"""Rasa component: translate messages written outside the eight languages to English."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.language_detector import FOREIGN_LANGUAGE, LANGUAGE
from nlu.translation import Translator, TranslatorSettings


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class MessageTranslator(GraphComponent):
    """Replaces the text of a foreign-language message with its English translation.

    Keeps the original in ``original_text``; sets ``translated`` true/false.  When
    the provider is down the text stays as it was (``translated: false``).
    Provider, URL, key, timeout and cache come from TRANSLATOR_* env variables.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"target": "en"}

    def __init__(self, config: Dict[Text, Any], translator: Translator | None = None) -> None:
        self._config = config
        self._translator = translator

    @property
    def translator(self) -> Translator:
        if self._translator is None:  # settings are read when first needed, not at import
            self._translator = Translator(TranslatorSettings.from_env())
        return self._translator

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MessageTranslator":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        target = self._config["target"]
        for message in messages:
            foreign = message.get(FOREIGN_LANGUAGE)
            if not foreign or not message.get(TEXT):
                continue
            original = message.get(TEXT)
            result = self.translator.translate(original, source=foreign, target=target)
            message.set("original_text", original, add_to_output=True)
            message.set("translated", result.translated, add_to_output=True)
            if result.translated:
                message.set(TEXT, result.text, add_to_output=True)
                # parsed as English; answers use the default (English) responses
                message.set(LANGUAGE, target, add_to_output=True)
                for entity in message.get(ENTITIES, []):
                    if entity.get("entity") == LANGUAGE:
                        entity["value"] = target
        return messages
