"""The full-text index of the catalog, on SQLite (FTS5) or PostgreSQL (tsvector), with one
query model for both.

Documents are indexed as pre-analysed terms (Voikko lemmas and compound parts), so neither
database needs Finnish knowledge: FTS5 splits them with ``unicode61``, PostgreSQL with the
``simple`` configuration. A query is a list of words, each a set of alternatives (a lemma, all
parts of a compound, a synonym); words are joined with AND, or OR for the fallback and boosts.
Both ranks are "lower is better": FTS5's bm25 as it is, PostgreSQL's ts_rank negated. Field
weights: name over summary over description.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text

from bot.finnish.morphology import analyse, suggest, undoubled, words

MAX_WORDS = 12
# bm25 column weights: service_id (unindexed), name, summary, body, places (filter only).
BM25_WEIGHTS = "0.0, 10.0, 4.0, 1.0, 0.0"
# ts_rank weights {D, C, B, A}: body D, summary B, name A, in the same proportions; the place
# tokens are C and weigh nothing.
TS_WEIGHTS = "'{0.1, 0.0, 0.4, 1.0}'"

STOPWORDS = frozenset("""
mikä mitä missä mistä mihin milloin miten miksi kuka ketkä kenelle onko on ovat olla oli ole ei en
ja tai sekä että kun jos niin kuin myös vielä vain mutta se ne tämä nämä joka jotka jossa siellä
täällä minä sinä hän me te he minulle meille sinulle haluan haluaisin tarvitsen tarviin etsin
etsisin löytyykö onks mis vois voisi voiko olisi kiitos hei moi hyvä palvelu palvelut
""".split())  # noqa: SIM905

# Everyday words and the words service descriptions use for the same thing (lemmas).
SEARCH_SYNONYMS: dict[str, tuple[str, ...]] = {
    "lenkkiporukka": ("kävelyryhmä", "kävely"), "lenkki": ("kävely",), "lenkkeillä": ("kävely",),
    "laihduttaminen": ("painonhallinta",), "laihduttaa": ("painonhallinta",), "laihdutus": ("painonhallinta",),
    "elämäntapamuutos": ("elintapaohjaus", "elintapa"), "elämäntapa": ("elintapa",),
    "vapaaehtoistyö": ("vapaaehtoistoiminta", "vapaaehtoinen"), "talkoot": ("vapaaehtoistoiminta",),
    "kasvatusneuvonta": ("perheneuvola",), "kasvatus": ("perheneuvola",),
    "kokkikurssi": ("ruokakurssi",), "kokkaus": ("ruokakurssi", "ruoanlaitto"),
    "kaveri": ("ystävä",), "juttuseura": ("ystävä", "ystäväpalvelu"), "mummo": ("ikäihminen",),
    "vaari": ("ikäihminen",), "teini": ("nuori",), "kännykkä": ("älypuhelin",), "netti": ("verkko",),
}

Alternative = tuple[str, ...]  # terms that must all occur (one term, or a compound's parts)


@dataclass(frozen=True)
class TextQuery:
    words: tuple[tuple[Alternative, ...], ...]  # per word: any of its alternatives
    any_word: bool = False  # words joined with OR instead of AND

    def loosened(self) -> TextQuery:
        return TextQuery(self.words, any_word=True)


def _add(options: list[Alternative], option: Alternative) -> None:
    if option not in options:
        options.append(option)


def word_alternatives(word: str) -> tuple[Alternative, ...]:
    """What one query word may match: any lemma, all compound parts of a reading, a synonym;
    for a word Voikko does not know (a typo, "kuntosalli"), also its spelling suggestions."""
    lowered = word.lower()
    if lowered in STOPWORDS or len(lowered) < 2:
        return ()
    readings = analyse(word) or analyse(lowered)
    options: list[Alternative] = []
    if not readings:
        _add(options, (lowered,))
        for suggestion in [*suggest(word)[:3], *undoubled(lowered)]:
            if analyse(suggestion):
                for option in word_alternatives(suggestion):
                    _add(options, option)
        return tuple(options)
    if any(r.baseform.lower() in STOPWORDS for r in readings):
        return ()
    for reading in readings:
        lemma = reading.baseform.lower()
        _add(options, (lemma,))
        if reading.parts:
            _add(options, tuple(p.lower() for p in reading.parts))
        for synonym in SEARCH_SYNONYMS.get(lemma, ()):
            _add(options, (synonym,))
    return tuple(options)


def parse(q: str, *, any_word: bool = False) -> TextQuery | None:
    groups = tuple(g for g in (word_alternatives(w) for w in words(q)[:MAX_WORDS]) if g)
    return TextQuery(groups, any_word) if groups else None


# --- rendering ---------------------------------------------------------------------------------

def _render(query: TextQuery, term: Any, and_: str, or_: str) -> str:
    def group(items: Sequence[str], joiner: str) -> str:
        return items[0] if len(items) == 1 else "(" + joiner.join(items) + ")"

    words_sql = [group([group([term(t) for t in alt], and_) for alt in alts], or_) for alts in query.words]
    return (or_ if query.any_word else and_).join(words_sql)


def _fts5_term(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def _ts_term(term: str) -> str:
    return "'" + term.replace("'", "").replace("\\", "") + "'"


def to_fts5(query: TextQuery, places: Sequence[str] = ()) -> str:
    """FTS5 MATCH expression; ``places`` (place tokens) limit it to the services of a place, so
    that bm25 is computed only for those and not for every match in the country."""
    expression = _render(query, _fts5_term, " AND ", " OR ")
    if places:
        expression = f"({expression}) AND places : ({' OR '.join(_fts5_term(p) for p in places)})"
    return expression


def to_tsquery(query: TextQuery, places: Sequence[str] = ()) -> str:
    expression = _render(query, _ts_term, " & ", " | ")
    if places:
        expression = f"({expression}) & ({' | '.join(_ts_term(p) for p in places)})"
    return expression


NATIONWIDE_TOKEN = "koko_maa"


def place_tokens(municipality_codes: Sequence[str], county_codes: Sequence[str], nationwide: bool) -> str:
    """What a service's document says of where it is available."""
    tokens = [f"m{code}" for code in municipality_codes] + [f"c{code}" for code in county_codes]
    return " ".join(tokens + ([NATIONWIDE_TOKEN] if nationwide else []))


def place_filter(municipality: str | None, county: str | None) -> tuple[str, ...]:
    """Tokens of which a service's document must have one: the place asked, or nationwide."""
    if municipality:
        return f"m{municipality}", NATIONWIDE_TOKEN
    if county:
        return f"c{county}", NATIONWIDE_TOKEN
    return ()


# --- storage -----------------------------------------------------------------------------------

FTS5_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS service_fts USING fts5("
    "service_id UNINDEXED, name, summary, body, places, tokenize='unicode61 remove_diacritics 0')"
)
POSTGRES_DDL = (
    "CREATE TABLE IF NOT EXISTS service_search ("
    " service_id VARCHAR(64) PRIMARY KEY REFERENCES services(id) ON DELETE CASCADE,"
    " document TSVECTOR NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_service_search_document ON service_search USING GIN (document)",
)


def create(engine: Engine) -> None:
    with engine.begin() as conn:
        for statement in (FTS5_DDL,) if engine.dialect.name == "sqlite" else POSTGRES_DDL:
            conn.execute(text(statement))


def clear(conn: Connection) -> None:
    conn.execute(text("DELETE FROM service_fts" if conn.dialect.name == "sqlite" else "DELETE FROM service_search"))


def write(conn: Connection, rows: list[dict[str, str]]) -> None:
    """Rows of service_id, name, summary, body (strings of index terms) and places (place_tokens)."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO service_fts(service_id, name, summary, body, places) "
                          "VALUES (:service_id, :name, :summary, :body, :places)"), rows)
    else:
        conn.execute(text(
            "INSERT INTO service_search(service_id, document) VALUES (:service_id, "
            "setweight(to_tsvector('simple', :name), 'A') || setweight(to_tsvector('simple', :summary), 'B')"
            " || setweight(to_tsvector('simple', :body), 'D') || setweight(to_tsvector('simple', :places), 'C'))"),
            rows)


def match_sql(dialect: str, param: str) -> tuple[str, Any]:
    """A subquery of (service_id, rank) for the documents matching ``:param``, and a function
    that renders a TextQuery (and place tokens) into that parameter's value."""
    if dialect == "sqlite":
        return (f"SELECT service_id, bm25(service_fts, {BM25_WEIGHTS}) AS rank "
                f"FROM service_fts WHERE service_fts MATCH :{param}"), to_fts5
    return (f"SELECT service_id, -ts_rank({TS_WEIGHTS}, document, to_tsquery('simple', :{param})) AS rank "
            f"FROM service_search WHERE document @@ to_tsquery('simple', :{param})"), to_tsquery
