"""The wellbeing referral through the REST channel against the real processes."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from typing import Any

import httpx
from aiosmtpd.controller import Controller

from tests.integration.conftest import ADMIN_TOKEN, Stack

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
PORI_TOKEN = "integration-inbox-token-porin-liikunta"
PORI_INBOX = {"Authorization": f"Bearer {PORI_TOKEN}"}


def sender() -> str:
    return f"ref-{uuid.uuid4().hex[:10]}"


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def _to_consent(stack: Stack, user: str, search: str = "Mitä liikuntaryhmiä on ikääntyneille Porissa?") -> str:
    results = stack.say(user, search)
    listed = [i for m in results if (m.get("custom") or {}).get("type") == "service_cards"
              for i in m["custom"]["items"]]
    number = next(i["number"] for i in listed if i.get("referral_available"))
    details = stack.say(user, str(number))
    assert any(b["title"] == "Tee hyvinvointilähete" for m in details for b in m.get("buttons") or [])
    consent = texts(stack.say(user, "haluan tehdä lähetteen"))
    assert "Annatko luvan?" in consent and "Porin kaupunki" in consent
    return consent


def _give_inbox_token(stack: Stack, partner_id: str = "porin-liikuntapalvelut") -> None:
    """Demo inbox tokens are random and printed once; the admin sets a known one (as a county would)."""
    partners = httpx.get(f"{stack.private_url}/api/admin/partners", headers=ADMIN, timeout=10).json()
    partner = next(p for p in partners if p["id"] == partner_id)
    body = {k: partner[k] for k in ("organization_id", "name", "service_ids", "target_groups", "capacity_per_month",
                                    "delivery_method", "contact_person") if k in partner}
    body["inbox_token"] = PORI_TOKEN
    response = httpx.put(f"{stack.private_url}/api/admin/partners/{partner_id}", headers=ADMIN, json=body, timeout=10)
    assert response.status_code == 200, response.text


def _inbox(stack: Stack) -> list[dict[str, Any]]:
    _give_inbox_token(stack)
    response = httpx.get(f"{stack.private_url}/api/partner/referrals", headers=PORI_INBOX, timeout=10)
    referrals: list[dict[str, Any]] = response.json()["referrals"]
    return referrals


def test_consent_given_with_a_correction_and_an_invalid_phone(stack: Stack) -> None:
    user = sender()
    _to_consent(stack, user)
    assert "Mikä on nimesi?" in stack.text(user, "kyllä")
    assert "puhelinnumerolla" in stack.text(user, "Maija Meikäläinen")
    invalid = stack.text(user, "040 12")
    assert "Puhelinnumero ei ole oikeanlainen" in invalid and "puhelinnumerolla" in invalid
    assert "Milloin" in stack.text(user, "040 123 4567")
    assert "Haluatko kertoa" in stack.text(user, "1")  # the first button: "Arkisin aamupäivällä"
    readback = stack.text(user, "Polvi on leikattu keväällä.")
    assert "Nimi: Maija Meikäläinen" in readback and "Yhteystieto: 040 1234567" in readback
    assert "Mikä on nimesi?" in stack.text(user, "korjaa nimi")
    assert "Nimi: Maija Mäkinen" in stack.text(user, "Maija Mäkinen")
    done = stack.text(user, "lähetä")
    assert "Lähete on lähetetty. Viitenumero on HL-" in done
    reference = done.split("Viitenumero on ")[1][:9]
    mine = next(r for r in _inbox(stack) if r["reference"] == reference)
    assert mine["person"] == {"name": "Maija Mäkinen", "phone": "+358401234567",
                              "contact_time": "Arkisin aamupäivällä", "message": "Polvi on leikattu keväällä."}
    assert stack.slots(user)["referral_stage"] is None


def test_declined_consent_keeps_nothing(stack: Stack) -> None:
    user = sender()
    before = len(_inbox(stack))
    _to_consent(stack, user)
    assert "lähetettä ei tehdä" in stack.text(user, "ei")
    assert len(_inbox(stack)) == before
    with sqlite3.connect(stack.personal_db) as db:
        assert db.execute("select count(*) from referral_drafts where id not like 'pf-%'").fetchone()[0] == 0


def test_cancel_midway_deletes_the_draft(stack: Stack) -> None:
    user = sender()
    _to_consent(stack, user)
    stack.say(user, "joo")
    stack.say(user, "Ville Virtanen")
    assert "peruttiin" in stack.text(user, "peruuta")
    with sqlite3.connect(stack.personal_db) as db:
        assert db.execute("select count(*) from referral_drafts where id not like 'pf-%'").fetchone()[0] == 0
    assert "Haetaan" in stack.text(user, "kulttuuria Porissa")  # the chat goes on normally


def test_crisis_interrupts_the_referral(stack: Stack) -> None:
    user = sender()
    _to_consent(stack, user)
    stack.say(user, "kyllä")
    answer = stack.say(user, "en jaksa enää elää")
    assert "09 2525 0111" in answer[0]["text"]
    assert stack.slots(user)["referral_stage"] is None


def test_no_referral_when_capacity_is_full(stack: Stack) -> None:
    partners = httpx.get(f"{stack.private_url}/api/admin/partners", headers=ADMIN, timeout=10).json()
    oulu = next(p for p in partners if p["id"] == "oulun-liikuntapalvelut")
    body = {**{k: oulu[k] for k in ("organization_id", "name", "service_ids", "target_groups", "delivery_method")},
            "capacity_per_month": 0, "inbox_token": "demo-oulun-liikuntapalvelut"}
    assert httpx.put(f"{stack.private_url}/api/admin/partners/oulun-liikuntapalvelut", headers=ADMIN,
                     json=body, timeout=10).status_code == 200
    user = sender()
    stack.say(user, "liikuntaa Oulussa")
    answer = stack.text(user, f"lähete palveluun {_first_referral_number(stack, user)}")
    assert "täynnä" in answer and "Annatko luvan" not in answer


def _first_referral_number(stack: Stack, user: str) -> int:
    results = stack.say(user, "liikuntaa Oulussa")
    return int(next(i["number"] for m in results if (m.get("custom") or {}).get("type") == "service_cards"
                    for i in m["custom"]["items"] if i.get("referral_available")))


def test_stored_conversations_hold_no_personal_data(stack: Stack) -> None:
    user = sender()
    _to_consent(stack, user)
    for message in ("kyllä", "Testi Henkilö", "kalle.salonen@esimerkki.fi", "iltaisin",
                    "hetuni on 010190-123A ja numero 050 765 4321", "lähetä"):
        stack.say(user, message)
    with sqlite3.connect(stack.tracker_db) as db:
        events = [json.loads(row[0]) for row in db.execute("select data from events where sender_id = ?", (user,))]
    stored = json.dumps(events, ensure_ascii=False)
    assert "Testi Henkilö" not in stored and "kalle.salonen" not in stored and "esimerkki.fi" not in stored
    assert "010190-123A" not in stored and "765 4321" not in stored
    assert "henkilötieto poistettu" in stored and "Annatko luvan?" in stored  # the rest is kept


def test_catalog_restart_between_submission_and_delivery_loses_nothing(stack: Stack) -> None:
    stack.smtp.stop()  # the partner's mail server is down
    try:
        user = sender()
        stack.say(user, "kulttuuria Jämsässä")
        results = stack.say(user, "kulttuuria Jämsässä")
        number = next(i["number"] for m in results if (m.get("custom") or {}).get("type") == "service_cards"
                      for i in m["custom"]["items"] if i.get("referral_available"))
        assert "Annatko luvan" in stack.text(user, f"lähete palveluun {number}")
        for message in ("kyllä", "Liisa Laine", "0441234567", "Milloin tahansa", "ohita"):
            stack.say(user, message)
        done = stack.text(user, "lähetä")
        reference = done.split("Viitenumero on ")[1][:9]
        time.sleep(1.5)  # delivery is tried and fails while the mail server is down
        stack.restart_catalog()
    finally:
        stack.smtp = Controller(stack.mailbox, hostname="127.0.0.1", port=stack.smtp.port)
        stack.smtp.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(reference in (m["Subject"] or "") for m in stack.mailbox.messages):
        time.sleep(0.5)
    delivered = [m for m in stack.mailbox.messages if reference in (m["Subject"] or "")]
    assert len(delivered) == 1 and "Liisa Laine" in delivered[0].get_content()
    time.sleep(2)
    assert len([m for m in stack.mailbox.messages if reference in (m["Subject"] or "")]) == 1
