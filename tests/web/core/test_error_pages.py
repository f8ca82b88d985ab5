"""The designed error pages (400, 403, 404, 500, a refused form): on the site's layout, in the
URL's language, saying what happened and offering a way back, and never telling an outsider
what exists. The browser test (tests/e2e/test_error_pages.py) looks at them in Chromium."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hopeful.web.organizations.models import Role, SupportGrant
from tests.web import factories as f

pytestmark = pytest.mark.django_db


def _signed_in(user: Any) -> Client:
    client = Client()
    f.login_verified(client, user)
    return client


def _text(response: Any) -> str:
    return response.content.decode()


# -- 404 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/es"])
@pytest.mark.parametrize(
    "path",
    [
        "/orgs/{org}/",
        "/orgs/{org}/dashboard/",
        "/orgs/{org}/members/",
        "/orgs/{org}/campaigns/",
        "/orgs/{org}/reports/",
        "/orgs/{org}/audit/",
        "/orgs/{org}/families/{family}/",
    ],
)
def test_another_organizations_object_gets_the_same_bytes_as_a_made_up_one(
    two_tenants: dict[str, Any], prefix: str, path: str
) -> None:
    t = two_tenants
    client = _signed_in(t["members_a"]["org_admin"])
    real = prefix + path.format(org=t["org_b"].public_id, family=t["family_b"].public_id)
    made_up = prefix + path.format(org=uuid.uuid4(), family=uuid.uuid4())
    first, second = client.get(real), client.get(made_up)
    assert first.status_code == second.status_code == 404
    assert first.content == second.content
    assert t["org_b"].name not in _text(first)


def test_the_404_page_has_the_layout_and_a_way_back(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    response = _signed_in(t["members_a"]["viewer"]).get("/no/such/page/")
    text = _text(response)
    assert response.status_code == 404
    assert 'class="site-header"' in text
    assert '<html lang="en">' in text
    assert "Page not found" in text
    assert f'href="/orgs/{t["org_a"].public_id}/"' in text  # their organization, by name
    assert t["org_a"].name in text
    assert t["org_b"].name not in text
    assert "csrfmiddlewaretoken" not in text  # nothing that changes per request


def test_the_404_page_in_spanish_offers_sign_in_to_visitors(client: Client) -> None:
    response = client.get("/es/no-existe/")
    text = _text(response)
    assert response.status_code == 404
    assert '<html lang="es">' in text
    assert "Página no encontrada" in text
    assert 'href="/es/accounts/login/"' in text
    assert 'href="/"' in text  # the English home page, in the language switch


# -- 403 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "needs", "yours", "admins"),
    [
        ("", "This page is for", "Analyst (aggregates only)", "can change your role"),
        ("/es", "Esta página es para", "Analista (solo totales)", "puede cambiar su rol"),
    ],
)
def test_a_member_without_the_role_is_told_which_role_and_who_can_grant_it(
    two_tenants: dict[str, Any], prefix: str, needs: str, yours: str, admins: str
) -> None:
    t = two_tenants
    admin = t["members_a"]["org_admin"]
    admin.display_name = "Ana Admin"
    admin.save()
    client = _signed_in(t["members_a"]["analyst"])
    response = client.get(f"{prefix}/orgs/{t['org_a'].public_id}/members/")
    text = _text(response)
    assert response.status_code == 403
    assert 'class="site-header"' in text
    assert needs in text
    assert yours in text
    assert admins in text
    assert "Ana Admin" in text
    assert f'href="{prefix}/orgs/{t["org_a"].public_id}/"' in text  # back to the organization


def test_an_outsider_gets_404_not_the_403_page(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    client = _signed_in(t["members_b"]["analyst"])
    response = client.get(f"/orgs/{t['org_a'].public_id}/members/")
    assert response.status_code == 404
    assert t["members_a"]["org_admin"].email not in _text(response)


def test_support_access_is_told_it_only_looks(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    staff = f.make_user("helper@hope.example.org", is_network_staff=True)
    SupportGrant.objects.create(
        staff=staff,
        organization=t["org_a"],
        granted_by=t["members_a"]["org_admin"],
        reason="set-up help",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    client = _signed_in(staff)
    response = client.get(f"/orgs/{t['org_a'].public_id}/members/invite/")
    text = _text(response)
    assert response.status_code == 403
    assert "support access" in text
    assert "not change who has access" in text
    assert t["members_a"]["org_admin"].email in text  # the admin who can make the change


def test_the_network_page_tells_others_it_is_for_network_staff(
    two_tenants: dict[str, Any],
) -> None:
    client = _signed_in(two_tenants["members_a"]["org_admin"])
    response = client.get("/network/")
    text = _text(response)
    assert response.status_code == 403
    assert "network&#x27;s staff" in text or "network's staff" in text
    assert 'href="/orgs/"' in text


# -- 400 and 500 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "words"), [("", "could not be read"), ("/es", "No se pudo leer")]
)
def test_a_bad_request_gets_the_400_page(client: Client, prefix: str, words: str) -> None:
    response = client.get(f"{prefix}/", HTTP_HOST="not-this-site.example")
    text = _text(response)
    assert response.status_code == 400
    assert 'class="site-header"' in text
    assert words in text


@pytest.mark.parametrize(
    ("prefix", "lang", "words"), [("", "en", "went wrong"), ("/es", "es", "Algo")]
)
def test_a_server_error_gets_the_500_page_without_the_database(
    monkeypatch: pytest.MonkeyPatch, prefix: str, lang: str, words: str
) -> None:
    from django.db import connections

    from hopeful.web.core import views

    def broken(**_: Any) -> Any:
        raise RuntimeError("a bug")

    def no_database(*_: Any, **__: Any) -> Any:
        raise AssertionError("the 500 page touched the database")

    monkeypatch.setattr(views, "building_blocks_for_display", broken)
    client = Client(raise_request_exception=False)
    with connections["default"].execute_wrapper(no_database):
        response = client.get(f"{prefix}/")
    text = _text(response)
    assert response.status_code == 500
    assert f'<html lang="{lang}">' in text
    assert 'class="site-header"' in text
    assert words in text
    assert response["X-Request-ID"] in text  # the reference to give support


# -- a refused form ---------------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "words"), [("", "This form has expired"), ("/es", "caducado")])
def test_a_refused_form_says_nothing_changed_and_links_back(
    two_tenants: dict[str, Any], prefix: str, words: str
) -> None:
    t = two_tenants
    client = Client(enforce_csrf_checks=True)
    f.login_verified(client, t["members_a"]["org_admin"])
    page = f"http://testserver{prefix}/orgs/{t['org_a'].public_id}/members/invite/"
    before = t["org_a"].invitations.count()
    response = client.post(page, {"email": "x@example.org", "role": Role.VIEWER}, HTTP_REFERER=page)
    text = _text(response)
    assert response.status_code == 403
    assert words in text
    assert f'href="{page}"' in text
    assert t["org_a"].invitations.count() == before
