"""SQL tracker store that never writes or streams personal data: events are masked (see
``bot.personal.masking``) before they are stored, and the event broker, when one is configured,
gets the same masked events instead of Rasa's raw ones.

Old conversations are deleted by ``bot.personal.conversation_retention``."""

import json
from typing import Any, Dict, List

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.personal.masking import STAGE_SLOT, mask_events


class MaskingTrackerStore(SQLTrackerStore):
    def _masked_new_events(self, tracker: DialogueStateTracker) -> List[Dict[str, Any]]:
        """The tracker's events that are not stored yet, masked; the stored ones give the context."""
        with self.session_scope() as session:
            stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
        return mask_events([event.as_dict() for event in tracker.events], start=stored)

    async def save(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
            events = list(tracker.events)
            masked = mask_events([event.as_dict() for event in events], start=stored)
            for event, data in zip(events[stored:], masked, strict=True):
                intent = (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY)
                session.add(self.SQLEvent(
                    sender_id=tracker.sender_id, type_name=event.type_name, timestamp=data.get("timestamp"),
                    intent_name=intent, action_name=data.get("name"), data=json.dumps(data)))
            session.commit()
        self._publish(tracker.sender_id, masked)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Rasa's version sends the raw new events to the event broker; this one the masked ones."""
        if self.event_broker is not None:
            self._publish(tracker.sender_id, self._masked_new_events(tracker))

    async def _stream_new_events(self, event_broker: EventBroker, new_events: List[Event], sender_id: str) -> None:
        """Not used by this store; should anything call it, the session's earlier events are unknown, so
        the events are masked as if a referral were open (every typed message whole)."""
        unknown_stage = {"event": "slot", "name": STAGE_SLOT, "value": "unknown"}
        for data in mask_events([unknown_stage, *(event.as_dict() for event in new_events)], start=1):
            event_broker.publish({"sender_id": sender_id, **data})

    def _publish(self, sender_id: str, masked: List[Dict[str, Any]]) -> None:
        if self.event_broker is None:
            return
        for data in masked:
            self.event_broker.publish({"sender_id": sender_id, **data})

    def __repr__(self) -> str:
        return f"MaskingTrackerStore({self.engine.url!r})"

    @classmethod
    def kwargs(cls, **kwargs: Any) -> Dict[str, Any]:
        return kwargs
