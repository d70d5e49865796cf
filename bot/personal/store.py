"""Tables of the personal store: outbox and audit log (referrals join them later).

Contact details and message bodies are stored encrypted (``bot.personal.crypto``); the audit
log names who did what to which record, never the personal data itself.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Engine, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.catalog.store import make_engine


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class PersonalBase(DeclarativeBase):
    pass


class OutboxRow(PersonalBase):
    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    channel: Mapped[str] = mapped_column(String(16))  # email | sms | webhook
    recipient_enc: Mapped[str] = mapped_column(Text)  # encrypted address, number or URL
    subject: Mapped[str] = mapped_column(String(200), default="")
    body_enc: Mapped[str] = mapped_column(Text)  # encrypted
    purpose: Mapped[str] = mapped_column(String(32))  # service_info | referral
    reference: Mapped[str] = mapped_column(String(64), default="")  # e.g. a referral's code
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)


class AuditRow(PersonalBase):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(128))  # "professional:<key id>", "partner:<id>", "system"
    action: Mapped[str] = mapped_column(String(64))  # e.g. outbox.create, outbox.deliver
    record: Mapped[str] = mapped_column(String(128))  # table:id, never personal data


def personal_engine(url: str) -> Engine:
    engine = make_engine(url, durable=True)
    PersonalBase.metadata.create_all(engine)
    return engine
