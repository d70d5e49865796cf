"""Life situations end to end through the REST channel (issue 13): a need becomes a theme, a target
group and services; an unsure need becomes one question whose button searches; a question about a
shown service is answered from its record."""

from __future__ import annotations

import uuid
from typing import Any

from tests.integration.conftest import Stack

LIFE_THEMES = {"osallisuus", "mielen_hyvinvointi"}


def sender() -> str:
    return f"needs-{uuid.uuid4().hex[:8]}"


def cards(answer: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for m in answer if (m.get("custom") or {}).get("type") == "service_cards" for i in m["custom"]["items"]]


def test_a_life_situation_finds_services_for_the_need(stack: Stack) -> None:
    user = sender()
    answer = stack.say(user, "Oon ollu tosi yksinäinen sen jälkeen kun mies kuoli. Asun Porissa.")
    slots = stack.slots(user)
    assert slots["theme"] in LIFE_THEMES and slots["municipality"] == "609"
    assert cards(answer) or any("Mihin näistä" in (m.get("text") or "") for m in answer)


def test_a_carers_need_sets_the_target_group(stack: Stack) -> None:
    user = sender()
    stack.say(user, "Hoidan dementoitunutta äitiä kotona enkä jaksa enää yksin, asun Oulussa")
    assert stack.slots(user)["target_group"] == "omaishoitajat"


def test_an_unsure_need_asks_and_the_button_searches(stack: Stack) -> None:
    user = sender()
    answer = stack.say(user, "Kaikki tuntuu nyt raskaalta enkä oikein tiedä mistä lähtisin hakemaan, asun Raumalla")
    question = next((m for m in answer if "Mihin näistä" in (m.get("text") or "")), None)
    assert question is not None, answer
    assert stack.slots(user)["theme"] is None  # nothing searched with a guessed theme
    payload = question["buttons"][0]["payload"]
    results = stack.say(user, payload)
    assert cards(results) or any("En löytänyt" in (m.get("text") or "") for m in results)
    assert stack.slots(user)["theme"] == payload.split('"theme": "')[1].split('"')[0]


def test_a_question_about_the_second_result_is_answered(stack: Stack) -> None:
    user = sender()
    shown = cards(stack.say(user, "Mitä liikuntaryhmiä on ikääntyneille Raumalla?"))
    assert len(shown) >= 2
    answer = stack.text(user, "milloin toinen on auki?")
    assert shown[1]["name"] in answer and ("aukioloajat" in answer or "ei ole aukioloaikoja" in answer)
    price = stack.text(user, "paljonko se maksaa?")  # "se": the service just talked about
    assert shown[1]["name"] in price
