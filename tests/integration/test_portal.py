"""The portal channel: a signed token tells the bot who is speaking and where they live."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import jwt

from bot.security.conversation_ids import portal_id
from tests.integration.conftest import CHANNEL_SECRET, PORTAL_SECRET, Stack


def portal_token(**changes: Any) -> tuple[str, str]:
    subject = f"hetu-ei-tassa-{uuid.uuid4().hex[:8]}"
    claims = {"sub": subject, "aud": "hyte-navigaattori", "iss": "esimerkki-portaali",
              "exp": int(time.time()) + 600, "municipality": "684", "role": "resident", **changes}
    sender = portal_id(CHANNEL_SECRET, subject)
    return jwt.encode(claims, PORTAL_SECRET, algorithm="HS256"), sender


def say(stack: Stack, token: str, message: str) -> httpx.Response:
    return httpx.post(f"{stack.rasa_url}/webhooks/portal/webhook", json={"message": message},
                      headers={"Authorization": f"Bearer {token}"}, timeout=60)


def test_the_portal_municipality_is_not_asked_again(stack: Stack) -> None:
    token, sender = portal_token()
    answer = say(stack, token, "etsin kulttuuria")
    assert answer.status_code == 200
    text = "\n".join(m.get("text") or "" for m in answer.json())
    assert "Missä kunnassa" not in text and "Raumalla" in text
    assert stack.slots(sender)["municipality"] == "684"


def test_expired_or_forged_tokens_are_refused(stack: Stack) -> None:
    expired, _ = portal_token(exp=int(time.time()) - 5)
    response = say(stack, expired, "hei")
    assert response.status_code == 401 and "vanhentunut" in response.json()["error"]
    forged = jwt.encode({"sub": "x", "aud": "hyte-navigaattori", "iss": "esimerkki-portaali",
                         "exp": int(time.time()) + 60}, "arvattu-salaisuus-joka-on-tarpeeksi-pitka", algorithm="HS256")
    assert say(stack, forged, "hei").json()["reason"] == "signature"
    wrong_audience, _ = portal_token(aud="toinen-palvelu")
    assert say(stack, wrong_audience, "hei").json()["reason"] == "audience"


def test_a_professional_token_opens_the_professional_mode(stack: Stack) -> None:
    token, _ = portal_token(role="professional", municipality="609")
    answer = say(stack, token, "liikunta ikäihmiset").json()
    cards = [i for m in answer if (m.get("custom") or {}).get("type") == "service_cards" for i in m["custom"]["items"]]
    assert len(cards) > 5 and any((m.get("custom") or {}).get("type") == "professional_tools" for m in answer)


def test_portal_contact_details_prefill_the_referral_and_stay_out_of_the_log(stack: Stack) -> None:
    import json
    import sqlite3

    token, sender = portal_token(municipality="609", name="Pertti Portaali", phone="050 111 2233")

    def relay(message: str) -> str:
        response = httpx.post(f"{stack.catalog_url}/api/chat/portal", json={"message": message},
                              headers={"Authorization": f"Bearer {token}"}, timeout=60)
        assert response.status_code == 200, response.text
        return "\n".join(m.get("text") or "" for m in response.json())

    relay("Mitä liikuntaryhmiä on ikääntyneille?")
    results = httpx.post(f"{stack.catalog_url}/api/chat/portal", json={"message": "liikuntaa ikääntyneille"},
                         headers={"Authorization": f"Bearer {token}"}, timeout=60).json()
    number = next(i["number"] for m in results if (m.get("custom") or {}).get("type") == "service_cards"
                  for i in m["custom"]["items"] if i.get("referral_available"))
    assert "Annatko luvan?" in relay(f"lähete palveluun {number}")
    answer = relay("kyllä")
    assert "portaalista saatuja tietojasi" in answer and "Milloin" in answer
    relay("Milloin tahansa")
    readback = relay("ohita")
    assert "Nimi: Pertti Portaali" in readback and "050 1112233" in readback
    assert "Viitenumero on HL-" in relay("lähetä")
    with sqlite3.connect(stack.tracker_db) as db:
        stored = json.dumps([json.loads(r[0]) for r in db.execute("select data from events where sender_id = ?",
                                                                  (sender,))], ensure_ascii=False)
    assert "Pertti" not in stored and "111 2233" not in stored and "1112233" not in stored
