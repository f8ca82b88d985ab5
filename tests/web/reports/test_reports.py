"""Program PDF reports and long exports as background tasks: request, the real database
worker, progress, protection of small groups, failures, roles and the audit trail."""

from __future__ import annotations

import io
import re
import zlib
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hopeful.cli import main as hopeful_main
from hopeful.web.audit.models import AuditEvent
from hopeful.web.insights import exports, formatting
from hopeful.web.insights import selectors as insights
from hopeful.web.insights.forms import DashboardFilterForm
from hopeful.web.organizations.access import get_organization_for_user
from hopeful.web.organizations.models import Membership, Role
from hopeful.web.reports import render, services
from hopeful.web.reports.models import Report, ReportKind, ReportStatus
from tests.web import factories as f
from tests.web.insights.factories import add_submissions, expected_count, tenant

pytestmark = pytest.mark.django_db

#: A number standing alone in an element: how a count appears in the report's HTML.
SMALL = re.compile(r">\s*(\d+)\s*<")
#: The published figures printed beside the program's own numbers (not program data).
BENCHMARK_FIGURES = ("53.1%", "12.2%", "59.5%", "90.5%")


def list_url(t: dict[str, Any]) -> str:
    return reverse("reports:list", args=[t["org_a"].public_id])


def detail_url(t: dict[str, Any], report: Report) -> str:
    return reverse("reports:detail", args=[t["org_a"].public_id, report.public_id])


def download_url(t: dict[str, Any], report: Report) -> str:
    return reverse("reports:download", args=[t["org_a"].public_id, report.public_id])


def as_role(client: Client, t: dict[str, Any], role: str = Role.ANALYST) -> Client:
    f.login_verified(client, t["members_a"][role])
    return client


def ask(client: Client, t: dict[str, Any], **data: str) -> Report:
    response = client.post(list_url(t), {"kind": "pdf", **data})
    assert response.status_code == 302, response.content[:500]
    report = Report.objects.latest("created_at")
    assert response["Location"] == detail_url(t, report)
    return report


def run_worker() -> None:
    """The database queue's real worker: every task waiting now, then exit."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO())


def pdf_strings(pdf: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (its metadata and structure)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def pdf_text_of(html: str) -> str:
    """The text WeasyPrint lays out on the PDF's pages for ``html`` (no PDF text extractor
    is installed, so this reads WeasyPrint's own layout)."""
    from weasyprint import HTML

    document = HTML(string=html).render()
    out: list[str] = []

    def walk(box: Any) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            out.append(text)
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(out)


def dashboard_for(t: dict[str, Any], query: dict[str, str] | None = None) -> insights.Dashboard:
    access = get_organization_for_user(t["members_a"][Role.ANALYST], t["org_a"].public_id)
    options = insights.filter_options(access=access, language="en")
    form = DashboardFilterForm(query or None, options=options)
    if form.is_bound:
        form.is_valid()
    return insights.dashboard(access=access, filters=form.filters(), options=options, language="en")


# -- the whole path, through the real database worker ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_pdf_is_queued_made_by_the_database_worker_and_downloaded(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    program, campaign, link = tenant(t)
    add_submissions(program, campaign, link, 40)
    client = as_role(client, t, Role.ANALYST)

    report = ask(client, t, program=str(program.public_id))

    assert report.status == ReportStatus.QUEUED
    assert report.progress == 0
    assert report.kind == ReportKind.PDF
    assert report.filters["program"] == str(program.public_id)
    assert report.requested_by == t["members_a"][Role.ANALYST]
    task = DBTaskResult.objects.get(id=report.task_id)
    assert task.status == TaskResultStatus.READY
    created = AuditEvent.objects.get(verb="report.create")
    assert created.object_id == str(report.public_id)
    assert created.organization == t["org_a"]

    # while it waits, the page refreshes itself without JavaScript
    page = client.get(detail_url(t, report)).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Waiting to start" in page
    assert 'value="0"' in page  # the progress bar

    run_worker()

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    assert report.progress == 100
    assert report.finished_at is not None
    assert report.started_at is not None
    pdf = bytes(report.content)
    assert pdf.startswith(b"%PDF")
    assert report.size == len(pdf)
    assert DBTaskResult.objects.get(id=report.task_id).status == TaskResultStatus.SUCCESSFUL
    # the organization's name is in the document (its title and author metadata)
    assert b"Sunrise Clinic" in pdf_strings(pdf)

    page = client.get(detail_url(t, report)).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert download_url(t, report) in page

    response = client.get(download_url(t, report))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content == pdf
    downloaded = AuditEvent.objects.get(verb="report.download")
    assert downloaded.actor == t["members_a"][Role.ANALYST]
    assert downloaded.object_id == str(report.public_id)


@pytest.mark.django_db(transaction=True)
def test_the_hopeful_worker_command_runs_a_queued_csv_export(
    client: Client, two_tenants: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    t = two_tenants
    program, campaign, link = tenant(t)
    add_submissions(program, campaign, link, 30)
    report = ask(as_role(client, t, Role.ORG_ADMIN), t, kind="csv")

    assert hopeful_main(["worker", "--batch"]) == 0

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    # the same bytes as the dashboard's own CSV export of the same view
    assert bytes(report.content) == exports.as_csv(dashboard_for(t))
    response = client.get(download_url(t, report))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content == bytes(report.content)


# -- what the PDF shows ------------------------------------------------------------------------


#: A count position of the report's HTML: the text of an element marked as a count.
COUNT_CELL = re.compile(r'class="[^"]*\b(?:num|count|hidden-count)\b[^"]*"[^>]*>\s*([^<]*?)\s*<')


def test_the_pdf_shows_fewer_than_11_for_every_count_of_a_small_program(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    program, campaign, link = tenant(t)
    add_submissions(program, campaign, link, 5)  # published 1 to 9, whatever the keys
    report = Report(organization=t["org_a"], filters={}, kind=ReportKind.PDF)
    for query in ({}, {"program": str(program.public_id)}):
        dashboard = dashboard_for(t, query)
        html = render.report_html(dashboard=dashboard, report=report)

        small = [int(n) for n in SMALL.findall(html) if 1 <= int(n) <= 10]
        assert small == [], query
        cells = [c for c in COUNT_CELL.findall(html) if c.isdigit() or c == "fewer than 11"]
        assert "fewer than 11" in cells
        assert not [c for c in cells if c.isdigit() and c != "0"], (query, cells)
        body = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)  # the charts' axis ticks
        for figure in BENCHMARK_FIGURES:
            body = body.replace(figure, "")
        assert not re.search(r"\d+\.\d%", body), query  # no percentage of a small group
        assert "5 survey submissions" not in html

        text = pdf_text_of(html)
        assert "Sunrise Clinic" in text
        assert "Fewer than 11 survey submissions were counted" in text
        assert re.search(r"Submissions counted\s*:\s*fewer than 11", text)
        assert "Main site fewer than 11" in text  # the table of submissions by program
        if not query:
            assert "North site 0" in text  # a true 0 is shown as 0
        assert "Numbers not shown in this report" in text
        assert "not shown to protect small groups" in text
        assert not re.search(r"(?<![\d.])([1-9]|10)(?![\d.%])\s+survey submissions", text)


def test_the_pdf_has_a_title_page_summary_charts_tables_methods_and_page_numbers(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    program, campaign, link = tenant(t)
    rows = add_submissions(program, campaign, link, 60)
    dashboard = dashboard_for(t)
    report = Report(organization=t["org_a"], filters={}, kind=ReportKind.PDF)
    html = render.report_html(dashboard=dashboard, report=report)

    assert "<svg" in html  # the dashboard's charts, inline
    assert dashboard.equity is not None
    assert 'id="equity-table"' in html  # the equity breakdown, with its test stated
    assert "Holm" in html
    assert html.count('class="data-table"') >= 4
    assert "counter(page)" in html
    assert "counter(pages)" in html
    assert "MMWR 2024;73(17)" in html  # the benchmark citation
    assert "Korn–Graubard" in html  # the estimation method
    assert "NCHS data presentation standards" in html
    # the summary quotes the dashboard's numbers, it does not recompute them: the published
    # count of exactly the 60 submissions
    assert dashboard.reach.total == expected_count(rows)
    assert f"{dashboard.reach.total.value} survey submissions were counted" in html
    assert f"{dashboard.respondents.value} respondents answered" in html
    for estimate in dashboard.blocks:
        if estimate.shown:
            assert f"{estimate.estimate * 100:.1f}%" in html

    pdf = render.report_pdf(html)
    assert pdf.startswith(b"%PDF")
    text = pdf_text_of(html)
    for words in ("Program report", "Summary", "Reach", "Methods and notes", "Page 1 of"):
        assert words in text, words
    # the numbers, as the dashboard shows them
    assert f"Main site {dashboard.reach.by_program[0].count.value}" in text
    shown = [e for e in dashboard.items if e.shown]
    assert shown
    for estimate in shown:
        assert formatting.value_text(estimate.estimate) in text
        assert formatting.ci_text(estimate) in text


def test_css_strings_cannot_break_out_of_the_style_element() -> None:
    assert render._css_string('a"b\\c</style>') == '"a\\"b\\\\c\\3C /style>"'


# -- progress and failures ---------------------------------------------------------------------


def _queued(client: Client, t: dict[str, Any], **data: str) -> Report:
    return ask(as_role(client, t, Role.ORG_ADMIN), t, **data)


@pytest.mark.django_db(transaction=True)
def test_a_failed_report_records_the_error_and_the_page_says_so(
    client: Client, two_tenants: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    t = two_tenants
    report = _queued(client, t)

    def broken(html: str, **kwargs: Any) -> bytes:
        raise RuntimeError("pango is missing")

    monkeypatch.setattr(render, "report_pdf", broken)
    run_worker()

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "RuntimeError" in report.error
    assert report.finished_at is not None
    assert report.content is None
    assert DBTaskResult.objects.get(id=report.task_id).status == TaskResultStatus.FAILED
    page = client.get(detail_url(t, report)).content.decode()
    assert "The report could not be made" in page
    assert "RuntimeError" in page
    assert 'http-equiv="refresh"' not in page
    assert "Ask for it again" in page
    # nothing to download: the link goes back to the report's page
    response = client.get(download_url(t, report))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(verb="report.download").exists()


@pytest.mark.django_db(transaction=True)
def test_a_requester_who_lost_the_dashboard_gets_no_report(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    report = ask(as_role(client, t, Role.ANALYST), t)
    Membership.objects.filter(user=t["members_a"][Role.ANALYST]).update(role=Role.VIEWER)
    run_worker()
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "can no longer see the dashboard" in report.error
    assert report.content is None


def test_progress_is_shown_while_running(client: Client, two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    report = _queued(client, t)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=40)
    page = client.get(detail_url(t, report)).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert '<progress max="100" value="40">' in page
    assert "Being made" in page


def test_a_task_that_failed_before_it_ran_marks_the_report_failed(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    report = _queued(client, t)
    DBTaskResult.objects.filter(id=report.task_id).update(status=TaskResultStatus.FAILED)
    page = client.get(detail_url(t, report)).content.decode()
    assert "The report could not be made" in page
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED


def test_a_report_is_made_once_even_if_its_task_runs_again(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    report = Report.objects.create(
        organization=t["org_a"],
        requested_by=t["members_a"][Role.ORG_ADMIN],
        status=ReportStatus.DONE,
        progress=100,
        content=b"%PDF-first",
    )
    services.report_run(report_id=report.pk)
    report.refresh_from_db()
    assert bytes(report.content) == b"%PDF-first"


# -- the request form --------------------------------------------------------------------------


def test_filters_not_understood_are_refused_and_nothing_is_queued(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    client = as_role(client, t, Role.ANALYST)
    for data in (
        {"kind": "pdf", "period": "2026-Q5"},
        {"kind": "pdf", "program": str(t["program_b"].public_id)},  # another organization's
        {"kind": "docx"},
        {"kind": "pdf", "period": "1999"},  # before the years the dashboard covers
    ):
        response = client.post(list_url(t), data)
        assert response.status_code == 400, data
        assert "Nothing was queued." in response.content.decode()
    assert not Report.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert not AuditEvent.objects.filter(verb="report.create").exists()


def test_the_list_prefills_the_dashboard_filters_and_lists_reports(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    client = as_role(client, t, Role.ANALYST)
    report = ask(client, t, period="2025-Q2", kind="xlsx")
    page = client.get(list_url(t) + "?period=2025-Q1&kind=csv").content.decode()
    assert '<option value="2025-Q1" selected>' in page
    assert '<option value="csv" selected>' in page
    assert detail_url(t, report) in page
    assert report.filters["period"] == "2025-Q2"
    assert report.filters["start"] == "2025-04"
    assert report.filters["end"] == "2025-06"
    assert report.filename == "dashboard-2025-Q2.xlsx"


# -- who may use it ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.RESEARCHER, Role.VIEWER])
def test_other_roles_are_refused(client: Client, two_tenants: dict[str, Any], role: str) -> None:
    t = two_tenants
    report = Report.objects.create(organization=t["org_a"], status=ReportStatus.DONE)
    client = as_role(client, t, role)
    assert client.get(list_url(t)).status_code == 403
    assert client.post(list_url(t), {"kind": "pdf"}).status_code == 403
    assert client.get(detail_url(t, report)).status_code == 403
    assert client.get(download_url(t, report)).status_code == 403
    assert Report.objects.count() == 1


def test_an_outsider_gets_404_and_no_file(client: Client, two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    report = Report.objects.create(
        organization=t["org_a"], status=ReportStatus.DONE, content=b"%PDF-secret", size=11
    )
    f.login_verified(client, t["members_b"][Role.ORG_ADMIN])
    for url in (list_url(t), detail_url(t, report), download_url(t, report)):
        assert client.get(url).status_code == 404, url
    assert client.post(list_url(t), {"kind": "pdf"}).status_code == 404
    # A's report under B's organization id is not found either
    b_url = reverse("reports:download", args=[t["org_b"].public_id, report.public_id])
    assert client.get(b_url).status_code == 404
    assert Report.objects.count() == 1
    assert not AuditEvent.objects.filter(verb__startswith="report.").exists()


def test_the_list_query_count_does_not_grow_with_the_reports(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t = two_tenants
    client = as_role(client, t, Role.ANALYST)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(list_url(t)).status_code == 200
        return len(captured)

    def add(count: int) -> None:
        for _ in range(count):
            Report.objects.create(
                organization=t["org_a"],
                requested_by=t["members_a"][Role.ORG_ADMIN],
                status=ReportStatus.DONE,
                content=b"%PDF-" + b"x" * 1000,
            )

    add(2)
    queries()  # the first request of a session does more (session, second factor)
    few = queries()
    add(20)
    assert queries() == few
