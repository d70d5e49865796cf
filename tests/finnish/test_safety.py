import pytest

from bot.safety import is_crisis, is_medical_emergency
from tests.safety_cases import CRISIS, HARMLESS


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
