"""Ranked catalog search: theme, municipality or county, target group and Finnish free text.

Order: services in the municipality first, then county-wide ones, then nationwide ones; within
each, services made for the asked target group before general ones, then text relevance (BM25
over Voikko lemmas and compound parts, name weighted over summary over description).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, text

from bot.finnish.morphology import analyse, suggest, words
from bot.finnish.places import county_municipalities, municipalities

SCOPES = ("local", "county", "nationwide")
# BM25 column weights: service_id (unindexed), name, summary, body.
BM25_WEIGHTS = "0.0, 10.0, 4.0, 1.0"
STOPWORDS = frozenset("""
mikä mitä missä mistä mihin milloin miten miksi kuka ketkä kenelle onko on ovat olla oli ole ei en
ja tai sekä että kun jos niin kuin myös vielä vain mutta se ne tämä nämä joka jotka jossa siellä
täällä minä sinä hän me te he minulle meille sinulle haluan haluaisin tarvitsen tarviin etsin
etsisin löytyykö onks mis vois voisi voiko olisi kiitos hei moi hyvä palvelu palvelut
""".split())  # noqa: SIM905


@dataclass
class SearchQuery:
    theme: str | None = None
    municipality: str | None = None
    county: str | None = None
    target_group: str | None = None
    q: str | None = None
    boost: str | None = None  # words that reorder results without filtering them
    free_only: bool = False
    language: str | None = None  # e.g. "sv": services given in Swedish
    open_on: int | None = None  # weekday 0 = Monday: regular hours on that day
    accessible: bool = False  # accessibility information in PTV
    limit: int = 10
    offset: int = 0


@dataclass
class SearchResult:
    items: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    matched_text: bool = True  # False when free text matched nothing and was dropped


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


def _quote(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def word_expression(word: str) -> str | None:
    """FTS5 expression for one query word: any lemma, or all compound parts of a reading."""
    lowered = word.lower()
    if lowered in STOPWORDS or len(lowered) < 2:
        return None
    readings = analyse(word) or analyse(lowered)
    if not readings:  # unknown to Voikko: maybe a typo ("kuntosalli"), so its spelling suggestions count too
        options = [_quote(lowered)]
        for suggestion in suggest(word)[:3]:
            expression = word_expression(suggestion) if analyse(suggestion) else None
            if expression and expression not in options:
                options.append(expression)
        return "(" + " OR ".join(options) + ")" if len(options) > 1 else options[0]
    if any(r.baseform.lower() in STOPWORDS for r in readings):
        return None
    options = []
    for reading in readings:
        lemma = _quote(reading.baseform.lower())
        if lemma not in options:
            options.append(lemma)
        if reading.parts:
            parts = "(" + " AND ".join(_quote(p) for p in reading.parts) + ")"
            if parts not in options:
                options.append(parts)
        for synonym in SEARCH_SYNONYMS.get(reading.baseform.lower(), ()):  # everyday word -> catalog word
            if _quote(synonym) not in options:
                options.append(_quote(synonym))
    return "(" + " OR ".join(options) + ")" if len(options) > 1 else options[0]


def fts_expression(q: str, joiner: str = " AND ") -> str | None:
    expressions = [e for e in (word_expression(w) for w in words(q)[:12]) if e]
    return joiner.join(expressions) if expressions else None


def _municipality_codes(query: SearchQuery) -> list[str]:
    if query.municipality:
        return [query.municipality]
    if query.county:
        return county_municipalities(query.county)
    return []


def _run(engine: Engine, query: SearchQuery, expression: str | None) -> SearchResult:
    params: dict[str, Any] = {"limit": query.limit, "offset": query.offset}
    joins, where = [], []
    codes = _municipality_codes(query)
    if codes:
        keys = []
        for i, code in enumerate(codes):
            params[f"m{i}"] = code
            keys.append(f":m{i}")
        joins.append(
            "LEFT JOIN (SELECT service_id, MIN(scope) AS scope FROM coverage "
            f"WHERE municipality_code IN ({', '.join(keys)}) GROUP BY service_id) cov "
            "ON cov.service_id = s.id")
        where.append("(cov.scope IS NOT NULL OR s.nationwide)")
        scope_sql = "CASE WHEN cov.scope IS NOT NULL THEN cov.scope ELSE 2 END"
        # A whole county asked: its county-wide services first, then local ones anywhere in it.
        order_sql = ("CASE WHEN cov.scope = 1 THEN 0 WHEN cov.scope = 0 THEN 1 ELSE 2 END"
                     if not query.municipality else "scope")
    else:
        scope_sql = "CASE WHEN s.nationwide THEN 2 ELSE 0 END"
        order_sql = "scope"
    if query.theme:
        params["theme"] = query.theme
        where.append("s.id IN (SELECT service_id FROM service_themes WHERE theme = :theme)")
    order = [order_sql]
    if query.target_group:
        params["group"] = query.target_group
        in_group = "s.id IN (SELECT service_id FROM service_target_groups WHERE target_group = :group)"
        where.append(f"({in_group} OR s.general)")
        order.append(f"CASE WHEN {in_group} THEN 0 ELSE 1 END")
    if query.free_only:
        where.append("s.charge_type = 'free'")
    if query.language:
        params["language"] = f"% {query.language} %"
        where.append("s.languages LIKE :language")
    if query.open_on is not None:
        params["open_on"] = f"%{query.open_on}%"
        where.append("s.open_days LIKE :open_on")
    if query.accessible:
        where.append("s.accessible")
    if expression:
        params["expr"] = expression
        joins.append(f"JOIN (SELECT service_id, bm25(service_fts, {BM25_WEIGHTS}) AS rank "
                     "FROM service_fts WHERE service_fts MATCH :expr) f ON f.service_id = s.id")
        order.append("f.rank")
    boost = fts_expression(query.boost, " OR ") if query.boost else None
    if boost:
        params["boost"] = boost
        joins.append(f"LEFT JOIN (SELECT service_id, bm25(service_fts, {BM25_WEIGHTS}) AS brank "
                     "FROM service_fts WHERE service_fts MATCH :boost) b ON b.service_id = s.id")
        order.append("COALESCE(b.brank, 0)")
    sql = (
        f"SELECT s.card, {scope_sql} AS scope, COUNT(*) OVER () AS total FROM services s "
        + " ".join(joins)
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY {', '.join(order)}, s.name LIMIT :limit OFFSET :offset"
    )
    with engine.connect() as conn:
        rows = conn.execute(text(sql), params).all()
    items = [present(json.loads(card), SCOPES[scope], query.municipality) for card, scope, _ in rows]
    return SearchResult(items=items, total=rows[0][2] if rows else 0)


def search(engine: Engine, query: SearchQuery) -> SearchResult:
    """Search; free text that matches nothing together falls back to any of its words."""
    expression = fts_expression(query.q) if query.q else None
    result = _run(engine, query, expression)
    if expression and not result.total:
        any_word = fts_expression(query.q or "", " OR ")
        if any_word and any_word != expression:
            result = _run(engine, query, any_word)
    return result


def present(card: dict[str, Any], scope: str, municipality: str | None) -> dict[str, Any]:
    """A card as an API item: the location in the asked municipality first."""
    locations = card.get("locations") or []
    local = [loc for loc in locations if loc["municipality_code"] == municipality] or locations
    location = local[0] if local else None
    names = municipalities()
    return {
        "id": card["id"],
        "name": card["name"],
        "summary": card["summary"],
        "provider": card["provider"],
        "provider_type": card["provider_type"],
        "organization_id": card.get("organization_id", ""),
        "address": location["address"] if location else "",
        "location_name": location["name"] if location else "",
        "municipality": (names[location["municipality_code"]].name_fi
                         if location and location["municipality_code"] in names else ""),
        "phone": (location or {}).get("phone") or card["phone"],
        "email": (location or {}).get("email") or card["email"],
        "web_page": card["web_page"],
        "opening_hours": (location or {}).get("opening_hours") or card["opening_hours"],
        "charge_type": card["charge_type"],
        "languages": card["languages"],
        "themes": card["themes"],
        "target_groups": card["target_groups"],
        "scope": scope,
        "online": not location and bool(card["channel_types"]),
        "accessible": card.get("accessible", False),
        "demo": card["demo"],
        "modified": card["modified"],
    }
