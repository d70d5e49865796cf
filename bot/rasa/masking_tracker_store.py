"""SQL tracker store that never writes personal data: events are masked before they are stored
(see ``bot.personal.masking``)."""

import json
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.personal.masking import mask_events


class MaskingTrackerStore(SQLTrackerStore):
    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
            events = list(tracker.events)
            masked = mask_events([event.as_dict() for event in events])
            for event, data in zip(events[stored:], masked[stored:], strict=True):
                intent = (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY)
                session.add(self.SQLEvent(
                    sender_id=tracker.sender_id, type_name=event.type_name, timestamp=data.get("timestamp"),
                    intent_name=intent, action_name=data.get("name"), data=json.dumps(data)))
            session.commit()

    def __repr__(self) -> str:
        return f"MaskingTrackerStore({self.engine.url!r})"

    @classmethod
    def kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        return kwargs
