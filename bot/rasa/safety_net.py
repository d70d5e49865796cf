"""Intent override from the rule-based safety net: a crisis or medical emergency is never
missed because the classifier was unsure or the wording was rare.

It also tells the language of the message (``bot.rasa.language_detector``) as the entity
``message_language`` (fi, sv, en, other), which fills the slot of the same name before the
rules answer, so that ``utter_crisis`` and ``utter_medical_emergency`` go out in the language of
the message. The entity is added to every crisis or emergency message (Finnish when unsure) and
to other messages only when the language is certain and not Finnish: a Finnish message's parse
result stays as it was.
"""

import logging
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa.language_detector import DETECTED_LANGUAGES, FINNISH, OTHER, Detection, LinguaDetector, decide
from bot.safety import crisis_languages, emergency_languages

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"
EMERGENCY_INTENT = "medical_emergency"
LANGUAGE_ENTITY = "message_language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyNet(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # False: no language detection (every message Finnish, no entity).
            "detect_language": True,
            # ISO 639-1 codes given to lingua (memory: about 25-30 MB per Latin-script language).
            "languages": list(DETECTED_LANGUAGES),
            # An intent given to messages that are certainly in a language the bot does not
            # speak (and are no crisis or emergency), e.g. "other_language" answered by a rule
            # with a multilingual note; None: such messages keep the classifier's intent. The
            # intent must exist in the domain before this is set.
            "unsupported_language_intent": None,
        }

    def __init__(self, config: Dict[str, Any], detector: LinguaDetector | None) -> None:
        self._config = config
        self._detector = detector

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SafetyNet":
        config = {**cls.get_default_config(), **config}
        detector = None
        if config["detect_language"]:
            try:
                detector = LinguaDetector(config["languages"])
            except ImportError:  # the safety net itself must work even then, answering in Finnish
                logger.error("lingua-language-detector is not installed: safety answers only in Finnish")
        return cls(config, detector)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._process_one(message)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        crisis = crisis_languages(text)
        emergency = () if crisis else emergency_languages(text)
        override = CRISIS_INTENT if crisis else EMERGENCY_INTENT if emergency else None
        current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        # the classifier's choice of the other safety intent stands
        if override and not (current in (CRISIS_INTENT, EMERGENCY_INTENT) and current != override):
            self._set_intent(message, override)
            current = override
        if self._detector is None or not text.strip():
            return
        safety = current in (CRISIS_INTENT, EMERGENCY_INTENT)
        language = decide(text, self._detect(text), crisis or emergency, safety)
        if language is None or (language == FINNISH and not safety):
            return
        self._add_language(message, language)
        unsupported = self._config.get("unsupported_language_intent")
        if language == OTHER and unsupported and not safety:
            self._set_intent(message, unsupported)

    def _detect(self, text: str) -> Detection | None:
        assert self._detector is not None
        try:
            return self._detector.detect(text)
        except Exception:  # a failing detector must never cost the safety answer
            logger.exception("language detection failed")
            return None

    @staticmethod
    def _set_intent(message: Message, name: str) -> None:
        message.set(INTENT, {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True)

    @staticmethod
    def _add_language(message: Message, language: str) -> None:
        # A zero-width span: the language belongs to no words. The entity needs a start and an
        # end (rasa test nlu aligns entities to tokens), and an empty span removes no words from
        # the search text (bot.dialogue.search_turn._without_entities).
        entity = {ENTITY_ATTRIBUTE_TYPE: LANGUAGE_ENTITY, ENTITY_ATTRIBUTE_VALUE: language,
                  ENTITY_ATTRIBUTE_START: 0, ENTITY_ATTRIBUTE_END: 0, EXTRACTOR: "SafetyNet"}
        kept = [e for e in message.get(ENTITIES) or [] if e.get(ENTITY_ATTRIBUTE_TYPE) != LANGUAGE_ENTITY]
        message.set(ENTITIES, [*kept, entity], add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

