"""The public map and an asset's page: the search form's messages, the SVG sketch with one
numbered point per result, members-only assets for members only, archived ones never, and
who recorded an asset never shown."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from hopeful.web.assets import services
from tests.web import factories as f
from tests.web.assets.helpers import make_asset

pytestmark = pytest.mark.django_db


def _points(html: str) -> int:
    return html.count('class="strengths-map__point"')


def test_an_empty_search_shows_the_form(client: Client) -> None:
    response = client.get("/strengths/")
    assert response.status_code == 200
    assert 'name="zip"' in response.content.decode()
    assert "strengths-map" not in response.content.decode()


@pytest.mark.parametrize(
    ("zip_code", "words"),
    [
        ("2111", "Enter a 5-digit ZIP code, for example 02111."),
        ("boston", "Enter a 5-digit ZIP code, for example 02111."),
        ("", "Enter a 5-digit ZIP code, for example 02111."),
        ("00000", "We don&#x27;t know the ZIP code 00000. Check it and try again."),
    ],
)
def test_a_bad_zip_code_gets_a_clear_message(client: Client, zip_code: str, words: str) -> None:
    make_asset()
    response = client.get("/strengths/", {"zip": zip_code, "radius": 25})
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html
    assert "error-summary" in html
    assert "strengths-map" not in html


def test_the_map_has_a_numbered_point_per_result_and_distances(client: Client) -> None:
    make_asset(name="Back Bay Library", zip_code="02116")
    make_asset(name="Cambridge Park", kind="park", zip_code="02139", blocks=["environment"])
    make_asset(name="Second Library", zip_code="02116")
    make_asset(name="Far Away Center", zip_code="87102")
    response = client.get("/strengths/", {"zip": "02111", "radius": 5})
    assert response.status_code == 200
    html = response.content.decode()
    svg = re.search(r"<svg[^>]*>", html)
    assert svg is not None
    assert 'role="img"' in svg.group(0)
    assert 'aria-labelledby="strengths-map-title strengths-map-desc"' in svg.group(0)
    assert '<title id="strengths-map-title">' in html
    assert '<desc id="strengths-map-desc">' in html
    assert _points(html) == 3
    assert "Far Away Center" not in html
    # nearest first (ties by name), with the distance shown
    assert html.index("Back Bay Library") < html.index("Second Library")
    assert html.index("Second Library") < html.index("Cambridge Park")
    assert "0.7 miles away" in html
    assert "2.3 miles away" in html
    filtered = client.get("/strengths/", {"zip": "02111", "radius": 5, "block": "environment"})
    assert _points(filtered.content.decode()) == 1


def test_no_result_is_an_empty_state(client: Client) -> None:
    response = client.get("/strengths/", {"zip": "87102", "radius": 5})
    assert response.status_code == 200
    assert "No places are recorded in this area yet." in response.content.decode()


def test_members_only_assets_are_for_members(client: Client) -> None:
    make_asset(name="Open Park", kind="park", zip_code="02116")
    secret = make_asset(name="Parent Circle", zip_code="02116", visibility="members")
    query = {"zip": "02111", "radius": 5}
    detail = f"/strengths/{secret.public_id}/"

    anonymous = client.get("/strengths/", query).content.decode()
    assert "Open Park" in anonymous
    assert "Parent Circle" not in anonymous
    assert client.get(detail).status_code == 404

    client.force_login(f.make_user("nobody@example.org"))
    assert "Parent Circle" not in client.get("/strengths/", query).content.decode()
    assert client.get(detail).status_code == 404

    member = Client()
    member.force_login(f.make_member(f.make_org(), "viewer"))
    response = member.get("/strengths/", query)
    html = response.content.decode()
    assert "Parent Circle" in html
    assert "Members only" in html
    assert _points(html) == 2
    assert "private" in response["Cache-Control"]
    assert member.get(detail).status_code == 200

    staff = Client()
    staff.force_login(f.make_user("staff@hope.example.org", is_network_staff=True))
    assert "Parent Circle" in staff.get("/strengths/", query).content.decode()


def test_archived_assets_are_never_shown(client: Client) -> None:
    asset = make_asset(name="Closed Pool", zip_code="02116")
    services.asset_archive(asset=asset, actor=None)
    member = f.make_member(f.make_org(), "org_admin")
    client.force_login(member)
    assert "Closed Pool" not in client.get("/strengths/", {"zip": "02111"}).content.decode()
    assert client.get(f"/strengths/{asset.public_id}/").status_code == 404


def test_the_detail_page_never_shows_who_recorded_it(client: Client) -> None:
    org = f.make_org("Sunrise Pediatrics")
    recorder = f.make_member(org, "practitioner", "pat.recorder@example.org")
    recorder.display_name = "Pat Recorder"
    recorder.save()
    asset = make_asset(org, recorder, name="Riverside Community Library")
    response = client.get(f"/strengths/{asset.public_id}/", {"zip": "02111", "radius": "5"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Riverside Community Library" in html
    assert "Cambridge" not in html
    for secret in ("Pat Recorder", "pat.recorder", "Sunrise Pediatrics"):
        assert secret not in html
    assert "/strengths/?zip=02111&amp;radius=5" in html
    assert client.get("/strengths/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_pages_render_in_spanish(client: Client) -> None:
    asset = make_asset(name="Biblioteca Riverside", blocks=["relationships"])
    response = client.get("/es/strengths/", {"zip": "02111", "radius": 5})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Relaciones" in html  # the building block's Spanish name
    assert _points(html) == 1
    detail = client.get(f"/es/strengths/{asset.public_id}/")
    assert detail.status_code == 200
    assert "Relaciones" in detail.content.decode()
    bad = client.get("/es/strengths/", {"zip": "nope"})
    assert bad.status_code == 400


def test_the_map_costs_a_bounded_number_of_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    for n in range(12):
        make_asset(name=f"Place {n}", zip_code="02116" if n % 2 else "02139")
    client.force_login(f.make_member(f.make_org(), "viewer"))
    client.get("/strengths/", {"zip": "02111"})  # the site menu is cached after this
    with django_assert_max_num_queries(8):
        response = client.get("/strengths/", {"zip": "02111", "radius": 25})
    assert _points(response.content.decode()) == 12
