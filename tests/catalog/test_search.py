from __future__ import annotations

from sqlalchemy import Engine, text

from bot.catalog.geo import Point
from bot.catalog.search import SearchQuery, search


def test_theme_municipality_group_ranking(demo_engine: Engine) -> None:
    result = search(demo_engine, SearchQuery(theme="liikunta", municipality="684",
                                             target_group="ikaantyneet", limit=20))
    scopes = [item["scope"] for item in result.items]
    assert scopes == sorted(scopes, key=["local", "county", "nationwide"].index)
    assert result.items[0]["name"] == "Ikäihmisten kuntosaliryhmä"
    assert result.items[0]["municipality"] == "Rauma"
    assert all("liikunta" in item["themes"] for item in result.items)
    assert not any(item["target_groups"] == ["nuoret"] for item in result.items)
    assert {"county", "nationwide"} <= set(scopes)


def test_inflected_free_text(demo_engine: Engine) -> None:
    names = [i["name"] for i in search(demo_engine, SearchQuery(q="kuntosaleja",
                                                                municipality="609")).items]
    assert "Ikäihmisten kuntosaliryhmä" in names


def test_uinti_finds_uimahalli_because_data_says_so(demo_engine: Engine) -> None:
    names = [i["name"] for i in search(demo_engine, SearchQuery(q="uinti", municipality="609")).items]
    assert "Uimahalli" in names


def test_compound_part_query(demo_engine: Engine) -> None:
    names = [i["name"] for i in search(demo_engine, SearchQuery(q="vertaistukiryhmää",
                                                                municipality="564")).items]
    assert names, "compound query should match through its parts"


def test_pagination_and_total(demo_engine: Engine) -> None:
    first = search(demo_engine, SearchQuery(theme="kulttuuri", municipality="179", limit=3))
    second = search(demo_engine, SearchQuery(theme="kulttuuri", municipality="179", limit=3,
                                             offset=3))
    assert first.total == second.total > 3
    assert not {i["id"] for i in first.items} & {i["id"] for i in second.items}


def test_county_search(demo_engine: Engine) -> None:
    result = search(demo_engine, SearchQuery(theme="liikunta", county="06", limit=100))
    assert result.items[0]["scope"] == "county"  # county-wide services first for a county
    municipalities = {i["municipality"] for i in result.items if i["municipality"]}
    assert {"Pori", "Rauma"} <= municipalities
    assert "Oulu" not in municipalities


def test_free_only(demo_engine: Engine) -> None:
    result = search(demo_engine, SearchQuery(theme="liikunta", municipality="684", free_only=True))
    assert result.items and all(i["charge_type"] == "free" for i in result.items)


def test_nothing_found_and_odd_query(demo_engine: Engine) -> None:
    assert search(demo_engine, SearchQuery(q='"; DROP TABLE services; --', municipality="684")).total == 0
    assert search(demo_engine, SearchQuery(q="x" * 400)).total == 0


def test_boost_reorders_without_filtering(demo_engine: Engine) -> None:
    plain = search(demo_engine, SearchQuery(theme="toimeentulo", municipality="609", limit=20))
    boosted = search(demo_engine, SearchQuery(theme="toimeentulo", municipality="609", limit=20,
                                              boost="apua velkojen kanssa"))
    assert boosted.total == plain.total
    assert boosted.items[0]["name"] == "Talous- ja velkaneuvonta"
    assert plain.items[0]["name"] != "Talous- ja velkaneuvonta"


def test_language_weekday_and_accessibility_filters(demo_engine: Engine) -> None:
    swedish = search(demo_engine, SearchQuery(municipality="609", language="sv", limit=100))
    assert swedish.items and all("sv" in i["languages"] for i in swedish.items)
    sunday = search(demo_engine, SearchQuery(theme="liikunta", municipality="609", open_on=6, limit=100))
    names = {i["name"] for i in sunday.items}
    assert "Uimahalli" in names and "Ikäihmisten kuntosaliryhmä" not in names
    accessible = search(demo_engine, SearchQuery(municipality="609", accessible=True, limit=100))
    assert accessible.items and all(i["accessible"] for i in accessible.items)


def test_everyday_words_and_typos_find_the_service(demo_engine) -> None:  # type: ignore[no-untyped-def]
    from bot.catalog.search import SearchQuery, search

    def top5(q: str) -> list[str]:
        return [i["name"] for i in search(demo_engine, SearchQuery(q=q, municipality="684", limit=5)).items]

    assert "Kävelyryhmä" in top5("lenkkiporukka")
    assert "Painonhallintaryhmä" in top5("laihduttaminen")
    assert "Uimahalli" in top5("uimahali")  # a typo Voikko can correct


def test_nearest_first_without_free_text(demo_engine: Engine) -> None:
    plain = search(demo_engine, SearchQuery(theme="liikunta", municipality="684", limit=40))
    local = [i for i in plain.items if i["scope"] == "local"]
    target = local[-1]  # the last one by name: nearness must bring it first
    with demo_engine.connect() as conn:
        lat, lon = conn.execute(text("SELECT lat, lon FROM service_locations WHERE service_id = :id"),
                                {"id": target["id"]}).first()
    near = search(demo_engine, SearchQuery(theme="liikunta", municipality="684", limit=40,
                                           near=Point(lat, lon)))
    assert near.total == plain.total
    assert near.items[0]["id"] == target["id"] and near.items[0]["distance_km"] == 0.0
    distances = [i["distance_km"] for i in near.items if i["scope"] == "local"]
    assert None not in distances and distances == sorted(distances)
    assert [i["scope"] for i in near.items] == sorted((i["scope"] for i in near.items),
                                                      key=["local", "county", "nationwide"].index)


def test_distance_weighs_text_relevance(demo_engine: Engine) -> None:
    """Two towns' gyms: from Rauma's centre the Rauma one leads a county search, from Pori's the Pori one."""
    rauma = search(demo_engine, SearchQuery(q="kuntosali", county="06", near=Point(61.128, 21.511), limit=50))
    pori = search(demo_engine, SearchQuery(q="kuntosali", county="06", near=Point(61.485, 21.797), limit=50))
    first_local = [next(i for i in r.items if i["scope"] == "local") for r in (rauma, pori)]
    assert first_local[0]["municipality"] == "Rauma" and first_local[1]["municipality"] == "Pori"
    assert first_local[0]["distance_km"] < 10 and first_local[1]["distance_km"] < 10
