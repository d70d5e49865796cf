"""IN-SAMPLE figures: follow-up questions about a shown service on the tuning set
tests/finnish/followups_tuning.yml, the set the word lists and rules were tuned on (the held-out
figures come from bench/followups_eval.py on a set written by someone else).

Each message goes through FinnishEntityExtractor and ServiceQuestion twice, once with the intent
``search_services`` and once with ``service_details`` (what an intent classifier may plausibly
give), and counts only when the outcome is right both times:

- routed: a follow-up question ends as ``service_details``; any other message is left untouched;
- fact: a routed follow-up has the right ``service_fact`` (none for a general "kerro lisää");
- which: a routed follow-up has the right ``ordinal`` (none for the service in focus).

``python tests/rasa/test_service_question_tuning.py`` (Rasa environment, PYTHONPATH=.) prints the
figures and every miss.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from bot.rasa.entities import FinnishEntityExtractor
from bot.rasa.service_question import ServiceQuestion

TUNING_SET = Path(__file__).resolve().parent.parent / "finnish" / "followups_tuning.yml"
INTENTS = ("search_services", "service_details")
FACTS = ("hours", "price", "address", "contact", "accessibility", "languages", "referral")
TARGET = 0.95


def _create(cls: Any, tmp: Path) -> Any:
    return cls.create(cls.get_default_config(), LocalModelStorage(tmp), Resource("x"),
                      ExecutionContext(graph_schema=None, model_id="m"))  # type: ignore[arg-type]


def _value(entities: List[Dict[str, Any]], kind: str) -> str | None:
    return next((str(e["value"]) for e in entities if e.get("entity") == kind), None)


def _parse(text: str, intent: str, tmp: Path) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """The message after the entity extractor (before) and after ServiceQuestion (after)."""
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.9}})
    (message,) = _create(FinnishEntityExtractor, tmp).process([message])
    before = {"intent": copy.deepcopy(message.get("intent")), "entities": copy.deepcopy(message.get("entities"))}
    (message,) = _create(ServiceQuestion, tmp).process([message])
    return before, {"intent": message.get("intent"), "entities": message.get("entities") or []}


def _judge(item: Dict[str, Any], tmp: Path) -> Dict[str, bool]:
    follow_up = item["asks"] != "none"
    wanted_fact = item["asks"] if item["asks"] in FACTS else None
    wanted_which = None if item.get("refers_to") in (None, "null") else str(item["refers_to"])
    marks = {"routed": True, "fact": follow_up, "which": follow_up}
    for intent in INTENTS:
        before, after = _parse(item["text"], intent, tmp)
        if follow_up:
            routed = after["intent"]["name"] == "service_details"
            marks["routed"] &= routed
            marks["fact"] &= routed and _value(after["entities"], "service_fact") == wanted_fact
            marks["which"] &= routed and _value(after["entities"], "ordinal") == wanted_which
        else:
            marks["routed"] &= after == before
    return marks


@cache
def figures(tmp: Path) -> Dict[str, Any]:
    items = yaml.safe_load(TUNING_SET.read_text(encoding="utf-8"))["messages"]
    follow_ups = [i for i in items if i["asks"] != "none"]
    others = [i for i in items if i["asks"] == "none"]
    judged = [(item, _judge(item, tmp)) for item in items]
    misses = [(item["text"], item["asks"], item.get("refers_to"),
               [k for k, ok in marks.items() if not ok and (item["asks"] != "none" or k == "routed")])
              for item, marks in judged
              if not marks["routed"] or (item["asks"] != "none" and not (marks["fact"] and marks["which"]))]
    return {
        "messages": len(items), "follow_ups": len(follow_ups), "others": len(others),
        "routed": sum(m["routed"] for _, m in judged) / len(items),
        "fact": sum(m["fact"] for _, m in judged) / len(follow_ups),
        "which": sum(m["which"] for _, m in judged) / len(follow_ups),
        "others_routed": sum(not m["routed"] for i, m in judged if i["asks"] == "none"),
        "misses": misses,
    }


def test_tuning_set_is_large_enough() -> None:
    items = yaml.safe_load(TUNING_SET.read_text(encoding="utf-8"))["messages"]
    assert sum(i["asks"] != "none" for i in items) >= 200 and sum(i["asks"] == "none" for i in items) >= 60
    assert all(i["asks"] in (*FACTS, "details", "none") for i in items)
    assert all(i.get("refers_to") in (None, 1, 2, 3, 4, 5, "last") for i in items)


def test_in_sample_figures(tmp_path_factory: Any) -> None:
    result = figures(tmp_path_factory.mktemp("tuning"))
    summary = {k: v for k, v in result.items() if k != "misses"}
    assert result["others_routed"] == 0, (summary, result["misses"])
    assert min(result["routed"], result["fact"], result["which"]) >= TARGET, (summary, result["misses"])


def test_details_question_has_no_fact(tmp_path: Path) -> None:
    for text in ("kerro lisää toisesta", "mikä se kolmas on?"):
        for intent in INTENTS:
            _before, after = _parse(text, intent, tmp_path)
            assert after["intent"]["name"] == "service_details"
            assert _value(after["entities"], "service_fact") is None


def test_routed_message_keeps_the_ordinal_and_drops_search_words(tmp_path: Path) -> None:
    _before, after = _parse("kiitos tiedoista! paljonko se kolmas maksaa eläkeläiselle?", "search_services", tmp_path)
    assert after["intent"] == {"name": "service_details", "confidence": 1.0}
    assert {(e["entity"], str(e["value"])) for e in after["entities"]} == {("ordinal", "3"), ("service_fact", "price")}


def test_spoken_ordinal_taken_for_a_place(tmp_path: Path) -> None:
    before, after = _parse("tarvitseeko ekaan lähetteen", "search_services", tmp_path)
    assert _value(before["entities"], "municipality") is not None  # the place finder reads "ekaan" as Akaa
    assert _value(after["entities"], "ordinal") == "1" and _value(after["entities"], "municipality") is None


def test_crisis_and_kept_intents_are_never_routed(tmp_path: Path) -> None:
    for text in ("en halua enää elää, missä se kriisipiste on", "ystäväni sai sydänkohtauksen, mihin soitan"):
        before, after = _parse(text, "search_services", tmp_path)
        assert after == before
    for intent in ("crisis", "start_referral", "affirm"):
        before, after = _parse("milloin se on auki?", intent, tmp_path)
        assert after == before


def test_a_guessed_theme_does_not_make_a_search(tmp_path: Path) -> None:
    service_question = _create(ServiceQuestion, tmp_path)
    guessed = {"entity": "theme", "value": "toimeentulo", "start": 0, "end": 0, "extractor": "NeedClassifier"}
    message = Message(data={"text": "paljonko maksaa jos on työtön", "entities": [guessed],
                            "intent": {"name": "search_services", "confidence": 0.6}})
    (message,) = service_question.process([message])
    assert message.get("intent")["name"] == "service_details"
    assert _value(message.get("entities"), "service_fact") == "price"


if __name__ == "__main__":
    import tempfile

    outcome = figures(Path(tempfile.mkdtemp()))
    for miss in outcome.pop("misses"):
        print("MISS", miss)
    print("IN-SAMPLE (tuning set):", {k: round(v, 3) if isinstance(v, float) else v for k, v in outcome.items()})
