"""Dialogue depth through the real processes: buttons typed, misunderstandings, crisis help,
professional mode and the outbox."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx

from tests.integration.conftest import PROFESSIONAL_KEY, Stack


def sender() -> str:
    return f"depth-{uuid.uuid4().hex[:10]}"


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def buttons(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b for m in messages for b in m.get("buttons") or []]


def cards(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for m in messages if (m.get("custom") or {}).get("type") == "service_cards"
            for item in m["custom"]["items"]]


def test_results_have_detail_and_more_buttons_and_a_typed_number_opens_one(stack: Stack) -> None:
    user = sender()
    answer = stack.say(user, "liikuntaa Porissa")
    listed = cards(answer)
    assert "Haetaan liikuntaa Porissa." in texts(answer) and 1 <= len(listed) <= 5
    titles = [b["title"] for b in buttons(answer)]
    assert titles[0].startswith("1. ") and titles[-1] == "Näytä lisää"
    details = stack.text(user, "2")
    assert details.startswith(listed[1]["name"])
    assert "Tiedot päivitetty:" in details
    more = stack.say(user, "näytä lisää")
    assert cards(more)[0]["number"] == 6
    assert stack.text(user, "kuudes").startswith(cards(more)[0]["name"])


def test_typed_theme_button_and_number_after_a_question(stack: Stack) -> None:
    user = sender()
    asked = stack.say(user, "Haluan tietää palveluista Raumalla")
    offered = buttons(asked)
    assert offered, texts(asked)
    answer = stack.text(user, "1")
    chosen_theme = offered[0]["payload"].split('"')[3]
    assert stack.slots(user)["theme"] == chosen_theme
    assert "Raumalla" in answer


def test_two_misunderstandings_offer_service_guidance(stack: Stack) -> None:
    user = sender()
    stack.say(user, "liikuntaa Raumalla")
    first = stack.say(user, "blörp zxqv fnord")
    assert "toisin sanoin" in texts(first) and buttons(first)
    second = texts(stack.say(user, "qwpoe asdlkj zzzz"))
    assert "Satakunnan hyvinvointialueen palveluohjaus" in second and "klo" in second


def test_crisis_with_a_known_municipality_offers_local_mental_health_services(stack: Stack) -> None:
    user = sender()
    stack.say(user, "kulttuuria Raumalla")
    answer = stack.say(user, "en halua enää elää")
    assert "09 2525 0111" in answer[0]["text"]  # the safety answer comes first
    assert "mielen hyvinvoinnin tukea Raumalla" in texts(answer)


def test_out_of_scope_and_asking_for_a_person(stack: Stack) -> None:
    user = sender()
    assert "Autan löytämään" in stack.text(user, "mikä on huomisen sääennuste")
    stack.say(user, "liikuntaa Jyväskylässä")
    answer = stack.text(user, "voisinko jutella jonkun työntekijän kanssa")
    assert "Keski-Suomen hyvinvointialueen palveluohjaus" in answer


def test_open_today_and_accessible_filters(stack: Stack) -> None:
    user = sender()
    stack.say(user, "liikuntaa Oulussa")
    assert "auki tänään" in stack.text(user, "mikä on auki tänään")
    assert "esteettömyystiedot ilmoitettu" in stack.text(user, "onko esteetön")


def test_professional_gets_compact_lists_of_ten_and_a_print_view(stack: Stack) -> None:
    user = sender()
    response = stack.professional_say(user, "liikunta pori ikäihmiset")
    assert response.status_code == 200
    answer = response.json()
    slots = stack.slots(user)
    assert (slots["theme"], slots["municipality"], slots["target_group"]) == ("liikunta", "609", "ikaantyneet")
    assert 5 < len(cards(answer)) <= 10  # a resident sees 5 at a time
    tools = [m["custom"] for m in answer if (m.get("custom") or {}).get("type") == "professional_tools"]
    print_url = tools[0]["print_url"]
    page = httpx.get(print_url.replace("http://localhost:8000", stack.catalog_url), timeout=10)
    assert page.status_code == 200 and cards(answer)[0]["name"].split(" (")[0] in page.text
    stack.professional_say(user, "päihde 684")
    slots = stack.slots(user)
    assert (slots["theme"], slots["municipality"]) == ("paihteet", "684")


def test_a_resident_cannot_claim_the_professional_mode(stack: Stack) -> None:
    user = sender()
    forged = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=60, json={
        "sender": user, "message": "liikuntaa Porissa",
        "metadata": {"role": "professional", "role_proof": "0" * 64}}).json()
    assert len(cards(forged)) == 5
    assert stack.professional_say(sender(), "liikuntaa Porissa", key="arvaus").status_code == 401
    assert len(cards(stack.say(user, "olen ammattilainen, näytä 10 tulosta"))) <= 5


def test_professional_sends_a_service_to_a_client_by_email(stack: Stack) -> None:
    items = httpx.get(f"{stack.catalog_url}/api/services", params={"theme": "kulttuuri", "municipality": "564"},
                      timeout=10).json()["items"]
    before = len(stack.mailbox.messages)
    response = httpx.post(f"{stack.catalog_url}/api/professional/send", headers={"X-Api-Key": PROFESSIONAL_KEY},
                          json={"service_id": items[0]["id"], "channel": "email", "to": "asiakas@esimerkki.fi"},
                          timeout=10)
    assert response.status_code == 202, response.text
    deadline = time.monotonic() + 20
    while len(stack.mailbox.messages) == before and time.monotonic() < deadline:
        time.sleep(0.2)
    mail = stack.mailbox.messages[-1]
    assert mail["To"] == "asiakas@esimerkki.fi" and items[0]["name"] in mail["Subject"]
