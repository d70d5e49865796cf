"""The follow-up of the crisis answer (action_crisis_services) is Finnish only."""

import asyncio
from typing import Any

import pytest

from bot.dialogue import crisis
from bot.dialogue.search_turn import criteria_from


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    async def search(params: dict[str, Any]) -> dict[str, Any]:
        calls.append(params)
        return {"items": [{"id": "s1", "name": "Keskusteluapu", "summary": "Tukea.", "provider": "Järjestö"}]}

    monkeypatch.setattr(crisis, "search_services", search)
    return calls


@pytest.mark.parametrize("language", ["sv", "en", "other"])
def test_nothing_finnish_after_a_crisis_in_another_language(language: str, searches: list[Any]) -> None:
    for slots in ({}, {"municipality": "684"}):
        reply = asyncio.run(crisis.crisis_services(slots, language))
        assert reply.messages == [] and reply.slots == {} and not reply.ask
    assert searches == []


@pytest.mark.parametrize("language", [None, "fi"])
def test_finnish_crisis_gets_the_offer(language: str | None, searches: list[Any]) -> None:
    reply = asyncio.run(crisis.crisis_services({}, language))
    assert "Kerro silloin kuntasi" in reply.messages[0]["text"]
    reply = asyncio.run(crisis.crisis_services({"municipality": "684"}, language))
    assert "mielen hyvinvoinnin tukea" in reply.messages[0]["text"] and reply.slots["result_ids"] == ["s1"]
    assert searches[0]["theme"] == "mielen_hyvinvointi"


def test_language_entity_leaves_the_search_text_alone() -> None:
    language = {"entity": "message_language", "value": "en", "start": 0, "end": 0, "extractor": "SafetyNet"}
    criteria, _ = criteria_from({}, [language], "yoga classes")
    assert criteria.q is not None and "yoga" in criteria.q
