"""US ZIP codes and distances, offline: where a ZIP code is, and how far apart two places are.

ZIP centroids come from the ``zipcodes`` package (a registry package carrying the USPS list
with a latitude and longitude per code), so no geocoding service is ever called. Distances are
great-circle distances (haversine) in statute miles on a sphere of the Earth's mean radius;
that is what "within 25 miles" means everywhere in HOPEful (the trainer directory, the
presentation requests' suggestions, the community strengths map).

Pure Python (no Django): the apps call :func:`zip_place`, :func:`miles_between` and
:func:`bounding_box`, and sort with :func:`nearest`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import TypeVar

import zipcodes

#: The Earth's mean radius (IUGG R1 = 6,371.0088 km) in statute miles.
EARTH_RADIUS_MILES = 3958.7613
#: Miles per degree of latitude on that sphere.
MILES_PER_DEGREE = math.pi * EARTH_RADIUS_MILES / 180.0
#: The radii a search may ask for, in miles (the form offers these; others are refused).
RADII = (5, 10, 25, 50, 100, 250)
DEFAULT_RADIUS = 25

_ZIP = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")

T = TypeVar("T")


class ZipProblem(Enum):
    """Why a ZIP code was not found: the words said to the person differ."""

    MALFORMED = "malformed"
    UNKNOWN = "unknown"


class ZipError(ValueError):
    def __init__(self, problem: ZipProblem, value: str) -> None:
        super().__init__(f"{problem.value} ZIP code: {value!r}")
        self.problem = problem
        self.value = value


@dataclass(frozen=True, slots=True)
class Place:
    """A ZIP code's centroid and the place it names."""

    zip_code: str
    latitude: float
    longitude: float
    city: str
    state: str


def normalize_zip(value: str) -> str:
    """The 5-digit ZIP code in ``value`` (``02111`` or ``02111-1234``); :class:`ZipError`
    (malformed) for anything else."""
    match = _ZIP.match(value or "")
    if match is None:
        raise ZipError(ZipProblem.MALFORMED, value)
    return match.group(1)


@lru_cache(maxsize=4096)
def _lookup(zip5: str) -> Place | None:
    rows: list[dict[str, object]] = zipcodes.matching(zip5)  # type: ignore[no-untyped-call]
    for row in rows:
        if row.get("zip_code") != zip5 or not row.get("lat") or not row.get("long"):
            continue
        return Place(
            zip_code=zip5,
            latitude=float(str(row["lat"])),
            longitude=float(str(row["long"])),
            city=str(row.get("city") or ""),
            state=str(row.get("state") or ""),
        )
    return None


def zip_place(value: str) -> Place:
    """The centroid of the ZIP code ``value``; :class:`ZipError` when it is malformed or is
    not a US ZIP code."""
    zip5 = normalize_zip(value)
    place = _lookup(zip5)
    if place is None:
        raise ZipError(ZipProblem.UNKNOWN, zip5)
    return place


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles (haversine formula)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class Box:
    """A latitude/longitude rectangle that holds every point within some miles of a centre
    (a database pre-filter; :func:`miles_between` decides)."""

    south: float
    north: float
    west: float
    east: float


def bounding_box(latitude: float, longitude: float, miles: float) -> Box:
    """The rectangle around a point that contains its ``miles`` radius (a little larger)."""
    # One part in a million more than the circle, so rounding never drops a point on its edge.
    dlat = miles / MILES_PER_DEGREE * (1 + 1e-6)
    south, north = latitude - dlat, latitude + dlat
    if north >= 90.0 or south <= -90.0:
        return Box(max(south, -90.0), min(north, 90.0), -180.0, 180.0)
    # The widest point of the circle is nearer the pole than its centre.
    widest = max(abs(south), abs(north))
    dlon = miles / (MILES_PER_DEGREE * math.cos(math.radians(widest))) * (1 + 1e-6)
    if dlon >= 180.0:
        return Box(south, north, -180.0, 180.0)
    # Alaska's Aleutians cross the antimeridian; a box there wraps, which we widen instead.
    west, east = longitude - dlon, longitude + dlon
    if west < -180.0 or east > 180.0:
        return Box(south, north, -180.0, 180.0)
    return Box(south, north, west, east)


def nearest(
    centre: Place,
    items: Iterable[T],
    where: Callable[[T], tuple[float, float] | None],
    radius_miles: float,
) -> list[tuple[float, T]]:
    """``(miles, item)`` for each item whose point (``where(item)``) lies within
    ``radius_miles`` of ``centre`` (the edge included), nearest first; ties keep the order
    of ``items``. Items without a point are left out."""
    found: list[tuple[float, int, T]] = []
    for order, item in enumerate(items):
        point = where(item)
        if point is None:
            continue
        miles = miles_between(centre.latitude, centre.longitude, point[0], point[1])
        if miles <= radius_miles:
            found.append((miles, order, item))
    found.sort(key=lambda row: (row[0], row[1]))
    return [(miles, item) for miles, _order, item in found]
