"""Referrals: who can take one, drafts kept out of the chat log, atomic submission with capacity,
partner inbox, county statistics, retention.

A referral goes only to the partner the resident consented to; the caller's idempotency key is
stored as a keyed hash (HMAC with a key derived from the data key), never as given, and is dropped
with the personal data at retention."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from bot.outbox.queue import Outgoing, enqueue_in
from bot.personal.audit import audit
from bot.personal.crypto import _dev_key, decrypt, encrypt
from bot.personal.store import CapacityRow, DraftRow, OutboxRow, ReferralRow, utcnow
from bot.referrals.partners import Partner, active_partner, active_partners
from bot.settings import get_settings

PARTNER_STATUSES = ("received", "contacted", "started", "declined")
STATUSES = ("sent", *PARTNER_STATUSES, "failed")  # failed: the outbox gave up delivering it
KEY_HASH_PREFIX = "hmac:"
FORGOTTEN_KEY_PREFIX = "forgotten:"
SUBMIT_TRIES = 3  # a clash of two random reference codes is retried
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
DRAFT_HOURS = 24
HELSINKI = ZoneInfo("Europe/Helsinki")


class CapacityFull(RuntimeError):
    """The partner has no free places this month."""


class PartnerUnavailable(RuntimeError):
    """The partner the resident consented to cannot take this referral now; the message is Finnish."""


@dataclass(frozen=True)
class Submission:
    reference: str
    partner_id: str
    created: bool  # False: the same idempotency key was used before, this is that referral


@dataclass(frozen=True)
class Offer:
    available: bool
    partner: Partner | None
    reason: str  # "" | "no_partner" | "target_group" | "full"
    free: int = 0


def month_of(moment: dt.datetime | None = None) -> str:
    """The capacity month ("2026-11") in Finnish time; naive datetimes are UTC."""
    moment = moment or dt.datetime.now(dt.UTC)
    local = (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(HELSINKI)
    return f"{local.year:04d}-{local.month:02d}"


def used_this_month(engine: Engine, partner_id: str, month: str) -> int:
    with engine.connect() as conn:
        used = conn.execute(select(CapacityRow.used).where(CapacityRow.partner_id == partner_id,
                                                           CapacityRow.month == month)).scalar_one_or_none()
    return int(used or 0)


def offer_for(engine: Engine, service: dict[str, Any], target_group: str | None) -> Offer:
    """Can a referral be made to this service now, and through which partner? A partner limited to
    target groups is offered only when the resident's group is known and one of them."""
    organization = service.get("organization_id") or ""
    candidates = [p for p in active_partners(engine)
                  if p.takes_service(service["id"], organization) and p.can_deliver()]
    if not candidates:
        return Offer(False, None, "no_partner")
    fitting = [p for p in candidates if p.takes_group(target_group)]
    if not fitting:
        return Offer(False, candidates[0], "target_group")
    month = month_of()
    for partner in fitting:
        free = partner.capacity_per_month - used_this_month(engine, partner.id, month)
        if free > 0:
            return Offer(True, partner, "", free)
    return Offer(False, fitting[0], "full")


def consented_partner(engine: Engine, partner_id: str, service: dict[str, Any], target_group: str | None) -> Partner:
    """The partner named in the resident's consent, if it can still take this referral; never another.
    Raises PartnerUnavailable with a Finnish reason. (Capacity is taken, or refused, in ``submit``.)"""
    partner = active_partner(engine, partner_id) if partner_id else None
    if partner is None or not partner.can_deliver():
        raise PartnerUnavailable("Palveluntarjoaja, jolle annoit luvan, ei ota nyt vastaan lähetteitä.")
    if not partner.takes_service(service["id"], service.get("organization_id") or ""):
        raise PartnerUnavailable(f"{partner.name} ei enää ota lähetteitä tähän palveluun.")
    if not partner.takes_group(target_group):
        raise PartnerUnavailable(f"{partner.name} ottaa lähetteitä vain tietyille kohderyhmille.")
    return partner


# ---- drafts: what the resident typed, encrypted, never in the conversation log

def save_draft(engine: Engine, draft_id: str | None, updates: dict[str, str]) -> str:
    with engine.begin() as conn:
        row = conn.execute(select(DraftRow.data_enc).where(DraftRow.id == draft_id)).first() if draft_id else None
        data = json.loads(decrypt(row.data_enc)) if row else {}
        data.update(updates)
        if row:
            conn.execute(update(DraftRow).where(DraftRow.id == draft_id).values(data_enc=encrypt(json.dumps(data))))
            return str(draft_id)
        new_id = str(uuid.uuid4())
        conn.execute(insert(DraftRow).values(id=new_id, data_enc=encrypt(json.dumps(data)), created_at=utcnow()))
        return new_id


def read_draft(engine: Engine, draft_id: str) -> dict[str, str]:
    with engine.begin() as conn:
        row = conn.execute(select(DraftRow.data_enc).where(DraftRow.id == draft_id)).first()
        if row:
            audit(conn, "system:chat", "draft.read", f"referral_drafts:{draft_id}")
    return json.loads(decrypt(row.data_enc)) if row else {}


def delete_draft(engine: Engine, draft_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(DraftRow).where(DraftRow.id == draft_id))


def prefill_id(sender_id: str) -> str:
    """The draft that holds what a portal told about a conversation's user, for prefill only."""
    return "pf-" + hashlib.sha256(sender_id.encode()).hexdigest()[:32]


def store_prefill(engine: Engine, sender_id: str, values: dict[str, str]) -> None:
    draft_id = prefill_id(sender_id)
    delete_draft(engine, draft_id)
    with engine.begin() as conn:
        conn.execute(insert(DraftRow).values(id=draft_id, data_enc=encrypt(json.dumps(values)), created_at=utcnow()))


def apply_prefill(engine: Engine, draft_id: str, sender_id: str) -> list[str]:
    """Copy the portal's name and contact into a referral draft; returns the fields filled."""
    with engine.connect() as conn:
        row = conn.execute(select(DraftRow.data_enc).where(DraftRow.id == prefill_id(sender_id))).first()
    if not row:
        return []
    values = json.loads(decrypt(row.data_enc))
    save_draft(engine, draft_id, values)
    return sorted(values)


# ---- submission

@cache
def _key_hash_key(data_key: str, data_dir: Path) -> bytes:
    """A key for hashing idempotency keys, derived from the data key (never the data key itself)."""
    raw = data_key.encode() if data_key else _dev_key(data_dir)
    return hmac.new(raw, b"hyte-navigator/referral-idempotency-key/v1", hashlib.sha256).digest()


def key_hash(idempotency_key: str) -> str:
    """What is stored of a caller's idempotency key: HMAC-SHA256 with a key derived from the data key,
    so a key that holds a name (or anything else) is not kept readable."""
    settings = get_settings()
    digest = hmac.new(_key_hash_key(settings.data_key, settings.data_dir), idempotency_key.encode("utf-8"),
                      hashlib.sha256).hexdigest()
    return KEY_HASH_PREFIX + digest


def _reference() -> str:
    return "HL-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def _ensure_capacity_row(conn: Connection, partner_id: str, month: str) -> None:
    values = {"partner_id": partner_id, "month": month, "used": 0}
    if conn.dialect.name == "postgresql":
        conn.execute(pg_insert(CapacityRow).values(**values).on_conflict_do_nothing())
    else:
        conn.execute(sqlite_insert(CapacityRow).values(**values).on_conflict_do_nothing())


def delivery_text(reference: str, service_name: str, personal: dict[str, str], consent_at: dt.datetime,
                  method: str) -> str:
    lines = [f"Uusi hyvinvointilähete {reference}", f"Palvelu: {service_name}", f"Nimi: {personal.get('name', '')}"]
    for key, label in (("phone", "Puhelin"), ("email", "Sähköposti"), ("contact_time", "Toivottu yhteydenottoaika"),
                       ("message", "Viesti")):
        if personal.get(key):
            lines.append(f"{label}: {personal[key]}")
    lines.append(f"Suostumus annettu {consent_at:%d.%m.%Y klo %H.%M} (UTC), tapa: {method}.")
    lines.append("Ota yhteyttä asiakkaaseen ja merkitse tila lähetepostilaatikkoon.")
    return "\n".join(lines)


def submit(engine: Engine, *, partner: Partner, service: dict[str, Any], personal: dict[str, str],
           consent_text: str, consent_at: dt.datetime, consent_method: str, made_by: str,
           target_group: str | None, theme: str | None, municipality: str | None,
           idempotency_key: str) -> Submission:
    """Store the referral, take one place of the partner's capacity and queue its delivery, all in
    one transaction. The same idempotency key twice, even at the same moment on PostgreSQL, is one
    referral: the loser of the race hits the unique key, rolls back and answers with the winner's.
    Raises CapacityFull when no place is left, PartnerUnavailable when the delivery cannot carry it."""
    if not partner.can_deliver():
        raise PartnerUnavailable("Palveluntarjoajan lähetteiden vastaanotto ei ole nyt käytössä.")
    stored_key = key_hash(idempotency_key)
    for attempt in range(SUBMIT_TRIES):
        try:
            return _submit_once(engine, partner, service, personal, consent_text, consent_at, consent_method,
                                made_by, target_group, theme, municipality, stored_key)
        except CapacityFull:  # the same key may have taken the last place a moment ago
            earlier = _submitted(engine, stored_key)
            if earlier:
                return earlier
            raise
        except IntegrityError:
            earlier = _submitted(engine, stored_key)
            if earlier:
                return earlier
            if attempt == SUBMIT_TRIES - 1:  # not the key: a reference code clash, three times
                raise
    raise AssertionError("unreachable")


def _submit_once(engine: Engine, partner: Partner, service: dict[str, Any], personal: dict[str, str],
                 consent_text: str, consent_at: dt.datetime, consent_method: str, made_by: str,
                 target_group: str | None, theme: str | None, municipality: str | None,
                 stored_key: str) -> Submission:
    month = month_of()
    if consent_at.tzinfo is not None:
        consent_at = consent_at.astimezone(dt.UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        _ensure_capacity_row(conn, partner.id, month)  # a write first: SQLite takes its lock here
        existing = conn.execute(select(ReferralRow.reference, ReferralRow.partner_id).where(
            ReferralRow.idempotency_key == stored_key)).first()
        if existing:
            return Submission(existing.reference, existing.partner_id, False)
        taken = conn.execute(update(CapacityRow).where(
            CapacityRow.partner_id == partner.id, CapacityRow.month == month,
            CapacityRow.used < partner.capacity_per_month).values(used=CapacityRow.used + 1))
        if taken.rowcount != 1:
            raise CapacityFull(partner.id)
        referral_id, reference = str(uuid.uuid4()), _reference()
        conn.execute(insert(ReferralRow).values(
            id=referral_id, reference=reference, idempotency_key=stored_key, partner_id=partner.id,
            service_id=service["id"], service_name=service.get("name", "")[:300], theme=theme or "",
            target_group=target_group or "", municipality=municipality or "", month=month, created_at=utcnow(),
            consent_at=consent_at, consent_text=consent_text, consent_method=consent_method, made_by=made_by,
            personal_enc=encrypt(json.dumps(personal)), status="sent", status_at=utcnow()))
        audit(conn, made_by, "referral.create", f"referrals:{referral_id}")
        text = delivery_text(reference, service.get("name", ""), personal, consent_at, consent_method)
        if partner.delivery_method == "email":
            enqueue_in(conn, Outgoing("email", partner.delivery_address, f"Hyvinvointilähete {reference}", text,
                                      "referral", reference), f"referral:{reference}", made_by)
        elif partner.delivery_method == "webhook":
            body = json.dumps({"reference": reference, "service_id": service["id"],
                               "service_name": service.get("name", ""), "person": personal,
                               "consent_at": consent_at.isoformat(), "consent_method": consent_method},
                              ensure_ascii=False)
            enqueue_in(conn, Outgoing("webhook", partner.delivery_address, "", body, "referral", reference,
                                      partner.webhook_secret_enc), f"referral:{reference}", made_by)
    return Submission(reference, partner.id, True)


def _submitted(engine: Engine, stored_key: str) -> Submission | None:
    with engine.connect() as conn:
        row = conn.execute(select(ReferralRow.reference, ReferralRow.partner_id).where(
            ReferralRow.idempotency_key == stored_key)).first()
    return Submission(row.reference, row.partner_id, False) if row else None


def submitted_with(engine: Engine, idempotency_key: str) -> Submission | None:
    """The referral already made with this key, if any."""
    return _submitted(engine, key_hash(idempotency_key))


# ---- partner inbox, county statistics

def inbox(engine: Engine, partner: Partner, status: str | None = None) -> list[dict[str, Any]]:
    query = select(ReferralRow.__table__).where(ReferralRow.partner_id == partner.id)
    if status:
        query = query.where(ReferralRow.status == status)
    with engine.begin() as conn:
        rows = conn.execute(query.order_by(ReferralRow.created_at)).all()
        for row in rows:
            if row.personal_enc:
                audit(conn, f"partner:{partner.id}", "referral.read", f"referrals:{row.id}")
    return [{"reference": r.reference, "service_id": r.service_id, "service_name": r.service_name,
             "created_at": r.created_at.isoformat(), "status": r.status, "consent_at": r.consent_at.isoformat(),
             "consent_method": r.consent_method,
             "person": json.loads(decrypt(r.personal_enc)) if r.personal_enc else None} for r in rows]


def set_status(engine: Engine, partner: Partner, reference: str, status: str) -> bool:
    with engine.begin() as conn:
        result = conn.execute(update(ReferralRow).where(
            ReferralRow.reference == reference, ReferralRow.partner_id == partner.id).values(
            status=status, status_at=utcnow()))
        if result.rowcount:
            audit(conn, f"partner:{partner.id}", f"referral.status.{status}", f"referral:{reference}")
    return bool(result.rowcount)


def statistics(engine: Engine) -> list[dict[str, Any]]:
    """Counts per partner, theme, month and status: what the county reports, no personal data."""
    with engine.connect() as conn:
        rows = conn.execute(select(ReferralRow.partner_id, ReferralRow.theme, ReferralRow.month, ReferralRow.status,
                                   func.count()).group_by(ReferralRow.partner_id, ReferralRow.theme,
                                                          ReferralRow.month, ReferralRow.status)).all()
    return [{"partner_id": p, "theme": t, "month": m, "status": s, "count": c} for p, t, m, s, c in rows]


def failed_referrals(engine: Engine) -> list[dict[str, Any]]:
    """Referrals whose delivery the outbox gave up, with the last error; no personal data."""
    with engine.connect() as conn:
        rows = conn.execute(select(ReferralRow.reference, ReferralRow.partner_id, ReferralRow.service_id,
                                   ReferralRow.created_at, ReferralRow.status_at)
                            .where(ReferralRow.status == "failed").order_by(ReferralRow.status_at)).all()
        errors = dict(conn.execute(select(OutboxRow.reference, OutboxRow.last_error).where(
            OutboxRow.purpose == "referral", OutboxRow.reference.in_([r.reference for r in rows]))).all())
    return [{"reference": r.reference, "partner_id": r.partner_id, "service_id": r.service_id,
             "created_at": r.created_at.isoformat(), "failed_at": r.status_at.isoformat(),
             "last_error": errors.get(r.reference, "")} for r in rows]


# ---- retention

def forget(engine: Engine, reference: str, actor: str) -> bool:
    """Delete the personal data of one referral (on request); the anonymous counts stay."""
    with engine.begin() as conn:
        result = conn.execute(update(ReferralRow).where(ReferralRow.reference == reference).values(
            personal_enc=None, personal_deleted_at=utcnow(),
            idempotency_key=FORGOTTEN_KEY_PREFIX + ReferralRow.id))
        _forget_outbox(conn, [reference])
        audit(conn, actor, "referral.forget", f"referral:{reference}")
    return bool(result.rowcount)


def _forget_outbox(conn: Connection, references: list[str]) -> None:
    if references:
        conn.execute(update(OutboxRow).where(OutboxRow.purpose == "referral", OutboxRow.reference.in_(references))
                     .values(recipient_enc=encrypt(""), body_enc=encrypt(""), status="forgotten"))


def apply_retention(engine: Engine, days: int, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or utcnow()
    cutoff = now - dt.timedelta(days=days)
    with engine.begin() as conn:
        old = conn.execute(select(ReferralRow.reference).where(
            ReferralRow.created_at < cutoff, ReferralRow.personal_enc.is_not(None))).scalars().all()
        conn.execute(update(ReferralRow).where(ReferralRow.reference.in_(old)).values(
            personal_enc=None, personal_deleted_at=now, idempotency_key=FORGOTTEN_KEY_PREFIX + ReferralRow.id))
        _forget_outbox(conn, list(old))
        _hash_legacy_keys(conn)
        drafts = conn.execute(delete(DraftRow).where(DraftRow.created_at < now - dt.timedelta(hours=DRAFT_HOURS)))
        outbox = conn.execute(delete(OutboxRow).where(OutboxRow.purpose == "service_info",
                                                      OutboxRow.created_at < cutoff))
        if old:
            audit(conn, "system:retention", "referral.forget", f"referrals:{len(old)}")
    return {"referrals": len(old), "drafts": drafts.rowcount, "outbox": outbox.rowcount}


def _hash_legacy_keys(conn: Connection) -> None:
    """Idempotency keys stored as given (before they were hashed; a professional's could hold the
    client's name) become their keyed hash; those whose personal data is gone, a forgotten marker."""
    legacy = conn.execute(select(ReferralRow.id, ReferralRow.idempotency_key, ReferralRow.personal_enc).where(
        ReferralRow.idempotency_key.not_like(KEY_HASH_PREFIX + "%"),
        ReferralRow.idempotency_key.not_like(FORGOTTEN_KEY_PREFIX + "%"))).all()
    for row in legacy:
        stored = key_hash(row.idempotency_key) if row.personal_enc else FORGOTTEN_KEY_PREFIX + row.id
        if row.personal_enc and conn.execute(select(ReferralRow.id).where(
                ReferralRow.idempotency_key == stored)).first():
            stored = FORGOTTEN_KEY_PREFIX + row.id  # the same key was used again since: keep that one
        conn.execute(update(ReferralRow).where(ReferralRow.id == row.id).values(idempotency_key=stored))
