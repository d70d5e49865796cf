"""Referral API: the chat's internal calls, the partner inbox, the county's admin, professionals."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from bot.access import api_key_is_valid, key_id
from bot.catalog.deps import catalog_engine
from bot.catalog.describe import service_record
from bot.personal.store import utcnow
from bot.personal.validation import InvalidContact, normalise_email, normalise_phone
from bot.referrals import service as referrals
from bot.referrals.partners import Partner, active_partners, partner_by_token, upsert
from bot.settings import Settings

router = APIRouter(tags=["hyvinvointilähete"])
FIELDS = ("name", "contact", "contact_time", "message", "consent_text", "consent_at")
MAX_FIELD = {"name": 100, "contact": 254, "contact_time": 100, "message": 500, "consent_text": 2000,
             "consent_at": 40}


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
    return value


# ---- the chat (action server), internal token

class Offer(BaseModel):
    available: bool
    reason: str
    partner_id: str | None = None
    partner_name: str | None = None
    service_name: str | None = None
    service_phone: str | None = None


@router.get("/api/referrals/offer", response_model=Offer, dependencies=[Internal])
def offer(service_id: str, catalog: Catalog, personal: Personal, target_group: str | None = None) -> Offer:
    record = service_record(catalog, service_id)
    if record is None:
        raise HTTPException(404, "Palvelua ei löytynyt.")
    result = referrals.offer_for(personal, record, target_group)
    return Offer(available=result.available, reason=result.reason,
                 partner_id=result.partner.id if result.partner else None,
                 partner_name=result.partner.name if result.partner else None,
                 service_name=record["name"], service_phone=record.get("phone") or None)


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


def _submit(catalog: Engine, personal: Engine, service_id: str, person: dict[str, str], consent_text: str,
            consent_at: dt.datetime, method: str, made_by: str, target_group: str | None, theme: str | None,
            municipality: str | None, key: str) -> Submitted:
    record = service_record(catalog, service_id)
    if record is None:
        raise HTTPException(404, "Palvelua ei löytynyt.")
    result = referrals.offer_for(personal, record, target_group)
    if result.partner is None or result.reason in ("no_partner", "target_group"):
        raise HTTPException(409, "Tähän palveluun ei voi tehdä hyvinvointilähetettä.")
    try:
        reference = referrals.submit(
            personal, partner=result.partner, service=record, personal=person, consent_text=consent_text,
            consent_at=consent_at, consent_method=method, made_by=made_by, target_group=target_group,
            theme=theme or next(iter(record.get("themes") or []), None), municipality=municipality,
            idempotency_key=key)
    except referrals.CapacityFull as exc:
        raise HTTPException(409, "Kumppanin lähetepaikat ovat tältä kuukaudelta täynnä.") from exc
    return Submitted(reference=reference, partner_name=result.partner.name)


@router.post("/api/referrals", response_model=Submitted, status_code=201, dependencies=[Internal])
def submit_from_chat(body: ChatSubmission, catalog: Catalog, personal: Personal) -> Submitted:
    done = referrals.submitted_with(personal, f"draft:{body.draft_id}")
    if done:  # a retry after a lost answer: the same referral, not a second one
        partner = next((p for p in active_partners(personal) if p.id == done[1]), None)
        return Submitted(reference=done[0], partner_name=partner.name if partner else "")
    draft = referrals.read_draft(personal, body.draft_id)
    missing = [f for f in ("name", "contact", "consent_text", "consent_at") if not draft.get(f)]
    if missing:
        raise HTTPException(422, f"Lähetteeltä puuttuu: {', '.join(missing)}.")
    contact = draft["contact"]
    person = {"name": draft["name"], "contact_time": draft.get("contact_time", ""),
              "message": draft.get("message", ""), ("email" if "@" in contact else "phone"): contact}
    submitted = _submit(catalog, personal, body.service_id, person, draft["consent_text"],
                        dt.datetime.fromisoformat(draft["consent_at"]), "chat", "resident", body.target_group,
                        body.theme, body.municipality, f"draft:{body.draft_id}")
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


@router.post("/api/professional/referrals", response_model=Submitted, status_code=201)
def submit_by_professional(body: ProfessionalReferral, catalog: Catalog, personal: Personal,
                           actor: Annotated[str, Depends(require_professional)],
                           idempotency_key: Annotated[str | None, Header(max_length=128)] = None) -> Submitted:
    contact = validate_field("contact", body.contact)
    person = {"name": validate_field("name", body.name), "contact_time": body.contact_time,
              "message": body.message, ("email" if "@" in contact else "phone"): contact}
    consent_text = "Asiakas antoi suullisen suostumuksen yhteystietojensa luovuttamiseen kumppanille."
    return _submit(catalog, personal, body.service_id, person, consent_text, utcnow(), "verbal", actor,
                   body.target_group, None, None, idempotency_key or f"pro:{utcnow().isoformat()}:{body.name}")


# ---- partners' inbox

class StatusUpdate(BaseModel):
    status: Literal["received", "contacted", "started", "declined"]


@router.get("/api/partner/referrals")
def partner_inbox(personal: Personal, partner: Annotated[Partner, Depends(require_partner)],
                  status: Annotated[str | None, Query(pattern="^(sent|received|contacted|started|declined)$")]
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
             "delivery_method": p.delivery_method, "contact_person": p.contact_person}
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
    inbox_token: str = Field(default="", description="token the partner uses for its inbox")


@router.put("/api/admin/partners/{partner_id}")
def put_partner(partner_id: str, body: PartnerIn, personal: Personal, _admin: Admin) -> dict[str, str]:
    from bot.referrals.partners import _row_values

    entry = {**body.model_dump(), "id": partner_id,
             "delivery": {"method": body.delivery_method, "address": body.delivery_address}}
    try:
        upsert(personal, [_row_values(entry, 0)])
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    return {"id": partner_id, "status": "saved"}


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
