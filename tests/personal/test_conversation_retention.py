"""Retention of the conversation log on a real SQLite file with the schema of Rasa's SQL tracker store
(the Rasa environment runs the same on a file made by the tracker store itself: tests/rasa/test_masking_store.py)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.personal import conversation_retention as retention

DAY = 86400.0
NOW = 1_800_000_000.0
# As SQLTrackerStore.SQLEvent of Rasa 3.6 creates it.
RASA_EVENTS_SCHEMA = """
CREATE TABLE events (
    id INTEGER NOT NULL, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT, PRIMARY KEY (id));
CREATE INDEX ix_events_sender_id ON events (sender_id);
"""


def _database(path: Path, conversations: dict[str, list[float | None]]) -> str:
    with sqlite3.connect(path) as db:
        db.executescript(RASA_EVENTS_SCHEMA)
        for sender, stamps in conversations.items():
            for stamp in stamps:
                db.execute("insert into events (sender_id, type_name, timestamp, data) values (?, 'user', ?, ?)",
                           (sender, stamp, json.dumps({"event": "user", "text": "hei", "timestamp": stamp})))
    return f"sqlite:///{path}"


def _senders(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("select sender_id, count(*) from events group by sender_id").fetchall())


def test_conversations_idle_longer_than_the_retention_are_deleted(tmp_path: Path) -> None:
    path = tmp_path / "trackers.sqlite"
    url = _database(path, {
        "old": [NOW - 40 * DAY, NOW - 31 * DAY],
        "came-back": [NOW - 90 * DAY, NOW - 29 * DAY],  # its latest event counts, not its first
        "fresh": [NOW - 60],
        "just-over": [NOW - 30 * DAY - 1],
        "no-timestamps": [None],
    })
    assert retention.delete_old_conversations(url, days=30, now=NOW) == retention.Deleted(3, 4)
    assert _senders(path) == {"came-back": 2, "fresh": 1}
    assert retention.delete_old_conversations(url, days=30, now=NOW) == retention.Deleted(0, 0)
    assert retention.delete_old_conversations(url, days=1, now=NOW) == retention.Deleted(1, 2)
    assert _senders(path) == {"fresh": 1}
    assert retention.delete_old_conversations(url, days=1, now=NOW + DAY - 120) == retention.Deleted(0, 0)
    assert retention.delete_old_conversations(url, days=1, now=NOW + DAY) == retention.Deleted(1, 1)
    assert _senders(path) == {}


def test_retention_days_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(retention.ENV_DAYS, raising=False)
    assert retention.retention_days() == 30
    monkeypatch.setenv(retention.ENV_DAYS, "7")
    assert retention.retention_days() == 7
    url = _database(tmp_path / "t.sqlite", {"a": [NOW - 8 * DAY], "b": [NOW - 6 * DAY]})
    assert retention.delete_old_conversations(url, now=NOW) == retention.Deleted(1, 1)
    for bad in ("0", "-3", "kolmekymmentä"):
        monkeypatch.setenv(retention.ENV_DAYS, bad)
        with pytest.raises(ValueError):
            retention.retention_days()


def test_a_database_without_conversations_is_left_alone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    assert retention.delete_old_conversations(url, days=30, now=NOW) == retention.Deleted(0, 0)


def test_cli(tmp_path: Path) -> None:
    path = tmp_path / "trackers.sqlite"
    _database(path, {"old": [1.0], "fresh": [9e12]})
    project = Path(__file__).resolve().parents[2]
    run = subprocess.run([sys.executable, "-m", "bot.personal.conversation_retention", "--days", "30"],
                         cwd=project, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(project), "TRACKER_DB": str(path)})
    assert "Deleted 1 conversations (1 events)" in run.stdout
    assert _senders(path) == {"fresh": 1}
    missing = tmp_path / "missing.sqlite"
    run = subprocess.run([sys.executable, "-m", "bot.personal.conversation_retention", "--url", f"sqlite:///{missing}"],
                         cwd=project, capture_output=True, text=True, check=True, env={"PYTHONPATH": str(project)})
    assert "nothing to delete" in run.stdout and not missing.exists()


def test_deleted_conversations_do_not_linger_in_the_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "trackers.sqlite"
    url = _database(path, {f"old-{i}": [NOW - 40 * DAY] for i in range(40)} | {"fresh": [NOW]})
    with sqlite3.connect(path) as db:
        db.execute("update events set data = ? where sender_id like 'old-%'", ("VANHA-KESKUSTELU " * 30,))
    assert path.read_bytes().count(b"VANHA-KESKUSTELU") > 0
    assert retention.delete_old_conversations(url, days=30, now=NOW).conversations == 40
    assert path.read_bytes().count(b"VANHA-KESKUSTELU") == 0
