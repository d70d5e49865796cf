from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlalchemy import Engine, text

from bot.demo.generator import write
from bot.demo.places import DEMO_MUNICIPALITIES, FULL_THEME_MUNICIPALITIES
from bot.finnish.places import county_municipalities
from bot.finnish.vocabulary import THEME_LABELS


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*.json")):
        h.update(path.read_bytes())
    return h.hexdigest()


def test_reproducible(tmp_path: Path, demo_dir: Path) -> None:
    write(tmp_path / "again")
    assert _digest(tmp_path / "again") == _digest(demo_dir)


def test_size_and_demo_marking(demo_dir: Path) -> None:
    services = [s for p in sorted((demo_dir / "services").glob("*.json"))
                for s in json.loads(p.read_text(encoding="utf-8"))]
    assert len(services) >= 1000
    for s in services:
        assert s["sourceId"].startswith("esimerkki-")
        texts = {d["type"]: d["value"] for d in s["serviceDescriptions"]}
        assert "Esimerkkiaineisto" in texts["Summary"]
        assert "esimerkkiaineistoa" in texts["Description"]
    assert {s["areaType"] for s in services} == {"LimitedType", "Nationwide"}
    assert {s["serviceChargeType"] for s in services} == {"FreeOfCharge", "Chargeable"}


def test_all_68_municipalities(demo_dir: Path) -> None:
    assert set(DEMO_MUNICIPALITIES) == set(
        county_municipalities("06") + county_municipalities("15") + county_municipalities("19"))


def test_theme_coverage(demo_engine: Engine) -> None:
    with demo_engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.municipality_code, t.theme FROM coverage c "
            "JOIN service_themes t ON t.service_id = c.service_id WHERE c.scope = 0")).all()
    themes: dict[str, set[str]] = {}
    for code, theme in rows:
        themes.setdefault(code, set()).add(theme)
    for code in DEMO_MUNICIPALITIES:
        if code in FULL_THEME_MUNICIPALITIES:
            assert themes[code] == set(THEME_LABELS), code
        else:
            assert len(themes[code]) >= 3, code


def test_provider_kinds(demo_engine: Engine) -> None:
    with demo_engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT name FROM organizations")).all()]
    assert any(n.endswith("kaupunki") for n in names)
    assert any(n.endswith("kunta") for n in names)
    assert any(n.endswith("hyvinvointialue") for n in names)
    assert any(n.endswith("seurakunta") for n in names)
    assert any(n.endswith(" ry") for n in names)


def test_padding_for_benchmarks(tmp_path: Path) -> None:
    counts = write(tmp_path / "big", services=3000)
    assert counts["services"] >= 3000
