"""Referral API: the chat's internal calls, the partner inbox, the county's admin, professionals."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from bot.access import api_key_is_valid, key_id
from bot.catalog.deps import catalog_engine
from bot.catalog.describe import service_record
from bot.finnish.vocabulary import TARGET_GROUP_LABELS, THEME_LABELS
from bot.personal.store import utcnow
from bot.personal.validation import InvalidContact, normalise_email, normalise_phone
from bot.referrals import service as referrals
from bot.referrals.partners import Partner, PartnerFileError, active_partners, partner_by_token, save_partner
from bot.settings import Settings

router = APIRouter(tags=["hyvinvointilähete"])
# partner_id: the partner named in the consent the resident gave; the referral goes only there
FIELDS = ("name", "contact", "contact_time", "message", "consent_text", "consent_at", "partner_id")
MAX_FIELD = {"name": 100, "contact": 254, "contact_time": 100, "message": 500, "consent_text": 2000,
             "consent_at": 40, "partner_id": 64}
CONSENT_CLOCK_SKEW = dt.timedelta(minutes=5)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _personal(request: Request) -> Engine:
    engine: Engine = request.app.state.personal_engine
    return engine


def require_internal(request: Request, x_internal_token: Annotated[str | None, Header()] = None) -> None:
    if not x_internal_token or not api_key_is_valid(x_internal_token, (_settings(request).internal_token,)):
        raise HTTPException(401, "Virheellinen sisäinen tunniste.")


def require_admin(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    token = (authorization or "").removeprefix("Bearer ").strip()
    if not token or not api_key_is_valid(token, (_settings(request).admin_token,)):
        raise HTTPException(401, "Virheellinen tai puuttuva ylläpitäjän tunniste.")
    return f"admin:{key_id(token)}"


def require_partner(request: Request, authorization: Annotated[str | None, Header()] = None) -> Partner:
    partner = partner_by_token(_personal(request), (authorization or "").removeprefix("Bearer ").strip())
    if partner is None:
        raise HTTPException(401, "Virheellinen tai puuttuva kumppanin tunniste.")
    return partner


def require_professional(request: Request, x_api_key: Annotated[str | None, Header()] = None) -> str:
    if not x_api_key or not api_key_is_valid(x_api_key, _settings(request).professional_api_keys):
        raise HTTPException(401, "Virheellinen tai puuttuva API-avain.")
    return f"professional:{key_id(x_api_key)}"


Catalog = Annotated[Engine, Depends(catalog_engine)]
Personal = Annotated[Engine, Depends(_personal)]
Internal = Depends(require_internal)


def validate_field(field: str, value: str) -> str:
    """The value as stored, or HTTP 422 with a Finnish message the chat can show as is."""
    value = " ".join(value.split()) if field != "message" else value.strip()
    if field not in FIELDS:
        raise HTTPException(422, f"Tuntematon kenttä {field}.")
    if len(value) > MAX_FIELD[field]:
        raise HTTPException(422, f"Teksti on liian pitkä (enintään {MAX_FIELD[field]} merkkiä).")
    if field == "name" and (len(value) < 2 or not any(ch.isalpha() for ch in value)):
        raise HTTPException(422, "Kirjoita nimesi, esimerkiksi Maija Meikäläinen.")
    if field == "contact":
        try:
            return normalise_email(value) if "@" in value else normalise_phone(value)
        except InvalidContact as exc:
            raise HTTPException(422, f"{exc} Voit antaa myös sähköpostiosoitteen.") from exc
    if field == "consent_at":
        return consent_time(value).isoformat(timespec="seconds")
    if field == "partner_id" and not value:
        raise HTTPException(422, "Palveluntarjoaja puuttuu.")
    return value


def consent_time(value: str) -> dt.datetime:
    """The moment of consent (ISO 8601, naive = UTC) as naive UTC, or HTTP 422 with a Finnish message."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except (ValueError, TypeError) as exc:
        raise HTTPException(422, "Suostumuksen aika on virheellinen. Aloita lähete uudelleen.") from exc
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    if moment > utcnow() + CONSENT_CLOCK_SKEW:
        raise HTTPException(422, "Suostumuksen aika on tulevaisuudessa. Aloita lähete uudelleen.")
    return moment


def check_codes(target_group: str | None, theme: str | None = None, municipality: str | None = None) -> None:
    """HTTP 422 with a Finnish message for a code the catalog does not know."""
    if target_group and target_group not in TARGET_GROUP_LABELS:
        raise HTTPException(422, f"Tuntematon kohderyhmä {target_group[:40]!r}.")
    if theme and theme not in THEME_LABELS:
        raise HTTPException(422, f"Tuntematon teema {theme[:40]!r}.")
    if municipality and not (len(municipality) == 3 and municipality.isdigit()):
        raise HTTPException(422, "Kuntakoodi on kolme numeroa, esimerkiksi 609.")


# ---- the chat (action server), internal token

class Offer(BaseModel):
    available: bool
    reason: str
    partner_id: str | None = None
    partner_name: str | None = None
    service_name: str | None = None
    service_phone: str | None = None
    target_groups: list[str] = Field(default=[], description="the groups the partner takes ([]: everyone)")


@router.get("/api/referrals/offer", response_model=Offer, dependencies=[Internal])
def offer(service_id: str, catalog: Catalog, personal: Personal, target_group: str | None = None) -> Offer:
    record = service_record(catalog, service_id)
    if record is None:
        raise HTTPException(404, "Palvelua ei löytynyt.")
    result = referrals.offer_for(personal, record, target_group)
    return Offer(available=result.available, reason=result.reason,
                 partner_id=result.partner.id if result.partner else None,
                 partner_name=result.partner.name if result.partner else None,
                 service_name=record["name"], service_phone=record.get("phone") or None,
                 target_groups=list(result.partner.target_groups) if result.partner else [])


class DraftUpdate(BaseModel):
    draft_id: str | None = None
    field: str
    value: str = Field(max_length=5000)


@router.post("/api/referrals/drafts", dependencies=[Internal])
def update_draft(body: DraftUpdate, personal: Personal) -> dict[str, str]:
    value = validate_field(body.field, body.value)
    draft_id = referrals.save_draft(personal, body.draft_id, {body.field: value})
    return {"draft_id": draft_id, "value": value}


@router.get("/api/referrals/drafts/{draft_id}", dependencies=[Internal])
def get_draft(draft_id: str, personal: Personal) -> dict[str, str]:
    return referrals.read_draft(personal, draft_id)


@router.delete("/api/referrals/drafts/{draft_id}", dependencies=[Internal])
def drop_draft(draft_id: str, personal: Personal) -> dict[str, bool]:
    referrals.delete_draft(personal, draft_id)
    return {"deleted": True}


class PrefillRequest(BaseModel):
    sender_id: str = Field(max_length=128)


@router.post("/api/referrals/drafts/{draft_id}/prefill", dependencies=[Internal])
def prefill_draft(draft_id: str, body: PrefillRequest, personal: Personal) -> dict[str, list[str]]:
    """Name and contact the portal's token carried, copied into the draft (the resident checks them)."""
    return {"filled": referrals.apply_prefill(personal, draft_id, body.sender_id)}


def portal_prefill(personal: Engine, sender_id: str, prefill: dict[str, str]) -> None:
    """Keep a portal user's contact details for a possible referral, validated and encrypted."""
    values: dict[str, str] = {}
    if prefill.get("name"):
        with contextlib.suppress(HTTPException):  # an unusable value is simply asked in the chat
            values["name"] = validate_field("name", prefill["name"])
    for key in ("phone", "email"):
        if prefill.get(key) and "contact" not in values:
            with contextlib.suppress(HTTPException):
                values["contact"] = validate_field("contact", prefill[key])
    if values:
        referrals.store_prefill(personal, sender_id, values)


class ChatSubmission(BaseModel):
    draft_id: str
    service_id: str
    target_group: str | None = None
    theme: str | None = None
    municipality: str | None = None


class Submitted(BaseModel):
    reference: str
    partner_name: str


MISSING_LABELS = {"name": "nimi", "contact": "yhteystieto", "consent_text": "suostumus",
                  "consent_at": "suostumuksen aika", "partner_id": "palveluntarjoaja, jolle annoit luvan"}


def _partner_name(personal: Engine, partner_id: str) -> str:
    return next((p.name for p in active_partners(personal) if p.id == partner_id), "")


def _submit(catalog: Engine, personal: Engine, service_id: str, person: dict[str, str], consent_text: str,
            consent_at: dt.datetime, method: str, made_by: str, target_group: str | None, theme: str | None,
            municipality: str | None, key: str, partner_id: str | None) -> Submitted:
    """Make the referral. With ``partner_id`` (the partner the consent named) it goes there or nowhere;
    without one (a professional's referral) the service's partner with free places is chosen."""
    done = referrals.submitted_with(personal, key)
    if done:  # a retry after a lost answer: the same referral, not a second one
        return Submitted(reference=done.reference, partner_name=_partner_name(personal, done.partner_id))
    record = service_record(catalog, service_id)
    if record is None:
        raise HTTPException(404, "Palvelua ei löytynyt.")
    if partner_id:
        try:
            partner = referrals.consented_partner(personal, partner_id, record, target_group)
        except referrals.PartnerUnavailable as exc:
            raise HTTPException(409, str(exc)) from exc
    else:
        result = referrals.offer_for(personal, record, target_group)
        if result.partner is None or result.reason in ("no_partner", "target_group"):
            raise HTTPException(409, "Tähän palveluun ei voi tehdä hyvinvointilähetettä.")
        partner = result.partner
    try:
        submission = referrals.submit(
            personal, partner=partner, service=record, personal=person, consent_text=consent_text,
            consent_at=consent_at, consent_method=method, made_by=made_by, target_group=target_group,
            theme=theme or next(iter(record.get("themes") or []), None), municipality=municipality,
            idempotency_key=key)
    except referrals.CapacityFull as exc:
        raise HTTPException(409, f"Palveluntarjoajan {partner.name} lähetepaikat ovat tältä kuukaudelta "
                                 "täynnä.") from exc
    except referrals.PartnerUnavailable as exc:
        raise HTTPException(409, str(exc)) from exc
    if submission.partner_id != partner.id:  # the key's earlier referral
        return Submitted(reference=submission.reference, partner_name=_partner_name(personal, submission.partner_id))
    return Submitted(reference=submission.reference, partner_name=partner.name)


@router.post("/api/referrals", response_model=Submitted, status_code=201, dependencies=[Internal])
def submit_from_chat(body: ChatSubmission, catalog: Catalog, personal: Personal) -> Submitted:
    """Send the resident's draft to the partner named in the consent they gave, and only there."""
    check_codes(body.target_group, body.theme, body.municipality)
    key = f"draft:{body.draft_id}"
    done = referrals.submitted_with(personal, key)
    if done:  # a retry after a lost answer: the same referral, not a second one
        return Submitted(reference=done.reference, partner_name=_partner_name(personal, done.partner_id))
    draft = referrals.read_draft(personal, body.draft_id)
    missing = [f for f in MISSING_LABELS if not draft.get(f)]
    if missing:
        done = referrals.submitted_with(personal, key)  # a concurrent retry may have just sent it
        if done:
            return Submitted(reference=done.reference, partner_name=_partner_name(personal, done.partner_id))
        raise HTTPException(422, "Lähetteeltä puuttuu: " + ", ".join(MISSING_LABELS[f] for f in missing)
                            + ". Aloita lähete uudelleen.")
    contact = draft["contact"]
    person = {"name": draft["name"], "contact_time": draft.get("contact_time", ""),
              "message": draft.get("message", ""), ("email" if "@" in contact else "phone"): contact}
    submitted = _submit(catalog, personal, body.service_id, person, draft["consent_text"],
                        consent_time(draft["consent_at"]), "chat", "resident", body.target_group,
                        body.theme, body.municipality, key, draft["partner_id"])
    referrals.delete_draft(personal, body.draft_id)
    return submitted


# ---- professionals: a referral on behalf of a client who consented verbally

class ProfessionalReferral(BaseModel):
    service_id: str
    name: str = Field(min_length=2, max_length=100)
    contact: str = Field(min_length=3, max_length=254, description="phone number or email address")
    contact_time: str = Field(default="", max_length=100)
    message: str = Field(default="", max_length=500)
    consent: Literal["verbal"] = Field(description="the client's consent was obtained verbally")
    target_group: str | None = None
    partner_id: str | None = Field(default=None, max_length=64,
                                   description="the partner the client consented to; then only that one")


@router.post("/api/professional/referrals", response_model=Submitted, status_code=201)
def submit_by_professional(body: ProfessionalReferral, catalog: Catalog, personal: Personal,
                           actor: Annotated[str, Depends(require_professional)],
                           idempotency_key: Annotated[str | None, Header(max_length=128)] = None) -> Submitted:
    check_codes(body.target_group)
    contact = validate_field("contact", body.contact)
    person = {"name": validate_field("name", body.name), "contact_time": body.contact_time,
              "message": body.message, ("email" if "@" in contact else "phone"): contact}
    consent_text = "Asiakas antoi suullisen suostumuksen yhteystietojensa luovuttamiseen kumppanille."
    # the key is the professional's own (scoped to their API key, stored only as a keyed hash);
    # without one every call is a new referral
    key = f"pro:{actor}:{idempotency_key}" if idempotency_key else f"pro:{actor}:once:{uuid.uuid4()}"
    return _submit(catalog, personal, body.service_id, person, consent_text, utcnow(), "verbal", actor,
                   body.target_group, None, None, key, body.partner_id)


# ---- partners' inbox

class StatusUpdate(BaseModel):
    status: Literal["received", "contacted", "started", "declined"]


@router.get("/api/partner/referrals")
def partner_inbox(personal: Personal, partner: Annotated[Partner, Depends(require_partner)],
                  status: Annotated[str | None, Query(pattern="^(sent|received|contacted|started|declined|failed)$")]
                  = None) -> dict[str, Any]:
    """The partner's referrals with the residents' contact details (every read is audited)."""
    return {"partner": partner.id, "referrals": referrals.inbox(personal, partner, status)}


@router.patch("/api/partner/referrals/{reference}")
def partner_status(reference: str, body: StatusUpdate, personal: Personal,
                   partner: Annotated[Partner, Depends(require_partner)]) -> dict[str, str]:
    if not referrals.set_status(personal, partner, reference, body.status):
        raise HTTPException(404, "Lähetettä ei löytynyt.")
    return {"reference": reference, "status": body.status}


# ---- the county

Admin = Annotated[str, Depends(require_admin)]


@router.get("/api/admin/partners")
def list_partners(personal: Personal, _admin: Admin) -> list[dict[str, Any]]:
    month = referrals.month_of()
    return [{"id": p.id, "organization_id": p.organization_id, "name": p.name, "service_ids": list(p.service_ids),
             "target_groups": list(p.target_groups), "capacity_per_month": p.capacity_per_month,
             "used_this_month": referrals.used_this_month(personal, p.id, month),
             "delivery_method": p.delivery_method, "contact_person": p.contact_person,
             "delivery_ready": p.can_deliver()}
            for p in active_partners(personal)]


class PartnerIn(BaseModel):
    organization_id: str
    name: str
    service_ids: list[str] = []
    target_groups: list[str] = []
    capacity_per_month: int = Field(ge=0, le=100_000)
    delivery_method: Literal["inbox", "email", "webhook"] = "inbox"
    delivery_address: str = ""
    contact_person: str = ""
    inbox_token: str = Field(default="", description="a new token for the partner's inbox; empty: keep the "
                             "current one (a new inbox partner without one gets a generated token)")
    webhook_secret: str = Field(default="", description="a new signing secret for the partner's webhook; empty: "
                                "keep the current one (a webhook partner without one gets a generated secret)")


@router.put("/api/admin/partners/{partner_id}")
def put_partner(partner_id: str, body: PartnerIn, personal: Personal, _admin: Admin) -> dict[str, Any]:
    """Create or replace a partner. Its inbox token and webhook secret stay unless new ones are given;
    a generated token or secret is in this answer only, once (the store keeps it hashed or encrypted)."""
    entry = {**body.model_dump(exclude={"inbox_token", "webhook_secret"}), "id": partner_id,
             "delivery": {"method": body.delivery_method, "address": body.delivery_address}}
    try:
        created, generated = save_partner(personal, entry, body.inbox_token, body.webhook_secret)
    except PartnerFileError as exc:
        raise HTTPException(422, str(exc)) from exc
    return {"id": partner_id, "status": "saved", "created": created, **generated}


@router.get("/api/admin/referrals/failed")
def failed_referrals(personal: Personal, _admin: Admin) -> list[dict[str, Any]]:
    """Referrals whose delivery to the partner was given up (no personal data): contact the partner."""
    return referrals.failed_referrals(personal)


@router.get("/api/admin/referral-stats")
def referral_stats(personal: Personal, _admin: Admin) -> list[dict[str, Any]]:
    """Referrals per partner, theme, month and status, without personal data."""
    return referrals.statistics(personal)


@router.delete("/api/admin/referrals/{reference}/personal-data")
def forget_referral(reference: str, personal: Personal, admin: Admin) -> dict[str, str]:
    """Delete a referral's personal data on request (the anonymous count stays)."""
    if not referrals.forget(personal, reference, admin):
        raise HTTPException(404, "Lähetettä ei löytynyt.")
    return {"reference": reference, "personal_data": "deleted"}


@router.post("/api/admin/retention")
def run_retention(request: Request, personal: Personal, _admin: Admin) -> dict[str, int]:
    return referrals.apply_retention(personal, _settings(request).retention_days)
