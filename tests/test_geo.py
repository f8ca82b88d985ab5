"""``hopeful.geo``: ZIP centroids offline and great-circle distances in miles."""

from __future__ import annotations

import math

import pytest

from hopeful import geo

#: ZIP centroids of the ``zipcodes`` package, written out so a change in the data shows.
CENTROIDS = {
    "02111": (42.3503, -71.0629),  # Boston, MA
    "02139": (42.3647, -71.1042),  # Cambridge, MA
    "02903": (41.82, -71.4158),  # Providence, RI
    "03301": (43.2185, -71.5277),  # Concord, NH
    "10001": (40.7484, -73.9967),  # New York, NY
    "87101": (35.1996, -106.6448),  # Albuquerque, NM
    "98101": (47.6114, -122.3305),  # Seattle, WA
}


def _by_hand(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The spherical law of cosines, a different formula from the module's haversine."""
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    cosine = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return geo.EARTH_RADIUS_MILES * math.acos(min(1.0, cosine))


@pytest.mark.parametrize("zip_code", sorted(CENTROIDS))
def test_zip_centroids_come_from_the_registry_package(zip_code: str) -> None:
    place = geo.zip_place(zip_code)
    assert (place.latitude, place.longitude) == CENTROIDS[zip_code]


@pytest.mark.parametrize(
    ("other", "miles"),
    [("02139", 2.332), ("02903", 40.865), ("03301", 64.451), ("10001", 187.767),
     ("87101", 1963.791), ("98101", 2485.507)],
)  # fmt: skip
def test_distances_from_boston_match_the_hand_computation(other: str, miles: float) -> None:
    boston, there = CENTROIDS["02111"], CENTROIDS[other]
    assert geo.miles_between(*boston, *there) == pytest.approx(miles, abs=0.001)
    assert geo.miles_between(*boston, *there) == pytest.approx(_by_hand(boston, there), 1e-9)


def test_a_point_is_zero_miles_from_itself_and_distance_is_symmetric() -> None:
    a, b = CENTROIDS["87101"], CENTROIDS["98101"]
    assert geo.miles_between(*a, *a) == 0.0
    assert geo.miles_between(*a, *b) == pytest.approx(geo.miles_between(*b, *a), 1e-12)


def test_nearest_keeps_the_edge_of_the_radius_and_sorts_by_distance() -> None:
    centre = geo.zip_place("02111")
    points = {z: CENTROIDS[z] for z in ("10001", "02903", "02139", "03301")}
    edge = geo.miles_between(*CENTROIDS["02111"], *CENTROIDS["03301"])
    found = geo.nearest(centre, sorted(points), points.get, edge)
    assert [item for _miles, item in found] == ["02139", "02903", "03301"]  # 10001 is beyond
    assert geo.nearest(centre, sorted(points), points.get, edge - 1e-6)[-1][1] == "02903"


def test_the_bounding_box_holds_the_whole_circle() -> None:
    for zip_code in ("02111", "98101", "87101"):
        lat, lon = CENTROIDS[zip_code]
        box = geo.bounding_box(lat, lon, 100)
        for bearing in range(0, 360, 5):
            # A point 100 miles away along each bearing (the direct geodesic formula).
            d = 100 / geo.EARTH_RADIUS_MILES
            p1, l1, b = math.radians(lat), math.radians(lon), math.radians(bearing)
            p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
            l2 = l1 + math.atan2(
                math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
            )
            assert box.south <= math.degrees(p2) <= box.north
            assert box.west <= math.degrees(l2) <= box.east


@pytest.mark.parametrize("value", ["", "2111", "021111", "ABCDE", "02111-12", "0211 1"])
def test_a_malformed_zip_is_refused_as_malformed(value: str) -> None:
    with pytest.raises(geo.ZipError) as caught:
        geo.zip_place(value)
    assert caught.value.problem is geo.ZipProblem.MALFORMED


def test_an_unknown_zip_is_refused_as_unknown_and_zip_plus_four_is_accepted() -> None:
    with pytest.raises(geo.ZipError) as caught:
        geo.zip_place("00000")
    assert caught.value.problem is geo.ZipProblem.UNKNOWN
    assert geo.zip_place(" 02111-1234 ").city == "Boston"
