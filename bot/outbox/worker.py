"""The outbox worker: claims due messages, sends them, retries failures with backoff.

A claim is a lease (``claimed_until``) taken with a conditional UPDATE, so two workers never send
the same message at once; a worker that dies mid-send leaves a lease that simply expires. A message
is marked sent right after its sender returns; receivers get the idempotency key to drop the rare
duplicate after a crash between the two.

A message is given up (``failed``) after MAX_ATTEMPTS, or at once when its sender says it can never
succeed (``PermanentDeliveryError``). Giving up on a referral's delivery is never silent: the
referral is marked ``failed`` (the county's statistics and admin list show it), the audit log gets a
line, and a warning is logged, without personal data.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, and_, or_, select, update

from bot.outbox.senders import Delivery, DeliveryError, PermanentDeliveryError, Sender
from bot.personal.audit import audit
from bot.personal.crypto import decrypt
from bot.personal.store import OutboxRow, ReferralRow, utcnow

log = logging.getLogger(__name__)

BASE_DELAY_S = 5.0
MAX_DELAY_S = 3600.0
MAX_ATTEMPTS = 20  # about a day of retries before a message is marked failed
LEASE_S = 120.0
BATCH = 50


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(BASE_DELAY_S * 2 ** max(attempts - 1, 0), MAX_DELAY_S))


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _claim(engine: Engine, row_id: str, now: dt.datetime) -> bool:
    with engine.begin() as conn:
        result = conn.execute(
            update(OutboxRow)
            .where(OutboxRow.id == row_id, OutboxRow.status == "pending",
                   or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now))
            .values(claimed_until=now + dt.timedelta(seconds=LEASE_S)))
        return result.rowcount == 1


def deliver_due(engine: Engine, senders: Mapping[str, Sender], now: dt.datetime | None = None) -> DeliveryReport:
    now = now or utcnow()
    report = DeliveryReport()
    with engine.connect() as conn:
        due = conn.execute(
            select(OutboxRow.id).where(and_(OutboxRow.status == "pending", OutboxRow.next_attempt_at <= now))
            .order_by(OutboxRow.next_attempt_at).limit(BATCH)).scalars().all()
    for row_id in due:
        if not _claim(engine, row_id, now):
            continue
        with engine.connect() as conn:
            row = conn.execute(select(OutboxRow.__table__).where(OutboxRow.id == row_id)).one()
        sender = senders.get(row.channel)
        try:
            if sender is None:
                raise DeliveryError(f"no sender configured for {row.channel}")
            sender.send(Delivery(row.id, row.idempotency_key, decrypt(row.recipient_enc), row.subject,
                                 decrypt(row.body_enc), decrypt(row.secret_enc) if row.secret_enc else ""))
        except Exception as exc:
            attempts = row.attempts + 1
            failed = attempts >= MAX_ATTEMPTS or isinstance(exc, PermanentDeliveryError)
            error = str(exc)[:500] if isinstance(exc, DeliveryError) else type(exc).__name__
            with engine.begin() as conn:
                conn.execute(update(OutboxRow).where(OutboxRow.id == row_id).values(
                    attempts=attempts, last_error=error, claimed_until=None,
                    status="failed" if failed else "pending", next_attempt_at=now + backoff(attempts)))
                if failed:
                    _gave_up(conn, row, attempts, error, now)
            report.failed += failed
            report.retried += not failed
            report.errors.append(f"{row_id}: {error}")
            log.warning("outbox %s attempt %d failed: %s", row_id, attempts, error)
            continue
        with engine.begin() as conn:
            conn.execute(update(OutboxRow).where(OutboxRow.id == row_id).values(
                status="sent", sent_at=utcnow(), attempts=row.attempts + 1, claimed_until=None, last_error=""))
            audit(conn, "system", "outbox.deliver", f"outbox:{row_id}")
        report.sent += 1
    return report


def _gave_up(conn: Connection, row: Any, attempts: int, error: str, now: dt.datetime) -> None:
    """Record a message the outbox stopped trying: audit line, referral marked failed, a warning.

    The error texts are the senders' own (host, status code, exception type), never a recipient or
    a body, so the log holds no personal data."""
    audit(conn, "system:outbox", "outbox.fail", f"outbox:{row.id}")
    if row.purpose == "referral" and row.reference:
        conn.execute(update(ReferralRow).where(ReferralRow.reference == row.reference,
                                               ReferralRow.status == "sent").values(status="failed", status_at=now))
        audit(conn, "system:outbox", "referral.delivery_failed", f"referral:{row.reference}")
        log.warning("referral %s: delivery by %s given up after %d attempts (outbox %s): %s",
                    row.reference, row.channel, attempts, row.id, error)
    else:
        log.warning("outbox %s (%s, %s) given up after %d attempts: %s", row.id, row.channel, row.purpose,
                    attempts, error)
