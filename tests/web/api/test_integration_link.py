"""Answers from other systems come in through the campaign's integration link: one per
campaign, never opened by a family, not flagged as abuse by volume, and a record another
system names gets the same client UUID in one organization and another in the next."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from hopeful.web.surveys.errors import InvalidSubmissionError, SubmissionConflictError
from hopeful.web.surveys.models import CampaignLink, LinkFlag, LinkKind, Submission
from hopeful.web.surveys.services import SubmissionPayload, submission_create
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


# -- when the family answered ------------------------------------------------------------------


def test_answers_from_another_system_are_dated_when_the_family_gave_them(two_tenants: Any) -> None:
    t = two_tenants
    admin = t["members_a"]["org_admin"]
    answered = dt.datetime(2025, 3, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    key = uuid.uuid4()
    stored = integration_submit(
        campaign=t["campaign_a"],
        payload=_payload(client_uuid=key, answered_at=answered),
        actor=admin,
    )
    assert stored.created
    assert stored.submission.submitted_at == answered  # 2025-04-01 05:30 UTC
    # the same answers at the same time again are a replay; at another time, a conflict
    again = integration_submit(
        campaign=t["campaign_a"],
        payload=_payload(client_uuid=key, answered_at=answered),
        actor=admin,
    )
    assert not again.created
    with pytest.raises(SubmissionConflictError):
        integration_submit(
            campaign=t["campaign_a"],
            payload=_payload(client_uuid=key, answered_at=answered + dt.timedelta(hours=1)),
            actor=admin,
        )
    # without a time, now
    before = timezone.now()
    now = integration_submit(campaign=t["campaign_a"], payload=_payload(), actor=admin)
    assert now.submission.submitted_at >= before


@pytest.mark.parametrize(
    ("answered_at", "reason"),
    [
        (dt.datetime(2025, 3, 31, 10, 0), "needs a time zone"),  # noqa: DTZ001 - on purpose
        (dt.datetime(2099, 1, 1, tzinfo=dt.UTC), "is in the future"),
        (dt.datetime(1999, 12, 31, tzinfo=dt.UTC), "is before 2000"),
    ],
)
def test_a_time_without_a_zone_in_the_future_or_before_2000_stores_nothing(
    two_tenants: Any, answered_at: dt.datetime, reason: str
) -> None:
    t = two_tenants
    count = Submission.objects.count()
    with pytest.raises(InvalidSubmissionError, match=reason):
        integration_submit(
            campaign=t["campaign_a"],
            payload=_payload(answered_at=answered_at),
            actor=t["members_a"]["org_admin"],
        )
    assert Submission.objects.count() == count


def test_a_familys_own_link_cannot_backdate_its_answers(two_tenants: Any) -> None:
    t = two_tenants
    payload = _payload(answered_at=dt.datetime(2025, 3, 31, tzinfo=dt.UTC))
    with pytest.raises(InvalidSubmissionError, match="Only answers from another system"):
        submission_create(link=t["link_a"], payload=payload)
    assert not Submission.objects.filter(client_uuid=payload.client_uuid).exists()
