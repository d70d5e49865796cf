"""Retention of the conversation log: a conversation whose latest event is older than
``CONVERSATION_RETENTION_DAYS`` days (default 30) is deleted from the tracker database.

The tracker database is Rasa's SQL tracker store (``bot/rasa/masking_tracker_store.py``): one
table ``events`` with ``sender_id`` and ``timestamp`` (Unix seconds) per event. This module needs
only a database URL and SQLAlchemy (1.4 in the Rasa environment, 2 in the services' one), so the
catalog service can call ``delete_old_conversations`` periodically, and cron can run

    python -m bot.personal.conversation_retention [--url URL] [--days N]

Without ``--url`` the database is ``TRACKER_DB_URL``, or the SQLite file ``TRACKER_DB``, or
``$HYTE_DATA_DIR/trackers.sqlite`` (as in ``scripts/run.sh``). On SQLite the deleted rows are
overwritten on disk (``secure_delete``), not only unlinked.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

ENV_DAYS = "CONVERSATION_RETENTION_DAYS"
DEFAULT_DAYS = 30
TABLE = "events"
BATCH = 500
PROJECT_DIR = Path(__file__).resolve().parents[2]


class Deleted(NamedTuple):
    conversations: int
    events: int


def retention_days() -> int:
    """``CONVERSATION_RETENTION_DAYS`` from the environment (default 30); must be a positive integer."""
    raw = os.environ.get(ENV_DAYS, "").strip()
    if not raw:
        return DEFAULT_DAYS
    try:
        days = int(raw)
    except ValueError:
        raise ValueError(f"{ENV_DAYS} must be a whole number of days, not {raw!r}") from None
    if days < 1:
        raise ValueError(f"{ENV_DAYS} must be at least 1, not {days}")
    return days


def tracker_database_url() -> str:
    if os.environ.get("TRACKER_DB_URL"):
        return os.environ["TRACKER_DB_URL"]
    path = os.environ.get("TRACKER_DB") or str(
        Path(os.environ.get("HYTE_DATA_DIR") or PROJECT_DIR / "var") / "trackers.sqlite")
    return f"sqlite:///{path}"


def _events_table() -> sa.Table:
    return sa.Table(TABLE, sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("sender_id", sa.String(255)), sa.Column("timestamp", sa.Float))


def _delete(conn: Connection, cutoff: float) -> Deleted:
    if not sa.inspect(conn).has_table(TABLE):
        return Deleted(0, 0)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete = ON")
    events = _events_table()
    newer = events.alias("newer")
    old = (sa.select(events.c.sender_id).group_by(events.c.sender_id)
           .having(sa.func.coalesce(sa.func.max(events.c.timestamp), 0) < cutoff))
    senders = [row[0] for row in conn.execute(old)]
    removed = 0
    for first in range(0, len(senders), BATCH):
        batch = senders[first:first + BATCH]
        # a conversation that got a new event meanwhile stays whole
        result = conn.execute(events.delete().where(events.c.sender_id.in_(batch)).where(
            ~sa.exists().where(newer.c.sender_id == events.c.sender_id, newer.c.timestamp >= cutoff)))
        removed += result.rowcount or 0
    return Deleted(len(senders), removed)


def delete_old_conversations(database: str | Engine, days: int | None = None, now: float | None = None) -> Deleted:
    """Delete the conversations whose latest event is more than ``days`` (default: from the
    environment) old at ``now`` (Unix seconds; default: now). Returns what was deleted."""
    days = retention_days() if days is None else days
    if days < 1:
        raise ValueError("the retention must be at least one day")
    cutoff = (time.time() if now is None else now) - days * 86400
    engine = sa.create_engine(database) if isinstance(database, str) else database
    try:
        with engine.begin() as conn:
            return _delete(conn, cutoff)
    finally:
        if isinstance(database, str):
            engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.personal.conversation_retention",
                                     description="Delete conversations older than the retention period.")
    parser.add_argument("--url", help="SQLAlchemy URL of the tracker database (default: from the environment)")
    parser.add_argument("--days", type=int, help=f"retention in days (default: {ENV_DAYS} or {DEFAULT_DAYS})")
    args = parser.parse_args(argv)
    url = args.url or tracker_database_url()
    database = sa.engine.make_url(url).database
    if url.startswith("sqlite") and database and not Path(database).exists():
        print(f"No tracker database at {database}: nothing to delete.")
        return 0
    days = args.days if args.days is not None else retention_days()
    deleted = delete_old_conversations(url, days)
    print(f"Deleted {deleted.conversations} conversations ({deleted.events} events) "
          f"with no event in the last {days} days.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
