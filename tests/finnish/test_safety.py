import re
import time
from pathlib import Path

import pytest
import yaml

from bot.safety import (
    CRISIS_ANSWER,
    EMERGENCY_ANSWER,
    SAFETY_LISTS,
    compile_pattern,
    crisis_languages,
    emergency_languages,
    fold,
    is_crisis,
    is_medical_emergency,
    language_lists,
    tokens,
)
from tests.safety_cases import CRISIS, HARMLESS
from tests.safety_cases import multilingual_insample as insample


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_detected(text: str) -> None:
    assert is_crisis(text)


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_not_crisis(text: str) -> None:
    assert not is_crisis(text)
    assert not is_medical_emergency(text)


@pytest.mark.parametrize("text", ["isällä on kova rintakipu", "mummo meni tajuttomaksi",
                                  "lapsi ei hengitä"])
def test_medical_emergency(text: str) -> None:
    assert is_medical_emergency(text)


def test_long_input_is_fast_and_safe() -> None:
    assert not is_crisis("kuntosali " * 2000)


def test_at_least_forty_of_each() -> None:
    assert len(set(CRISIS)) >= 40 and len(set(HARMLESS)) >= 40


@pytest.mark.parametrize("text", ["isäni teki itsemurhan ja nyt mietin itsemurhaa", "mietin itsemurhaa omaisteni takia",
                                  "olen itsetuhoinen", "itsemurha"])
def test_topic_words_about_oneself_stay_crisis(text: str) -> None:
    assert is_crisis(text)


# --- Other languages (bot/data/safety/*.yml) ---------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("language", "text"), insample.CRISIS)
def test_crisis_in_other_languages(language: str, text: str) -> None:
    assert is_crisis(text)
    assert language in crisis_languages(text)


@pytest.mark.parametrize(("language", "text"), insample.EMERGENCY)
def test_emergency_in_other_languages(language: str, text: str) -> None:
    assert not is_crisis(text)
    assert is_medical_emergency(text)
    assert language in emergency_languages(text)


@pytest.mark.parametrize(("language", "text"), insample.HARMLESS)
def test_look_alikes_in_other_languages_are_harmless(language: str, text: str) -> None:
    assert not is_crisis(text)
    assert not is_medical_emergency(text)


@pytest.mark.parametrize("text", CRISIS)
def test_finnish_crisis_is_finnish(text: str) -> None:
    assert crisis_languages(text)[0] == "fi"


def _training_examples() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in (block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    text = re.sub(r"\[([^\]]*)\](\{[^}]*\}|\([^)]*\))", r"\1", line.strip()[2:])
                    out.append((block["intent"], text))
    return out


def test_other_languages_lists_leave_finnish_training_data_alone() -> None:
    examples = _training_examples()
    assert len(examples) > 300
    wrong = [(intent, text, crisis_languages(text), emergency_languages(text)) for intent, text in examples
             if [lang for lang in (*crisis_languages(text), *emergency_languages(text)) if lang != "fi"]]
    assert wrong == []


def test_every_list_file_is_valid_and_asks_for_review() -> None:
    paths = sorted(SAFETY_LISTS.glob("*.yml"))
    assert {p.stem for p in paths} >= {"sv", "en", "ru", "uk", "ar", "so", "et", "fa", "tr", "es", "de", "fr", "pl"}
    assert [lst.language for lst in language_lists()] == [p.stem for p in paths]
    for path in paths:
        header = path.read_text(encoding="utf-8").split("\nlanguage:")[0]
        assert "native speaker should review" in " ".join(header.replace("#", " ").split()), path
    assert all(lst.crisis and lst.context for lst in language_lists())


def test_pattern_syntax() -> None:
    assert compile_pattern("kill* myself").search(tokens("I'm KILLING myself"))
    assert compile_pattern("want|wanna ~ die").search(tokens("I want so much to die"))
    assert not compile_pattern("want|wanna ~ die").search(tokens("I want to go to the gym and then die"))
    guarded = compile_pattern("!dont|not want to die")
    assert guarded.search(tokens("I want to die")) and not guarded.search(tokens("I don't want to die"))
    trailing = compile_pattern("want to live !in|here")
    assert trailing.search(tokens("I don't want to live")) and not trailing.search(tokens("want to live in Pori"))
    assert compile_pattern("自杀").search(tokens("我想自杀"))
    assert compile_pattern("*انتحار*").search(tokens("أفكر في الانتحار"))
    for bad in ("", "~", "a ~", "a. b", "a||b"):
        with pytest.raises(ValueError):
            compile_pattern(bad)


def test_pattern_syntax_phrases_classes_typos_and_wide_gaps() -> None:
    assert compile_pattern("no_one|nobody ~ would miss me").search(tokens("No one would miss me"))
    assert compile_pattern("no_one|nobody ~ would miss me").search(tokens("nobody really would miss me"))
    assert not compile_pattern("no_one|nobody would").search(tokens("everyone would"))  # the whole phrase or nothing
    classes = {"self": "myself|meself", "want": "want|wanna"}
    assert compile_pattern("$want ~ hurt $self|me", classes).search(tokens("I wanna hurt meself"))
    assert compile_pattern("suicidal%").search(tokens("im suicdal")) and compile_pattern("suicidal%").search(
        tokens("suicidla thoughts"))
    assert not compile_pattern("suicidal%").search(tokens("suicide"))
    wide = compile_pattern("pills ~~ take them all")
    assert wide.search(tokens("all my pills next to me and I'm going to take them all"))
    assert not compile_pattern("pills ~ take them all").search(tokens("pills next to me and I'll take them all"))
    guarded = compile_pattern("want to live !in_this_town|with")
    assert guarded.search(tokens("I don't want to live in this world")) and not guarded.search(
        tokens("I don't want to live in this town"))
    assert compile_pattern("!do_not|dont want to die").search(tokens("I want to die")) and not compile_pattern(
        "!do_not|dont want to die").search(tokens("I do not want to die"))
    assert compile_pattern("想死|不想活").search(tokens("我不想活了"))  # Chinese alternatives are character phrases
    for bad in ("ab%", "a*b%", "$unknown", "x_"):
        with pytest.raises(ValueError):
            compile_pattern(bad, classes)


def test_tokens_keep_line_breaks_devanagari_and_thai() -> None:
    assert tokens("I want to die\nnobody\tcares") == ["i", "want", "to", "die", "nobody", "cares"]
    assert is_crisis("jag vill\r\ndö")
    assert tokens("मैं मरना चाहता हूँ") == ["मैं", "मरना", "चाहता", "हूं"]  # vowel signs kept, candrabindu folded
    assert tokens("ฉันอยากตาย ช่วยด้วย")[0] == fold("ฉันอยากตาย")  # a run of Thai letters is one word


def test_a_full_match_names_the_language_before_shared_topic_words() -> None:
    assert crisis_languages("je pense au suicide") == ("fr",)
    assert set(crisis_languages("suicide")) >= {"en", "fr"}  # only the shared topic word: both


def test_fold() -> None:
    assert fold("Självmord ÖLMEK İntihar") == "sjalvmord olmek intihar"
    assert tokens("I'm fine, don't") == ["im", "fine", "dont"]
    assert tokens("j'appelle l'ambulance") == ["j", "appelle", "l", "ambulance"]
    assert tokens("می‌خواهم") == tokens("میخواهم") and tokens("أريد") == tokens("اريد")


def test_long_input_in_any_language_is_fast() -> None:
    started = time.perf_counter()
    for text in ("kuntosali " * 2000, "I want to go to the gym " * 400, "я хочу " * 1000):
        is_crisis(text)
        is_medical_emergency(text)
    assert time.perf_counter() - started < 2.0


# --- The answers: one home, domain.yml -----------------------------------------------------------

def _variations(name: str) -> dict[str | None, str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    out: dict[str | None, str] = {}
    for variation in domain["responses"][name]:
        conditions = variation.get("condition") or []
        assert all(c["type"] == "slot" and c["name"] == "message_language" for c in conditions)
        out[conditions[0]["value"] if conditions else None] = variation["text"]
    return out


def test_finnish_answers_are_the_domains_defaults() -> None:
    assert _variations("utter_crisis")[None] == CRISIS_ANSWER
    assert _variations("utter_medical_emergency")[None] == EMERGENCY_ANSWER


def test_crisis_answer_in_every_language() -> None:
    answers = _variations("utter_crisis")
    assert set(answers) == {None, "sv", "en", "other"}
    finnish_line, swedish_line, english_line = "09 2525 0111", "09 2525 0112", "09 2525 0116"
    assert "112" in answers[None] and finnish_line in answers[None]
    assert "112" in answers["sv"] and swedish_line in answers["sv"] and finnish_line in answers["sv"]
    assert "dygnet runt" in answers["sv"] and "mieli.fi" in answers["sv"]
    assert "112" in answers["en"] and english_line in answers["en"] and finnish_line in answers["en"]
    assert "around the clock" in answers["en"] and "mieli.fi" in answers["en"]
    other = answers["other"]
    assert other.startswith("112") and all(n in other for n in (finnish_line, swedish_line, english_line))
    assert all(word in other for word in ("English", "Suomi", "Svenska"))


def test_emergency_answer_in_every_language() -> None:
    answers = _variations("utter_medical_emergency")
    assert set(answers) == {None, "sv", "en", "other"}
    assert all("112" in text and "116117" in text for text in answers.values())
    assert answers["other"].startswith("112")
    assert "nödnumret" in answers["sv"] and "emergency" in answers["en"]
