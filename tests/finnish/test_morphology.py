from bot.finnish.morphology import compound_parts, fold_diacritics, index_terms, text_terms, words


def test_compound_parts_of_derived_compound() -> None:
    assert compound_parts("+kunto(kunto)+sali(sali)+ohja(ohjata)+us(+us)") == ("kunto", "sali", "ohjaus")


def test_simple_word_has_no_parts() -> None:
    assert compound_parts("+mummo(mummo)") == ()


def test_inflected_compound_gives_lemma_and_parts() -> None:
    terms = index_terms("kuntosaliohjausta")
    assert terms[0] == "kuntosaliohjaus"
    assert {"kunto", "sali", "ohjaus"} <= set(terms)


def test_plural_partitive_lemmatised() -> None:
    assert index_terms("kuntosaleja")[0] == "kuntosali"


def test_unknown_word_kept_lowercase() -> None:
    assert index_terms("Xyzzyplugh") == ("xyzzyplugh",)


def test_uinti_does_not_become_uimahalli() -> None:
    assert "uimahalli" not in index_terms("uinti")
    assert "uinti" not in index_terms("uimahalli")


def test_words_and_odd_unicode() -> None:
    assert words("Hei\u200b maailma! 123 Keski-Suomi") == ["Hei", "maailma", "Keski-Suomi"]
    assert fold_diacritics("Jyväskylä Åland") == "jyvaskyla aland"
    assert text_terms("") == []
    assert text_terms("\x00\x01") == []
