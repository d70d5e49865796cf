"""Professional API: send one service's details to a client through the outbox."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy import Engine, select

from bot.access import api_key_is_valid, key_id
from bot.catalog.deps import catalog_engine
from bot.catalog.describe import service_record
from bot.outbox import Outgoing, enqueue
from bot.personal.store import OutboxRow
from bot.personal.validation import InvalidContact, normalise_email, normalise_phone
from bot.professional.messages import email_body, email_subject, sms_body
from bot.settings import Settings

router = APIRouter(prefix="/api/professional", tags=["ammattilaiset"])


def require_professional(request: Request, x_api_key: Annotated[str | None, Header()] = None) -> str:
    """The caller's audit name, after checking its API key (header X-Api-Key)."""
    settings: Settings = request.app.state.settings
    if not x_api_key or not api_key_is_valid(x_api_key, settings.professional_api_keys):
        raise HTTPException(401, "Virheellinen tai puuttuva API-avain.")
    return f"professional:{key_id(x_api_key)}"


def personal_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.personal_engine
    return engine


Professional = Annotated[str, Depends(require_professional)]


class SendRequest(BaseModel):
    service_id: str = Field(min_length=1, max_length=64, description="PTV id of the service")
    channel: Literal["sms", "email"]
    to: str = Field(min_length=3, max_length=254, description="Client's phone number or email address")
    note: str | None = Field(default=None, max_length=500, description="Short personal note to the client")

    model_config = {"json_schema_extra": {"examples": [
        {"service_id": "0b0c6a7e-1c1f-4a8a-9c0e-000000000001", "channel": "sms", "to": "040 123 4567",
         "note": "Ryhmä alkaa tiistaina."}]}}


class SendResponse(BaseModel):
    id: str
    status: str
    duplicate: bool = Field(description="True when the Idempotency-Key was already used: nothing new was sent")


class OutboxStatus(BaseModel):
    id: str
    status: str
    attempts: int
    last_error: str


@router.post("/send", status_code=202, response_model=SendResponse)
def send_to_client(body: SendRequest, actor: Professional,
                   catalog: Annotated[Engine, Depends(catalog_engine)],
                   personal: Annotated[Engine, Depends(personal_engine)],
                   idempotency_key: Annotated[str | None, Header(max_length=128)] = None) -> SendResponse:
    """Queue the service's details to the client by SMS or email; delivery retries until it succeeds."""
    service = service_record(catalog, body.service_id)
    if service is None:
        raise HTTPException(404, "Palvelua ei löytynyt.")
    try:
        if body.channel == "sms":
            message = Outgoing("sms", normalise_phone(body.to), "", sms_body(service, body.note), "service_info",
                               body.service_id)
        else:
            message = Outgoing("email", normalise_email(body.to), email_subject(service),
                               email_body(service, body.note), "service_info", body.service_id)
    except InvalidContact as exc:
        raise HTTPException(422, str(exc)) from exc
    row_id, created = enqueue(personal, message, idempotency_key, actor)
    return SendResponse(id=row_id, status="pending" if created else "queued earlier", duplicate=not created)


@router.get("/outbox/{message_id}", response_model=OutboxStatus)
def outbox_status(message_id: str, _actor: Professional,
                  personal: Annotated[Engine, Depends(personal_engine)]) -> OutboxStatus:
    """Delivery status of a sent message (no personal data)."""
    with personal.connect() as conn:
        row = conn.execute(select(OutboxRow.id, OutboxRow.status, OutboxRow.attempts, OutboxRow.last_error)
                           .where(OutboxRow.id == message_id)).one_or_none()
    if row is None:
        raise HTTPException(404, "Viestiä ei löytynyt.")
    return OutboxStatus(id=row.id, status=row.status, attempts=row.attempts, last_error=row.last_error)
