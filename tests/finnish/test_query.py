import pytest

from bot.finnish.query import content_words


@pytest.mark.parametrize(("text", "kept"), [
    ("Haluan tietää palveluista", ""), ("onks mitään kivaa", ""), ("tarviin apua", ""), ("mitä on tarjolla", ""),
    ("Etsin xyzzyqwerty-kurssia", "xyzzyqwerty-kurssia"), ("mis vois laulaa kuorossa", "laulaa kuorossa"),
    ("kuorolaulua", "kuorolaulua"),
])
def test_only_words_that_say_what_is_wanted_remain(text: str, kept: str) -> None:
    assert content_words(text) == kept


@pytest.mark.parametrize("text", ["blörp zxqv fnord", "qwpoe asdlkj zzzz", "asdf"])
def test_gibberish(text: str) -> None:
    from bot.finnish.query import is_gibberish

    assert is_gibberish(text)


@pytest.mark.parametrize("text", ["kuntosali", "onks", "jyvaskyla", "Pori", "xyzzy kuntosali", "", "123"])
def test_not_gibberish(text: str) -> None:
    from bot.finnish.query import is_gibberish

    assert not is_gibberish(text)


def test_search_terms_keep_no_personal_data() -> None:
    from bot.finnish.query import search_terms

    terms = search_terms("kuntosali Porissa, soittakaa minulle 040 1234567 tai maija.meikalainen@example.fi")
    assert "kuntosali" in terms
    assert not any(ch.isdigit() for ch in terms) and "@" not in terms and "maija" not in terms.lower()
    assert "Virtanen" not in search_terms("velkojen kanssa apua, olen Maija Virtanen")
    assert "velkojen" in search_terms("velkojen kanssa apua, olen Maija Virtanen")
