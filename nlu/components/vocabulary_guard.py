"""Rasa component: a message of only never-seen words is not understood (see nlu/vocabulary.py)."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.vocabulary import nothing_known, vocabulary

FILE = "vocabulary.json"


def _tokens(message: Message) -> List[str]:
    return [token.text for token in message.get(TOKENS_NAMES[TEXT]) or []]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class VocabularyGuard(GraphComponent):
    """Put between the intent classifier and the FallbackClassifier: sets the intent's confidence to
    0 when none of the message's words occurs in the training data, so the fallback takes over."""

    def __init__(self, model_storage: ModelStorage, resource: Resource, known: Optional[set] = None) -> None:
        self._storage, self._resource, self.known = model_storage, resource, known or set()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "VocabularyGuard":
        return cls(model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "VocabularyGuard":
        try:
            with model_storage.read_from(resource) as folder:
                known = set(json.loads((folder / FILE).read_text(encoding="utf-8")))
        except (ValueError, FileNotFoundError):
            known = set()
        return cls(model_storage, resource, known)

    def train(self, training_data: TrainingData) -> Resource:
        self.known = vocabulary(text for example in training_data.training_examples
                                for text in _tokens(example))
        with self._storage.write_to(self._resource) as folder:
            (folder / FILE).write_text(json.dumps(sorted(self.known), ensure_ascii=False), encoding="utf-8")
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT)
            if intent and nothing_known(_tokens(message), self.known):
                message.set(INTENT, {**intent, "confidence": 0.0}, add_to_output=True)
        return messages
