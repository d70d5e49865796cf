"""Base of the project's policies that send certain messages to one configured action.

Such a policy outranks the rule policy (by its priority) only for the messages it takes, and
listens after its action ran; for everything else it predicts nothing. Subclasses say which
messages they take in ``takes``.
"""

from typing import Any, Dict, List

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

# A crisis or a medical emergency keeps its immediate answer, whatever else is going on.
SAFETY_INTENTS = ("crisis", "medical_emergency", "other_language")


class SingleActionPolicy(Policy):
    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain,
              **kwargs: Any) -> Resource:
        with self._model_storage.write_to(self._resource) as path:  # nothing to learn
            (path / f"{type(self).__name__}.json").write_text("{}", encoding="utf-8")
        return self._resource

    def takes(self, tracker: DialogueStateTracker, message: UserUttered) -> bool:
        """Whether the user's latest message goes to this policy's action."""
        raise NotImplementedError

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Dict[str, Any] | None = None,
                                     **kwargs: Any) -> PolicyPrediction:
        action = self.config["action"]
        if action not in domain.action_names_or_texts:
            return self._prediction(self._default_predictions(domain))
        if tracker.latest_action_name == action:
            return self._prediction(confidence_scores_for(ACTION_LISTEN_NAME, 1.0, domain))
        message = tracker.latest_message
        if tracker.latest_action_name != ACTION_LISTEN_NAME or message is None:
            return self._prediction(self._default_predictions(domain))
        if self.takes(tracker, message):
            return self._prediction(confidence_scores_for(action, 1.0, domain))
        return self._prediction(self._default_predictions(domain))


def intent_of(message: UserUttered) -> str:
    return str((message.intent or {}).get("name") or "")
