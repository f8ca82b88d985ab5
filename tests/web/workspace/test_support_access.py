"""Support staff (a network staff member with a support grant) look at the workspace and
help; they do not upload, add the example, start analyses, download results or delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hopeful.web.organizations.models import Role, SupportGrant
from hopeful.web.workspace.models import Analysis, ResearchFile
from tests.web import factories as f
from tests.web.test_url_inventory import research_analysis_a
from tests.web.workspace.helpers import url

pytestmark = pytest.mark.django_db


def test_support_access_looks_and_changes_nothing(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    ids = research_analysis_a(t)
    file_id = Analysis.objects.get(public_id=ids["analysis_id"]).file.public_id
    staff = f.make_user("support@hopeful.example", is_network_staff=True)
    SupportGrant.objects.create(
        staff=staff,
        organization=t["org_a"],
        granted_by=t["members_a"][Role.ORG_ADMIN],
        reason="Help with the survey file",
        expires_at=timezone.now() + dt.timedelta(hours=4),
    )
    f.login_verified(client, staff)
    org = t["org_a"]
    home = client.get(url("home", org))
    assert home.status_code == 200
    assert url("upload", org) not in home.content.decode()
    assert client.get(url("file_detail", org, file_id)).status_code == 200
    assert client.get(url("analysis_detail", org, ids["analysis_id"])).status_code == 200
    for name, args in [
        ("upload", ()),
        ("analysis_choose", ()),
        ("analysis_new", (file_id,)),
        ("analysis_download", (ids["analysis_id"], "csv")),
        ("file_delete", (file_id,)),
    ]:
        assert client.get(url(name, org, *args)).status_code == 403, name
    assert client.post(url("example", org)).status_code == 403
    assert client.post(url("file_delete", org, file_id)).status_code == 403
    assert ResearchFile.objects.count() == 1
