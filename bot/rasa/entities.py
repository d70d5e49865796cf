"""Entity extractor for municipalities, counties, themes and target groups.

Values come out normalised to the contract's codes and ids ("Raumalla" -> municipality "684"),
through Voikko lemmas, compound parts, Swedish names and spelling suggestions.
"""

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.finnish.places import find_places
from bot.finnish.vocabulary import find_terms

MAX_CHARS = 2000


def extract(text: str) -> List[Dict[str, Any]]:
    """Entities of one message: the first municipality or county, the strongest theme and
    target group."""
    text = text[:MAX_CHARS]
    entities: List[Dict[str, Any]] = []
    for place in find_places(text):
        entities.append({"entity": place.kind, "value": place.code, "start": place.start,
                         "end": place.end, "confidence_entity": 1.0})
    best: Dict[str, Any] = {}
    for term in find_terms(text):
        if term.kind not in best or term.strength > best[term.kind].strength:
            best[term.kind] = term
    for term in sorted(best.values(), key=lambda t: t.start):
        if any(e["start"] <= term.start < e["end"] for e in entities):
            continue
        entities.append({"entity": term.kind, "value": term.value, "start": term.start,
                         "end": term.end, "confidence_entity": 1.0})
    return sorted(entities, key=lambda e: e["start"])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class FinnishEntityExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "FinnishEntityExtractor":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = self.add_extractor_name(extract(text))
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
