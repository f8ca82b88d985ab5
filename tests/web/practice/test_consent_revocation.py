"""Withdrawing ``care`` consent hides the family's answers everywhere at once."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.urls import reverse

from hopeful.web.families.services import consent_set
from tests.web.practice.factories import make_submission


def test_after_care_consent_is_withdrawn_the_answers_vanish_from_list_export_and_family_page(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    org, family = t["org_a"], t["family_a"]
    submission = make_submission(family, t["campaign_a"], t["link_a"])
    client = signed_in("practitioner")
    list_url = reverse("practice:submissions", args=[org.public_id])
    export_url = reverse("practice:export_csv", args=[org.public_id])
    family_url = reverse("practice:family_detail", args=[org.public_id, family.public_id])

    assert "Family A" in client.get(list_url).content.decode()
    assert str(submission.public_id) in b"".join(client.get(export_url).streaming_content).decode()
    assert "Always" in client.get(family_url).content.decode()

    consent_set(family=family, choices={"care": False}, language="en", actor=None)

    assert "Family A" not in client.get(list_url).content.decode()
    exported = b"".join(client.get(export_url).streaming_content).decode()
    assert list(csv.DictReader(io.StringIO(exported))) == []
    page = client.get(family_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "withdrawn consent" in body
    assert "Always" not in body
    assert "Positive childhood experiences (0-7)" not in body


def test_granting_care_consent_again_brings_the_answers_back(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    family = t["family_a"]
    make_submission(family, t["campaign_a"], t["link_a"])
    consent_set(family=family, choices={"care": False}, language="en")
    consent_set(family=family, choices={"care": True}, language="en")
    body = (
        signed_in("org_admin")
        .get(reverse("practice:submissions", args=[t["org_a"].public_id]))
        .content.decode()
    )
    assert "Family A" in body
