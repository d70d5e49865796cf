"""Every access to personal data leaves a line in the audit log."""

from __future__ import annotations

from sqlalchemy import Connection, insert

from bot.personal.store import AuditRow, utcnow


def audit(conn: Connection, actor: str, action: str, record: str) -> None:
    conn.execute(insert(AuditRow).values(at=utcnow(), actor=actor[:128], action=action[:64], record=record[:128]))
