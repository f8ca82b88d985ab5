"""Who reaches the workspace: researchers and org admins of the organization (200), other
roles (403), members of another organization (404 for every object URL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hopeful.web.organizations.models import Role
from hopeful.web.workspace.models import Analysis, ResearchFile, Status
from tests.web import factories as f
from tests.web.workspace.helpers import SPEC, as_member, url

pytestmark = pytest.mark.django_db

RESULTS = {
    "provenance": {"spec": "spec.toml", "data": "x.sav", "hopeful_version": "0"},
    "variable_labels": {"WTKG3": "Weight"},
    "estimates": [
        {
            "id": "weight",
            "kind": "mean",
            "variable": "WTKG3",
            "domain": "",
            "level": "",
            "estimate": 80.5,
            "se": 0.5,
            "ci_low": 79.5,
            "ci_high": 81.5,
            "df": 10.0,
            "n": 100,
            "deff": 1.2,
            "flags": "",
        }
    ],
    "models": [],
    "tests": [],
}


def make(t: dict[str, Any]) -> tuple[ResearchFile, Analysis]:
    org = t["org_a"]
    file = ResearchFile.objects.create(
        organization=org,
        uploaded_by=t["members_a"][Role.RESEARCHER],
        name="x.sav",
        format="sav",
        suffix=".sav",
        sha256="0" * 64,
        status=Status.DONE,
        rows=100,
        columns=[
            {
                "name": "WTKG3",
                "label": "Weight",
                "numeric": True,
                "missing": 0,
                "value_labels": 0,
                "examples": [],
            }
        ],
    )
    analysis = Analysis.objects.create(
        organization=org,
        file=file,
        spec_text=SPEC,
        spec_sha256="1" * 64,
        status=Status.DONE,
        results=RESULTS,
        levels={"weight": 0.95},
    )
    return file, analysis


def object_urls(org: Any, file: ResearchFile, analysis: Analysis) -> list[str]:
    return [
        url("file_detail", org, file.public_id),
        url("file_delete", org, file.public_id),
        url("analysis_new", org, file.public_id),
        url("analysis_detail", org, analysis.public_id),
        *[
            url("analysis_download", org, analysis.public_id, kind)
            for kind in ("csv", "models-csv", "tests-csv", "xlsx", "json", "html", "toml")
        ],
    ]


def page_urls(org: Any) -> list[str]:
    return [url("home", org), url("upload", org), url("analysis_choose", org)]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.PRACTITIONER, Role.VIEWER])
def test_other_roles_are_refused(client: Client, two_tenants: dict[str, Any], role: str) -> None:
    t = two_tenants
    file, analysis = make(t)
    as_member(client, t["members_a"][role])
    for address in page_urls(t["org_a"]) + object_urls(t["org_a"], file, analysis):
        assert client.get(address).status_code == 403, address
        assert client.post(address).status_code == 403, address
    assert client.post(url("example", t["org_a"])).status_code == 403
    assert ResearchFile.objects.filter(pk=file.pk).exists()
    assert ResearchFile.objects.count() == 1


@pytest.mark.parametrize("role", [Role.RESEARCHER, Role.ORG_ADMIN])
def test_researchers_and_admins_see_every_page(
    client: Client, two_tenants: dict[str, Any], role: str
) -> None:
    t = two_tenants
    file, analysis = make(t)
    as_member(client, t["members_a"][role])
    for address in page_urls(t["org_a"]) + object_urls(t["org_a"], file, analysis):
        response = client.get(address)
        assert response.status_code == 200, address
        assert response["Cache-Control"] == "no-store", address


def test_another_organizations_files_and_analyses_are_404(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    file, analysis = make(t)
    for role in (Role.RESEARCHER, Role.ORG_ADMIN):
        as_member(client, t["members_b"][role])
        # through their own organization's URLs, and through organization A's
        for org in (t["org_b"], t["org_a"]):
            for address in object_urls(org, file, analysis):
                assert client.get(address).status_code == 404, (role, address)
                if address.endswith(("/delete/", "/analyses/new/")):  # the views that take POST
                    assert client.post(address).status_code == 404, (role, address)
        for address in page_urls(t["org_a"]):
            assert client.get(address).status_code == 404, address
        assert client.post(url("example", t["org_a"])).status_code == 404
        home = client.get(url("home", t["org_b"])).content.decode()
        assert "x.sav" not in home
    assert ResearchFile.objects.filter(pk=file.pk).exists()


def test_a_file_is_deleted_by_its_uploader_or_an_admin_only(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    file, _analysis = make(t)
    colleague = f.make_member(t["org_a"], Role.RESEARCHER, "colleague@a.example.org")
    as_member(client, colleague)
    detail = client.get(url("file_detail", t["org_a"], file.public_id)).content.decode()
    assert url("file_delete", t["org_a"], file.public_id) not in detail
    assert client.get(url("file_delete", t["org_a"], file.public_id)).status_code == 403
    assert client.post(url("file_delete", t["org_a"], file.public_id)).status_code == 403
    assert ResearchFile.objects.filter(pk=file.pk).exists()
    # the uploader sees the link
    as_member(client, t["members_a"][Role.RESEARCHER])
    detail = client.get(url("file_detail", t["org_a"], file.public_id)).content.decode()
    assert url("file_delete", t["org_a"], file.public_id) in detail


def test_the_analysis_page_shows_the_stored_results(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    _, analysis = make(t)
    as_member(client, t["members_a"][Role.RESEARCHER])
    page = client.get(url("analysis_detail", t["org_a"], analysis.public_id)).content.decode()
    assert "weight: mean of WTKG3 (Weight)" in page
    assert "79.5000 – 81.5000" in page
    assert "1.20" in page  # the design effect


def test_nchs_flags_are_said_in_words() -> None:
    from hopeful.web.workspace.presenters import flag_words

    words = flag_words("suppress: effective sample size 12 is below 30") + flag_words(
        "fewer than 8 degrees of freedom: statistical review; estimate is 0% or 100%: statistical review"
    )
    assert words[0] == (
        "Not presented under the NCHS standard for proportions: effective sample size 12 is "
        "below 30."
    )
    assert words[1].startswith("Few degrees of freedom")
    assert words[2].startswith("The estimate is 0% or 100%")


def test_the_home_page_makes_the_same_queries_for_many_files(
    client: Client, two_tenants: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    t = two_tenants
    as_member(client, t["members_a"][Role.RESEARCHER])
    make(t)
    with django_assert_max_num_queries(100) as few:
        client.get(url("home", t["org_a"]))
    for _ in range(5):
        make(t)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("home", t["org_a"])).status_code == 200
