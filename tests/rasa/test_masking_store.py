"""The masking tracker store on a real SQLite file, with Rasa's own tracker and events (run in the
Rasa environment): nothing personal reaches the database or the event broker, trackers still
load, and the retention deletes old conversations from the file the store made."""

import asyncio
import json
import sqlite3
import time
from pathlib import Path
from typing import Any, Dict, List

from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.personal.conversation_retention import delete_old_conversations
from bot.personal.masking import MASK
from bot.rasa.masking_tracker_store import MaskingTrackerStore

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))
SEARCH = "kuntosali Porissa, soittakaa minulle 040 1234567 tai maija.meikalainen@example.fi"
SECRETS = ("1234567", "maija", "meikäläinen", "meikalainen", "131052")


class Broker(EventBroker):
    def __init__(self) -> None:
        self.published: List[Dict[str, Any]] = []

    def publish(self, event: Dict[str, Any]) -> None:
        self.published.append(event)


def _store(tmp_path: Path, broker: EventBroker | None = None) -> MaskingTrackerStore:
    return MaskingTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "trackers.sqlite"),
                               event_broker=broker)


def _rows(tmp_path: Path, sender: str | None = None) -> List[str]:
    with sqlite3.connect(tmp_path / "trackers.sqlite") as db:
        query = "select data from events" + (" where sender_id = ?" if sender else "") + " order by id"
        return [row[0] for row in db.execute(query, (sender,) if sender else ())]


def _clean(texts: List[str]) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text.casefold(), text


def _user(text: str, **kwargs: Any) -> UserUttered:
    return UserUttered(text, intent={"name": "search_services", "confidence": 0.9}, **kwargs)


def _session_start(metadata: Dict[str, Any] | None = None) -> List[Event]:
    return [ActionExecuted("action_session_start"), SlotSet("session_started_metadata", metadata or {}),
            SessionStarted(), ActionExecuted("action_listen")]


def _turn(store: MaskingTrackerStore, sender: str, events: List[Event]) -> DialogueStateTracker:
    tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, DOMAIN.slots)
    for event in events:
        tracker.update(event, DOMAIN)
    asyncio.run(store.save(tracker))
    return tracker


def test_a_search_with_contact_details_is_stored_and_streamed_masked(tmp_path: Path) -> None:
    broker = Broker()
    store = _store(tmp_path, broker)
    metadata = {"channel": "web", "lang": "fi", "name": "Maija Meikäläinen", "phone": "0401234567"}
    tracker = _turn(store, "resident-1", [
        *_session_start(metadata),
        _user(SEARCH, entities=[{"entity": "municipality", "value": "609", "start": 10, "end": 17}],
              metadata=metadata),
        ActionExecuted("action_search_services"),
        SlotSet("query_boost", SEARCH), SlotSet("municipality", "609"), SlotSet("theme", "liikunta"),
        BotUttered(f"Haetaan: {SEARCH}", data={"custom": {"type": "service_cards", "query": SEARCH}}),
        ActionExecuted("action_listen")])
    rows = _rows(tmp_path)
    assert len(rows) == len(tracker.events) == len(broker.published)
    _clean(rows)
    _clean([json.dumps(event, ensure_ascii=False) for event in broker.published])
    assert all(event["sender_id"] == "resident-1" for event in broker.published)
    assert [json.loads(row) for row in rows] == [{k: v for k, v in e.items() if k != "sender_id"}
                                                 for e in broker.published]
    loaded = asyncio.run(store.retrieve("resident-1"))
    assert loaded is not None
    assert loaded.get_slot("municipality") == "609" and loaded.get_slot("theme") == "liikunta"
    assert loaded.get_slot("query_boost") == f"kuntosali Porissa, soittakaa minulle {MASK} tai {MASK}"
    user = next(e for e in loaded.events if isinstance(e, UserUttered))
    assert user.metadata == {"channel": "web", "lang": "fi"}
    assert [e["value"] for e in user.entities] == ["609"]


def test_a_referral_is_masked_across_turns_and_an_expired_session(tmp_path: Path) -> None:
    broker = Broker()
    store = _store(tmp_path, broker)
    sender = "resident-2"
    _turn(store, sender, [*_session_start(), _user("tee lähete"), ActionExecuted("action_start_referral"),
                          SlotSet("referral_stage", "consent"), BotUttered("Annatko luvan?"),
                          ActionExecuted("action_listen")])
    first = len(_rows(tmp_path, sender))
    tracker = _turn(store, sender, [_user("kyllä, Maija Meikäläinen tässä"), ActionExecuted("action_referral_step"),
                                    SlotSet("referral_stage", "name"), BotUttered("Mikä on nimesi?"),
                                    ActionExecuted("action_listen")])
    rows = _rows(tmp_path, sender)
    assert len(rows) == first + 5 and len(broker.published) == len(rows)  # only the new events are added
    assert json.loads(rows[first])["text"] == MASK  # a name typed at the consent step
    # two hours later: a new session, the referral slots are gone, and the resident answers the question
    time.sleep(0.01)
    tracker = _turn(store, sender, [*_session_start({"channel": "web"}), SlotSet("theme", "liikunta"),
                                    _user("Maija Meikäläinen, hetu 131052-308T"),
                                    ActionExecuted("action_not_understood"),
                                    BotUttered("En ole varma, mitä tarkoitit."), ActionExecuted("action_listen")])
    assert tracker.get_slot("referral_stage") is None
    rows = _rows(tmp_path, sender)
    _clean(rows)
    _clean([json.dumps(event, ensure_ascii=False) for event in broker.published])
    assert len(broker.published) == len(rows)
    loaded = asyncio.run(store.retrieve(sender))
    assert loaded is not None and isinstance(loaded.events[0], SessionStarted)
    assert [e.text for e in loaded.events if isinstance(e, UserUttered)] == [MASK]
    full = asyncio.run(store.retrieve_full_tracker(sender))
    assert full is not None and len(full.events) == len(rows)


def test_streaming_alone_sends_masked_events(tmp_path: Path) -> None:
    broker = Broker()
    store = _store(tmp_path, broker)
    tracker = DialogueStateTracker("resident-3", DOMAIN.slots)
    for event in [*_session_start(), _user("soita 0401234567"), SlotSet("referral_stage", "name"),
                  _user("Maija Meikäläinen")]:
        tracker.update(event, DOMAIN)
    asyncio.run(store.stream_events(tracker))
    assert len(broker.published) == len(tracker.events)
    _clean([json.dumps(event, ensure_ascii=False) for event in broker.published])
    asyncio.run(store._stream_new_events(broker, [_user("Maija Meikäläinen")], "resident-3"))
    assert broker.published[-1]["text"] == MASK and _rows(tmp_path) == []


def test_retention_deletes_old_conversations_from_the_stores_file(tmp_path: Path) -> None:
    store = _store(tmp_path)
    for sender in ("old", "recent"):
        _turn(store, sender, [*_session_start(), _user("kulttuuria Raumalla"), BotUttered("Haetaan.")])
    with sqlite3.connect(tmp_path / "trackers.sqlite") as db:
        db.execute("update events set timestamp = timestamp - 31 * 86400 where sender_id = 'old'")
    deleted = delete_old_conversations(f"sqlite:///{tmp_path / 'trackers.sqlite'}", days=30)
    assert deleted.conversations == 1 and deleted.events > 0
    assert asyncio.run(store.retrieve("old")) is None
    assert asyncio.run(store.retrieve("recent")) is not None
