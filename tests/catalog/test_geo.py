from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.catalog.geo import Point, distance_km, point_from_ptv, wgs84_to_etrs
from bot.catalog.importer import import_folder
from bot.catalog.ptv import parse_channel


def test_real_ptv_coordinates_are_etrs_tm35fin(ptv_real_dir: Path) -> None:
    """A real channel in Vähäkyrö (Vaasa) gives northing/easting in metres: converted, it lies in
    Vähäkyrö, not in the sea off Norway."""
    path = next(p for p in (ptv_real_dir / "channels").glob("*.json")
                if "7001175.174" in p.read_text(encoding="utf-8"))
    channel = parse_channel(json.loads(path.read_text(encoding="utf-8")))
    location = channel.location
    assert location is not None and location.postal_code == "66500"
    point = point_from_ptv(location.latitude, location.longitude)
    assert point is not None
    assert distance_km(point, Point(63.06, 22.10)) < 5  # Vähäkyrö centre


def test_round_trip_and_known_distance() -> None:
    rauma = Point(61.128, 21.511)
    northing, easting = wgs84_to_etrs(rauma)
    assert 6_770_000 < northing < 6_800_000 and 190_000 < easting < 220_000
    back = point_from_ptv(northing, easting)
    assert back is not None and distance_km(back, rauma) < 0.001
    assert distance_km(Point(61.485, 21.797), rauma) == pytest.approx(42.5, abs=1.0)  # Pori–Rauma


@pytest.mark.parametrize("lat, lon", [(0.0, 0.0), (None, 226225.0), (float("nan"), 1.0), (7e9, 2e5), (45.0, 10.0)])
def test_missing_or_implausible_coordinates_are_unknown(lat: float | None, lon: float | None) -> None:
    assert point_from_ptv(lat, lon) is None


def test_degrees_in_ptv_fields_are_taken_as_degrees() -> None:
    assert point_from_ptv(61.6887, 27.2721) == Point(61.6887, 27.2721)


def test_real_locations_keep_their_coordinates(ptv_real_dir: Path, empty_engine: Engine) -> None:
    import_folder(empty_engine, ptv_real_dir)
    with empty_engine.connect() as conn:
        rows = conn.execute(text("SELECT lat, lon FROM service_locations")).all()
    assert rows
    assert all(59 < lat < 70.5 and 19 < lon < 32 for lat, lon in rows)
