"""A family deletes its information through its personal link: everything identifiable goes,
in one transaction; only what its consent for research released stays, de-identified, as
docs/family-data.md says; other families are untouched; the link is dead afterwards; the
organization sees an audit event and nothing of what was deleted; a repeat changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from hopeful.web.audit.models import AuditEvent
from hopeful.web.casework.models import Goal
from hopeful.web.families import rights
from hopeful.web.families.models import (
    ErasedLink,
    Family,
    FamilyErasure,
    ResearchRecord,
)
from hopeful.web.insights.data import data_version
from hopeful.web.network import counts as network_counts
from hopeful.web.network.models import NetworkCount
from hopeful.web.surveys.models import CampaignLink, Submission

pytestmark = pytest.mark.django_db

TARGETS = (Family, Submission, CampaignLink, Goal)


def related_rows(family: Family) -> dict[str, int]:
    """For every table with a foreign key to a family, its responses, its links or its goals
    (found by introspection, so a new table is counted too): the rows of this family."""
    ids = {
        Family: [family.pk],
        Submission: list(Submission.objects.filter(family=family).values_list("pk", flat=True)),
        CampaignLink: list(CampaignLink.objects.filter(family=family).values_list("pk", flat=True)),
        Goal: list(Goal.objects.filter(family=family).values_list("pk", flat=True)),
    }
    out: dict[str, int] = {"families.Family": Family.objects.filter(pk=family.pk).count()}
    for model in apps.get_models():
        for field in model._meta.get_fields(include_hidden=True):
            if not isinstance(field, models.ForeignKey) or field.related_model not in TARGETS:
                continue
            label = f"{model._meta.label}.{field.name}"
            rows = model.objects.filter(**{f"{field.attname}__in": ids[field.related_model]})
            out[label] = rows.count()
    return out


def delete_url(token: str, language: str = "en") -> str:
    return f"{'/es' if language == 'es' else ''}/s/{token}/your-data/delete/"


def erase(client: Client, token: str, language: str = "en") -> Any:
    return client.post(delete_url(token, language), {"confirm": "on"})


EVERY_KIND = {
    "families.Child.family",
    "families.ConsentRecord.family",
    "surveys.CampaignLink.family",
    "surveys.Submission.family",
    "surveys.InstrumentScore.submission",
    "surveys.Draft.link",
    "surveys.FamilyCode.family",
    "surveys.CodeAttempt.link",
    "casework.Assignment.family",
    "casework.Visit.family",
    "casework.StrengthsMap.family",
    "casework.Goal.family",
    "casework.GoalUpdate.goal",
    "casework.Celebration.family",
    "casework.CaseReview.family",
    "casework.Reminder.family",
}


def test_deletion_removes_every_kind_of_record_and_leaves_the_other_family(
    families: dict[str, Any],
) -> None:
    a, b = families["a"], families["b"]
    before = related_rows(a["family"])
    assert {label for label, n in before.items() if n} >= EVERY_KIND
    others = related_rows(b["family"])
    response = erase(Client(), a["token"])
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    after = related_rows(a["family"])
    assert {label: n for label, n in after.items() if n} == {}
    assert related_rows(b["family"]) == others
    assert Family.objects.filter(pk=b["family"].pk).exists()


def test_only_responses_released_for_research_are_kept_de_identified(
    families: dict[str, Any],
) -> None:
    a = families["a"]
    late = a["late"]
    erase(Client(), a["token"])
    kept = list(ResearchRecord.objects.all())
    # the response from before the family agreed to research is not kept; family B's nothing
    assert len(kept) == 1
    row = kept[0]
    assert row.organization == families["org_a"]
    assert row.program == families["program_a"]
    assert row.language == "es"
    assert row.month.day == 1
    assert row.answers == late.answers
    assert set(row.scores) == {"pce7"}
    assert row.demographics == {
        "race_ethnicity": ["hispanic_latino"],
        "income": "25-50k",
        "gender": "woman",
        "zip3": "537",
    }
    assert row.public_id != late.public_id
    stored = json.dumps(
        {f.name: str(getattr(row, f.attname)) for f in ResearchRecord._meta.concrete_fields}
    )
    for word in ("TokA", "girl", str(late.public_id), str(late.client_uuid), "@"):
        assert word not in stored, word


def test_nothing_is_kept_for_research_once_the_family_took_research_back(
    families: dict[str, Any],
) -> None:
    from hopeful.web.families.services import consent_set

    consent_set(family=families["family_a"], choices={"research": False}, language="en")
    erase(Client(), families["a"]["token"])
    assert not ResearchRecord.objects.exists()


def test_the_link_is_dead_afterwards_and_a_repeat_changes_nothing(
    families: dict[str, Any],
) -> None:
    token = families["a"]["token"]
    client = Client()
    assert erase(client, token).status_code == 200
    counts = (AuditEvent.objects.count(), FamilyErasure.objects.count(), Family.objects.count())
    repeat = erase(client, token)
    assert repeat.status_code == 200
    assert repeat.content == erase(client, token).content
    assert counts == (
        AuditEvent.objects.count(),
        FamilyErasure.objects.count(),
        Family.objects.count(),
    )
    for tail in (
        "",
        "your-data/",
        "your-data/data.json",
        "your-data/data.pdf",
        "plan/",
        "plan.pdf",
    ):
        response = client.get(f"/s/{token}/{tail}")
        assert response.status_code == 410, tail
        assert response["Cache-Control"] == "no-store"
    assert client.get(delete_url(token)).status_code == 410
    assert ErasedLink.objects.count() == 1


def test_the_organization_sees_an_audit_event_naming_no_one(families: dict[str, Any]) -> None:
    family = families["family_a"]
    erase(Client(), families["a"]["token"])
    event = AuditEvent.objects.get(verb=rights.ERASE)
    assert event.actor is None
    assert event.organization == families["org_a"]
    assert event.object_id == str(family.public_id)
    assert event.extra["via"] == "personal_link"
    erasure = FamilyErasure.objects.get()
    assert (erasure.organization, erasure.program) == (families["org_a"], families["program_a"])
    # no audit row of the organization carries the family's name, contact or children
    trail = json.dumps(list(AuditEvent.objects.values("verb", "object_id", "extra")), default=str)
    for word in ("FamilyNameTokA", "familya@example.org", "NickTokA"):
        assert word not in trail


def test_a_failure_midway_deletes_nothing(
    families: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    a = families["a"]
    before = related_rows(a["family"])
    audit = AuditEvent.objects.count()

    def broken(organization_id: int) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(rights, "_recount_network", broken)
    with pytest.raises(RuntimeError):
        rights.family_erase(link=CampaignLink.objects.get(pk=a["link"].pk))
    assert related_rows(a["family"]) == before
    assert not FamilyErasure.objects.exists()
    assert not ResearchRecord.objects.exists()
    assert not ErasedLink.objects.exists()
    assert AuditEvent.objects.count() == audit


def test_without_the_tick_nothing_is_deleted(families: dict[str, Any]) -> None:
    token = families["a"]["token"]
    page = Client().get(delete_url(token, "es"))
    assert page.status_code == 200
    assert '<html lang="es"' in page.content.decode()
    refused = Client().post(delete_url(token), {})
    assert refused.status_code == 400
    assert Family.objects.filter(pk=families["family_a"].pk).exists()
    assert Client().post(delete_url(token, "es"), {"confirm": "on"}).status_code == 200
    assert not Family.objects.filter(pk=families["family_a"].pk).exists()


def test_counts_made_from_the_family_are_made_again(families: dict[str, Any]) -> None:
    org = families["org_a"]
    network_counts.bring_up_to_date()
    assert sum(NetworkCount.objects.filter(organization=org).values_list("n", flat=True)) > 0
    version = data_version(org)
    erase(Client(), families["a"]["token"])
    assert not NetworkCount.objects.filter(organization=org).exists()
    assert NetworkCount.objects.filter(organization=families["org_b"]).exists()
    assert data_version(org) != version
