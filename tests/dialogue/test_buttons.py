from typing import Any

import pytest

from bot.dialogue.buttons import choose, offered_buttons, parse_payload
from bot.dialogue.results import choice_buttons

THEMES = [{"title": "Liikunta", "payload": '/inform{"theme": "liikunta"}'},
          {"title": "Kulttuuri", "payload": '/inform{"theme": "kulttuuri"}'},
          {"title": "Mielen hyvinvointi", "payload": '/inform{"theme": "mielen_hyvinvointi"}'}]


def conversation(buttons: list[dict[str, Any]], typed: str) -> list[dict[str, Any]]:
    return [{"event": "user", "text": "hei"}, {"event": "bot", "text": "Valitse aihe", "data": {"buttons": buttons}},
            {"event": "action", "name": "action_listen"}, {"event": "user", "text": typed},
            {"event": "slot", "name": "theme", "value": None}, {"event": "action", "name": "action_extract_slots"}]


@pytest.mark.parametrize(("typed", "theme"), [
    ("2", "kulttuuri"), ("kakkonen", "kulttuuri"), ("numero 3", "mielen_hyvinvointi"), ("Kulttuuri", "kulttuuri"),
    ("kulttuuri.", "kulttuuri"), ("mielen hyvinvointi", "mielen_hyvinvointi"), ("1", "liikunta"),
])
def test_typed_number_or_title_chooses_the_button(typed: str, theme: str) -> None:
    choice = choose(conversation(THEMES, typed), typed)
    assert choice is not None
    assert (choice.intent, choice.entities) == ("inform", {"theme": theme})


@pytest.mark.parametrize("typed", ["4", "0", "liikuntaa Raumalla", "x" * 200, "/inform", ""])
def test_other_messages_choose_nothing(typed: str) -> None:
    assert choose(conversation(THEMES, typed), typed) is None


def test_only_the_last_bot_turn_counts() -> None:
    events = [*conversation(THEMES, "hei taas")[:-2],
              {"event": "bot", "text": "Hei!"}, {"event": "user", "text": "2"}]
    assert offered_buttons(events) == []
    assert choose(events, "2") is None


def test_numbered_result_buttons_follow_the_card_numbers() -> None:
    items = [{"name": f"Palvelu {n}"} for n in range(6, 11)]
    buttons = choice_buttons(items, 6, more=True)
    assert buttons[0]["title"] == "6. Palvelu 6" and buttons[-1]["payload"] == "/more_results"
    choice = choose(conversation(buttons, "7"), "7")
    assert choice is not None and choice.entities == {"ordinal": "7"}
    assert choose(conversation(buttons, "1"), "1") is None  # no card 1 on this page
    more = choose(conversation(buttons, "näytä lisää"), "näytä lisää")
    assert more is not None and more.intent == "more_results"


def test_payloads() -> None:
    assert parse_payload('/inform{"theme": "liikunta"}') == ("inform", {"theme": "liikunta"})
    assert parse_payload("/more_results") == ("more_results", {})
    assert parse_payload("/inform{broken") is None
    assert parse_payload("hello") is None
    assert parse_payload('/inform["list"]') is None


def test_text_payload_buttons_give_their_text() -> None:
    buttons = [{"title": "Arkisin aamupäivällä", "payload": "Arkisin aamupäivällä"},
               {"title": "Ohita", "payload": "Ohita"}]
    choice = choose(conversation(buttons, "1"), "1")
    assert choice is not None and choice.title == "Arkisin aamupäivällä" and choice.intent == "text"
