"""Intent override from the rule-based safety net: a crisis or medical emergency is never
missed because the classifier was unsure or the wording was rare."""

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.safety import is_crisis, is_medical_emergency

CRISIS_INTENT = "crisis"
EMERGENCY_INTENT = "medical_emergency"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyNet(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SafetyNet":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if is_crisis(text):
                override = CRISIS_INTENT
            elif is_medical_emergency(text):
                override = EMERGENCY_INTENT
            else:
                continue
            current = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if current in (CRISIS_INTENT, EMERGENCY_INTENT) and current != override:
                continue  # the classifier already chose a safety intent
            message.set(INTENT, {INTENT_NAME_KEY: override, PREDICTED_CONFIDENCE_KEY: 1.0},
                        add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
