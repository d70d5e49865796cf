import pytest

from bot.safety import is_crisis, is_medical_emergency

CRISIS = [
    "Haluan tappaa itseni", "en halua enää elää", "mietin itsemurhaa", "viiltelen itseäni",
    "en jaksa enää elää", "kaikki olis parempi ilman mua", "mieheni uhkaa tappaa minut",
    "haluan lopettaa elämäni", "tapan itteni", "satutan itseäni", "haluan kuolla",
]
HARMLESS = [
    "tapan aikaa kirjastossa", "kuolettavan tylsää", "haluan lopettaa tupakoinnin",
    "jaksaa elää kun liikkuu", "liikuntaa Raumalla", "elämäni parasta aikaa",
]


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
