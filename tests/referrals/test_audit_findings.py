"""The security audit's referral findings, through the real FastAPI app and SQLite: the consented
partner only, partner secrets kept by the admin API and by a reload of the partner file, target-group
limits, hashed idempotency keys, failed deliveries recorded, malformed fields refused with 422."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, select, update

from bot.outbox import deliver_due
from bot.outbox.senders import WebhookSender
from bot.outbox.worker import MAX_ATTEMPTS, backoff
from bot.personal.crypto import decrypt
from bot.personal.store import AuditRow, OutboxRow, PartnerRow, ReferralRow, utcnow
from bot.referrals import service as referrals
from bot.referrals.partners import load_partner_file
from bot.testing.servers import free_port
from tests.referrals.conftest import ADMIN, INTERNAL, PRO, inbox_headers, make_draft, partner_service

PORI = "porin-liikuntapalvelut"


def _engine(client: TestClient) -> Engine:
    engine: Engine = client.app.state.personal_engine  # type: ignore[attr-defined]
    return engine


def _draft(client: TestClient, partner_id: str | None = PORI, name: str = "Maija Meikäläinen",
           consent_at: str | None = None) -> str:
    fields = {"consent_text": "Annan luvan.", "consent_at": consent_at or dt.datetime(2025, 11, 22, 10).isoformat(),
              **({"partner_id": partner_id} if partner_id else {}), "name": name, "contact": "040 123 4567"}
    return make_draft(client, **fields)


def _partner_body(client: TestClient, like: str = PORI, **changes: object) -> dict[str, object]:
    partner = next(p for p in client.get("/api/admin/partners", headers=ADMIN).json() if p["id"] == like)
    body = {k: partner[k] for k in ("organization_id", "name", "service_ids", "target_groups", "capacity_per_month",
                                    "delivery_method", "contact_person")}
    return {**body, **changes}


def _set_capacity(client: TestClient, partner_id: str, capacity: int) -> None:
    with _engine(client).begin() as conn:
        conn.execute(update(PartnerRow).where(PartnerRow.id == partner_id).values(capacity_per_month=capacity))


# ---- 1. the referral goes to the partner the consent names, or nowhere

def test_referral_goes_only_to_the_consented_partner(client: TestClient) -> None:
    service_id = partner_service(client)
    second = _partner_body(client, name="Toinen kumppani", capacity_per_month=50)
    assert client.put("/api/admin/partners/toinen", headers=ADMIN, json=second).status_code == 200
    offer = client.get("/api/referrals/offer", params={"service_id": service_id}, headers=INTERNAL).json()
    assert offer["partner_id"] == PORI  # what the consent text names

    _set_capacity(client, PORI, 0)  # the consented partner fills up before the resident sends
    draft = _draft(client, PORI)
    refused = client.post("/api/referrals", headers=INTERNAL, json={"draft_id": draft, "service_id": service_id})
    assert refused.status_code == 409
    assert "täynnä" in refused.json()["detail"] and "Porin kaupunki" in refused.json()["detail"]
    with _engine(client).connect() as conn:
        assert conn.execute(select(ReferralRow.id)).first() is None  # not silently sent to "toinen"

    with _engine(client).begin() as conn:  # the partner is taken off the registry
        conn.execute(update(PartnerRow).where(PartnerRow.id == PORI).values(capacity_per_month=30, active=False))
    gone = client.post("/api/referrals", headers=INTERNAL, json={"draft_id": draft, "service_id": service_id})
    assert gone.status_code == 409 and "ei ota nyt vastaan" in gone.json()["detail"]

    to_second = client.post("/api/referrals", headers=INTERNAL,
                            json={"draft_id": _draft(client, "toinen"), "service_id": service_id})
    assert to_second.status_code == 201 and to_second.json()["partner_name"] == "Toinen kumppani"
    with _engine(client).connect() as conn:
        assert conn.execute(select(ReferralRow.partner_id)).scalars().all() == ["toinen"]


def test_consented_partner_must_still_take_the_service(client: TestClient) -> None:
    service_id = partner_service(client)
    other_service = partner_service(client, "jyvaskylan-liikuntapalvelut")
    response = client.post("/api/referrals", headers=INTERNAL,
                           json={"draft_id": _draft(client, PORI), "service_id": other_service})
    assert response.status_code == 409 and "ei enää ota lähetteitä tähän palveluun" in response.json()["detail"]
    missing = client.post("/api/referrals", headers=INTERNAL,
                          json={"draft_id": _draft(client, None), "service_id": service_id})
    assert missing.status_code == 422
    assert missing.json()["detail"].startswith("Lähetteeltä puuttuu: palveluntarjoaja")


# ---- 2. and 3. partner secrets: kept by PUT, generated once, own webhook secrets, https only

def test_put_keeps_the_inbox_token_and_the_webhook_secret(client: TestClient) -> None:
    body = _partner_body(client, delivery_method="webhook", delivery_address="https://kumppani.example.org/in")
    created = client.put("/api/admin/partners/verkkokumppani", headers=ADMIN,
                         json={**body, "inbox_token": "kumppanin-oma-inbox-tunniste"})
    assert created.status_code == 200, created.text
    secret = created.json()["webhook_secret"]  # generated, shown once
    assert created.json()["created"] is True and len(secret) >= 32 and "inbox_token" not in created.json()
    engine = _engine(client)
    with engine.connect() as conn:
        stored = conn.execute(select(PartnerRow.webhook_secret_enc, PartnerRow.inbox_token_sha256)
                              .where(PartnerRow.id == "verkkokumppani")).one()
    assert decrypt(stored.webhook_secret_enc) == secret

    again = client.put("/api/admin/partners/verkkokumppani", headers=ADMIN, json={**body, "capacity_per_month": 3})
    assert again.json() == {"id": "verkkokumppani", "status": "saved", "created": False}  # no new secret
    with engine.connect() as conn:
        after = conn.execute(select(PartnerRow.webhook_secret_enc, PartnerRow.inbox_token_sha256,
                                    PartnerRow.capacity_per_month).where(PartnerRow.id == "verkkokumppani")).one()
    assert (after.webhook_secret_enc, after.inbox_token_sha256) == tuple(stored) and after.capacity_per_month == 3
    inbox = client.get("/api/partner/referrals", headers={"Authorization": "Bearer kumppanin-oma-inbox-tunniste"})
    assert inbox.status_code == 200

    rotated = client.put("/api/admin/partners/verkkokumppani", headers=ADMIN,
                         json={**body, "webhook_secret": "uusi-salaisuus-vahintaan-16"})
    assert "webhook_secret" not in rotated.json()
    with engine.connect() as conn:
        assert decrypt(conn.execute(select(PartnerRow.webhook_secret_enc).where(
            PartnerRow.id == "verkkokumppani")).scalar_one()) == "uusi-salaisuus-vahintaan-16"


def test_a_new_inbox_partner_gets_a_token_once(client: TestClient) -> None:
    created = client.put("/api/admin/partners/uusi", headers=ADMIN, json=_partner_body(client, name="Uusi"))
    token = created.json()["inbox_token"]
    inbox = client.get("/api/partner/referrals", headers={"Authorization": f"Bearer {token}"})
    assert inbox.json()["partner"] == "uusi"
    assert "inbox_token" not in client.put("/api/admin/partners/uusi", headers=ADMIN,
                                           json=_partner_body(client, name="Uusi")).json()
    short = client.put("/api/admin/partners/uusi", headers=ADMIN,
                       json={**_partner_body(client), "inbox_token": "lyhyt"})
    assert short.status_code == 422 and "liian lyhyt" in short.json()["detail"]


@pytest.mark.parametrize(("address", "status"), [
    ("http://kumppani.example.org/in", 422), ("ftp://kumppani.example.org/in", 422), ("https://", 422),
    ("http://localhost:8080/in", 200), ("http://127.0.0.1:8080/in", 200), ("https://kumppani.example.org/in", 200)])
def test_webhooks_need_https_except_on_this_machine(client: TestClient, address: str, status: int) -> None:
    response = client.put("/api/admin/partners/verkko", headers=ADMIN,
                          json=_partner_body(client, delivery_method="webhook", delivery_address=address))
    assert response.status_code == status, response.text
    if status == 422:
        assert "https://" in response.json()["detail"] or "palvelin" in response.json()["detail"]


def test_restart_keeps_admin_partners_and_drops_only_file_partners(client: TestClient, demo_dir: Path,
                                                                   tmp_path: Path) -> None:
    engine = _engine(client)
    client.put("/api/admin/partners/ajonaikainen", headers=ADMIN, json=_partner_body(client, name="Ajonaikainen"))
    token = inbox_headers(client, "ajonaikainen")
    load_partner_file(engine, demo_dir / "partners.yml")  # what every start of the service does
    ids = {p["id"] for p in client.get("/api/admin/partners", headers=ADMIN).json()}
    assert "ajonaikainen" in ids and PORI in ids
    assert client.get("/api/partner/referrals", headers=token).status_code == 200

    shorter = tmp_path / "partners.yml"  # the county removes Pori from its file
    text = (demo_dir / "partners.yml").read_text(encoding="utf-8")
    import yaml  # type: ignore[import-untyped]

    data = yaml.safe_load(text)
    data["partners"] = [p for p in data["partners"] if p["id"] != PORI]
    shorter.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    load_partner_file(engine, shorter)
    ids = {p["id"] for p in client.get("/api/admin/partners", headers=ADMIN).json()}
    assert "ajonaikainen" in ids and PORI not in ids


# ---- 8. target-group limits hold when the group is unknown

def test_a_group_limited_partner_is_not_offered_without_a_known_group(client: TestClient) -> None:
    service_id = partner_service(client, "oulun-seurakunta")
    offer = client.get("/api/referrals/offer", params={"service_id": service_id}, headers=INTERNAL).json()
    assert offer["available"] is False and offer["reason"] == "target_group"
    assert offer["target_groups"] == ["ikaantyneet", "omaishoitajat"]
    assert client.get("/api/services/" + service_id).json()["referral_available"] is False
    body = {"service_id": service_id, "name": "Ville Virtanen", "contact": "ville@esimerkki.fi", "consent": "verbal"}
    refused = client.post("/api/professional/referrals", json=body, headers=PRO)
    assert refused.status_code == 409
    assert client.post("/api/professional/referrals", json={**body, "target_group": "ikaantyneet"},
                       headers=PRO).status_code == 201
    chat = client.post("/api/referrals", headers=INTERNAL,
                       json={"draft_id": _draft(client, "oulun-seurakunta"), "service_id": service_id})
    assert chat.status_code == 409 and "kohderyhmille" in chat.json()["detail"]


# ---- 5. idempotency keys: keyed hash only, and gone at retention

def test_professional_idempotency_key_is_stored_only_as_a_keyed_hash(client: TestClient) -> None:
    service_id = partner_service(client, "jyvaskylan-liikuntapalvelut")
    body = {"service_id": service_id, "name": "Ville Virtanen", "contact": "ville@esimerkki.fi", "consent": "verbal"}
    key = {**PRO, "Idempotency-Key": "Ville Virtanen 2026-11-22"}
    first = client.post("/api/professional/referrals", json=body, headers=key)
    again = client.post("/api/professional/referrals", json=body, headers=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    no_key = [client.post("/api/professional/referrals", json=body, headers=PRO).json()["reference"] for _ in range(2)]
    assert len(set(no_key)) == 2  # without a key every call is a referral of its own
    engine = _engine(client)
    with engine.connect() as conn:
        keys = conn.execute(select(ReferralRow.idempotency_key)).scalars().all()
    assert len(keys) == 3 and all(k.startswith("hmac:") and len(k) == 69 for k in keys)
    assert not any("Ville" in k or "Virtanen" in k for k in keys)

    legacy_id = "00000000-0000-0000-0000-000000000001"
    with engine.begin() as conn:  # a referral stored before keys were hashed
        conn.execute(insert(ReferralRow).values(
            id=legacy_id, reference="HL-LEGACY", idempotency_key="pro:2026-01-01T10:00:00:Liisa Laine",
            partner_id=PORI, service_id=service_id, service_name="x", month="2026-11", created_at=utcnow(),
            consent_at=utcnow(), consent_text="x", consent_method="verbal", made_by="professional:x",
            personal_enc="salattu", status="sent", status_at=utcnow()))
    assert client.post("/api/admin/retention", headers=ADMIN).json()["referrals"] == 0
    with engine.connect() as conn:
        legacy = conn.execute(select(ReferralRow.idempotency_key).where(ReferralRow.id == legacy_id)).scalar_one()
    assert legacy.startswith("hmac:") and "Liisa" not in legacy  # hashed by the next retention run

    with engine.begin() as conn:
        conn.execute(update(ReferralRow).values(created_at=dt.datetime(2026, 1, 1)))
    assert client.post("/api/admin/retention", headers=ADMIN).json()["referrals"] == 4
    with engine.connect() as conn:
        rows = conn.execute(select(ReferralRow.id, ReferralRow.idempotency_key, ReferralRow.personal_enc)).all()
    assert all(r.personal_enc is None and r.idempotency_key == f"forgotten:{r.id}" for r in rows)


def test_forget_on_request_drops_the_key_too(client: TestClient) -> None:
    service_id = partner_service(client)
    reference = client.post("/api/referrals", headers=INTERNAL,
                            json={"draft_id": _draft(client), "service_id": service_id}).json()["reference"]
    assert client.delete(f"/api/admin/referrals/{reference}/personal-data", headers=ADMIN).status_code == 200
    with _engine(client).connect() as conn:
        row = conn.execute(select(ReferralRow.id, ReferralRow.idempotency_key)).one()
    assert row.idempotency_key == f"forgotten:{row.id}"


# ---- 7. a delivery the outbox gives up is recorded

def test_a_given_up_webhook_delivery_marks_the_referral_failed(client: TestClient,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    service_id = partner_service(client)
    body = _partner_body(client, name="Verkkokumppani", delivery_method="webhook",
                         delivery_address=f"http://127.0.0.1:{free_port()}/in")  # nothing listens there
    assert client.put("/api/admin/partners/verkko", headers=ADMIN, json=body).status_code == 200
    reference = client.post("/api/referrals", headers=INTERNAL, json={
        "draft_id": _draft(client, "verkko", name="Kalle Salonen"), "service_id": service_id}).json()["reference"]
    engine = _engine(client)
    now = utcnow()
    with caplog.at_level(logging.WARNING, logger="bot.outbox.worker"):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            now += backoff(attempt)
            deliver_due(engine, {"webhook": WebhookSender(timeout=2)}, now)
    with engine.connect() as conn:
        assert conn.execute(select(ReferralRow.status)).scalar_one() == "failed"
        assert conn.execute(select(OutboxRow.status)).scalar_one() == "failed"
        audit = conn.execute(select(AuditRow.action, AuditRow.record)).all()
    assert ("referral.delivery_failed", f"referral:{reference}") in audit
    warnings = [r.getMessage() for r in caplog.records if "given up" in r.getMessage()]
    assert len(warnings) == 1 and reference in warnings[0]
    assert not any(s in caplog.text for s in ("Kalle", "Salonen", "358401234567", "123 4567"))
    stats = client.get("/api/admin/referral-stats", headers=ADMIN).json()
    assert [s["status"] for s in stats] == ["failed"]
    (failed,) = client.get("/api/admin/referrals/failed", headers=ADMIN).json()
    assert failed["reference"] == reference and failed["partner_id"] == "verkko" and "webhook" in failed["last_error"]
    assert "person" not in failed


def test_a_partner_that_cannot_carry_personal_data_is_not_offered(client: TestClient) -> None:
    service_id = partner_service(client)
    with _engine(client).begin() as conn:  # made before partners needed their own webhook secret
        conn.execute(update(PartnerRow).where(PartnerRow.id == PORI).values(
            delivery_method="webhook", delivery_address="https://kumppani.example.org/in", webhook_secret_enc=""))
    offer = client.get("/api/referrals/offer", params={"service_id": service_id}, headers=INTERNAL).json()
    assert offer["available"] is False
    response = client.post("/api/referrals", headers=INTERNAL, json={"draft_id": _draft(client),
                                                                     "service_id": service_id})
    assert response.status_code == 409


# ---- 9. malformed fields: 422 with a Finnish message, never a 500

@pytest.mark.parametrize("value", ["eilen", "2026-13-45T10:00:00", "", "9999-01-01T00:00:00"])
def test_a_malformed_consent_time_is_refused(client: TestClient, value: str) -> None:
    response = client.post("/api/referrals/drafts", headers=INTERNAL, json={"field": "consent_at", "value": value})
    assert response.status_code == 422 and "Suostumuksen aika" in response.json()["detail"]


def test_a_stored_malformed_consent_time_gives_422_at_submission(client: TestClient) -> None:
    draft = _draft(client)
    referrals.save_draft(_engine(client), draft, {"consent_at": "ei aika"})  # stored before the validation
    response = client.post("/api/referrals", headers=INTERNAL,
                           json={"draft_id": draft, "service_id": partner_service(client)})
    assert response.status_code == 422 and "Suostumuksen aika" in response.json()["detail"]


def test_consent_time_with_a_zone_is_stored_in_utc(client: TestClient) -> None:
    response = client.post("/api/referrals/drafts", headers=INTERNAL,
                           json={"field": "consent_at", "value": "2025-11-22T12:00:00+02:00"})
    assert response.json()["value"] == "2025-11-22T10:00:00"


@pytest.mark.parametrize(("field", "value", "words"), [
    ("target_group", "x" * 40, "kohderyhmä"), ("theme", "urheilu", "teema"), ("municipality", "6090", "Kuntakoodi")])
def test_malformed_codes_are_refused(client: TestClient, field: str, value: str, words: str) -> None:
    response = client.post("/api/referrals", headers=INTERNAL, json={
        "draft_id": _draft(client), "service_id": partner_service(client), field: value})
    assert response.status_code == 422 and words in response.json()["detail"]
    with _engine(client).connect() as conn:
        assert conn.execute(select(ReferralRow.id)).first() is None
