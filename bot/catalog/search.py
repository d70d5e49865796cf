"""Ranked catalog search: theme, municipality or county, target group, Finnish free text and
distance.

With free text, one relevance score orders everything: BM25F over Voikko lemmas, compound parts,
synonyms and typo corrections with a soft AND (``text_index``), plus a bonus for the services
whose theme or target group the words name (the shared vocabulary), multiplied by scope factors
(local first when the match is as good; a strong nationwide match beats a weak local one), the
target group and distance. Without free text: the municipality's services first, then county-wide
and nationwide ones, those for the asked target group first, the nearest first.

Ranking runs on narrow tables only; the cards of the one page shown are read afterwards.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, text

from bot.catalog import text_index
from bot.catalog.geo import KM_PER_DEGREE, Point, distance_km
from bot.finnish.places import county_municipalities, municipalities

SCOPES = ("local", "county", "nationwide")
DISTANCE_HALF_KM = 10.0  # a location this far keeps half of its text relevance
UNKNOWN_DISTANCE_KM = DISTANCE_HALF_KM  # a location without coordinates counts as this far


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
    near: Point | None = None  # the resident's position: nearer locations first
    limit: int = 10
    offset: int = 0


@dataclass
class SearchResult:
    items: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    matched_text: bool = True  # False when free text matched nothing and was dropped


def _municipality_codes(query: SearchQuery) -> list[str]:
    if query.municipality:
        return [query.municipality]
    if query.county:
        return county_municipalities(query.county)
    return []


def _in_list(params: dict[str, Any], prefix: str, values: list[str]) -> str:
    keys = []
    for i, value in enumerate(values):
        params[f"{prefix}{i}"] = value
        keys.append(f":{prefix}{i}")
    return ", ".join(keys)


def _candidates(query: SearchQuery, params: dict[str, Any]) -> tuple[str, str]:
    """SQL of (service_id, scope) for the place asked, one row per service, and the ORDER BY
    term of the scope. Nationwide services join those of the place unless already among them."""
    params["yes"] = True  # "= :yes", not a bare column: so that the index on nationwide is used
    if query.municipality:
        params["place"] = query.municipality
        table, key = "coverage", "municipality_code"
        order = "c.scope"
    elif query.county:
        params["place"] = query.county
        table, key = "county_coverage", "county_code"
        # A whole county asked: its county-wide services first, then local ones anywhere in it.
        order = "CASE c.scope WHEN 1 THEN 0 WHEN 0 THEN 1 ELSE 2 END"
    else:
        return ("SELECT id AS service_id, CASE WHEN nationwide THEN 2 ELSE 0 END AS scope FROM services",
                "c.scope")
    sql = (f"SELECT service_id, scope FROM {table} WHERE {key} = :place "
           "UNION ALL SELECT id AS service_id, 2 AS scope FROM services n WHERE n.nationwide = :yes "
           f"AND NOT EXISTS (SELECT 1 FROM {table} x WHERE x.service_id = n.id AND x.{key} = :place)")
    return sql, order


def _distance_join(query: SearchQuery, params: dict[str, Any]) -> str:
    """Squared distance in km² to the nearest location of each service (equirectangular, exact
    enough within a county), as d.d2."""
    assert query.near
    params.update(lat=query.near.lat, lon=query.near.lon, k2=KM_PER_DEGREE ** 2,
                  coslat2=math.cos(math.radians(query.near.lat)) ** 2)
    codes = _municipality_codes(query)
    where = f"WHERE municipality_code IN ({_in_list(params, 'n', codes)}) " if codes else ""
    return ("LEFT JOIN (SELECT service_id, MIN(((lat - :lat) * (lat - :lat) + (lon - :lon) * (lon - :lon) "
            f"* :coslat2) * :k2) AS d2 FROM service_locations {where}GROUP BY service_id) d "
            "ON d.service_id = s.id")


# Text relevance is blended with where a service is and whom it is for: local first when the
# match is as good, but a strong nationwide match beats a weak local one.
SCOPE_FACTORS = (1.0, 0.9, 0.75)  # local, county-wide, nationwide
OTHER_GROUP_FACTOR = 0.75  # a general service when a target group was asked
# A service under none of the hyte themes (permits, registers, business services) still ranks,
# but below a themed one that matches as well: this is a wellbeing navigator.
NO_THEME_FACTOR = 0.85


def _factor_sql(query: SearchQuery, params: dict[str, Any], in_group: str | None) -> str:
    params.update(scope0=SCOPE_FACTORS[0], scope1=SCOPE_FACTORS[1], scope2=SCOPE_FACTORS[2],
                  no_theme=NO_THEME_FACTOR)
    factor = ("CASE c.scope WHEN 0 THEN :scope0 WHEN 1 THEN :scope1 ELSE :scope2 END"
              " * CASE WHEN EXISTS (SELECT 1 FROM service_themes th WHERE th.service_id = s.id) THEN 1.0"
              " ELSE :no_theme END")
    if in_group:
        params["other_group"] = OTHER_GROUP_FACTOR
        factor += f" * CASE WHEN {in_group} THEN 1.0 ELSE :other_group END"
    if query.near:
        factor += " / (1.0 + COALESCE(d.d2, :unknown2) / :half2)"
    return factor


def _ranked_ids(engine: Engine, query: SearchQuery, expression: text_index.TextQuery | None,
                keep_prefixes: bool = False) -> tuple[list[tuple[str, int]], int]:
    params: dict[str, Any] = {"limit": query.limit, "offset": query.offset}
    candidates, scope_order = _candidates(query, params)
    joins, where = [], []
    order = [scope_order]
    in_group = None
    if query.theme:
        params["theme"] = query.theme
        where.append("EXISTS (SELECT 1 FROM service_themes t WHERE t.service_id = s.id AND t.theme = :theme)")
    if query.target_group:
        params["group"] = query.target_group
        in_group = ("EXISTS (SELECT 1 FROM service_target_groups g "
                    "WHERE g.service_id = s.id AND g.target_group = :group)")
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
    if query.near:
        joins.append(_distance_join(query, params))
        params["unknown2"] = UNKNOWN_DISTANCE_KM ** 2
        params["half2"] = DISTANCE_HALF_KM ** 2
    boost = text_index.parse(query.boost) if query.boost else None
    ctes = [f"c AS ({candidates})"]
    base = "c"  # the rows ranked: every candidate, or with free text only the matching ones
    few = bool(query.municipality)
    with engine.connect() as conn:
        if expression:
            expression, importance = text_index.prepare(conn, expression, keep_prefixes=keep_prefixes)
            scored = text_index.score_sql(expression, importance, params, "q", "SELECT service_id FROM c", few)
            ctes.append(f"f AS ({scored})")
            relevance = "f.score"
            # The matched services drive (CROSS JOIN keeps them outermost in SQLite), not every candidate.
            base = "f CROSS JOIN c"
            where.append("c.service_id = f.service_id")
            order = [f"{relevance} * {_factor_sql(query, params, in_group)} DESC"]
        elif boost:
            boost, importance = text_index.prepare(conn, boost)
            scored = text_index.score_sql(boost, importance, params, "b", "SELECT service_id FROM c", few)
            ctes.append(f"b AS ({scored})")
            joins.append("LEFT JOIN b ON b.service_id = c.service_id")
            # Within a theme every result is on topic: the place keeps its order (local, county,
            # nationwide; the asked group first) and the words reorder within it.
            order.append("COALESCE(b.score, 0) DESC")
        elif query.near:
            order.append("COALESCE(d.d2, :unknown2)")
        if query.theme and not expression:  # the surest members of the theme first
            order.append("(SELECT tw.weight FROM service_themes tw "
                         "WHERE tw.service_id = s.id AND tw.theme = :theme) DESC")
        sql = (
            f"WITH {', '.join(ctes)} "
            f"SELECT s.id, c.scope, COUNT(*) OVER () AS total FROM {base} JOIN services s ON s.id = c.service_id "
            + " ".join(joins)
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {', '.join(order)}, s.name, s.id LIMIT :limit OFFSET :offset"
        )
        rows = conn.execute(text(sql), params).all()
    return [(row[0], row[1]) for row in rows], (rows[0][2] if rows else 0)


def _cards(engine: Engine, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    params: dict[str, Any] = {}
    sql = f"SELECT service_id, card FROM service_documents WHERE service_id IN ({_in_list(params, 'i', ids)})"
    with engine.connect() as conn:
        return {service_id: json.loads(card) for service_id, card in conn.execute(text(sql), params)}


def _run(engine: Engine, query: SearchQuery, expression: text_index.TextQuery | None,
         keep_prefixes: bool = False) -> SearchResult:
    ranked, total = _ranked_ids(engine, query, expression, keep_prefixes)
    cards = _cards(engine, [service_id for service_id, _ in ranked])
    items = [present(cards[service_id], SCOPES[scope], query.municipality, query.near)
             for service_id, scope in ranked if service_id in cards]
    return SearchResult(items=items, total=total)


def search(engine: Engine, query: SearchQuery) -> SearchResult:
    """Search; with free text, the services matching any of its words, best first."""
    expression = text_index.parse(query.q) if query.q else None
    result = _run(engine, query, expression)
    if expression and not result.total:  # nothing here matched the words: try their beginnings too
        result = _run(engine, query, expression, keep_prefixes=True)
    return result


def _distance(location: dict[str, Any], near: Point) -> float | None:
    if location.get("lat") is None or location.get("lon") is None:
        return None
    return distance_km(near, Point(location["lat"], location["lon"]))


def present(card: dict[str, Any], scope: str, municipality: str | None,
            near: Point | None = None) -> dict[str, Any]:
    """A card as an API item: the location in the asked municipality first, the nearest one
    when the resident's position is known."""
    locations = card.get("locations") or []
    local = [loc for loc in locations if loc["municipality_code"] == municipality] or locations
    distance = None
    if near and local:
        measured = [(d, loc) for loc in local if (d := _distance(loc, near)) is not None]
        if measured:
            distance, nearest = min(measured, key=lambda pair: pair[0])
            local = [nearest]
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
        "distance_km": round(distance, 1) if distance is not None else None,
    }
