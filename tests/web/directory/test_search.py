"""The trainer search: by ZIP code and radius, checked against distances computed here by hand
(haversine) for a fixed list of ZIP codes, the edge of the radius included; filters; who
never appears; the messages for a bad ZIP code; paging; no email or phone on any page."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest
from django.test import Client

from hopeful import geo
from hopeful.framework.certification import State, Tier
from hopeful.web.certification.models import Certification
from hopeful.web.directory import selectors
from tests.web.directory.helpers import (
    TODAY,
    certify,
    fixed_time,  # noqa: F401 - autouse: the tests run at NOW
    organization_listing,
    person_listing,
)

pytestmark = pytest.mark.django_db

#: The Earth's mean radius in statute miles (IUGG: 6,371.0088 km).
R = 3958.7613
#: Boston's downtown ZIP code and its centroid (the zipcodes package's USPS data).
CENTRE = ("02111", 42.3503, -71.0629)
#: (ZIP code, latitude, longitude) of the listings around it.
ZIPS = [
    ("02139", 42.3647, -71.1042),  # Cambridge
    ("01901", 42.4612, -70.9467),  # Lynn
    ("01801", 42.4829, -71.1574),  # Woburn
    ("02301", 42.0794, -71.0400),  # Brockton
    ("02703", 41.9296, -71.3009),  # Attleboro
    ("02532", 41.7455, -70.5905),  # Buzzards Bay
    ("01002", 42.3671, -72.4646),  # Amherst
]


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * R * math.asin(math.sqrt(a))


def north_of(lat: float, miles: float) -> float:
    """The latitude ``miles`` due north (along a meridian)."""
    return lat + math.degrees(miles / R)


def east_of(lat: float, lon: float, miles: float) -> float:
    """The longitude ``miles`` away on the same latitude (solving the haversine for it)."""
    return lon + math.degrees(
        2 * math.asin(math.sin(miles / (2 * R)) / math.cos(math.radians(lat)))
    )


def names(content: str) -> list[str]:
    return re.findall(r'<h3><a href="/(?:es/)?trainers/[0-9a-f-]+/">([^<]+)</a></h3>', content)


@pytest.fixture
def around_boston() -> dict[str, float]:
    """One trainer at each ZIP code of :data:`ZIPS`, and four at the edge of 25 miles:
    just inside and just beyond, due north and due east. Returns each name's distance."""
    _zip, lat, lon = CENTRE
    distances = {}
    for zip_code, zlat, zlon in ZIPS:
        place = geo.zip_place(zip_code)
        assert (place.latitude, place.longitude) == (zlat, zlon)
        person_listing(f"Trainer {zip_code}", zip_code)
        distances[f"Trainer {zip_code}"] = haversine(lat, lon, zlat, zlon)
    edges = {
        "Edge north": (north_of(lat, 25 - 1e-6), lon),
        "Beyond north": (north_of(lat, 25.01), lon),
        "Edge east": (lat, east_of(lat, lon, 25 - 1e-6)),
        "Beyond east": (lat, east_of(lat, lon, 25.01)),
    }
    for name, point in edges.items():
        person_listing(name, "02111", point=point)
        distances[name] = haversine(lat, lon, *point)
    assert distances["Edge north"] <= 25 < distances["Beyond north"]
    assert distances["Edge east"] <= 25 < distances["Beyond east"]
    return distances


@pytest.mark.parametrize("radius", geo.RADII)
def test_the_results_are_those_within_the_radius_nearest_first(
    around_boston: dict[str, float], radius: int
) -> None:
    expected = sorted((miles, name) for name, miles in around_boston.items() if miles <= radius)
    hits = selectors.trainers_search(selectors.Search(place=geo.zip_place("02111"), radius=radius))
    assert [h.listing.display_name for h in hits] == [name for _miles, name in expected]
    for hit, (miles, _name) in zip(hits, expected, strict=True):
        assert hit.miles == pytest.approx(miles, abs=1e-9)


def test_the_edge_of_the_radius_is_included(around_boston: dict[str, float]) -> None:
    found = [
        h.listing.display_name
        for h in selectors.trainers_search(selectors.Search(place=geo.zip_place("02111")))
    ]
    assert "Edge north" in found
    assert "Edge east" in found
    assert "Beyond north" not in found
    assert "Beyond east" not in found


def test_the_page_shows_the_results_with_their_distance(
    client: Client, around_boston: dict[str, float]
) -> None:
    response = client.get("/trainers/?zip=02111&radius=10")
    assert response.status_code == 200
    content = response.content.decode()
    expected = sorted((m, n) for n, m in around_boston.items() if m <= 10)
    assert names(content) == [n for _m, n in expected]
    assert f"{around_boston['Trainer 02139']:.1f} miles" in content
    assert (
        f"{len(expected)} trainers and organizations within 10 miles of 02111 (Boston, MA)"
        in content
    )
    assert "HOPE Facilitator" in content
    assert "Cambridge, MA" in content


def test_a_search_is_linkable_with_every_filter(client: Client) -> None:
    person_listing("Ana Spanish", "02139", languages=["en", "es"], virtual=False)
    person_listing("Ben English", "02139", sectors=["education"], in_person=False)
    organization_listing("Harbor Family Center", "01901")
    response = client.get(
        "/trainers/?zip=02111&radius=25&language=es&sector=&modality=in_person&kind=both"
    )
    assert names(response.content.decode()) == ["Ana Spanish", "Harbor Family Center"]
    for query, expected in (
        ("language=es", ["Ana Spanish", "Harbor Family Center"]),
        ("language=fr", []),
        ("sector=education", ["Ben English"]),
        ("sector=community", ["Harbor Family Center"]),
        ("modality=virtual", ["Ben English", "Harbor Family Center"]),
        ("modality=in_person", ["Ana Spanish", "Harbor Family Center"]),
        ("kind=person", ["Ana Spanish", "Ben English"]),
        ("kind=organization", ["Harbor Family Center"]),
    ):
        found = names(client.get(f"/trainers/?zip=02111&{query}").content.decode())
        assert sorted(found) == sorted(expected), query


def test_the_count_says_trainers_when_only_trainers_are_asked_for(client: Client) -> None:
    person_listing("Ana", "02139")
    person_listing("Ben", "02139")
    content = client.get("/trainers/?zip=02111&kind=person").content.decode()
    assert "2 trainers within 25 miles of 02111 (Boston, MA)" in content
    content = client.get("/trainers/?zip=02111&kind=organization").content.decode()
    assert "0 organizations within 25 miles of 02111 (Boston, MA)" in content
    assert "Nobody listed matches this search." in content


def test_the_tiers_held_are_shown(client: Client) -> None:
    listing = person_listing("Carmen Champion", "02139")
    certify(user=listing.user, tier=Tier.CHAMPION)
    organization_listing("Maple Pediatrics", "02139")
    content = client.get("/trainers/?zip=02111").content.decode()
    assert "HOPE Champion, HOPE Facilitator" in content
    assert "HOPE-informed organization" in content


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2111", "Enter a 5-digit ZIP code, for example 02111."),
        ("abcde", "Enter a 5-digit ZIP code, for example 02111."),
        ("021111", "Enter a 5-digit ZIP code, for example 02111."),
        ("00000", "We don&#x27;t know the ZIP code 00000. Check it and try again."),
        ("99999", "We don&#x27;t know the ZIP code 99999. Check it and try again."),
    ],
)
def test_a_bad_zip_code_gets_a_clear_message_not_a_list(
    client: Client, value: str, message: str
) -> None:
    person_listing("Ana", "02139")
    response = client.get(f"/trainers/?zip={value}")
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "within" not in content
    assert names(content) == []


def test_a_zip_plus_four_is_accepted(client: Client) -> None:
    person_listing("Ana", "02139")
    assert names(client.get("/trainers/?zip=02111-1234").content.decode()) == ["Ana"]


def test_without_a_zip_code_the_page_introduces_the_directory(client: Client) -> None:
    person_listing("Ana", "02139")
    person_listing("Ben", "01002", opted_in=False)
    response = client.get("/trainers/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "1 trainer or organization is listed in the directory." in content
    assert names(content) == []
    assert 'name="zip"' in content


@pytest.mark.parametrize(
    "case", ["expired_by_date", "expired", "suspended", "revoked", "opted_out", "inactive", "none"]
)
def test_who_is_never_listed(client: Client, case: str) -> None:
    listing = person_listing("Hidden Person", "02139", tier=None)
    user = listing.user
    if case == "expired_by_date":
        certify(user=user, valid_until=TODAY - dt.timedelta(days=1))
    elif case in ("expired", "suspended", "revoked"):
        certify(user=user, state=State(case))
    elif case == "opted_out":
        certify(user=user)
        listing.opted_in = False
        listing.save()
    elif case == "inactive":
        certify(user=user)
        user.is_active = False
        user.save()
    visible = person_listing("Visible Person", "02139")
    assert names(client.get("/trainers/?zip=02111").content.decode()) == ["Visible Person"]
    assert client.get(f"/trainers/{listing.public_id}/").status_code == 404
    assert client.get(f"/trainers/{visible.public_id}/").status_code == 200
    assert selectors.listed_count() == 1


def test_a_certification_valid_until_today_is_still_listed(client: Client) -> None:
    listing = person_listing("Last Day", "02139", tier=None)
    certify(user=listing.user, state=State.EXPIRING, valid_until=TODAY)
    assert names(client.get("/trainers/?zip=02111").content.decode()) == ["Last Day"]


@pytest.mark.parametrize("state", [State.EXPIRED, State.SUSPENDED, State.REVOKED])
def test_an_organization_without_a_valid_certification_is_not_listed(
    client: Client, state: State
) -> None:
    listing = organization_listing("Lakeside Clinic", "02139", certified=False)
    certify(organization=listing.organization, state=state)
    assert names(client.get("/trainers/?zip=02111").content.decode()) == []
    assert client.get(f"/trainers/{listing.public_id}/").status_code == 404


def test_results_are_paged_keeping_the_search(client: Client) -> None:
    for n in range(23):
        person_listing(f"Trainer {n:02d}", "02139", email=f"t{n}@example.org")
    first = client.get("/trainers/?zip=02111&radius=10&language=en").content.decode()
    assert len(names(first)) == 20
    assert "zip=02111&amp;radius=10&amp;language=en&amp;page=2" in first
    second = client.get("/trainers/?zip=02111&radius=10&language=en&page=2").content.decode()
    assert len(names(second)) == 3
    assert "Page 2 of 2" in second


def test_the_search_costs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries
) -> None:
    for n in range(15):
        person_listing(f"Trainer {n:02d}", "02139", email=f"t{n}@example.org")
    client.get("/trainers/?zip=02111")  # the site's menu is cached after the first page
    with django_assert_max_num_queries(6):
        client.get("/trainers/?zip=02111")


def test_no_email_or_phone_on_the_pages(client: Client) -> None:
    listing = person_listing("Ana Rivera", "02139", email="ana.private@example.org")
    org_listing = organization_listing("Harbor Family Center", "01901")
    org_listing.organization.network_member = True
    org_listing.organization.save()
    pages = [
        "/trainers/",
        "/trainers/?zip=02111",
        f"/trainers/{listing.public_id}/",
        f"/trainers/{org_listing.public_id}/",
        "/network/members/",
        f"/network/members/{org_listing.organization.public_id}/",
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert "ana.private@example.org" not in content, url
        assert "mailto:" not in content, url
        assert "tel:" not in content, url
        assert not re.search(r"\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}", content), url


def test_the_detail_page_of_an_organization(client: Client) -> None:
    listing = organization_listing(
        "Harbor Family Center", "01901", website="https://harbor.example.org", about="We help."
    )
    content = client.get(f"/trainers/{listing.public_id}/").content.decode()
    assert "HOPE-informed intake forms." in content
    assert "https://harbor.example.org" in content
    assert "We help." in content
    assert "Lynn, MA" in content


def test_the_spanish_page_renders(client: Client) -> None:
    listing = person_listing("Ana", "02139")
    response = client.get("/es/trainers/?zip=02111")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="es">' in content
    assert names(content) == ["Ana"]
    assert f'href="/es/trainers/{listing.public_id}/"' in content
    assert client.get(f"/es/trainers/{listing.public_id}/").status_code == 200


def test_an_unknown_listing_is_404(client: Client) -> None:
    assert client.get("/trainers/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert not Certification.objects.exists()
