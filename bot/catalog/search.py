"""Ranked catalog search: theme, municipality or county, target group, Finnish free text and
distance.

Order: services in the municipality first, then county-wide ones, then nationwide ones; within
each, services made for the asked target group before general ones, then text relevance (over
Voikko lemmas and compound parts, name weighted over summary over description), weighed down by
distance when the resident's position is known; without free text, the nearest first.

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


def _ranked_ids(engine: Engine, query: SearchQuery,
                expression: text_index.TextQuery | None) -> tuple[list[tuple[str, int]], int]:
    params: dict[str, Any] = {"limit": query.limit, "offset": query.offset}
    candidates, scope_order = _candidates(query, params)
    joins, where = [], []
    order = [scope_order]
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
    dialect = engine.dialect.name
    places = text_index.place_filter(query.municipality, query.county)
    if query.near:
        joins.append(_distance_join(query, params))
        params["unknown2"] = UNKNOWN_DISTANCE_KM ** 2
        params["half2"] = DISTANCE_HALF_KM ** 2
    if expression:
        match, render = text_index.match_sql(dialect, "expr")
        params["expr"] = render(expression, places)
        joins.append(f"JOIN ({match}) f ON f.service_id = s.id")
        # bm25 and negated ts_rank are negative: dividing brings a far one towards zero (worse).
        order.append("f.rank / (1.0 + COALESCE(d.d2, :unknown2) / :half2)" if query.near else "f.rank")
    elif query.near:
        order.append("COALESCE(d.d2, :unknown2)")
    boost = text_index.parse(query.boost, any_word=True) if query.boost else None
    if boost:
        match, render = text_index.match_sql(dialect, "boost")
        params["boost"] = render(boost, places)
        joins.append(f"LEFT JOIN ({match}) b ON b.service_id = s.id")
        order.append("COALESCE(b.rank, 0)")
    sql = (
        f"WITH c AS ({candidates}) "
        "SELECT s.id, c.scope, COUNT(*) OVER () AS total FROM c JOIN services s ON s.id = c.service_id "
        + " ".join(joins)
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY {', '.join(order)}, s.name, s.id LIMIT :limit OFFSET :offset"
    )
    with engine.connect() as conn:
        rows = conn.execute(text(sql), params).all()
    return [(row[0], row[1]) for row in rows], (rows[0][2] if rows else 0)


def _cards(engine: Engine, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    params: dict[str, Any] = {}
    sql = f"SELECT service_id, card FROM service_documents WHERE service_id IN ({_in_list(params, 'i', ids)})"
    with engine.connect() as conn:
        return {service_id: json.loads(card) for service_id, card in conn.execute(text(sql), params)}


def _run(engine: Engine, query: SearchQuery, expression: text_index.TextQuery | None) -> SearchResult:
    ranked, total = _ranked_ids(engine, query, expression)
    cards = _cards(engine, [service_id for service_id, _ in ranked])
    items = [present(cards[service_id], SCOPES[scope], query.municipality, query.near)
             for service_id, scope in ranked if service_id in cards]
    return SearchResult(items=items, total=total)


def search(engine: Engine, query: SearchQuery) -> SearchResult:
    """Search; free text that matches nothing together falls back to any of its words."""
    expression = text_index.parse(query.q) if query.q else None
    result = _run(engine, query, expression)
    if expression and not result.total and len(expression.words) > 1:
        result = _run(engine, query, expression.loosened())
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
