"""A question about a shown service ("milloin se on auki?", "paljonko kolmas maksaa?",
"kerro lisää toisesta") is a follow-up, not a new search: the intent becomes ``service_details``,
with the fact asked as entity ``service_fact`` (none for a general "kerro lisää") and the result
meant as entity ``ordinal`` (from FinnishEntityExtractor; none for the service in focus).

A message is left as it was when it names a place ("onko uimahalli auki Porissa?", "entä
Porissa?"), asks about the whole list ("onko joku näistä ilmainen") or, without pointing at a shown
result, names a theme or a filter ("milloin kirjasto on auki", "näytä vain ilmaiset"); when it asks
for a referral or a call back ("tee lähete kolmanteen": start_referral), is about the bot, or is a
crisis or an emergency (the safety net's to answer). The words are bot/data/service_questions.yml.
"""

from typing import Any, Dict, List, Set

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.finnish.requests import find_requests
from bot.finnish.service_questions import Question, read_question
from bot.safety import is_crisis, is_medical_emergency

KEEP_INTENTS = ("crisis", "medical_emergency", "other_language", "start_referral", "affirm", "deny")
PLACE_ENTITIES = ("municipality", "county")
DETAILS_INTENT = "service_details"
NO_FACT = "details"  # a general "kerro lisää": no service_fact
GUESSED_BY = "NeedClassifier"


def route(question: Question, kinds: Set[Any]) -> str | None:
    """The fact asked (NO_FACT for a general question) when the message is a question about a shown
    service, else None. ``kinds`` are the entity types found in the message."""
    if kinds & set(PLACE_ENTITIES) or question.request or question.other_subject:
        return None
    has_ordinal = "ordinal" in kinds
    pointed = has_ordinal or question.points
    if question.whole_list and not has_ordinal:
        return None
    if not pointed and (kinds & {"theme", "filter"} or question.search):
        return None
    if question.fact is not None:
        # "lähete kolmanteen", "haluan ilmoittautua tähän" ask for a referral, they do not ask about it
        if question.fact == "referral" and not question.question:
            return None
        if not has_ordinal:
            if not question.question and not question.only_fact_words:
                return None  # "en jaksa mennä sinne yksin": not a question
            if not question.points and question.other_nouns:
                return None  # "mitä sähkö maksaa": about something else
        return question.fact
    if not pointed and "target_group" in kinds:  # "entä nuorille?": a new search
        return None
    if has_ordinal or question.details or (question.points and question.question):
        return NO_FACT
    return None


def _places_read_as_ordinals(text: str, entities: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The place finder may take a spoken ordinal for a misspelt place ("ekaan" for Akaa): a place
    whose whole text is an ordinal is the ordinal."""
    out = []
    for entity in entities:
        start, end = entity.get("start"), entity.get("end")
        if entity.get("entity") in PLACE_ENTITIES and isinstance(start, int) and isinstance(end, int):
            span = text[start:end]
            found = find_requests(span)
            if len(found) == 1 and found[0].kind == "ordinal" and (found[0].start, found[0].end) == (0, len(span)):
                entity = {**entity, "entity": "ordinal", "value": found[0].value}
        out.append(entity)
    return out


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ServiceQuestion(GraphComponent, EntityExtractorMixin):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ServiceQuestion":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if not text.strip() or text.startswith("/") or intent in KEEP_INTENTS:
                continue
            entities = _places_read_as_ordinals(text, message.get(ENTITIES) or [])
            # a theme the need classifier guessed from the whole message is not a theme named in it
            named = {e.get("entity") for e in entities if e.get("extractor") != GUESSED_BY}
            fact = route(read_question(text), named)
            if fact is None or is_crisis(text) or is_medical_emergency(text):
                continue
            kept = [e for e in entities if e.get("entity") not in ("theme", "target_group", "filter")]
            if fact != NO_FACT:
                found = {"entity": "service_fact", "value": fact, "start": 0, "end": 0, "confidence_entity": 1.0}
                kept += self.add_extractor_name([found])
            message.set(ENTITIES, kept, add_to_output=True)
            message.set(INTENT, {INTENT_NAME_KEY: DETAILS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0},
                        add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
