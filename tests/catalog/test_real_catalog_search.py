"""The search on the real PTV catalog (../shared/data/ptv-real-names): the behaviours issue 14 found
missing, each on real services. Quality figures are in bench/real_relevance.py, not here."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.catalog.search import SearchQuery, search

OULU, MIKKELI, TURKU = "564", "491", "853"


def _names(engine: Engine, q: str, municipality: str, limit: int = 5) -> list[str]:
    return [i["name"] for i in search(engine, SearchQuery(q=q, municipality=municipality, limit=limit)).items]


def test_not_every_word_must_match(real_names_engine: Engine) -> None:
    # "näyttely" is not in the museum service's text: it must not drop it.
    assert any("Museo" in name for name in _names(real_names_engine, "museot ja näyttelyt", MIKKELI))


def test_compound_parts_find_what_the_compound_does_not(real_names_engine: Engine) -> None:
    names = _names(real_names_engine, "hiihtolatuja", TURKU)
    assert names, "a compound whose whole word no service uses still finds its parts"
    assert any("latu" in name.lower() or "hiihto" in name.lower() for name in names)


def test_strong_nationwide_match_beats_weak_local_ones(real_names_engine: Engine) -> None:
    items = search(real_names_engine, SearchQuery(q="kotoutumiskoulutus", municipality=OULU, limit=3)).items
    assert items[0]["name"] == "Kotoutumiskoulutus" and items[0]["scope"] == "nationwide"


def test_local_first_when_the_match_is_as_good(real_names_engine: Engine) -> None:
    items = search(real_names_engine, SearchQuery(q="kirjasto", municipality=OULU, limit=3)).items
    assert items[0]["scope"] == "local"


def test_a_word_the_catalog_never_uses_finds_services_by_its_meaning(real_names_engine: Engine) -> None:
    # No service says "viina": the vocabulary's substances theme and the synonyms find them.
    names = _names(real_names_engine, "juon liikaa viinaa", OULU)
    assert any("äihde" in name for name in names), names


def test_synonym_does_not_lead_over_the_words_themselves(real_names_engine: Engine) -> None:
    names = _names(real_names_engine, "mummo tarvii apua tabletin kanssa", OULU)
    assert "Digituki" in names[:3], names


@pytest.mark.parametrize("theme", ["liikunta", "kulttuuri", "toimeentulo"])
def test_theme_alone_finds_services_without_classes(real_names_engine: Engine, theme: str) -> None:
    result = search(real_names_engine, SearchQuery(theme=theme, municipality=TURKU, limit=5))
    assert result.total >= 3
    assert all(theme in item["themes"] for item in result.items)
