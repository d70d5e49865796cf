import pytest

from bot.finnish.requests import find_requests


@pytest.mark.parametrize(("text", "value"), [
    ("kerro lisää kolmannesta", "3"), ("avaa numero 2", "2"), ("3 lisätiedot", "3"),
    ("lisää tietoa tuosta viimeisestä", "last"), ("haluan tietää enemmän ykkösestä", "1"),
    ("mitä toinen sisältää", "2"),
])
def test_ordinals(text: str, value: str) -> None:
    assert [(r.kind, r.value) for r in find_requests(text)] == [("ordinal", value)]


@pytest.mark.parametrize(("text", "value"), [
    ("vain ilmaiset", "free"), ("maksuttomat kiitos", "free"), ("onks noist mikään ilmanen", "free"),
    ("mikä on auki tänään", "open_today"), ("pääseekö sinne pyörätuolilla", "accessible"),
    ("på svenska", "swedish"), ("palvelut ruotsin kielellä", "swedish"),
])
def test_filters(text: str, value: str) -> None:
    assert [(r.kind, r.value) for r in find_requests(text)] == [("filter", value)]


@pytest.mark.parametrize("text", ["yli 65-vuotiaille", "postinumero 28100", "Mitä liikuntaa Raumalla"])
def test_no_false_requests(text: str) -> None:
    assert find_requests(text) == []
