"""While a referral is open, every message goes to ``action_referral_step``, except a crisis or a
medical emergency, which keep their immediate answers."""

from typing import Any, Dict, List

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.safety import is_crisis, is_medical_emergency

SAFETY_INTENTS = ("crisis", "medical_emergency")
TERSE_STAGES = ("name", "contact", "contact_time")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=True)
class ReferralPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"priority": 8, "action": "action_referral_step", "stage_slot": "referral_stage"}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain,
              **kwargs: Any) -> Resource:
        with self._model_storage.write_to(self._resource) as path:
            (path / "referral_policy.json").write_text("{}", encoding="utf-8")
        return self._resource

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Dict[str, Any] | None = None,
                                     **kwargs: Any) -> PolicyPrediction:
        action = self.config["action"]
        if action not in domain.action_names_or_texts:
            return self._prediction(self._default_predictions(domain))
        if tracker.latest_action_name == action:
            return self._prediction(confidence_scores_for(ACTION_LISTEN_NAME, 1.0, domain))
        stage = tracker.get_slot(self.config["stage_slot"])
        message = tracker.latest_message
        if not stage or tracker.latest_action_name != ACTION_LISTEN_NAME or message is None:
            return self._prediction(self._default_predictions(domain))
        if (message.intent or {}).get("name") in SAFETY_INTENTS and _safety_applies(str(stage), message.text or ""):
            return self._prediction(self._default_predictions(domain))
        return self._prediction(confidence_scores_for(action, 1.0, domain))


def _safety_applies(stage: str, text: str) -> bool:
    """A name, a phone number or a contact time is no sentence: the classifier's guess on an unknown
    name ("Testi Henkilö") is not trusted there, only the rule-based safety net. Elsewhere both count."""
    if stage in TERSE_STAGES:
        return is_crisis(text) or is_medical_emergency(text)
    return True
