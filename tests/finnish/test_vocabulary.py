import pytest

from bot.finnish.vocabulary import THEME_LABELS, THEME_WORDS, best_values, classify_word


@pytest.mark.parametrize(("text", "theme"), [
    ("kuntosaliohjausta", "liikunta"), ("vesijumppaan", "liikunta"),
    ("vertaistukiryhmiä", "osallisuus"), ("mielenterveyspalveluita", "mielen_hyvinvointi"),
    ("peliriippuvuuteen", "paihteet"), ("juttuseuraa", "osallisuus"), ("en saa unta", "elintavat"),
    ("rahat ei riitä", "toimeentulo"), ("lenkkiporukka", "liikunta"),
    ("apua kännykän kanssa", "digituki"), ("kirjastoon", "kulttuuri"),
])
def test_theme_words(text: str, theme: str) -> None:
    assert best_values(text).get("theme") == theme


@pytest.mark.parametrize(("text", "group"), [
    ("ikääntyneille", "ikaantyneet"), ("mummo", "ikaantyneet"), ("eläkeläinen", "ikaantyneet"),
    ("teini", "nuoret"), ("lapsiperheille", "lapset_perheet"), ("omaishoitajille", "omaishoitajat"),
])
def test_target_group_words(text: str, group: str) -> None:
    assert best_values(text).get("target_group") == group


@pytest.mark.parametrize("text", ["tapan aikaa", "kuolettavan tylsää", "hei", ""])
def test_no_false_themes(text: str) -> None:
    assert best_values(text) == {}


def test_every_theme_has_words() -> None:
    assert set(THEME_WORDS) == set(THEME_LABELS)


@pytest.mark.parametrize(("word", "theme"), [
    ("kuntosalli", "liikunta"), ("jogaa", "liikunta"), ("vesijumpa", "liikunta"),
    ("sienestämässä", "luonto"), ("marjastamaan", "luonto"), ("hiihtämään", "liikunta"), ("keilaamaan", "liikunta"),
])
def test_everyday_words_and_one_edit_typos_find_their_theme(word: str, theme: str) -> None:
    assert ("theme", theme) in {(kind, value) for kind, value, _strength in classify_word(word)}


def test_unknown_foreign_words_get_no_theme_from_spelling_suggestions() -> None:
    assert classify_word("exercise") == () and classify_word("Björneborg") == ()
