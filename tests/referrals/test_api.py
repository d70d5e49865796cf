"""Referrals through the real FastAPI app and SQLite: offer, drafts, submit, inbox, stats, retention."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from bot.personal.store import AuditRow, DraftRow, PartnerRow, ReferralRow
from tests.referrals.conftest import ADMIN, INTERNAL, PRO, inbox_headers, make_draft, partner_service


def _draft(client: TestClient, **fields: str) -> str:
    return make_draft(client, **fields)


def _complete_draft(client: TestClient, name: str = "Maija Meikäläinen",
                    partner_id: str = "porin-liikuntapalvelut") -> str:
    return _draft(client, consent_text="Annan luvan.", consent_at=dt.datetime(2025, 11, 22, 10).isoformat(),
                  partner_id=partner_id, name=name, contact="040 123 4567", contact_time="aamupäivisin",
                  message="Polvi on kipeä.")


def test_demo_partners_in_all_three_counties(client: TestClient) -> None:
    partners = client.get("/api/admin/partners", headers=ADMIN).json()
    names = " ".join(p["name"] for p in partners)
    assert "Porin" in names and "Oulun" in names and "Jyväskylän" in names
    assert client.get("/api/admin/partners").status_code == 401


def test_offer_only_where_a_partner_has_an_agreement(client: TestClient) -> None:
    service_id = partner_service(client)
    offer = client.get("/api/referrals/offer", params={"service_id": service_id}, headers=INTERNAL).json()
    assert offer["available"] and "Porin" in offer["partner_name"]
    other = client.get("/api/services", params={"theme": "digituki", "municipality": "609"}).json()["items"][0]
    assert client.get("/api/referrals/offer", params={"service_id": other["id"]},
                      headers=INTERNAL).json()["reason"] == "no_partner"
    assert client.get("/api/referrals/offer", params={"service_id": service_id}).status_code == 401


def test_parish_partner_takes_only_its_target_groups(client: TestClient) -> None:
    service_id = partner_service(client, "oulun-seurakunta")
    params = {"service_id": service_id, "target_group": "nuoret"}
    assert client.get("/api/referrals/offer", params=params, headers=INTERNAL).json()["reason"] == "target_group"
    params["target_group"] = "ikaantyneet"
    assert client.get("/api/referrals/offer", params=params, headers=INTERNAL).json()["available"]


def test_invalid_contact_gets_a_finnish_reason_and_nothing_is_stored(client: TestClient) -> None:
    for value in ("040 12", "maija@", "x" * 300):
        response = client.post("/api/referrals/drafts", headers=INTERNAL, json={"field": "contact", "value": value})
        assert response.status_code == 422
        assert "Puhelinnumero" in response.json()["detail"] or "liian pitkä" in response.json()["detail"] \
            or "Sähköposti" in response.json()["detail"]
    with client.app.state.personal_engine.connect() as conn:  # type: ignore[attr-defined]
        assert conn.execute(select(DraftRow.id)).first() is None


def test_submission_reaches_the_partner_inbox_encrypted_and_audited(client: TestClient) -> None:
    service_id = partner_service(client)
    draft_id = _complete_draft(client)
    response = client.post("/api/referrals", headers=INTERNAL,
                           json={"draft_id": draft_id, "service_id": service_id, "target_group": "ikaantyneet",
                                 "municipality": "609"})
    assert response.status_code == 201, response.text
    reference = response.json()["reference"]
    assert reference.startswith("HL-") and len(reference) == 9
    engine = client.app.state.personal_engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        row = conn.execute(select(ReferralRow.__table__)).one()
        assert row.personal_enc and "Maija" not in row.personal_enc and row.consent_text == "Annan luvan."
        assert conn.execute(select(DraftRow.id)).first() is None  # the draft is gone once submitted
    token = inbox_headers(client, "porin-liikuntapalvelut")
    inbox = client.get("/api/partner/referrals", headers=token).json()["referrals"]
    assert inbox[0]["person"] == {"name": "Maija Meikäläinen", "phone": "+358401234567",
                                  "contact_time": "aamupäivisin", "message": "Polvi on kipeä."}
    assert client.get("/api/partner/referrals", headers={"Authorization": "Bearer arvaus"}).status_code == 401
    other = inbox_headers(client, "oulun-liikuntapalvelut")
    assert client.get("/api/partner/referrals", headers=other).json()["referrals"] == []
    assert client.patch(f"/api/partner/referrals/{reference}", headers=token,
                        json={"status": "contacted"}).json()["status"] == "contacted"
    assert client.patch(f"/api/partner/referrals/{reference}", headers=other,
                        json={"status": "started"}).status_code == 404
    stats = client.get("/api/admin/referral-stats", headers=ADMIN).json()
    assert stats == [{"partner_id": "porin-liikuntapalvelut", "theme": "liikunta", "month": stats[0]["month"],
                      "status": "contacted", "count": 1}]
    with engine.connect() as conn:
        actions = conn.execute(select(AuditRow.action)).scalars().all()
    assert "referral.create" in actions and "referral.read" in actions and "referral.status.contacted" in actions


def test_same_draft_twice_is_one_referral(client: TestClient) -> None:
    service_id = partner_service(client)
    draft_id = _complete_draft(client)
    engine = client.app.state.personal_engine  # type: ignore[attr-defined]
    from bot.referrals import service as referrals

    first = client.post("/api/referrals", headers=INTERNAL, json={"draft_id": draft_id, "service_id": service_id})
    assert first.status_code == 201
    assert referrals.read_draft(engine, draft_id) == {}
    again = client.post("/api/referrals", headers=INTERNAL, json={"draft_id": draft_id, "service_id": service_id})
    assert again.json()["reference"] == first.json()["reference"]  # a retry after a lost answer
    with engine.connect() as conn:
        assert len(conn.execute(select(ReferralRow.id)).all()) == 1


def test_capacity_is_enforced_atomically_under_concurrent_submissions(client: TestClient) -> None:
    engine = client.app.state.personal_engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(update(PartnerRow).where(PartnerRow.id == "porin-liikuntapalvelut")
                     .values(capacity_per_month=5))
    service_id = partner_service(client)
    drafts = [_complete_draft(client, name=f"Asiakas {i}") for i in range(16)]

    def submit(draft_id: str) -> int:
        return client.post("/api/referrals", headers=INTERNAL,
                           json={"draft_id": draft_id, "service_id": service_id}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(submit, drafts))
    assert sorted(codes) == [201] * 5 + [409] * 11
    with engine.connect() as conn:
        assert len(conn.execute(select(ReferralRow.id)).all()) == 5
    offer = client.get("/api/referrals/offer", params={"service_id": service_id}, headers=INTERNAL).json()
    assert (offer["available"], offer["reason"]) == (False, "full")


def test_professional_referral_with_verbal_consent(client: TestClient) -> None:
    service_id = partner_service(client, "jyvaskylan-liikuntapalvelut")
    body = {"service_id": service_id, "name": "Ville Virtanen", "contact": "ville@esimerkki.fi", "consent": "verbal"}
    assert client.post("/api/professional/referrals", json=body).status_code == 401
    response = client.post("/api/professional/referrals", json=body, headers=PRO)
    assert response.status_code == 201, response.text
    with client.app.state.personal_engine.connect() as conn:  # type: ignore[attr-defined]
        row = conn.execute(select(ReferralRow.__table__)).one()
    assert row.consent_method == "verbal" and row.made_by.startswith("professional:")
    bad = client.post("/api/professional/referrals", json={**body, "contact": "123"}, headers=PRO)
    assert bad.status_code == 422


def test_retention_and_deletion_on_request_keep_only_counts(client: TestClient) -> None:
    service_id = partner_service(client)
    references = []
    for _ in range(2):
        references.append(client.post("/api/referrals", headers=INTERNAL, json={
            "draft_id": _complete_draft(client), "service_id": service_id}).json()["reference"])
    engine = client.app.state.personal_engine  # type: ignore[attr-defined]
    assert client.delete(f"/api/admin/referrals/{references[0]}/personal-data", headers=ADMIN).status_code == 200
    with engine.begin() as conn:
        conn.execute(update(ReferralRow).values(created_at=dt.datetime(2026, 1, 1)))
    assert client.post("/api/admin/retention", headers=ADMIN).json()["referrals"] == 1
    with engine.connect() as conn:
        assert conn.execute(select(ReferralRow.personal_enc)).scalars().all() == [None, None]
    inbox = client.get("/api/partner/referrals", headers=inbox_headers(client, "porin-liikuntapalvelut"))
    assert [r["person"] for r in inbox.json()["referrals"]] == [None, None]
    assert sum(s["count"] for s in client.get("/api/admin/referral-stats", headers=ADMIN).json()) == 2
