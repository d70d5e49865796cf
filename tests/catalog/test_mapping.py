from __future__ import annotations

from typing import Any

import pytest

from bot.catalog.mapping import target_groups_for, themes_for
from bot.catalog.ptv import parse_service


def service(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "11111111-2222-3333-4444-555555555555",
        "serviceNames": [{"language": "fi", "value": fields.pop("name", "Palvelu"), "type": "Name"}],
        "serviceDescriptions": [
            {"language": "fi", "value": fields.pop("summary", ""), "type": "Summary"},
            {"language": "fi", "value": fields.pop("description", ""), "type": "Description"}],
        "serviceClasses": [{"code": c} for c in fields.pop("classes", [])],
        "targetGroups": [{"code": c} for c in fields.pop("groups", ["KR1"])],
        "lifeEvents": [{"code": c} for c in fields.pop("events", [])],
        "keywords": [{"language": "fi", "value": k} for k in fields.pop("keywords", [])],
        "areaType": "Nationwide", "areas": [], "organizations": [], "serviceChannels": [],
    }
    record.update(fields)
    return record


@pytest.mark.parametrize(("classes", "theme"), [
    (["P27.1"], "liikunta"), (["P27.2"], "luonto"), (["P25.1"], "kulttuuri"),
    (["P5.20"], "ravitsemus"), (["P5.11"], "elintavat"), (["P4.12"], "osallisuus"),
    (["P4.13"], "neuvonta"), (["P15.1"], "toimeentulo"),
])
def test_service_class_decides(classes: list[str], theme: str) -> None:
    assert themes_for(parse_service(service(classes=classes))) == [theme]


def test_p5_7_split_by_text() -> None:
    substance = parse_service(service(classes=["P5.7"], name="Päihdeneuvonta",
                                      summary="Apua alkoholin käyttöön."))
    mental = parse_service(service(classes=["P5.7"], name="Keskusteluapu",
                                   summary="Tukea masennukseen ja ahdistukseen."))
    assert "paihteet" in themes_for(substance)
    assert "mielen_hyvinvointi" not in themes_for(substance)
    assert themes_for(mental) == ["mielen_hyvinvointi"]


def test_text_decides_without_class() -> None:
    digi = parse_service(service(name="Digitukipiste", keywords=["älypuhelin", "verkkoasiointi"]))
    assert themes_for(digi) == ["digituki"]


def test_unrelated_service_gets_no_theme() -> None:
    plot = parse_service(service(classes=["P2.3"], name="Rajankäynti asemakaava-alueella",
                                 summary="Rajankäynti on kiinteistötoimitus."))
    assert themes_for(plot) == []


def test_target_groups() -> None:
    s = parse_service(service(groups=["KR1", "KR1.1"], events=["KE13"]))
    assert target_groups_for(s) == ["ikaantyneet", "omaishoitajat"]
    assert target_groups_for(parse_service(service(groups=["KR1"]))) == ["tyoikaiset"]


@pytest.mark.parametrize(("raw", "shown"), [
    ("0447334758", "044 733 4758"), ("024345542", "02 434 5542"), ("0505269847", "050 526 9847"),
    ("0800 12345", "0800 12345"), ("+46 8 123", "+46 8 123"),
])
def test_finnish_phone_numbers_are_grouped(raw: str, shown: str) -> None:
    from bot.catalog.ptv import format_finnish_number

    assert format_finnish_number(raw) == shown


def test_theme_weights_say_how_surely_a_service_belongs() -> None:
    from bot.catalog.mapping import classify_weighted

    by_class, _ = classify_weighted(parse_service(service(classes=["P27.1"], name="Uimahallit")))
    assert by_class["liikunta"] == 1.0
    learned, _ = classify_weighted(parse_service(service(name="Perhetyö", summary="Perhetyö on tukea perheille.")))
    assert learned and all(0.0 < w <= 1.0 for w in learned.values())
