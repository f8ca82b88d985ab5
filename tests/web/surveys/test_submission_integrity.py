"""The final POST stores a family's answers exactly once, or nothing at all (T6, T10)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from hopeful.web.audit.models import AuditEvent
from hopeful.web.surveys import services, services_campaigns
from hopeful.web.surveys.models import InstrumentScore, Submission
from tests.web.surveys.conftest import pce7_post, row_counts

pytestmark = pytest.mark.django_db


def submit_url(two_tenants: dict[str, Any], key: str = "a") -> str:
    return f"/s/{two_tenants[f'token_{key}']}/submit/"


def test_a_valid_submission_stores_family_consent_scores_and_an_audit_event(
    two_tenants: dict[str, Any],
) -> None:
    before = row_counts()
    response = Client().post(submit_url(two_tenants), pce7_post(str(uuid.uuid4())))
    assert response.status_code == 302
    assert "/done/" in response["Location"]
    after = row_counts()
    assert after["submissions"] == before["submissions"] + 1
    assert after["families"] == before["families"] + 1
    assert after["consents"] == before["consents"] + 3  # every purpose, yes or no
    assert after["scores"] == before["scores"] + 1
    event = AuditEvent.objects.get(verb="submission.create")
    assert event.actor is None
    assert event.object_id == str(Submission.objects.get().public_id)


def test_an_identical_replay_returns_the_original_and_stores_one_row(
    two_tenants: dict[str, Any],
) -> None:
    data = pce7_post(str(uuid.uuid4()))
    first = Client().post(submit_url(two_tenants), data)
    counts = row_counts()
    for _ in range(3):
        again = Client().post(submit_url(two_tenants), data)
        assert again.status_code == 302
        assert Client().get(again["Location"]).status_code == 200
    assert row_counts() == counts
    original = Submission.objects.get()
    assert Client().get(first["Location"]).context["summary"]  # same summary reachable
    result = services.submission_create(
        link=two_tenants["link_a"],
        payload=services.SubmissionPayload(
            client_uuid=original.client_uuid,
            language="en",
            consent={"care": True, "program_improvement": True, "research": False},
            name="Blue Bird",
            answers={"pce7": {**{f"pce{i}": 4 for i in range(1, 8)}, "pce3": 2, "pce6": None}},
        ),
    )
    assert result.submission == original
    assert result.created is False


def test_a_blank_sent_as_empty_and_a_blank_left_out_are_the_same_payload(
    two_tenants: dict[str, Any],
) -> None:
    data = pce7_post(str(uuid.uuid4()))
    Client().post(submit_url(two_tenants), data)
    del data["pce7.pce6"]
    assert Client().post(submit_url(two_tenants), data).status_code == 302
    assert Submission.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"pce7.pce1": "5"},
        {"name": "Red Bird"},
        {"language": "es"},
        {"consent": ["care"]},
        {"pce7.pce6": "1"},
    ],
)
def test_a_different_payload_under_the_same_uuid_is_a_409_and_the_stored_row_is_unchanged(
    two_tenants: dict[str, Any], change: dict[str, Any]
) -> None:
    client_uuid = str(uuid.uuid4())
    Client().post(submit_url(two_tenants), pce7_post(client_uuid))
    stored = Submission.objects.values().get()
    scores = list(InstrumentScore.objects.values())
    counts = row_counts()
    response = Client().post(submit_url(two_tenants), pce7_post(client_uuid, **change))
    assert response.status_code == 409
    assert "already sent" in response.content.decode()
    assert Submission.objects.values().get() == stored
    assert list(InstrumentScore.objects.values()) == scores
    assert row_counts() == counts


def test_the_same_uuid_on_another_link_is_a_conflict(two_tenants: dict[str, Any]) -> None:
    client_uuid = str(uuid.uuid4())
    Client().post(submit_url(two_tenants), pce7_post(client_uuid))
    counts = row_counts()
    assert Client().post(submit_url(two_tenants, "b"), pce7_post(client_uuid)).status_code == 409
    assert row_counts() == counts


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (pce7_post(str(uuid.uuid4()), **{"pce7.pce1": "6"}), 400),  # not a pce1 code
        (pce7_post(str(uuid.uuid4()), **{"pce7.pce1": "8"}), 400),  # 8 is pce4's only
        (pce7_post(str(uuid.uuid4()), **{"pce7.pce1": "four"}), 400),
        (pce7_post(str(uuid.uuid4()), **{"pce7.pce1": "-1"}), 400),
        (pce7_post(str(uuid.uuid4()), **{"pce7.pce99": "1"}), 400),  # unknown item
        (pce7_post(str(uuid.uuid4()), **{"bce10.bce1": "1"}), 400),  # not in this campaign
        (pce7_post(str(uuid.uuid4()), **{"nonsense": "1"}), 400),
        (pce7_post("not-a-uuid"), 400),
        (pce7_post(""), 400),
        ({k: v for k, v in pce7_post("x").items() if k != "client_uuid"}, 400),
        (pce7_post(str(uuid.uuid4()), consent=[]), 400),  # no consent, no storage
        (pce7_post(str(uuid.uuid4()), consent=["care", "marketing"]), 400),
        (pce7_post(str(uuid.uuid4()), language="fr"), 400),
        (pce7_post(str(uuid.uuid4()), name="x" * 81), 400),
        (pce7_post(str(uuid.uuid4()), **{"pce7.pce2": ["4", "5"]}), 400),
    ],
)
def test_invalid_submissions_are_rejected_and_store_nothing(
    two_tenants: dict[str, Any], data: dict[str, Any], status: int
) -> None:
    before = row_counts()
    response = Client().post(submit_url(two_tenants), data)
    assert response.status_code == status
    assert row_counts() == before


def test_an_oversized_body_is_413_and_stores_nothing(two_tenants: dict[str, Any]) -> None:
    before = row_counts()
    response = Client().post(
        submit_url(two_tenants), pce7_post(str(uuid.uuid4()), name="", padding="x" * 70_000)
    )
    assert response.status_code == 413
    assert row_counts() == before


def test_a_get_on_the_submit_address_is_not_allowed(two_tenants: dict[str, Any]) -> None:
    assert Client().get(submit_url(two_tenants)).status_code == 405


def test_answers_to_a_closed_campaign_are_410_and_store_nothing(
    two_tenants: dict[str, Any],
) -> None:
    services_campaigns.campaign_close(
        campaign=two_tenants["campaign_a"], actor=two_tenants["members_a"]["org_admin"]
    )
    before = row_counts()
    assert Client().post(submit_url(two_tenants), pce7_post(str(uuid.uuid4()))).status_code == 410
    assert row_counts() == before


def test_more_submissions_per_minute_than_the_link_allows_are_429(
    two_tenants: dict[str, Any],
) -> None:
    link = two_tenants["link_a"]
    link.rate_limit_per_minute = 3
    link.save()
    for _ in range(3):
        assert (
            Client().post(submit_url(two_tenants), pce7_post(str(uuid.uuid4()))).status_code == 302
        )
    before = row_counts()
    response = Client().post(submit_url(two_tenants), pce7_post(str(uuid.uuid4())))
    assert response.status_code == 429
    assert row_counts() == before
    # a replay of an accepted submission is still answered with the original
    replay = pce7_post(str(Submission.objects.first().client_uuid))  # type: ignore[union-attr]
    assert Client().post(submit_url(two_tenants), replay).status_code == 302
