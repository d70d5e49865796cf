"""The rule-based safety net (bot/safety.py, bot/data/safety/*.yml) on the tuning corpus
tests/safety_cases/multilingual_tuning.yml.

IN-SAMPLE: the corpus was written by the developer who tuned the lists, and the lists were tuned
on it, so these figures show that the lists still do what they were tuned to do (a regression
test), not how well they catch new wordings. Recall on wordings written by someone else is
measured on the held-out sets under nlu_test/ (``python -m bench.safety_eval``), which were never
used for tuning.

Figures asserted here: crisis and emergency recall >= 0.97 for Swedish and English and >= 0.9 for
every other language, no safety answer for any harmless look-alike, the answer language that the
matched lists alone decide (without lingua), the Finnish training data left as it was, and speed.
"""

import re
import time
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from bot.rasa.language_detector import decide
from bot.safety import _message_words, crisis_languages, emergency_languages, is_crisis, is_medical_emergency
from tests.safety_cases import tuning_corpus

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = tuning_corpus()
SUPPORTED = ("sv", "en")
# Finnish crisis examples of the training data that the Finnish lemma rules (kept as they are,
# bot.safety.CRISIS_RULES) do not catch; the intent classifier is trained on them. A Finnish
# wording that stops matching fails test_finnish_crisis_examples_keep_matching.
FINNISH_RULE_GAPS = {
    "en halua herätä enää aamulla",
    "teen kohta jotain itselleni",
    "mietin että olis kaikille helpompaa jos mua ei olis",
    "mulla on pillerit valmiina pöydällä",
    "isä laittoi viestin jossa hyvästeli meidät eikä vastaa puhelimeen",
    "Oon satuttanu itteäni kun ahdistaa niin paljon",
    "äiti on 83 ja sanoo että ottaa kaikki lääkkeensä kerralla kun ei halua olla taakka",
    "Hoidan äitiä kotona ja välillä mietin että ottaisin meidät molemmat pois täältä",
    "join ja otin pillereitä päälle, en tiedä paljonko",
}


def _safety_answer(text: str) -> bool:
    return is_crisis(text) or is_medical_emergency(text)


def _recalls() -> dict[str, dict[str, list[bool]]]:
    out: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for message in MESSAGES:
        text, kind = message["text"], message["kind"]
        if kind == "crisis":
            out[message["lang"]]["crisis"].append(is_crisis(text))
        elif kind == "emergency":  # the crisis answer has 112 too
            out[message["lang"]]["emergency"].append(_safety_answer(text))
    return out


def _rate(hits: list[bool]) -> float:
    return sum(hits) / len(hits)


def test_corpus_has_the_promised_size() -> None:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for message in MESSAGES:
        assert message["kind"] in ("crisis", "emergency", "harmless"), message
        counts[message["lang"]][message["kind"]] += 1
    for language in SUPPORTED:
        assert counts[language]["crisis"] >= 120 and counts[language]["emergency"] >= 40, language
        assert counts[language]["harmless"] >= 120, language
    others = [lang for lang in counts if lang not in SUPPORTED and lang != "fi"]
    assert len(others) >= 15
    for language in others:
        assert counts[language]["crisis"] >= 6 and counts[language]["emergency"] >= 3, language
        assert counts[language]["harmless"] >= 3, language
    assert len({m["text"] for m in MESSAGES}) == len(MESSAGES)


@pytest.mark.parametrize("language", SUPPORTED)
def test_swedish_and_english_recall(language: str) -> None:
    recalls = _recalls()[language]
    for kind in ("crisis", "emergency"):
        assert _rate(recalls[kind]) >= 0.97, (language, kind, _rate(recalls[kind]))


def test_other_languages_recall() -> None:
    recalls = _recalls()
    low = {(language, kind): round(_rate(hits), 3) for language, kinds in recalls.items()
           if language not in SUPPORTED for kind, hits in kinds.items() if _rate(hits) < 0.9}
    assert low == {}
    every = [hit for language, kinds in recalls.items() if language not in SUPPORTED
             for hits in kinds.values() for hit in hits]
    assert _rate(every) >= 0.9


def test_no_false_safety_answers() -> None:
    wrong = [(m["lang"], m["text"], crisis_languages(m["text"]), emergency_languages(m["text"]))
             for m in MESSAGES if m["kind"] == "harmless" and _safety_answer(m["text"])]
    assert wrong == []


def test_matched_lists_alone_give_the_answer_language() -> None:
    """Without lingua (decide(detection=None)), the languages whose lists matched already give
    sv / en / other; SafetyNet adds lingua's guess where several lists match (tests/rasa)."""
    wrong = []
    for message in MESSAGES:
        if message["kind"] == "harmless":
            continue
        languages = crisis_languages(message["text"]) or emergency_languages(message["text"])
        expected = message["lang"] if message["lang"] in SUPPORTED else "other"
        if decide(message["text"], None, languages, True) != expected:
            wrong.append((message["lang"], message["text"], languages))
    assert wrong == []


# --- No Finnish regression ----------------------------------------------------------------------

def _nlu_examples() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in (block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    out.append((block["intent"], re.sub(r"\[([^\]]*)\](\{[^}]*\}|\([^)]*\))", r"\1", line.strip()[2:])))
    return out


def _life_situations() -> list[tuple[str, str]]:
    data = yaml.safe_load((ROOT / "data" / "life_situations" / "train.yml").read_text(encoding="utf-8"))
    return [(m["kind"], m["text"]) for m in data["messages"]]


def test_finnish_training_data_gets_no_new_safety_answers() -> None:
    examples = [*_nlu_examples(), *_life_situations()]
    assert len(examples) > 900
    wrong = []
    for label, text in examples:
        if label in ("crisis", "medical_emergency"):
            continue
        crisis, emergency = crisis_languages(text), emergency_languages(text)
        # the Finnish lemma rules are unchanged; the lists of the other languages must not match
        # Finnish at all, and nothing that is not a crisis may get the crisis answer
        if crisis or [language for language in emergency if language != "fi"]:
            wrong.append((label, text, crisis, emergency))
    assert wrong == []


def test_finnish_crisis_examples_keep_matching() -> None:
    crisis = [text for intent, text in _nlu_examples() if intent == "crisis"]
    crisis += [text for kind, text in _life_situations() if kind == "crisis"]
    assert len(crisis) > 30
    assert {text for text in crisis if not is_crisis(text)} <= FINNISH_RULE_GAPS


# --- Speed --------------------------------------------------------------------------------------

def test_a_typical_message_is_checked_in_well_under_ten_milliseconds() -> None:
    is_crisis("lämmittely")  # lists and Voikko loaded
    times = []
    for message in MESSAGES:
        _message_words.cache_clear()
        started = time.perf_counter()
        is_crisis(message["text"])
        is_medical_emergency(message["text"])
        times.append(time.perf_counter() - started)
    assert sum(times) / len(times) < 0.005, f"{1000 * sum(times) / len(times):.2f} ms per message"
    assert sorted(times)[len(times) // 2] < 0.005
