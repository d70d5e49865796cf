"""Putting a message into the outbox: one durable insert, idempotent by key."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from bot.personal.audit import audit
from bot.personal.crypto import encrypt
from bot.personal.store import OutboxRow, utcnow

CHANNELS = ("email", "sms", "webhook")


@dataclass(frozen=True)
class Outgoing:
    channel: str
    recipient: str  # email address, E.164 phone number or webhook URL
    subject: str
    body: str
    purpose: str
    reference: str = ""
    secret_enc: str = ""  # webhook signing secret, already encrypted


def enqueue_in(conn: Connection, message: Outgoing, idempotency_key: str, actor: str) -> str:
    """Insert within the caller's transaction, so the message exists exactly when its cause does."""
    if message.channel not in CHANNELS:
        raise ValueError(f"unknown channel {message.channel!r}")
    row_id = str(uuid.uuid4())
    conn.execute(insert(OutboxRow).values(
        id=row_id, idempotency_key=idempotency_key[:128], channel=message.channel,
        recipient_enc=encrypt(message.recipient), subject=message.subject[:200],
        body_enc=encrypt(message.body), secret_enc=message.secret_enc, purpose=message.purpose,
        reference=message.reference[:64], status="pending", attempts=0, next_attempt_at=utcnow(),
        created_at=utcnow(), last_error=""))
    audit(conn, actor, "outbox.create", f"outbox:{row_id}")
    return row_id


def enqueue(engine: Engine, message: Outgoing, idempotency_key: str | None, actor: str) -> tuple[str, bool]:
    """Store the message for delivery. Returns (id, created); the same key twice is one message."""
    key = (idempotency_key or str(uuid.uuid4()))[:128]
    with engine.connect() as conn:
        existing = conn.execute(select(OutboxRow.id).where(OutboxRow.idempotency_key == key)).scalar_one_or_none()
    if existing:
        return existing, False
    try:
        with engine.begin() as conn:
            row_id = enqueue_in(conn, message, key, actor)
    except IntegrityError:  # the same key arrived concurrently
        with engine.connect() as conn:
            return conn.execute(select(OutboxRow.id).where(OutboxRow.idempotency_key == key)).scalar_one(), False
    return row_id, True
