"""An organization's own assets (every member sees the list, org admins and practitioners
record, edit and archive; another organization's asset is 404) and the network staff's
network-wide assets (staff only, others 403). Bad input stores nothing; writes are audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hopeful.web.assets.models import CommunityAsset
from hopeful.web.audit.models import AuditEvent
from tests.web import factories as f
from tests.web.assets.helpers import form_data, make_asset

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, name in (("a", "Sunrise Pediatrics"), ("b", "Riverbend Home Visiting")):
        org = f.make_org(name)
        out[f"org_{key}"] = org
        out[f"members_{key}"] = {
            role: f.make_member(org, role, f"{role}@{key}.example.org") for role in f.ROLES
        }
        out[f"asset_{key}"] = make_asset(
            org, out[f"members_{key}"]["org_admin"], name=f"Park of {name}", kind="park"
        )
    return out


def _urls(org: Any, asset: Any) -> dict[str, str]:
    base = f"/orgs/{org.public_id}/strengths/"
    return {
        "list": base,
        "new": f"{base}new/",
        "edit": f"{base}{asset.public_id}/edit/",
        "archive": f"{base}{asset.public_id}/archive/",
    }


def _signed_in(client: Client, user: Any) -> Client:
    f.login_verified(client, user)
    return client


@pytest.mark.parametrize("role", ["org_admin", "practitioner", "analyst", "researcher", "viewer"])
def test_every_member_sees_the_list_of_their_own_organization(
    client: Client, tenants: dict[str, Any], role: str
) -> None:
    _signed_in(client, tenants["members_a"][role])
    response = client.get(_urls(tenants["org_a"], tenants["asset_a"])["list"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Park of Sunrise Pediatrics" in html
    assert "Park of Riverbend" not in html
    writes = role in ("org_admin", "practitioner")
    assert (f"{tenants['asset_a'].public_id}/edit/" in html) is writes


@pytest.mark.parametrize("role", ["analyst", "researcher", "viewer"])
@pytest.mark.parametrize("page", ["new", "edit", "archive"])
def test_other_roles_may_not_write(
    client: Client, tenants: dict[str, Any], role: str, page: str
) -> None:
    _signed_in(client, tenants["members_a"][role])
    url = _urls(tenants["org_a"], tenants["asset_a"])[page]
    response = client.post(url, form_data()) if page == "archive" else client.get(url)
    assert response.status_code == 403
    assert CommunityAsset.objects.filter(archived_at__isnull=False).count() == 0


@pytest.mark.parametrize("page", ["edit", "archive"])
def test_another_organizations_asset_is_404(
    client: Client, tenants: dict[str, Any], page: str
) -> None:
    """An admin of A, through A's own pages, reaching B's asset."""
    _signed_in(client, tenants["members_a"]["org_admin"])
    url = _urls(tenants["org_a"], tenants["asset_b"])[page]
    response = client.post(url, form_data(name="Taken over")) if page != "edit" else client.get(url)
    assert response.status_code == 404
    assert client.post(url, form_data(name="Taken over")).status_code == 404
    tenants["asset_b"].refresh_from_db()
    assert tenants["asset_b"].name == "Park of Riverbend Home Visiting"
    assert tenants["asset_b"].archived_at is None


@pytest.mark.parametrize("page", ["list", "new", "edit", "archive"])
def test_outsiders_get_404(client: Client, tenants: dict[str, Any], page: str) -> None:
    _signed_in(client, tenants["members_a"]["org_admin"])
    url = _urls(tenants["org_b"], tenants["asset_b"])[page]
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    assert CommunityAsset.objects.count() == 2


def test_a_practitioner_records_edits_and_archives(client: Client, tenants: dict[str, Any]) -> None:
    user = tenants["members_a"]["practitioner"]
    org = tenants["org_a"]
    _signed_in(client, user)
    urls = _urls(org, tenants["asset_a"])
    assert client.get(urls["new"]).status_code == 200
    response = client.post(urls["new"], form_data(name="Maple Street Youth Club"))
    assert response.status_code == 302
    asset = CommunityAsset.objects.get(name="Maple Street Youth Club")
    assert (asset.organization, asset.recorded_by, asset.city) == (org, user, "Boston")
    assert asset.languages == ["en", "es"]
    assert asset.free is True

    edit = _urls(org, asset)
    assert client.get(edit["edit"]).status_code == 200
    response = client.post(
        edit["edit"], form_data(name="Maple Street Youth Club", zip_code="02139")
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.city == "Cambridge"

    assert client.post(edit["archive"]).status_code == 302
    asset.refresh_from_db()
    assert asset.archived_at is not None
    assert client.get(edit["edit"]).status_code == 404
    assert "Maple Street" not in client.get(edit["list"]).content.decode()
    verbs = list(
        AuditEvent.objects.filter(organization=org, actor=user)
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert [v for v in verbs if v.startswith("assets.")] == [
        "assets.create",
        "assets.update",
        "assets.archive",
    ]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"blocks": []}, "Choose at least one building block."),
        ({"blocks": ["relationships", "joy"]}, "Select a valid choice."),
        ({"zip_code": "123"}, "Enter a 5-digit ZIP code, for example 02111."),
        ({"zip_code": "00000"}, "We don&#x27;t know the ZIP code 00000."),
        ({"name": "x" * 201}, "at most 200 characters"),
        ({"languages": ["xx"]}, "Select a valid choice."),
    ],
)
def test_bad_input_stores_nothing(
    client: Client, tenants: dict[str, Any], changes: dict[str, Any], words: str
) -> None:
    _signed_in(client, tenants["members_a"]["org_admin"])
    before = AuditEvent.objects.count()
    response = client.post(
        _urls(tenants["org_a"], tenants["asset_a"])["new"],
        form_data(**{"name": "New place", **changes}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert words in html
    assert CommunityAsset.objects.count() == 2
    assert AuditEvent.objects.count() == before


STAFF_PAGES = ["/staff/strengths/", "/staff/strengths/new/"]


def test_staff_pages_are_403_for_everyone_else(client: Client, tenants: dict[str, Any]) -> None:
    staff_asset = make_asset(None, None, name="Network Park")
    urls = [
        *STAFF_PAGES,
        f"/staff/strengths/{staff_asset.public_id}/edit/",
    ]
    archive = f"/staff/strengths/{staff_asset.public_id}/archive/"
    for user in (tenants["members_a"]["org_admin"], f.make_user("nobody@example.org")):
        signed_in = Client()
        _signed_in(signed_in, user)
        for url in urls:
            assert signed_in.get(url).status_code == 403, url
        assert signed_in.post(archive).status_code == 403
    anonymous = Client()
    for url in urls:
        assert anonymous.get(url).status_code in (302, 403), url
    staff_asset.refresh_from_db()
    assert staff_asset.archived_at is None


def test_network_staff_manage_network_wide_assets(client: Client, tenants: dict[str, Any]) -> None:
    staff = f.make_user("staff@hope.example.org", is_network_staff=True)
    _signed_in(client, staff)
    listing = client.get("/staff/strengths/")
    assert listing.status_code == 200
    assert "Park of Sunrise" not in listing.content.decode()  # organizations' own are theirs
    response = client.post("/staff/strengths/new/", form_data(name="Lakeside Park", kind="park"))
    assert response.status_code == 302
    asset = CommunityAsset.objects.get(name="Lakeside Park")
    assert asset.organization is None
    assert "Lakeside Park" in client.get("/staff/strengths/").content.decode()
    edit = f"/staff/strengths/{asset.public_id}/edit/"
    assert client.get(edit).status_code == 200
    assert client.post(edit, form_data(name="Lakeside Park", blocks=[])).status_code == 400
    # an organization's asset is not the staff's to edit here
    other = f"/staff/strengths/{tenants['asset_a'].public_id}/edit/"
    assert client.get(other).status_code == 404
    assert client.post(f"/staff/strengths/{asset.public_id}/archive/").status_code == 302
    asset.refresh_from_db()
    assert asset.archived_at is not None
    verbs = set(
        AuditEvent.objects.filter(actor=staff, organization=None).values_list("verb", flat=True)
    )
    assert {"assets.create", "assets.archive"} <= verbs
