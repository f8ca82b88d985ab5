"""A restricted visit note never leaves the app: every export format the organization can
download (the submissions CSV, the dashboard's CSV and Excel, the reports' PDF, CSV and Excel,
the take-home summary's PDF, the family's own plan) is searched for its words."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from hopeful.web.casework import services
from hopeful.web.reports.models import Report, ReportStatus
from hopeful.web.surveys.models import LinkKind
from tests.web import factories as f
from tests.web.insights.factories import add_submissions, tenant
from tests.web.practice.factories import make_submission
from tests.web.reports.test_reports import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

RESTRICTED_NOTE = "Zanzibar-restricted-7731"
OPEN_NOTE = "Quokka-ordinary-note-4410"


def texts(content: bytes, kind: str) -> str:
    """What a person could read in a downloaded file."""
    if kind == "pdf":
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if kind == "xlsx":
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return " ".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return content.decode("utf-8", "replace")


def test_restricted_and_other_visit_notes_are_in_no_export(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    org, family = t["org_a"], t["family_a"]
    program, campaign, link = tenant(t)
    add_submissions(program, campaign, link, 40)
    make_submission(family, t["campaign_a"], t["link_a"])
    for note, restricted in ((RESTRICTED_NOTE, True), (OPEN_NOTE, False)):
        services.visit_record(
            family=family,
            actor=t["members_a"]["practitioner"],
            visited_on=timezone.localdate(),
            mode="home",
            note=note,
            family_said=note,
            restricted=restricted,
        )
    admin = Client()
    f.login_verified(admin, t["members_a"]["org_admin"])
    base = f"/orgs/{org.public_id}"
    downloads: list[tuple[str, bytes, str]] = []
    for url, kind in (
        (f"{base}/export.csv", "csv"),
        (f"{base}/dashboard/?format=csv", "csv"),
        (f"{base}/dashboard/?format=xlsx", "xlsx"),
        (f"{base}/families/{family.public_id}/summary.pdf", "pdf"),
    ):
        response = admin.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        downloads.append((url, body, kind))
    for kind in ("pdf", "csv", "xlsx"):
        assert admin.post(f"{base}/reports/", {"kind": kind}).status_code == 302
    run_worker()
    for report in Report.objects.filter(organization=org):
        assert report.status == ReportStatus.DONE, report.error
        downloads.append((f"report {report.kind}", bytes(report.content), report.kind))
    personal, token = f.make_link(
        t["campaign_a"], t["members_a"]["org_admin"], kind=LinkKind.PERSONAL, family=family
    )
    plan = Client().get(f"/s/{token}/plan.pdf")
    assert plan.status_code == 200
    downloads.append(("family plan", plan.content, "pdf"))
    assert personal.family == family
    for where, content, kind in downloads:
        readable = texts(content, kind)
        assert readable.strip(), where
        assert RESTRICTED_NOTE not in readable, where
        assert OPEN_NOTE not in readable, where
