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
    secret_enc: Mapped[str] = mapped_column(Text, default="")  # encrypted webhook secret, if any
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


class PartnerRow(PersonalBase):
    __tablename__ = "partners"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organization_id: Mapped[str] = mapped_column(String(64), index=True)  # PTV organisation id
    name: Mapped[str] = mapped_column(String(200))
    service_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of PTV service ids
    target_groups: Mapped[str] = mapped_column(Text, default="[]")  # JSON list; empty = everyone
    capacity_per_month: Mapped[int] = mapped_column(Integer)
    delivery_method: Mapped[str] = mapped_column(String(16))  # inbox | email | webhook
    delivery_address: Mapped[str] = mapped_column(String(500), default="")  # email or webhook URL
    webhook_secret_enc: Mapped[str] = mapped_column(Text, default="")
    contact_person: Mapped[str] = mapped_column(String(200), default="")
    inbox_token_sha256: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(default=True)


class PartnerFileEntryRow(PersonalBase):
    """The partners that came from the partner file: only these does a reload of the file deactivate
    when it no longer lists them (partners made with the admin API are left alone). A table of its
    own, so that ``create_all`` adds it to an existing store."""

    __tablename__ = "partner_file_entries"

    partner_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class CapacityRow(PersonalBase):
    __tablename__ = "partner_capacity"

    partner_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    used: Mapped[int] = mapped_column(Integer, default=0)


class ReferralRow(PersonalBase):
    __tablename__ = "referrals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # "hmac:<hex>", a keyed hash of the caller's key (never the key itself); "forgotten:<id>" once
    # the personal data is deleted
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    partner_id: Mapped[str] = mapped_column(String(64), index=True)
    service_id: Mapped[str] = mapped_column(String(64))
    service_name: Mapped[str] = mapped_column(String(300))
    theme: Mapped[str] = mapped_column(String(32), default="")
    target_group: Mapped[str] = mapped_column(String(32), default="")
    municipality: Mapped[str] = mapped_column(String(3), default="")
    month: Mapped[str] = mapped_column(String(7))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    consent_at: Mapped[dt.datetime] = mapped_column(DateTime)
    consent_text: Mapped[str] = mapped_column(Text)  # exactly what the resident was shown
    consent_method: Mapped[str] = mapped_column(String(16))  # chat | verbal
    made_by: Mapped[str] = mapped_column(String(64))  # resident | professional:<key id>
    personal_enc: Mapped[str | None] = mapped_column(Text, nullable=True)  # encrypted JSON; None once deleted
    personal_deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="sent")  # ... | failed (delivery gave up)
    status_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class DraftRow(PersonalBase):
    """What a resident has typed so far in the chat's referral, kept out of the conversation log."""

    __tablename__ = "referral_drafts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    data_enc: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
