"""A policy that notices when a typed message chooses one of the buttons just offered
("2", "kakkonen", "Kulttuuri") and hands it to ``action_choose_option``.

It outranks the rule policy only for such messages, and never for a crisis or a medical
emergency: those keep their immediate answers.
"""

from typing import Any, Dict

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogue.buttons import choose
from bot.rasa.single_action_policy import SAFETY_INTENTS, SingleActionPolicy, intent_of


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=True)
class ButtonPolicy(SingleActionPolicy):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"priority": 7, "action": "action_choose_option"}

    def takes(self, tracker: DialogueStateTracker, message: UserUttered) -> bool:
        if intent_of(message) in SAFETY_INTENTS:
            return False
        events = [event.as_dict() for event in tracker.applied_events()]
        return choose(events, message.text or "") is not None
