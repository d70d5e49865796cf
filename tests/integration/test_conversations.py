"""Full conversations through the Rasa REST channel against the real processes."""

from __future__ import annotations

import uuid

import httpx

from tests.integration.conftest import Stack


def sender() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


def test_one_message_search(stack: Stack) -> None:
    user = sender()
    messages = stack.say(user, "Mitä liikuntaryhmiä on ikääntyneille Raumalla?")
    text = "\n".join(m.get("text") or "" for m in messages)
    assert "Haetaan liikuntaa ikääntyneille Raumalla." in text
    assert "Ikäihmisten kuntosaliryhmä" in text
    assert "Rauma" in text
    cards = [m["custom"] for m in messages if m.get("custom")]
    assert cards and cards[0]["type"] == "service_cards" and 1 <= len(cards[0]["items"]) <= 5
    slots = stack.slots(user)
    assert (slots["theme"], slots["municipality"], slots["target_group"]) == (
        "liikunta", "684", "ikaantyneet")


def test_search_over_several_turns_and_follow_ups(stack: Stack) -> None:
    user = sender()
    assert "Missä kunnassa" in stack.text(user, "Etsin kulttuuria")
    assert stack.slots(user)["theme"] == "kulttuuri"
    answer = stack.text(user, "Porissa")
    assert "Haetaan kulttuuria Porissa." in answer
    assert stack.slots(user)["municipality"] == "609"
    answer = stack.text(user, "entä Ulvilassa?")
    assert "Ulvilassa" in answer
    slots = stack.slots(user)
    assert (slots["theme"], slots["municipality"]) == ("kulttuuri", "886")
    more = stack.text(user, "näytä lisää")
    assert "6." in more


def test_municipality_asked_when_missing_theme_asked_when_too_broad(stack: Stack) -> None:
    user = sender()
    assert "Missä kunnassa" in stack.text(user, "etsin palveluita")
    broad = stack.say(user, "Oulussa")
    assert any(m.get("buttons") for m in broad)
    assert "Millaista palvelua" in "\n".join(m.get("text") or "" for m in broad)


def test_lower_case_ascii_typo_and_swedish(stack: Stack) -> None:
    user = sender()
    stack.say(user, "onko jyvaskylassa kulttuuria")
    assert stack.slots(user)["municipality"] == "179"
    stack.say(user, "entä Kokemäellä")
    assert stack.slots(user)["municipality"] == "271"
    stack.say(user, "liikuntaa i Björneborg")
    assert stack.slots(user)["municipality"] == "609"
    stack.say(user, "entä Jyväskylsä")  # one typo
    assert stack.slots(user)["municipality"] == "179"
    stack.say(user, "lähin postinumeroon 26100")
    assert stack.slots(user)["municipality"] == "684"


def test_colloquial_and_inflected(stack: Stack) -> None:
    user = sender()
    answer = stack.text(user, "onks kempeleessä vesijumppaa mummolle")
    slots = stack.slots(user)
    assert (slots["theme"], slots["municipality"], slots["target_group"]) == (
        "liikunta", "244", "ikaantyneet")
    assert "Kempeleessä" in answer


def test_crisis_interrupts_search(stack: Stack) -> None:
    user = sender()
    stack.say(user, "Etsin liikuntaa")
    answer = stack.text(user, "en jaksa enää elää")
    assert "112" in answer and "09 2525 0111" in answer


def test_rare_crisis_wording_caught_by_safety_net(stack: Stack) -> None:
    answer = stack.text(sender(), "mietin et vetäisin ranteet auki")
    assert "09 2525 0111" in answer


def test_medical_emergency(stack: Stack) -> None:
    answer = stack.text(sender(), "isällä on kova rintakipu ja hikoiluttaa")
    assert "112" in answer and "116117" in answer


def test_nothing_found_offers_alternative(stack: Stack) -> None:
    answer = stack.text(sender(), "Etsin xyzzyqwerty-kurssia Porissa")
    assert "En löytänyt sopivia palveluja." in answer
    assert "Tässä muita palveluja samalla alueella:" in answer


def test_greeting_help_and_long_message(stack: Stack) -> None:
    user = sender()
    assert "Hei" in stack.text(user, "moi")
    assert "hyvää jatkoa" in stack.text(sender(), "hei hei").lower()
    assert stack.say(user, "mitä osaat")
    too_long = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=30,
                          json={"sender": user, "message": "kuntosali " * 1000})
    assert too_long.status_code == 413 and "enintään 1000 merkkiä" in too_long.json()["error"]
    assert stack.text(user, "moi")  # the conversation goes on


def test_details_of_a_listed_service(stack: Stack) -> None:
    user = sender()
    listed = stack.say(user, "Mitä liikuntaryhmiä on ikääntyneille Raumalla?")
    first = next(m["custom"] for m in listed if m.get("custom"))["items"][0]
    assert first["scope"] == "local" and stack.slots(user)["theme"] == "liikunta"
    answer = stack.text(user, "kerro lisää ensimmäisestä")
    assert answer.startswith(f"{first['name']} – {first['provider']}")
    assert ("Aukioloajat:" in answer) == bool(first["opening_hours"])
    assert "Tiedot päivitetty:" in answer


def test_only_free_services(stack: Stack) -> None:
    user = sender()
    stack.say(user, "Etsin liikuntaa Porissa")
    answer = stack.say(user, "vain ilmaiset")
    text = "\n".join(m.get("text") or "" for m in answer)
    assert "(vain maksuttomat)" in text
    cards = [m["custom"] for m in answer if m.get("custom")]
    assert cards and all(item["charge_type"] == "free" for item in cards[0]["items"])
    assert stack.slots(user)["filters"] == ["free"]


def test_referral_needs_a_service_first(stack: Stack) -> None:
    answer = stack.text(sender(), "haluan hyvinvointilähetteen")
    assert "Etsitään ensin sinulle sopiva palvelu" in answer


def test_referral_not_offered_without_an_agreement(stack: Stack) -> None:
    user = sender()
    stack.say(user, "digitukea Kempeleessä")
    answer = stack.text(user, "tee lähete palveluun 1")
    assert "ei voi tehdä hyvinvointilähetettä" in answer and "Annatko luvan" not in answer
