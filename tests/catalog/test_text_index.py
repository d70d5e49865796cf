from __future__ import annotations

from bot.catalog import text_index


def test_question_words_alone_are_no_query() -> None:
    assert text_index.parse("mitä on") is None


def test_inflected_compound_renders_lemma_or_all_parts() -> None:
    query = text_index.parse("kuntosaleja")
    assert query is not None
    assert text_index.to_fts5(query) == '("kuntosali" OR ("kunto" AND "sali"))'
    assert text_index.to_tsquery(query) == "('kuntosali' | ('kunto' & 'sali'))"


def test_words_join_with_and_or_loosened_with_or() -> None:
    query = text_index.parse("uinti Porissa")
    assert query is not None and len(query.words) == 2
    assert " AND " in text_index.to_fts5(query)
    assert " | " in text_index.to_tsquery(query.loosened())


def test_quotes_and_operators_cannot_escape_the_query() -> None:
    query = text_index.parse("""'; DROP TABLE services; -- "a" | b & !c""")
    assert query is not None
    for rendered in (text_index.to_fts5(query), text_index.to_tsquery(query)):
        assert "DROP" not in rendered.upper().replace("'DROP'", "").replace('"DROP"', "")


def test_typo_brings_suggestions_and_synonyms_are_added() -> None:
    typo = text_index.parse("kuntosalli")
    assert typo is not None and ("kuntosalli",) in typo.words[0]
    everyday = text_index.parse("lenkkiporukka")
    assert everyday is not None and ("kävelyryhmä",) in everyday.words[0]


def test_doubled_letter_typo_finds_the_word() -> None:
    query = text_index.parse("kuntosalli")
    assert query is not None and ("kuntosali",) in query.words[0]


def test_place_tokens_limit_the_match() -> None:
    query = text_index.parse("uinti")
    assert query is not None
    places = text_index.place_filter("684", None)
    assert text_index.to_fts5(query, places) == '("uinti") AND places : ("m684" OR "koko_maa")'
    assert text_index.to_tsquery(query, places) == "('uinti') & ('m684' | 'koko_maa')"
    assert text_index.place_filter(None, "06") == ("c06", "koko_maa")
    assert text_index.place_tokens(["684"], ["06"], False) == "m684 c06"
