"""The strengths map page: filled in at a visit, each save a new version, earlier versions side
by side; an empty map or a family of another program stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hopeful.web.audit.models import AuditEvent
from hopeful.web.casework.models import StrengthsMap
from tests.web import factories as f

pytestmark = pytest.mark.django_db


def url(t: dict[str, Any], family: Any = None, prefix: str = "") -> str:
    family = family or t["family_a"]
    return f"{prefix}/orgs/{t['org_a'].public_id}/families/{family.public_id}/map/"


def signed_in(user: Any) -> Client:
    client = Client()
    f.login_verified(client, user)
    return client


def test_saving_the_map_twice_makes_two_versions_shown_side_by_side(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    client = signed_in(t["members_a"]["practitioner"])
    page = client.get(url(t))
    assert page.status_code == 200
    assert "No map yet" in page.content.decode()
    first = client.post(
        url(t),
        {
            "relationships-strengths": "Big sister reads to him",
            "environment-barriers": ["transport"],
        },
    )
    assert first.status_code == 302
    second = client.post(
        url(t),
        {
            "relationships-strengths": "Big sister reads to him; Sunday walks with dad",
            "environment-barriers": ["transport", "safe_play"],
            "environment-next_steps": "Ask about the library bus",
        },
        follow=True,
    )
    text = second.content.decode()
    assert "Version 2 of the map is saved." in text
    assert "Sunday walks with dad" in text  # the form starts from the latest version
    assert "Side by side" in text
    assert "(changed)" in text
    maps = StrengthsMap.objects.filter(family=t["family_a"]).order_by("version")
    assert [m.version for m in maps] == [1, 2]
    assert maps[0].content["relationships"]["strengths"] == "Big sister reads to him"
    assert maps[1].content["environment"]["barriers"] == ["transport", "safe_play"]
    assert AuditEvent.objects.filter(verb="strengths_map.create").count() == 2
    older = client.get(url(t) + "?compare=1").content.decode()
    assert "Version 2 (latest) and version 1" in older


def test_an_empty_map_is_refused_and_stores_nothing(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    client = signed_in(t["members_a"]["practitioner"])
    response = client.post(url(t), {"relationships-strengths": "   "})
    assert response.status_code == 400
    assert "The map is empty" in response.content.decode()
    assert not StrengthsMap.objects.exists()


def test_a_family_of_another_program_is_not_found(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    elsewhere = f.make_family(t["org_a"], t["other_program_a"], "North family")
    client = signed_in(t["members_a"]["practitioner"])  # sees the main site only
    assert client.get(url(t, elsewhere)).status_code == 404
    assert client.post(url(t, elsewhere), {"relationships-strengths": "x"}).status_code == 404
    assert not StrengthsMap.objects.exists()


def test_the_map_page_in_spanish(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    client = signed_in(t["members_a"]["org_admin"])
    text = client.get(url(t, prefix="/es")).content.decode()
    assert '<html lang="es">' in text
    assert "Relaciones" in text
