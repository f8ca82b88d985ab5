"""The CSV export: streamed, one row per submission and instrument, consented families
only, limited to the practitioner's programs, audited with its row count."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import StreamingHttpResponse
from django.urls import reverse

from hopeful.web.audit.models import AuditEvent
from hopeful.web.practice.export import EXPORT_FIXED_COLUMNS, export_output_columns
from tests.web import factories as f
from tests.web.practice.factories import make_submission


def export_url(org: Any) -> str:
    return reverse("practice:export_csv", args=[org.public_id])


def read_csv(response: Any) -> list[dict[str, str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_has_ids_program_time_language_campaign_instrument_and_outputs(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    submission = make_submission(t["family_a"], t["campaign_a"], t["link_a"], language="es")
    response = signed_in("org_admin").get(export_url(t["org_a"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert len(rows) == 1
    row = rows[0]
    assert list(row)[: len(EXPORT_FIXED_COLUMNS)] == list(EXPORT_FIXED_COLUMNS)
    assert list(row)[-1] == "reason"
    assert set(export_output_columns()) <= set(row)
    assert row["submission_id"] == str(submission.public_id)
    assert row["family_id"] == str(t["family_a"].public_id)
    assert row["program"] == "Main site"
    assert row["language"] == "es"
    assert row["campaign"] == "Family strengths 2026"
    assert row["instrument"] == "pce7"
    assert row["version"] == "1.0"
    assert row["score"] == "4"
    assert row["band"] == "3-5"
    assert row["reason"] == ""
    # no names or contact details leave in the export
    assert "Family A" not in str(rows)


def test_the_export_is_audited_with_its_row_count(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    make_submission(t["family_a"], t["campaign_a"], t["link_a"])
    make_submission(t["family_a"], t["campaign_a"], t["link_a"])
    read_csv(signed_in("org_admin").get(export_url(t["org_a"])))
    event = AuditEvent.objects.get(verb="export.csv")
    assert event.extra["rows"] == 2
    assert event.actor == t["members_a"]["org_admin"]
    assert event.organization == t["org_a"]


def test_a_practitioner_exports_their_own_programs_only(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    north = f.make_family(t["org_a"], t["other_program_a"], "North family")
    f.grant_consent(north)
    north_campaign = f.make_campaign(t["org_a"], t["other_program_a"], t["members_a"]["org_admin"])
    north_link, _token = f.make_link(north_campaign, t["members_a"]["org_admin"])
    make_submission(north, north_campaign, north_link)
    make_submission(t["family_a"], t["campaign_a"], t["link_a"])

    rows = read_csv(signed_in("practitioner").get(export_url(t["org_a"])))
    assert [r["family_id"] for r in rows] == [str(t["family_a"].public_id)]
    rows = read_csv(signed_in("org_admin").get(export_url(t["org_a"])))
    assert len(rows) == 2


def test_the_export_never_contains_another_organizations_rows(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    make_submission(t["family_b"], t["campaign_b"], t["link_b"])
    rows = read_csv(signed_in("org_admin").get(export_url(t["org_a"])))
    assert rows == []


def test_aggregate_roles_cannot_export(signed_in: Any, two_tenants: dict[str, Any]) -> None:
    for role in ("analyst", "researcher", "viewer"):
        assert signed_in(role).get(export_url(two_tenants["org_a"])).status_code == 403
    assert not AuditEvent.objects.filter(verb="export.csv").exists()


def test_text_cells_cannot_run_as_spreadsheet_formulas(
    signed_in: Any, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    campaign = t["campaign_a"]
    campaign.name = '=HYPERLINK("http://evil.example","x")'
    campaign.save()
    make_submission(t["family_a"], campaign, t["link_a"])
    rows = read_csv(signed_in("org_admin").get(export_url(t["org_a"])))
    assert rows[0]["campaign"].startswith("'=")


def test_the_export_streams_with_a_bounded_number_of_queries(
    signed_in: Any, two_tenants: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    t = two_tenants
    for i in range(20):
        family = f.make_family(t["org_a"], t["program_a"], f"Export {i}")
        f.grant_consent(family, "care")
        make_submission(family, t["campaign_a"], t["link_a"])
    client = signed_in("org_admin")
    with django_assert_max_num_queries(16):
        rows = read_csv(client.get(export_url(t["org_a"])))
    assert len(rows) == 20
