"""While a referral is open, every message goes to ``action_referral_step``, except a crisis or a
medical emergency, which keep their immediate answers."""

from typing import Any, Dict

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.single_action_policy import SAFETY_INTENTS, SingleActionPolicy, intent_of
from bot.safety import is_crisis, is_medical_emergency

TERSE_STAGES = ("name", "contact", "contact_time")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=True)
class ReferralPolicy(SingleActionPolicy):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"priority": 8, "action": "action_referral_step", "stage_slot": "referral_stage"}

    def takes(self, tracker: DialogueStateTracker, message: UserUttered) -> bool:
        stage = tracker.get_slot(self.config["stage_slot"])
        if not stage:
            return False
        return not (intent_of(message) in SAFETY_INTENTS and _safety_applies(str(stage), message.text or ""))


def _safety_applies(stage: str, text: str) -> bool:
    """A name, a phone number or a contact time is no sentence: the classifier's guess on an unknown
    name ("Testi Henkilö") is not trusted there, only the rule-based safety net. Elsewhere both count."""
    if stage in TERSE_STAGES:
        return is_crisis(text) or is_medical_emergency(text)
    return True
