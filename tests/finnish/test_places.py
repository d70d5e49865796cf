import pytest

from bot.finnish.places import county_municipalities, find_places, municipalities, resolve_word


@pytest.mark.parametrize(("text", "code"), [
    ("Raumalla", "684"), ("Rauman", "684"), ("Raumalle", "684"), ("Raumalta", "684"),
    ("Porissa", "609"), ("Poriin", "609"), ("Porista", "609"), ("Porin", "609"),
    ("Kokemäellä", "271"), ("Hailuodossa", "072"), ("Iissä", "139"),
    ("raumalla", "684"), ("jyvaskylassa", "179"), ("Jyväskylsä", "179"),
    ("i Björneborg", "609"), ("Kempeleessä", "244"), ("Äänekoskella", "992"),
    ("Koski Tl", "284"), ("Pedersöressä", "599"),
])
def test_municipality_in_any_case(text: str, code: str) -> None:
    found = [m for m in find_places(text) if m.kind == "municipality"]
    assert [m.code for m in found] == [code]


@pytest.mark.parametrize("text", ["ii", "salo", "tapan aikaa", "kuolettavan tylsää", "hyvää päivää"])
def test_common_words_are_not_places(text: str) -> None:
    assert find_places(text) == []


@pytest.mark.parametrize(("text", "county"), [
    ("Satakunnassa", "06"), ("Keski-Suomessa", "15"), ("koko Pohjois-Pohjanmaalla", "19"),
])
def test_counties(text: str, county: str) -> None:
    assert [(m.kind, m.code) for m in find_places(text)] == [("county", county)]


def test_mention_span_points_at_the_word() -> None:
    text = "Mitä liikuntaryhmiä on ikääntyneille Raumalla?"
    (mention,) = find_places(text)
    assert text[mention.start:mention.end] == "Raumalla"


def test_code_list_complete() -> None:
    assert len(municipalities()) == 309
    assert len(county_municipalities("06")) + len(county_municipalities("15")) + len(
        county_municipalities("19")) == 68


def test_overlong_word_is_ignored() -> None:
    assert resolve_word("a" * 500) is None


@pytest.mark.parametrize(("text", "code"), [
    ("lähin postinumeroon 28100", "609"), ("asun 26100 Raumalla", "684"), ("postinumero 40100", "179"),
])
def test_postal_codes_of_demo_municipalities(text: str, code: str) -> None:
    assert [m.code for m in find_places(text) if m.kind == "municipality"] == [code]


def test_other_numbers_are_not_postal_codes() -> None:
    assert find_places("puhelin 040-12345-67") == []
    assert find_places("99999") == []
