from __future__ import annotations

import pytest
import yaml

from bot.finnish.service_questions import FACTS, WORDS_FILE, asked_fact, points_at_shown, read_question


@pytest.mark.parametrize(("text", "fact"), [
    ("milloin se on auki?", "hours"), ("mihin aikaan toinen aukeaa", "hours"), ("onko tiistaisin?", "hours"),
    ("moneltako se aukeaa?", "hours"), ("milloin sinne voi mennä?", "hours"),
    ("paljonko se maksaa?", "price"), ("onko kolmas ilmainen", "price"), ("onks alin ilmanen", "price"),
    ("paljos se maksaa", "price"),
    ("miten sinne pääsee?", "address"), ("missä eka on", "address"), ("osote kakkoselle", "address"),
    ("miten paasen sinne", "address"), ("pääseekö sinne bussilla", "address"),
    ("mikä on toisen puhelinnumero", "contact"), ("s-posti ekalle", "contact"), ("mikä on se nettiosoite", "contact"),
    ("pääseekö sinne pyörätuolilla", "accessibility"), ("onko se esteeton", "accessibility"),
    ("onko ryhmä ruotsiksi", "languages"), ("onko viimeinen kaksikielinen", "languages"),
    ("voiko sinne saada lähetteen", "referral"), ("tarvitaanko siihen lahete", "referral"),
    ("miten siihen ryhmään pääsee mukaan", "referral"),
    ("kerro lisää toisesta", None), ("mikä se kolmas on?", None), ("voiko sinne mennä lapsen kanssa", None),
    ("avaa numero 2", None), ("kuntosali Raumalla", None), ("kiitos", None),
])
def test_the_fact_asked(text: str, fact: str | None) -> None:
    assert asked_fact(text) == fact


def test_pointing_at_the_shown_results() -> None:
    assert points_at_shown("milloin se on auki?") and points_at_shown("miten sinne pääsee")
    assert points_at_shown("onks siel hissi") and points_at_shown("onko ryhmä ruotsiksi")
    assert not points_at_shown("onko uimahalli auki Porissa")
    assert not points_at_shown("onko jotain ryhmiä ruotsiksi")  # plural: a new search


def test_general_question_and_question_form() -> None:
    assert read_question("kerro lisää").details and read_question("lisätietoja ensimmäisestä").details
    assert not read_question("näytä lisää").details
    assert read_question("onks se ilmainen").question and read_question("mitä siellä tehdään").question
    assert not read_question("kiitos, se auttoi paljon").question


@pytest.mark.parametrize(("text", "sign"), [
    ("onko joku näistä ilmainen", "whole_list"), ("näytä vain ilmaiset", "whole_list"),
    ("mitkä on auki viikonloppuna", "whole_list"), ("missä on lähin kirjasto", "search"),
    ("tee lähete palveluun 2", "request"), ("voisiko palvelusta soittaa minulle", "request"),
    ("toimiiko tämä botti ruotsiksi", "other_subject"), ("paljonko kello on", "other_subject"),
    ("mitä sähkö maksaa", "other_nouns"),
])
def test_signs_of_something_else(text: str, sign: str) -> None:
    assert getattr(read_question(text), sign)


def test_other_nouns_leave_courtesy_and_fact_words_alone() -> None:
    assert not read_question("mikä on ohjaajan nimi").other_nouns
    assert not read_question("mihin voin soittaa?").other_nouns
    assert read_question("osoite kiitos").only_fact_words and not read_question("en jaksa mennä sinne").only_fact_words


def test_word_file_is_complete() -> None:
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    assert set(data["facts"]) == set(FACTS)
    for key in ("references", "reference_nouns", "details", "question_words", "whole_list", "search_words",
                "requests", "not_the_service", "neutral"):
        assert data[key], key
