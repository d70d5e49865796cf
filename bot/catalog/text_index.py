"""The catalog's text index and its scoring: one BM25F ranking, in plain SQL that SQLite and
PostgreSQL run alike.

Documents are indexed as pre-analysed terms (Voikko lemmas and compound parts, see
``bot.finnish.morphology.text_terms``), so neither database needs Finnish knowledge. At import
each (service, term) pair gets its BM25F weight: the term's frequency in the name, summary and
body, weighted by field and normalised by field length, saturated (k1) and multiplied by the
term's inverse document frequency over the whole catalog. A query is a list of words, each with
weighted alternatives (its lemma, all parts of a compound, a synonym, a typo's correction); a
service scores, per word, its best alternative, and the words' scores add up. Words need not all
match: the sum is scaled by the share of the query's weight matched ("soft AND"), so a service
matching every word leads, and one missing a word still ranks instead of vanishing.

Higher scores are better. The synonyms are data (``bot/data/search_synonyms.yml``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from sqlalchemy import Connection, Engine, bindparam, text

from bot.finnish.morphology import analyse, corrections, suggest, undoubled, words
from bot.finnish.query import is_filler
from bot.finnish.vocabulary import classify_word

MAX_WORDS = 12
SYNONYMS_FILE = Path(__file__).resolve().parent.parent / "data" / "search_synonyms.yml"

# BM25F: field weights and length normalisation per field, saturation k1.
FIELD_WEIGHTS = {"name": 4.0, "summary": 2.0, "body": 1.0}
FIELD_B = {"name": 0.5, "summary": 0.75, "body": 0.75}
K1 = 1.2

# How much an alternative of a query word counts against the word itself.
EXACT_WEIGHT = 1.0  # a lemma of the word (or the word itself when Voikko does not know it)
PARTS_WEIGHT = 0.8  # all parts of a compound ("hiihto" + "latu" for "hiihtolatu")
PARTIAL_PARTS = 0.5  # share kept when only some parts of a compound occur
SYNONYM_WEIGHT = 0.6  # an everyday word's counterpart in service texts
CORRECTION_WEIGHT = 0.8  # a known word one edit away from an unknown one
SUGGESTION_WEIGHT = 0.5  # Voikko's other suggestions for an unknown word
MEANING_WEIGHT = 1.0  # the service has the theme or target group the word names: covers the word
MEANING_SCORE = 8.0  # what a theme match scores (a term match scores its BM25F weight, ~2-12)
GROUP_MEANING_SCORE = 2.0  # a target group: whom the need is for, not the need
PREFIX_WEIGHT = 0.5  # any term beginning like the word: derivations ("masentaa" ~ "masennus")
PREFIX_CHARS = 5  # letters a prefix keeps; words shorter than PREFIX_MIN_WORD get none
PREFIX_MIN_WORD = 6
# Case endings tried on a word Voikko does not know, to find it in the synonym list.
UNKNOWN_WORD_ENDINGS = ("ista", "istä", "issa", "issä", "ille", "lla", "llä", "lta", "ltä", "lle", "ssa", "ssä",
                        "sta", "stä", "ksi", "in", "ja", "jä", "n", "a", "ä", "t")
# Terms nearly every service has ("palvelu" as a compound's part) say almost nothing and would
# make the scoring read most of the index: they are left out of the query (idf below this).
MIN_TERM_IDF = 1.0
# Soft AND: the score is multiplied by (matched share of the query's word weight) ** this.
COVERAGE_POWER = 2  # an integer: SQLite has no POWER() without its math extension

STOPWORDS = frozenset("""
mikä mitä missä mistä mihin milloin miten miksi kuka ketkä kenelle onko on ovat olla oli ole ei en
ja tai sekä että kun jos niin kuin myös vielä vain mutta se ne tämä nämä joka jotka jossa siellä
täällä minä sinä hän me te he minulle meille sinulle haluan haluaisin tarvitsen tarviin etsin
etsisin löytyykö onks mis vois voisi voiko olisi kiitos hei moi hyvä palvelu palvelut
""".split())  # noqa: SIM905


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """Everyday lemma -> the lemmas service texts use for the same thing."""
    data = yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8")) or {}
    return {str(word): tuple(str(s) for s in (targets or ())) for word, targets in data.items()}


TERM, THEME, TARGET_GROUP = "term", "theme", "target_group"


@dataclass(frozen=True)
class Alternative:
    terms: tuple[str, ...]  # all must occur for the full weight (one term, or a compound's parts)
    weight: float
    prefix: bool = False  # the one term is a prefix: any index term beginning with it matches
    kind: str = TERM  # TERM: index terms; THEME or TARGET_GROUP: the service has that id

    @property
    def is_term(self) -> bool:
        return self.kind == TERM and not self.prefix


@dataclass(frozen=True)
class TextQuery:
    words: tuple[tuple[Alternative, ...], ...]  # per word: its alternatives, best first

    def terms(self) -> set[str]:
        """The index terms (not prefixes, not themes) the query looks for."""
        return {t for alternatives in self.words for alt in alternatives if alt.is_term for t in alt.terms}

    def pruned(self, idf: dict[str, float]) -> TextQuery:
        """Without the terms nearly every service has: an alternative keeps its informative
        parts; one with none left goes (a word nothing in the catalog explains keeps its terms)."""
        pruned_words = []
        for alternatives in self.words:
            kept = []
            for alt in alternatives:
                if not alt.is_term:
                    kept.append(alt)
                    continue
                terms = tuple(t for t in alt.terms if idf.get(t, MIN_TERM_IDF) >= MIN_TERM_IDF)
                if terms:
                    kept.append(Alternative(terms, alt.weight * len(terms) / len(alt.terms)
                                            if len(terms) < len(alt.terms) else alt.weight, alt.prefix))
            pruned_words.append(tuple(kept))
        return TextQuery(tuple(pruned_words))

    def without_found_prefixes(self, word_importance: Sequence[float]) -> TextQuery:
        """Prefixes only for the words the catalog does not use as such ("masentaa" where it says
        "masennus"): a found word stays exact."""
        return TextQuery(tuple(tuple(a for a in alternatives if not (a.prefix and found))
                               for alternatives, found in zip(self.words, word_importance, strict=True)))


def _add(options: list[Alternative], terms: tuple[str, ...], weight: float, prefix: bool = False) -> None:
    for i, existing in enumerate(options):
        if existing.terms == terms and existing.prefix == prefix:
            if weight > existing.weight:
                options[i] = Alternative(terms, weight, prefix)
            return
    options.append(Alternative(terms, weight, prefix))


def _add_prefixes(options: list[Alternative], forms: Iterable[str]) -> None:
    for form in forms:
        if len(form) >= PREFIX_MIN_WORD and form.isalpha():
            _add(options, (form[:PREFIX_CHARS],), PREFIX_WEIGHT, prefix=True)


def _known_word_alternatives(readings: Iterable[Any], options: list[Alternative], scale: float) -> None:
    table = synonyms()
    for reading in readings:
        lemma = reading.baseform.lower()
        _add(options, (lemma,), EXACT_WEIGHT * scale)
        if reading.parts:
            _add(options, tuple(p.lower() for p in reading.parts), PARTS_WEIGHT * scale)
        for synonym in table.get(lemma, ()):
            _add(options, (synonym,), SYNONYM_WEIGHT * scale)


def word_alternatives(word: str) -> tuple[Alternative, ...]:
    """What one query word may match, with how much each counts: its lemmas, all parts of a
    compound reading, synonyms; for a word Voikko does not know (a typo, "kuntosalli"), the word
    itself, its one-edit corrections and Voikko's suggestions; and what it means: the theme or
    target group the shared vocabulary gives it ("viinaa" -> substances)."""
    options = list(_word_alternatives(word))
    if options:
        for kind, value, _strength in classify_word(word):
            options.append(Alternative((value,), MEANING_WEIGHT, kind=kind))
    return tuple(options)


def _word_alternatives(word: str) -> tuple[Alternative, ...]:
    lowered = word.lower()
    if lowered in STOPWORDS or len(lowered) < 2 or is_filler(word):
        return ()
    readings = analyse(word) or analyse(lowered)
    options: list[Alternative] = []
    if readings:
        if any(r.baseform.lower() in STOPWORDS for r in readings):
            return ()
        _known_word_alternatives(readings, options, 1.0)
        _add_prefixes(options, [lowered, *(r.baseform.lower() for r in readings)])
        return tuple(options)
    _add(options, (lowered,), EXACT_WEIGHT)
    for ending in UNKNOWN_WORD_ENDINGS:  # "työkkärin": a colloquial word Voikko does not know, inflected
        stem = lowered[: -len(ending)]
        if lowered.endswith(ending) and stem in synonyms():
            _add(options, (stem,), EXACT_WEIGHT)
            for synonym in synonyms()[stem]:
                _add(options, (synonym,), SYNONYM_WEIGHT)
            break
    _add_prefixes(options, [lowered])
    fixes = corrections(lowered)
    for fix in fixes:
        _known_word_alternatives(analyse(fix), options, CORRECTION_WEIGHT)
    if not fixes:
        for suggestion in [*suggest(word)[:3], *undoubled(lowered)]:
            _known_word_alternatives(analyse(suggestion), options, SUGGESTION_WEIGHT)
    return tuple(options)


def parse(q: str) -> TextQuery | None:
    groups = tuple(g for g in (word_alternatives(w) for w in words(q)[:MAX_WORDS]) if g)
    return TextQuery(groups) if groups else None


# --- scoring -----------------------------------------------------------------------------------

def term_idf(conn: Connection, query: TextQuery) -> dict[str, float]:
    """The idf of the query's exact terms that occur in the catalog."""
    exact = sorted({t for words_ in query.words for alt in words_ if not alt.prefix for t in alt.terms})
    if not exact:
        return {}
    return {term: idf for term, idf in conn.execute(
        text("SELECT term, idf FROM term_stats WHERE term IN :terms").bindparams(
            bindparam("terms", expanding=True)), {"terms": exact})}


def importance(conn: Connection, query: TextQuery, found: dict[str, float] | None = None) -> list[float]:
    """How much each word of the query says: the inverse document frequency of its best
    alternative in this catalog (0 for a word the catalog never uses). A service's coverage of
    the query is weighed by it, so that missing "kanssa" costs little and missing "tabletti" much."""
    found = term_idf(conn, query) if found is None else found
    result = []
    for alternatives in query.words:
        best = 0.0
        for alt in alternatives:
            if alt.prefix:
                continue  # a prefix says how the word may be found, not how much it says
            if alt.kind != TERM:
                best = max(best, alt.weight * (MEANING_SCORE if alt.kind == THEME else GROUP_MEANING_SCORE))
                continue
            idfs = [found.get(t, 0.0) for t in alt.terms]
            if all(idfs):
                best = max(best, alt.weight * sum(idfs) / len(idfs))
        result.append(best)
    return result


def prepare(conn: Connection, query: TextQuery, *, keep_prefixes: bool = False) -> tuple[TextQuery, list[float]]:
    """The query as it is scored on this catalog, and its words' importance: nearly universal
    terms pruned, prefixes kept only for the words the catalog does not use as such (or for all
    words with ``keep_prefixes``: the second try of a search that found nothing)."""
    idf = term_idf(conn, query)
    pruned = query.pruned(idf)
    weights = importance(conn, pruned, idf)
    return (pruned if keep_prefixes else pruned.without_found_prefixes(weights)), weights


def score_sql(query: TextQuery, word_importance: Sequence[float], params: dict[str, Any], prefix: str,
              candidates: str | None = None, few_candidates: bool = False) -> str:
    """A subquery of (service_id, score) for the services matching any word of ``query``,
    higher is better: the sum of the words' best alternatives, times the squared share of the
    query's importance the service covers. ``candidates`` (SQL of service ids) limits it; with
    ``few_candidates`` (one municipality's services) the index is read per candidate instead of
    per term, so a term most services have costs no more than a rare one."""
    rows: dict[str, list[str]] = {"term": [], "prefix": [], THEME: [], TARGET_GROUP: []}
    for w, alternatives in enumerate(query.words):
        params[f"{prefix}i{w}"] = word_importance[w]
        for a, alt in enumerate(alternatives):
            for t, term in enumerate(alt.terms):
                key = f"{prefix}{w}_{a}_{t}"
                params[key] = term
                params[f"{key}u"] = term + "\uffff"  # the upper end of the prefix's range
                params[f"{key}w"] = alt.weight / len(alt.terms)
                rows["prefix" if alt.prefix else alt.kind].append(
                    f"SELECT {w} AS word, {a} AS alt, CAST(:{key} AS VARCHAR(80)) AS term, "
                    f"CAST(:{key}u AS VARCHAR(80)) AS upper, CAST(:{key}w AS REAL) AS w, {len(alt.terms)} AS parts, "
                    f"CAST(:{prefix}i{w} AS REAL) AS imp, {0 if alt.kind == TERM else 1} AS meaning")
    few = bool(candidates and few_candidates)
    driving = (f"(SELECT d0.doc, d0.service_id FROM ({candidates}) c0 "
               "JOIN service_docs d0 ON d0.service_id = c0.service_id) cd") if few else ""
    columns = ("q.word AS word, q.alt AS alt, {weight} AS weight, q.w AS w, q.parts AS parts, q.imp AS imp, "
               "q.meaning AS meaning")
    joins = []
    if rows["term"] and few:  # CROSS JOIN keeps SQLite's join order: candidates outermost
        joins.append(f"SELECT t.doc AS doc, {columns.format(weight='t.weight')} FROM {driving} CROSS JOIN "
                     f"({' UNION ALL '.join(rows['term'])}) q CROSS JOIN service_terms t "
                     "WHERE t.term = q.term AND t.doc = cd.doc")
    elif rows["term"]:
        joins.append(f"SELECT t.doc AS doc, {columns.format(weight='t.weight')} FROM service_terms t "
                     f"JOIN ({' UNION ALL '.join(rows['term'])}) q ON t.term = q.term")
    if rows["prefix"]:  # a prefix scores its best term in a document, not the sum of all its terms
        joins.append(f"SELECT t.doc AS doc, q.word AS word, q.alt AS alt, MAX(t.weight) AS weight, MAX(q.w) AS w, "
                     f"MAX(q.parts) AS parts, MAX(q.imp) AS imp, 0 AS meaning "
                     f"FROM service_terms t JOIN ({' UNION ALL '.join(rows['prefix'])}) q "
                     f"ON t.term >= q.term AND t.term < q.upper GROUP BY t.doc, q.word, q.alt")
    for kind, table, column, score in ((THEME, "service_themes", "theme", MEANING_SCORE),
                                       (TARGET_GROUP, "service_target_groups", "target_group", GROUP_MEANING_SCORE)):
        if not rows[kind]:
            continue
        params[f"{prefix}meaning_{kind}"] = score
        meaning_weight = columns.format(weight=f":{prefix}meaning_{kind}")
        values = f"({' UNION ALL '.join(rows[kind])}) q"
        if few:
            joins.append(f"SELECT cd.doc AS doc, {meaning_weight} FROM {driving} CROSS JOIN {values} "
                         f"CROSS JOIN {table} x WHERE x.service_id = cd.service_id AND x.{column} = q.term")
        else:
            joins.append(f"SELECT sd.doc AS doc, {meaning_weight} FROM {values} JOIN {table} x "
                         f"ON x.{column} = q.term JOIN service_docs sd ON sd.service_id = x.service_id")
    params[f"{prefix}partial"] = PARTIAL_PARTS
    params[f"{prefix}total"] = sum(word_importance) or 1.0
    partial = f":{prefix}partial"
    coverage = f"(SUM(x.c) / :{prefix}total)"
    restrict = (f" JOIN ({candidates}) cand ON cand.service_id = d.service_id"
                if candidates and not few_candidates else "")
    # Per service and word: the best of the word's own alternatives (a compound with only some of
    # its parts counts partly), plus its meaning when the service has the theme the word names;
    # the word's coverage is capped at 1.
    found = f"CASE WHEN h.n >= h.parts THEN {{v}} ELSE {{v}} * {partial} END"
    term_s = f"COALESCE(MAX(CASE WHEN h.meaning = 0 THEN {found.format(v='h.s')} END), 0)"
    meaning_s = "COALESCE(MAX(CASE WHEN h.meaning = 1 THEN h.s END), 0)"
    term_f = f"COALESCE(MAX(CASE WHEN h.meaning = 0 THEN {found.format(v='h.f')} END), 0)"
    meaning_f = "COALESCE(MAX(CASE WHEN h.meaning = 1 THEN h.f END), 0)"
    word_f = f"({term_f} + {meaning_f})"
    return (
        f"SELECT d.service_id, SUM(x.s) * {' * '.join([coverage] * COVERAGE_POWER)} AS score "
        f"FROM (SELECT h.doc, {term_s} + {meaning_s} AS s, "
        f"CASE WHEN {word_f} > 1.0 THEN 1.0 ELSE {word_f} END * MAX(h.imp) AS c "
        "FROM (SELECT m.doc, m.word, m.alt, SUM(m.weight * m.w) AS s, COUNT(*) AS n, MAX(m.parts) AS parts, "
        "SUM(m.w) AS f, MAX(m.imp) AS imp, MAX(m.meaning) AS meaning "
        f"FROM ({' UNION ALL '.join(joins)}) m "
        "GROUP BY m.doc, m.word, m.alt) h GROUP BY h.doc, h.word) x "
        f"JOIN service_docs d ON d.doc = x.doc{restrict} GROUP BY d.service_id"
    )


# --- writing -----------------------------------------------------------------------------------

DDL = {
    "sqlite": (
        "CREATE TABLE IF NOT EXISTS service_docs (doc INTEGER PRIMARY KEY, service_id VARCHAR(64) NOT NULL UNIQUE)",
        "CREATE TABLE IF NOT EXISTS service_terms (term VARCHAR(80) NOT NULL, doc INTEGER NOT NULL, "
        "weight REAL NOT NULL, PRIMARY KEY (term, doc)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS term_stats (term VARCHAR(80) PRIMARY KEY, idf REAL NOT NULL) WITHOUT ROWID",
    ),
    "postgresql": (
        "CREATE TABLE IF NOT EXISTS service_docs (doc INTEGER PRIMARY KEY, service_id VARCHAR(64) NOT NULL UNIQUE)",
        "CREATE TABLE IF NOT EXISTS service_terms (term VARCHAR(80) NOT NULL, doc INTEGER NOT NULL, "
        "weight REAL NOT NULL, PRIMARY KEY (term, doc))",
        "CREATE TABLE IF NOT EXISTS term_stats (term VARCHAR(80) PRIMARY KEY, idf REAL NOT NULL)",
    ),
}
MAX_TERM_CHARS = 80


def create(engine: Engine) -> None:
    with engine.begin() as conn:
        for statement in DDL["sqlite" if engine.dialect.name == "sqlite" else "postgresql"]:
            conn.execute(text(statement))


def clear(conn: Connection) -> None:
    conn.execute(text("DELETE FROM service_terms"))
    conn.execute(text("DELETE FROM term_stats"))
    conn.execute(text("DELETE FROM service_docs"))


@dataclass
class Document:
    service_id: str
    fields: dict[str, list[str]]  # field name -> its index terms in order, duplicates kept


def _idf(count: int, frequency: int) -> float:
    return math.log(1.0 + (count - frequency + 0.5) / (frequency + 0.5))


def weights(documents: Sequence[Document]) -> tuple[list[dict[str, float]], dict[str, float]]:
    """BM25F weight of every term of every document, and every term's idf over these documents."""
    count = len(documents) or 1
    average = {f: (sum(len(d.fields.get(f, ())) for d in documents) / count) or 1.0 for f in FIELD_WEIGHTS}
    frequencies: list[dict[str, float]] = []
    document_frequency: Counter[str] = Counter()
    for document in documents:
        pseudo: dict[str, float] = {}
        for field, weight in FIELD_WEIGHTS.items():
            terms = [t for t in document.fields.get(field, ()) if len(t) <= MAX_TERM_CHARS]
            norm = 1.0 - FIELD_B[field] + FIELD_B[field] * len(terms) / average[field]
            for term, tf in Counter(terms).items():
                pseudo[term] = pseudo.get(term, 0.0) + weight * tf / norm
        frequencies.append(pseudo)
        document_frequency.update(pseudo.keys())
    idf = {term: _idf(count, frequency) for term, frequency in document_frequency.items()}
    return ([{term: idf[term] * tf * (K1 + 1.0) / (tf + K1) for term, tf in pseudo.items()}
             for pseudo in frequencies], idf)


def write(conn: Connection, documents: Sequence[Document]) -> None:
    """Index the whole catalog (idf is over all of its documents)."""
    if not documents:
        return
    conn.execute(text("INSERT INTO service_docs(doc, service_id) VALUES (:doc, :service_id)"),
                 [{"doc": n, "service_id": d.service_id} for n, d in enumerate(documents, 1)])
    per_document, idf = weights(documents)
    rows = [{"term": term, "doc": n, "weight": weight}
            for n, terms in enumerate(per_document, 1) for term, weight in terms.items()]
    for start in range(0, len(rows), 50_000):
        conn.execute(text("INSERT INTO service_terms(term, doc, weight) VALUES (:term, :doc, :weight)"),
                     rows[start:start + 50_000])
    conn.execute(text("INSERT INTO term_stats(term, idf) VALUES (:term, :idf)"),
                 [{"term": term, "idf": value} for term, value in idf.items()])
