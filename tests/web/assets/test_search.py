"""The search by ZIP and radius against distances computed by hand, and who sees what:
archived assets never, members-only assets only members of an organization and staff."""

from __future__ import annotations

import math

import pytest

from hopeful import geo
from hopeful.web.assets import selectors, services
from hopeful.web.assets.models import CommunityAsset
from tests.web import factories as f
from tests.web.assets.helpers import make_asset

pytestmark = pytest.mark.django_db

#: ZIP centroids of the ``zipcodes`` package (latitude, longitude), written out here.
ZIPS = {
    "02111": (42.3503, -71.0629),  # Boston, the search centre
    "02116": (42.3492, -71.0768),  # Back Bay
    "02139": (42.3647, -71.1042),  # Cambridge
    "02169": (42.2491, -70.9978),  # Quincy
    "02176": (42.4581, -71.0632),  # Melrose
    "01970": (42.5151, -70.9003),  # Salem
    "02360": (41.9104, -70.6420),  # Plymouth
}


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle miles on a sphere of the Earth's mean radius R = 3958.7613 mi:
    d = 2 R asin( sqrt( sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2) ) )."""
    r = 3958.7613
    phi1, phi2 = math.radians(a[0]), math.radians(b[0])
    dphi, dlam = phi2 - phi1, math.radians(b[1] - a[1])
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


#: Distances from 02111 by hand (rounded to 0.01 mi): 02116 0.71, 02139 2.33,
#: 02176 7.45, 02169 7.74, 01970 14.09, 02360 37.27.
BY_HAND = {z: haversine(ZIPS["02111"], p) for z, p in ZIPS.items() if z != "02111"}


@pytest.fixture
def boston() -> dict[str, CommunityAsset]:
    return {z: make_asset(name=f"Place {z}", zip_code=z) for z in BY_HAND}


def test_the_fixed_zip_codes_are_where_the_test_says() -> None:
    for zip_code, point in ZIPS.items():
        place = geo.zip_place(zip_code)
        assert (place.latitude, place.longitude) == pytest.approx(point, abs=1e-9)
    rounded = {z: round(d, 2) for z, d in BY_HAND.items()}
    assert rounded == {
        "02116": 0.71,
        "02139": 2.33,
        "02169": 7.74,
        "02176": 7.45,
        "01970": 14.09,
        "02360": 37.27,
    }


@pytest.mark.parametrize("radius", [1, 5, 10, 25, 50])
def test_radius_search_matches_the_hand_computed_distances(
    boston: dict[str, CommunityAsset], radius: int
) -> None:
    found = selectors.search(geo.zip_place("02111"), radius=radius)
    expected = sorted((d, z) for z, d in BY_HAND.items() if d <= radius)
    assert [a.zip_code for _m, a in found] == [z for _d, z in expected]
    for (miles, _asset), (distance, _zip) in zip(found, expected, strict=True):
        assert miles == pytest.approx(distance, abs=1e-9)


def test_the_edge_of_the_radius_is_included(boston: dict[str, CommunityAsset]) -> None:
    edge = BY_HAND["02169"]  # Quincy, 7.74 miles
    centre = geo.zip_place("02111")
    at_edge = [a.zip_code for _m, a in selectors.search(centre, radius=edge)]
    assert "02169" in at_edge
    just_inside = [a.zip_code for _m, a in selectors.search(centre, radius=edge - 1e-6)]
    assert "02169" not in just_inside
    assert at_edge == ["02116", "02139", "02176", "02169"]


def test_archived_assets_are_never_found(boston: dict[str, CommunityAsset]) -> None:
    services.asset_archive(asset=boston["02139"], actor=None)
    centre = geo.zip_place("02111")
    found = selectors.search(centre, radius=50, include_members=True)
    assert "02139" not in [a.zip_code for _m, a in found]
    assert boston["02139"] not in selectors.public_assets()
    assert [a.zip_code for _m, a in selectors.nearby_assets("02111", radius=5)] == ["02116"]


def test_members_only_assets_need_a_membership_or_staff() -> None:
    make_asset(name="Open park", kind="park", zip_code="02116")
    secret = make_asset(name="Parent circle", zip_code="02116", visibility="members")
    centre = geo.zip_place("02111")
    assert [a.name for _m, a in selectors.search(centre, radius=5)] == ["Open park"]
    both = [a.name for _m, a in selectors.search(centre, radius=5, include_members=True)]
    assert both == ["Open park", "Parent circle"]
    assert secret not in selectors.public_assets()

    from django.contrib.auth.models import AnonymousUser

    outsider = f.make_user("nobody@example.org")
    member = f.make_member(f.make_org(), "viewer")
    staff = f.make_user("staff@hope.example.org", is_network_staff=True)
    assert not selectors.sees_members_only(AnonymousUser())
    assert not selectors.sees_members_only(outsider)
    assert selectors.sees_members_only(member)
    assert selectors.sees_members_only(staff)


def test_filters_by_building_block_and_kind() -> None:
    make_asset(name="Library", kind="library", zip_code="02116", blocks=["engagement"])
    make_asset(name="Park", kind="park", zip_code="02139", blocks=["environment"])
    centre = geo.zip_place("02111")
    assert [a.name for _m, a in selectors.search(centre, radius=5, blocks=["environment"])] == [
        "Park"
    ]
    assert [a.name for _m, a in selectors.search(centre, radius=5, kind="library")] == ["Library"]


def test_nearby_assets_for_the_visit_guide(boston: dict[str, CommunityAsset]) -> None:
    found = selectors.nearby_assets("02111", radius=10, limit=2)
    assert [a.zip_code for _m, a in found] == ["02116", "02139"]
    assert found[0][0] == pytest.approx(BY_HAND["02116"])
    assert selectors.nearby_assets("02111", blocks=["emotional_growth"]) == []
    with pytest.raises(geo.ZipError):
        selectors.nearby_assets("00000")
    with pytest.raises(geo.ZipError):
        selectors.nearby_assets("Boston")


def test_the_nearby_partial_renders_for_the_visit_guide(
    boston: dict[str, CommunityAsset],
) -> None:
    from django.template.loader import render_to_string

    html = render_to_string(
        "assets/_nearby.html",
        {
            "nearby": selectors.nearby_assets("02111", radius=5, limit=3),
            "nearby_zip": "02111",
            "nearby_keep": {"band": "0-2"},
        },
    )
    assert html.count("<li>") == 2
    assert "0.7 miles away" in html
    assert 'name="band" value="0-2"' in html
