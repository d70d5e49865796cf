"""Coordinates: PTV's ETRS-TM35FIN (EPSG:3067) to WGS84 degrees, and distances between points.

PTV street addresses carry ``latitude`` and ``longitude`` fields that hold the ETRS-TM35FIN
northing and easting in metres, not degrees. Some records carry degrees in the same fields,
some zeros; each is recognised by its range, anything else counts as unknown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from pyproj import Transformer

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
# Where ETRS-TM35FIN covers Finland (EPSG:3067 area of use, with a margin), in metres.
_NORTHING = (6_500_000.0, 7_850_000.0)
_EASTING = (-100_000.0, 900_000.0)
# Finland in degrees, with a margin: for records that put WGS84 into the same fields.
_LATITUDE = (59.0, 70.5)
_LONGITUDE = (19.0, 32.0)


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@cache
def _to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:3067", "EPSG:4326", always_xy=True)


@cache
def _to_etrs() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:3067", always_xy=True)


def etrs_to_wgs84(northing: float, easting: float) -> Point:
    lon, lat = _to_wgs84().transform(easting, northing)
    return Point(round(lat, 6), round(lon, 6))


def wgs84_to_etrs(point: Point) -> tuple[float, float]:
    """(northing, easting) in metres, as PTV writes them."""
    easting, northing = _to_etrs().transform(point.lon, point.lat)
    return round(northing, 3), round(easting, 3)


def _between(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def point_from_ptv(latitude: float | None, longitude: float | None) -> Point | None:
    """A PTV address's coordinate pair as WGS84, or None when it is missing or implausible."""
    if latitude is None or longitude is None or not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    if _between(latitude, _NORTHING) and _between(longitude, _EASTING):
        return etrs_to_wgs84(latitude, longitude)
    if _between(latitude, _LATITUDE) and _between(longitude, _LONGITUDE):
        return Point(latitude, longitude)
    return None


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlambda = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def valid_wgs84(lat: float, lon: float) -> bool:
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180
