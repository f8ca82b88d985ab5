"""The Innovation Network's public directory: only network members, with their state,
sector, what they implement and their certification (valid ones only: a suspended or
revoked certification shows as "not certified yet", never with its reason)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from hopeful.framework.certification import State
from hopeful.web.directory.models import Listing, ListingKind
from tests.web import factories as f
from tests.web.directory.helpers import (
    TODAY,
    certify,
    fixed_time,  # noqa: F401 - autouse: the tests run at NOW
)

pytestmark = pytest.mark.django_db


def member_names(content: str) -> list[str]:
    return re.findall(
        r'<h3><a href="/(?:es/)?network/members/[0-9a-f-]+/">([^<]+)</a></h3>', content
    )


@pytest.fixture
def network() -> dict[str, object]:
    lakeside = f.make_org("Lakeside Pediatrics", state="WI", kind="clinic", network_member=True)
    certify(organization=lakeside, valid_until=dt.date(2028, 6, 30))
    Listing.objects.create(
        kind=ListingKind.ORGANIZATION,
        organization=lakeside,
        display_name="Lakeside Pediatrics",
        zip_code="53703",
        implements="HOPE in well-child visits.",
        opted_in=False,
    )
    mesa = f.make_org("Mesa Family Center", state="NM", kind="community", network_member=True)
    suspended = f.make_org("Pine Hill Schools", state="WI", kind="school", network_member=True)
    certify(organization=suspended, state=State.SUSPENDED)
    suspended_cert = suspended.certifications.get()
    suspended_cert.reason = "Complaint under review (secret)."
    suspended_cert.save()
    expired = f.make_org("Harbor Clinic", state="MA", kind="clinic", network_member=True)
    certify(organization=expired, valid_until=TODAY - dt.timedelta(days=1))
    outsider = f.make_org("Not In The Network", state="WI", network_member=False)
    certify(organization=outsider)
    return {"lakeside": lakeside, "mesa": mesa, "suspended": suspended, "outsider": outsider}


def test_only_network_members_are_shown(client: Client, network: dict) -> None:
    response = client.get("/network/members/")
    assert response.status_code == 200
    content = response.content.decode()
    assert member_names(content) == [
        "Harbor Clinic",
        "Lakeside Pediatrics",
        "Mesa Family Center",
        "Pine Hill Schools",
    ]
    assert "4 members" in content
    outsider = network["outsider"]
    assert client.get(f"/network/members/{outsider.public_id}/").status_code == 404
    assert client.get("/network/members/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_certification_status_shows_only_valid_ones(client: Client, network: dict) -> None:
    content = client.get("/network/members/").content.decode()
    assert "HOPE-informed organization, certified until June 30, 2028" in content
    assert content.count("Not certified yet") == 3
    assert "secret" not in content
    assert "Suspended" not in content
    page = client.get(f"/network/members/{network['suspended'].public_id}/").content.decode()
    assert "Not certified yet" in page
    assert "secret" not in page


def test_a_members_page(client: Client, network: dict) -> None:
    lakeside = network["lakeside"]
    content = client.get(f"/network/members/{lakeside.public_id}/").content.decode()
    assert "Lakeside Pediatrics" in content
    assert "HOPE in well-child visits." in content
    assert "Wisconsin" in content
    assert "Pediatric or family clinic" in content
    # its listing is not opted in: no way to write to it from here
    assert "/trainers/" not in re.sub(
        r"<header.*?</header>|<footer.*?</footer>", "", content, flags=re.S
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=WI", ["Lakeside Pediatrics", "Pine Hill Schools"]),
        ("state=NM", ["Mesa Family Center"]),
        ("sector=clinic", ["Harbor Clinic", "Lakeside Pediatrics"]),
        ("state=WI&sector=school", ["Pine Hill Schools"]),
        ("state=TX", []),
        (
            "state=ZZ",
            ["Harbor Clinic", "Lakeside Pediatrics", "Mesa Family Center", "Pine Hill Schools"],
        ),
    ],
)
def test_the_filters(client: Client, network: dict, query: str, expected: list[str]) -> None:
    response = client.get(f"/network/members/?{query}")
    assert response.status_code == 200
    assert member_names(response.content.decode()) == expected


def test_the_spanish_pages_render(client: Client, network: dict) -> None:
    response = client.get("/es/network/members/")
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()
    lakeside = network["lakeside"]
    assert client.get(f"/es/network/members/{lakeside.public_id}/").status_code == 200
