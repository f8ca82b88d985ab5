"""The Champion's reading of a submitted self-assessment (``standards_review:assessment``):
network staff only, submitted assessments only, linked from the certification review."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hopeful.web.certification.models import Certification
from hopeful.web.standards import services
from tests.web import factories as f
from tests.web.standards.conftest import answers, submitted

pytestmark = pytest.mark.django_db


def review_url(assessment: Any) -> str:
    return reverse("standards_review:assessment", args=[str(assessment.public_id)])


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_read_the_levels_the_plan_and_the_answers(t: dict[str, Any], admin_a: Any) -> None:
    org = t["org_a"]
    assessment = submitted(org, admin_a, answers("started"))
    services.action_add(
        organization=org,
        actor=admin_a,
        standard_id="bridge_to_hope",
        text="Put the commitment to HOPE in the strategic plan",
        owner=admin_a,
        due_date=timezone.localdate() + dt.timedelta(days=30),
        assessment=assessment,
    )
    staff = f.make_user("reviewer@hope.example.org", is_network_staff=True)
    response = signed_in(staff).get(review_url(assessment))
    assert response.status_code == 200
    body = response.content.decode()
    assert org.name in body
    assert "Bridge to HOPE" in body
    assert "Emerging" in body  # every answer "started": 1 point each
    assert "Put the commitment to HOPE in the strategic plan" in body


def test_only_network_staff_read_it(t: dict[str, Any], admin_a: Any) -> None:
    assessment = submitted(t["org_a"], admin_a)
    assert signed_in(admin_a).get(review_url(assessment)).status_code == 403
    assert (
        signed_in(f.make_user("learner@example.org")).get(review_url(assessment)).status_code == 403
    )
    assert Client().get(review_url(assessment)).status_code == 302  # to sign in


def test_drafts_unknown_and_malformed_ids_are_not_found(t: dict[str, Any], admin_a: Any) -> None:
    staff = signed_in(f.make_user("reviewer@hope.example.org", is_network_staff=True))
    draft, _ = services.assessment_start(organization=t["org_a"], actor=admin_a)
    assert staff.get(review_url(draft)).status_code == 404
    unknown = reverse("standards_review:assessment", args=[str(uuid.uuid4())])
    assert staff.get(unknown).status_code == 404
    malformed = reverse("standards_review:assessment", args=["demo-1"])
    assert staff.get(malformed).status_code == 404


def test_the_certification_review_links_to_it(t: dict[str, Any], admin_a: Any) -> None:
    org = t["org_a"]
    assessment = submitted(org, admin_a)
    services.action_add(
        organization=org,
        actor=admin_a,
        standard_id="bridge_to_hope",
        text="A first step",
        owner=admin_a,
        due_date=timezone.localdate() + dt.timedelta(days=30),
        assessment=assessment,
    )
    services.certification_apply(organization=org, actor=admin_a)
    certification = Certification.objects.get(organization=org)
    staff = signed_in(f.make_user("reviewer@hope.example.org", is_network_staff=True))
    for name in ("certification:staff_review", "certification:staff_detail"):
        page = staff.get(reverse(name, args=[certification.public_id])).content.decode()
        assert f'href="{review_url(assessment)}"' in page, name
