"""Rasa component: tag each message with its language (ISO 639-1)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.language import LanguageIdentifier
from nlu.languages import SUPPORTED_LANGUAGES

LANGUAGE = "language"
FOREIGN_LANGUAGE = "foreign_language"
LANGUAGE_SOURCE = "language_source"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class LanguageDetector(GraphComponent):
    """Adds ``language`` (attribute and entity) using lingua restricted to our languages.

    Short/ambiguous text falls back to ``metadata["previous_language"]`` and then
    ``metadata["language_code"]`` (Telegram's language_code).
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "languages": list(SUPPORTED_LANGUAGES),
            "min_confidence": 0.45,
            "short_text_letters": 12,
            "foreign_confidence": 0.8,
            "add_entity": True,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config
        self.identifier = LanguageIdentifier(
            languages=tuple(config["languages"]),
            min_confidence=config["min_confidence"],
            short_text_letters=config["short_text_letters"],
            foreign_confidence=config["foreign_confidence"],
        )

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageDetector":
        return cls(config)

    @staticmethod
    def required_packages() -> List[Text]:
        # import name "lingua" != distribution "lingua-language-detector", and Rasa
        # checks one and fingerprints the other: declare none (the lock pins it)
        return []

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # training examples get the attribute only: DIET must not learn a "language" entity
        for example in training_data.training_examples:
            if example.get(TEXT):
                detection = self.identifier.detect(example.get(TEXT))
                example.set(LANGUAGE, detection.language)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            metadata: Optional[Dict[Text, Any]] = message.get("metadata") or {}
            detection = self.identifier.detect(
                text,
                telegram_code=metadata.get("language_code"),
                previous_language=metadata.get("previous_language"),
            )
            message.set(LANGUAGE, detection.language, add_to_output=True)
            message.set(LANGUAGE_SOURCE, detection.source, add_to_output=True)
            if detection.foreign:
                message.set(FOREIGN_LANGUAGE, detection.foreign, add_to_output=True)
            if self._config["add_entity"]:
                entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != LANGUAGE]
                entities.append(
                    {
                        "entity": LANGUAGE,
                        "value": detection.language,
                        "confidence_entity": round(float(detection.confidence), 4),
                        "extractor": self.__class__.__name__,
                    }
                )
                message.set(ENTITIES, entities, add_to_output=True)
        return messages
