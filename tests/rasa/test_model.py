"""The trained model (models/current.tar.gz, made by `make model`) on safety cases and typed buttons."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.safety_cases import CRISIS, HARMLESS

MODEL = Path(__file__).resolve().parents[2] / "models" / "current.tar.gz"


@pytest.fixture(scope="module")
def agent() -> Agent:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make model`")
    return Agent.load(str(MODEL))


def _parse(agent: Agent, text: str) -> dict[str, Any]:
    return asyncio.run(agent.parse_message(text))


def test_every_crisis_wording_is_a_crisis(agent: Agent) -> None:
    missed = [t for t in CRISIS if _parse(agent, t)["intent"]["name"] != "crisis"]
    assert missed == []


def test_harmless_look_alikes_are_not_safety_answers(agent: Agent) -> None:
    wrong = [(t, intent) for t in HARMLESS
             if (intent := _parse(agent, t)["intent"]["name"]) in ("crisis", "medical_emergency")]
    assert wrong == []


def _next_action(agent: Agent, events: list[Any]) -> str:
    tracker = DialogueStateTracker.from_events("t", events, agent.domain.slots)
    prediction = agent.processor._predict_next_with_tracker(tracker)  # type: ignore[union-attr]
    return agent.domain.action_names_or_texts[prediction.max_confidence_index]


def _turn(agent: Agent, text: str) -> UserUttered:
    parsed = _parse(agent, text)
    return UserUttered(text, parsed["intent"], parsed["entities"], parse_data=parsed)


def test_typed_button_number_goes_to_the_choice_action(agent: Agent) -> None:
    offered = [ActionExecuted("action_listen"), _turn(agent, "apua"), ActionExecuted("utter_help"),
               BotUttered("Valitse aihe:", data={"buttons": [
                   {"title": "Liikunta", "payload": '/inform{"theme": "liikunta"}'},
                   {"title": "Kulttuuri", "payload": '/inform{"theme": "kulttuuri"}'}]}),
               ActionExecuted("action_listen")]
    assert _next_action(agent, [*offered, _turn(agent, "2")]) == "action_choose_option"
    assert _next_action(agent, [*offered, _turn(agent, "kulttuuri")]) == "action_choose_option"
    # after the choice the bot listens; a crisis is never taken for a button
    assert _next_action(agent, [*offered, _turn(agent, "2"), ActionExecuted("action_choose_option")]) == \
        "action_listen"
    assert _next_action(agent, [*offered, _turn(agent, "haluan kuolla")]) == "utter_crisis"
    assert _next_action(agent, [*offered, _turn(agent, "liikuntaa Porissa")]) == "action_search_services"


def test_an_open_referral_takes_every_answer_but_a_crisis(agent: Agent) -> None:
    from rasa.shared.core.events import SlotSet

    opened = [ActionExecuted("action_listen"), _turn(agent, "tee lähete"), ActionExecuted("action_start_referral"),
              SlotSet("referral_stage", "name"), BotUttered("Mikä on nimesi?"), ActionExecuted("action_listen")]
    assert _next_action(agent, [*opened, _turn(agent, "Maija Meikäläinen")]) == "action_referral_step"
    assert _next_action(agent, [*opened, _turn(agent, "liikuntaa Porissa")]) == "action_referral_step"
    assert _next_action(agent, [*opened, _turn(agent, "haluan kuolla")]) == "utter_crisis"
    assert _next_action(agent, [*opened, _turn(agent, "Maija"), ActionExecuted("action_referral_step")]) == \
        "action_listen"
    closed = [*opened[:3], SlotSet("referral_stage", None), ActionExecuted("action_listen")]
    assert _next_action(agent, [*closed, _turn(agent, "liikuntaa Porissa")]) == "action_search_services"


def test_a_name_is_not_taken_for_an_emergency_but_a_real_one_is(agent: Agent) -> None:
    from rasa.shared.core.events import SlotSet

    at_name = [ActionExecuted("action_listen"), _turn(agent, "tee lähete"), ActionExecuted("action_start_referral"),
               SlotSet("referral_stage", "name"), BotUttered("Mikä on nimesi?"), ActionExecuted("action_listen")]
    for name in ("Testi Henkilö", "Kalle Salonen", "Aino Kuolemaa", "Matti Hengitä"):
        assert _next_action(agent, [*at_name, _turn(agent, name)]) == "action_referral_step", name
    assert _next_action(agent, [*at_name, _turn(agent, "mummo meni tajuttomaksi")]) == "utter_medical_emergency"
    assert _next_action(agent, [*at_name, _turn(agent, "haluan tappaa itseni")]) == "utter_crisis"
