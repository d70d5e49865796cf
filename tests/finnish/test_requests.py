import pytest

from bot.finnish.requests import find_requests


@pytest.mark.parametrize(("text", "value"), [
    ("kerro lisää kolmannesta", "3"), ("avaa numero 2", "2"), ("3 lisätiedot", "3"),
    ("lisää tietoa tuosta viimeisestä", "last"), ("haluan tietää enemmän ykkösestä", "1"),
    ("mitä toinen sisältää", "2"),
    # spoken forms
    ("missä eka on", "1"), ("tarvitseeko ekaan lähetteen", "1"), ("s-posti ekalle", "1"),
    ("miten tokaan pääsee", "2"), ("tarkemmat tiedot tokasta", "2"), ("mites vika?", "last"),
    ("lisää infoa vikasta", "last"), ("mikä on vikan sähköposti", "last"), ("kerro lisää viimosesta", "last"),
    ("mikä se viimonen oli", "last"), ("viitonen?", "5"), ("entä kakkonen", "2"), ("mitä vitosessa tehdään", "5"),
    # from the top or the bottom of the list
    ("missä alin on", "last"), ("mitä ylin maksaa", "1"), ("kerro ylimmästä lisää", "1"),
    ("milloin alimmainen on auki", "last"),
    # numbers
    ("onks nro 4 auki", "4"), ("mitkä ovat 3:n aukioloajat", "3"), ("2. aukioloajat", "2"),
    ("paljonko 5. maksaa", "5"), ("lisätietoa 4:stä", "4"), ("Mikä on nro 1 puhelinnumero?", "1"),
    # without ä/ö
    ("milloin neljas on auki", "4"), ("ensimmaisen osoite", "1"),
])
def test_ordinals(text: str, value: str) -> None:
    assert [(r.kind, r.value) for r in find_requests(text) if r.kind == "ordinal"] == [("ordinal", value)]


@pytest.mark.parametrize("text", [
    "onko se auki jo klo 8?", "meneekö sinne bussi 2", "maksaako se yli 10 euroa?", "auki 9-16",
    "olen menossa sinne ensimmäistä kertaa", "onko joku toinen paikka", "näytä 5 lisää", "toisten kanssa",
    "viime viikolla", "viimeksi",
])
def test_not_ordinals(text: str) -> None:
    assert [r for r in find_requests(text) if r.kind == "ordinal"] == []


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
