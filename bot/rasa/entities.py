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
from bot.finnish.requests import find_requests
from bot.finnish.vocabulary import find_terms

MAX_CHARS = 2000


def extract(text: str) -> List[Dict[str, Any]]:
    """Entities of one message, in text order, except that the strongest theme and target
    group come last: Rasa fills a single-valued slot from the last entity of its type."""
    text = text[:MAX_CHARS]
    entities: List[Dict[str, Any]] = []
    for place in find_places(text):
        entities.append({"entity": place.kind, "value": place.code, "start": place.start,
                         "end": place.end, "confidence_entity": 1.0})
    for request in find_requests(text):
        if not _overlaps(entities, request.start):
            entities.append({"entity": request.kind, "value": request.value,
                             "start": request.start, "end": request.end, "confidence_entity": 1.0})
    strongest: Dict[str, Dict[str, Any]] = {}
    terms: List[Dict[str, Any]] = []
    for term in find_terms(text):
        if _overlaps(entities, term.start) or _overlaps(terms, term.start):
            continue
        entity = {"entity": term.kind, "value": term.value, "start": term.start, "end": term.end,
                  "confidence_entity": 1.0}
        terms.append(entity)
        if term.kind not in strongest or term.strength > strongest[term.kind]["_strength"]:
            strongest[term.kind] = {**entity, "_strength": term.strength}
    ordered = sorted(entities + terms, key=lambda e: e["start"])
    last = [{k: v for k, v in e.items() if k != "_strength"} for e in strongest.values()]
    return [e for e in ordered if e not in last] + last


def _overlaps(entities: List[Dict[str, Any]], start: int) -> bool:
    return any(e["start"] <= start < e["end"] for e in entities)


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
