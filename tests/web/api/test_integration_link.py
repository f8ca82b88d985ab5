"""Answers from other systems come in through the campaign's integration link: one per
campaign, never opened by a family, not flagged as abuse by volume, and a record another
system names gets the same client UUID in one organization and another in the next."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from hopeful.web.surveys.models import CampaignLink, LinkFlag, LinkKind
from hopeful.web.surveys.services import SubmissionPayload
from hopeful.web.surveys.services_integration import (
    external_client_uuid,
    integration_link,
    integration_submit,
)

pytestmark = pytest.mark.django_db

ANSWERS = {"pce7": {"pce1": 5, "pce2": 4, "pce3": 2, "pce4": 4, "pce5": 4, "pce6": 3, "pce7": 5}}


def _payload(**kw: Any) -> SubmissionPayload:
    return SubmissionPayload(
        client_uuid=kw.pop("client_uuid", uuid.uuid4()),
        language="en",
        consent={"care": True, "program_improvement": True, "research": False},
        name="",
        answers=ANSWERS,
        **kw,
    )


def test_one_integration_link_per_campaign(two_tenants: Any) -> None:
    t = two_tenants
    admin = t["members_a"]["org_admin"]
    first = integration_link(campaign=t["campaign_a"], actor=admin)
    assert integration_link(campaign=t["campaign_a"], actor=admin) == first
    assert first.kind == LinkKind.INTEGRATION
    assert CampaignLink.objects.filter(kind=LinkKind.INTEGRATION).count() == 1


def test_external_ids_are_stable_within_an_organization_only(two_tenants: Any) -> None:
    a, b = two_tenants["org_a"], two_tenants["org_b"]
    one = external_client_uuid(organization=a, source="redcap", external_id="17")
    assert one == external_client_uuid(organization=a, source="redcap", external_id=" 17 ")
    assert one != external_client_uuid(organization=b, source="redcap", external_id="17")
    assert one != external_client_uuid(organization=a, source="odk", external_id="17")


def test_volume_never_flags_an_integration_link(two_tenants: Any, settings: Any) -> None:
    settings.HOPEFUL_LINK_FLAG_PER_HOUR = 1
    t = two_tenants
    for _ in range(3):
        integration_submit(
            campaign=t["campaign_a"], payload=_payload(), actor=t["members_a"]["org_admin"]
        )
    assert not LinkFlag.objects.exists()


def test_the_campaign_page_neither_lists_nor_revokes_it(client: Any, two_tenants: Any) -> None:
    from tests.web import factories as f

    t = two_tenants
    admin = t["members_a"]["org_admin"]
    link = integration_link(campaign=t["campaign_a"], actor=admin)
    f.login_verified(client, admin)
    base = f"/orgs/{t['org_a'].public_id}/campaigns/{t['campaign_a'].public_id}/"
    assert str(link.public_id) not in client.get(base).content.decode()
    assert client.post(f"{base}links/{link.public_id}/revoke/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
