from __future__ import annotations

from bot.catalog import text_index
from bot.catalog.text_index import Alternative, Document


def _terms(query: text_index.TextQuery, word: int = 0) -> dict[tuple[str, ...], float]:
    return {alt.terms: alt.weight for alt in query.words[word] if not alt.prefix}


def test_question_and_filler_words_alone_are_no_query() -> None:
    assert text_index.parse("mitä on") is None
    assert text_index.parse("haluaisin apua") is None


def test_inflected_compound_gives_lemma_and_all_parts_with_less_weight() -> None:
    query = text_index.parse("kuntosaleja")
    assert query is not None
    terms = _terms(query)
    assert terms[("kuntosali",)] == text_index.EXACT_WEIGHT
    assert terms[("kunto", "sali")] < terms[("kuntosali",)]


def test_synonyms_come_from_the_data_file_with_less_weight() -> None:
    assert "lenkkiporukka" in text_index.synonyms()
    query = text_index.parse("lenkkiporukka")
    assert query is not None
    assert 0 < _terms(query)[("kävelyryhmä",)] < text_index.EXACT_WEIGHT


def test_typo_brings_its_one_edit_correction() -> None:
    query = text_index.parse("kuntosalli")
    assert query is not None
    terms = _terms(query)
    assert ("kuntosalli",) in terms and ("kuntosali",) in terms
    assert terms[("kuntosali",)] < terms[("kuntosalli",)]


def test_long_words_get_a_prefix_for_derivations() -> None:
    query = text_index.parse("masentaa")
    assert query is not None
    assert Alternative(("masen",), text_index.PREFIX_WEIGHT, prefix=True) in query.words[0]
    found = query.without_found_prefixes([1.0])
    assert not any(a.prefix for a in found.words[0])


def test_bm25f_weights_favour_the_name_rare_terms_and_short_fields() -> None:
    docs = [
        Document("a", {"name": ["uimahalli"], "summary": ["liikunta"], "body": []}),
        Document("b", {"name": ["liikunta"], "summary": ["uimahalli"], "body": []}),
        Document("c", {"name": ["liikunta"], "summary": ["liikunta"], "body": []}),
    ]
    per_doc, idf = text_index.weights(docs)
    assert per_doc[0]["uimahalli"] > per_doc[1]["uimahalli"]  # name over summary
    assert idf["uimahalli"] > idf["liikunta"]  # two documents of three have it, all have liikunta


def test_terms_are_parameters_not_sql() -> None:
    query = text_index.parse("""'; DROP TABLE services; -- "a" | b & !c""")
    assert query is not None
    params: dict[str, object] = {}
    sql = text_index.score_sql(query, [1.0] * len(query.words), params, "q")
    assert "DROP" not in sql.upper()
    assert any(isinstance(v, str) and "drop" in v for v in params.values())
