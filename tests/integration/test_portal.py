"""The portal channel: a signed token tells the bot who is speaking and where they live."""

from __future__ import annotations

import hashlib
import time
import uuid
from typing import Any

import httpx
import jwt

from tests.integration.conftest import PORTAL_SECRET, Stack


def portal_token(**changes: Any) -> tuple[str, str]:
    subject = f"hetu-ei-tassa-{uuid.uuid4().hex[:8]}"
    claims = {"sub": subject, "aud": "hyte-navigaattori", "iss": "esimerkki-portaali",
              "exp": int(time.time()) + 600, "municipality": "684", "role": "resident", **changes}
    sender = "portal-" + hashlib.sha256(subject.encode()).hexdigest()[:24]
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
