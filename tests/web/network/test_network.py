"""The network view: who may open it, consent, the minimum-organizations and small-count
rules, the numbers against hopeful.stats, the CSV export and the query budget."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hopeful.stats import Design, korn_graubard, proportions_from_counts
from hopeful.web.accounts.models import User
from hopeful.web.audit.models import AuditEvent
from hopeful.web.families.models import ConsentPurpose
from hopeful.web.insights import protection as cell_key
from hopeful.web.network import selectors
from hopeful.web.network.forms import NetworkFilterForm
from hopeful.web.organizations.models import Organization, Role
from tests.web import factories as f
from tests.web.network.factories import BOTH, add_to, network, network_org

pytestmark = pytest.mark.django_db

URL = "/network/"
#: Every submission in one month, so the period axis has one populated quarter.
WHEN = timezone.make_aware(dt.datetime.combine(dt.date(2026, 2, 10), dt.time(12)))
QUERY = {"year": "2026", "unit": "quarter"}


@pytest.fixture
def staff(client: Client) -> Client:
    f.login_verified(client, f.make_user("net@hope.example.org", is_network_staff=True))
    return client


def build(query: dict[str, str] | None = None) -> selectors.NetworkView:
    options = selectors.filter_options(language="en")
    form = NetworkFilterForm({**QUERY, **(query or {})}, options=options)
    form.is_valid()
    return selectors.network_view(filters=form.filters(), options=options, language="en")


def four_cells(count: int = 30) -> list[Organization]:
    """Two states x two kinds, three organizations each: every cell may be shown."""
    return [
        network_org(f"Org {state} {kind} {i}", state, kind, count, when=WHEN, start=i * 100)
        for state in ("WI", "MN")
        for kind in ("clinic", "school")
        for i in range(3)
    ]


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# -- who may open it ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.ANALYST])
def test_organization_members_are_refused(client: Client, role: str) -> None:
    org = network_org("Org WI clinic 0", "WI", "clinic", 0)
    f.login_verified(client, f.make_member(org, role, f"{role}@member.example.org"))
    assert client.get(URL).status_code == 403
    assert client.get(URL + "?format=csv").status_code == 403
    assert not AuditEvent.objects.filter(verb="network.export").exists()


def test_a_superuser_without_the_flag_is_refused(client: Client) -> None:
    f.login_verified(client, User.objects.create_superuser("root@example.org", f.PASSWORD))
    assert client.get(URL).status_code == 403


def test_network_staff_see_the_page(staff: Client) -> None:
    response = staff.get(URL)
    assert response.status_code == 200
    assert b"Network view" in response.content


def test_network_staff_without_a_grant_still_get_404_on_an_organization(staff: Client) -> None:
    org = network_org("Org WI clinic 0", "WI", "clinic", 12, when=WHEN)
    for name in ("practice:submissions", "insights:dashboard", "practice:home"):
        assert staff.get(reverse(name, args=[org.public_id])).status_code == 404, name


# -- never a family, never one organization -----------------------------------------------------


def test_no_family_name_organization_name_or_small_count_leaves(staff: Client) -> None:
    orgs = four_cells()
    orgs.append(network_org("Lonely Home Visiting", "WI", "home_visiting", 40, when=WHEN))
    orgs.append(network_org("Tiny School", "MN", "school", 4, when=WHEN, start=900))
    page = staff.get(URL, QUERY)
    export = staff.get(URL, {**QUERY, "format": "csv"})
    for body in (page.content, export.content):
        assert not re.search(rb"Family \d+-\d+", body)
        for org in orgs:
            assert org.name.encode() not in body
        assert b"/families/" not in body
    rows = csv_rows(export)
    header = rows[0]
    orgs_col, subs_col = header.index("organizations"), header.index("submissions counted")
    for row in rows[1:]:
        if row[subs_col].isdigit():
            assert not 1 <= int(row[subs_col]) <= 10, row
        if row[orgs_col].isdigit():
            assert not 1 <= int(row[orgs_col]) < selectors.MIN_ORGANIZATIONS, row
    view = build()
    for row in view.all_rows:
        assert row.submissions.value is None or not 1 <= row.submissions.value <= 10
        assert (
            row.organizations.value is None
            or row.organizations.value >= 3
            or (row.organizations.value == 0)
        )


def test_a_single_organization_cell_is_hidden_and_says_why(staff: Client) -> None:
    four_cells()
    network_org("Lonely Home Visiting", "WI", "home_visiting", 40, when=WHEN)
    view = build()
    lonely = next(r for r in view.rows if r.level == "cell" and r.kind == "Home visiting")
    assert lonely.org_rule
    assert lonely.organizations.value is None
    assert lonely.submissions.value is None
    assert lonely.share.estimate is None
    assert "Fewer than 3 organizations" in lonely.note
    # its kind has one organization in the whole network: hidden too
    kind = next(r for r in view.rows if r.level == "kind" and r.label == "Home visiting")
    assert kind.submissions.value is None
    assert kind.share.estimate is None
    # nor can its 40 submissions be worked out from the WI row and WI's other cells
    wi = next(r for r in view.rows if r.level == "state" and r.state == "WI")
    others = [r for r in view.rows if r.level == "cell" and r.state == "WI" and r is not lonely]
    assert wi.submissions.value is None or any(r.submissions.value is None for r in others)
    page = staff.get(URL, QUERY).content.decode()
    assert "Fewer than 3 organizations" in page


def test_every_count_is_protected_the_same_way_in_every_filter() -> None:
    four_cells()
    network_org("Lonely Home Visiting", "WI", "home_visiting", 40, when=WHEN)
    everything = {(r.level, r.label): r for r in build().rows}
    for query in ({"state": "WI"}, {"kind": "home_visiting"}, {"state": "WI", "kind": "clinic"}):
        for row in build(query).rows:
            same = everything[(row.level, row.label)]
            assert row.submissions == same.submissions, (query, row.label)
            assert row.organizations == same.organizations, (query, row.label)


# -- consent and membership ---------------------------------------------------------------------


def test_only_program_improvement_consent_and_network_members_are_counted() -> None:
    orgs = four_cells(20)
    before = build()
    assert before.table is not None
    before_total = next(r for r in before.rows if r.level == "total")
    add_to(orgs[0], 15, consent=(ConsentPurpose.CARE,), start=500, when=WHEN)
    network_org("Not a member", "WI", "clinic", 50, network=False, when=WHEN)
    view = build()
    assert view.table is not None
    assert len(view.table) == len(before.table) > 200  # pce7 answers with a group
    assert set(view.table["organization"]) == {o.pk for o in orgs}
    total = next(r for r in view.rows if r.level == "total")
    # the same submissions, the same published number; perturbed from the true count
    assert total.submissions == before_total.submissions
    assert total.submissions.value == published(view, {})[0]
    assert abs(total.submissions.value - len(before.table)) <= cell_key.ptable_parameters()[0]
    assert total.organizations.value == 12


# -- the numbers are hopeful.stats' ---------------------------------------------------------------


def published(view: selectors.NetworkView, where: dict[str, str]) -> tuple[int, int]:
    """The published (submissions, yes) of the rows of ``view.grouped`` matching ``where``
    (state_code, kind_code), from their true counts and record keys."""
    g = view.grouped
    assert g is not None
    for column, value in where.items():
        g = g[g[column] == value]
    yes = g[g["outcome"] == 1]
    return (
        cell_key.value(cell_key.Tally(int(g["n"].sum()), int(g["key"].sum()))),
        cell_key.value(cell_key.Tally(int(yes["n"].sum()), int(yes["key"].sum()))),
    )


def test_shares_come_from_the_published_counts_with_the_clustered_design_effect() -> None:
    four_cells()
    view = build()
    assert view.table is not None
    design = Design(view.table, psu="organization")
    labels = {"clinic": "Pediatric or family clinic", "school": "School or early learning"}
    codes = {label: code for code, label in labels.items()}
    compared = 0
    for row in view.rows:
        where = {}
        if row.state:
            where["state_code"] = row.state
        if row.kind:
            where["kind_code"] = codes[row.kind]
        n, yes = published(view, where)
        assert row.submissions.value == n
        if row.share.estimate is None:
            assert row.share.hidden  # says why
            continue
        compared += 1
        p = yes / n
        assert row.share.estimate == pytest.approx(p)
        # the design effect and degrees of freedom of organizations as clusters, on the truth
        by = [c for c, key in (("state", "state_code"), ("kind", "kind_code")) if key in where]
        frame = design.proportion("outcome", by=by or None, ci="beta")
        frame = selectors.level_one(frame, by)
        for column, key in (("state", "state_code"), ("kind", "kind_code")):
            if key in where:
                frame = frame[frame[column] == where[key]]
        truth = frame.iloc[0]
        t_n = float(truth["population"])
        deff = max(
            1.0,
            round(truth["se"] ** 2 / (truth["estimate"] * (1 - truth["estimate"]) / (t_n - 1)), 1),
        )
        var = deff * p * (1 - p) / (n - 1)
        low, high = korn_graubard(
            np.array([p]), np.array([var]), np.array([n]), np.array([truth["df"]]), 0.95
        )
        assert (row.share.ci_low, row.share.ci_high) == pytest.approx((low[0], high[0]))
    assert compared >= 5


def test_the_intervals_treat_organizations_as_clusters() -> None:
    four_cells()
    view = build()
    assert view.table is not None
    total = next(r for r in view.rows if r.level == "total")
    assert total.share.ci_low is not None
    assert total.share.ci_high is not None
    n, yes = published(view, {})
    simple = proportions_from_counts([yes], [n]).iloc[0]  # as if 360 independent families
    assert total.share.ci_high - total.share.ci_low > simple["ci_high"] - simple["ci_low"]
    clustered = Design(view.table, psu="organization").proportion("outcome", ci="beta")
    assert clustered[clustered["level"] == 1].iloc[0]["df"] == 11  # twelve organizations


def test_a_building_block_measure() -> None:
    four_cells()
    view = build({"measure": "bb_relationships"})
    assert view.available
    assert view.table is not None
    assert len(view.table) > 0
    assert np.isin(view.table["outcome"].unique(), [0.0, 1.0]).all()


# -- page, export, filters, budget --------------------------------------------------------------


def test_the_page_has_a_chart_a_table_and_the_method(staff: Client) -> None:
    four_cells()
    content = staff.get(URL, QUERY).content.decode()
    assert '<svg class="chart" role="img"' in content
    assert '<table class="data-table">' in content
    assert "variation between organizations" in content
    assert "<script" not in content


def test_the_csv_carries_the_page_numbers_and_is_audited(staff: Client) -> None:
    four_cells()
    view = build()
    response = staff.get(URL, {**QUERY, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    total = next(r for r in rows if r[3] == "All network organizations")
    row = next(r for r in view.rows if r.level == "total")
    assert total[4] == str(row.organizations.value)
    assert total[5] == str(row.submissions.value)
    assert total[6] == f"{row.share.estimate * 100:.1f}%"
    event = AuditEvent.objects.get(verb="network.export")
    assert event.organization is None
    assert event.extra["instrument"] == "pce7"


def test_the_excel_export_has_the_csv_rows_and_is_audited(staff: Client) -> None:
    four_cells()
    as_csv = csv_rows(staff.get(URL, {**QUERY, "format": "csv"}))
    response = staff.get(URL, {**QUERY, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="network-2026.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert sheet is not None
    rows = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows == as_csv
    formats = sorted(e.extra["format"] for e in AuditEvent.objects.filter(verb="network.export"))
    assert formats == ["csv", "xlsx"]
    assert AuditEvent.objects.filter(verb="network.export").first().extra["year"] == 2026


def test_the_view_covers_one_year_of_complete_months(staff: Client) -> None:
    """Years never overlap (no two views differ by a month), and the month under way is left
    out until it is over."""
    four_cells()
    now = timezone.localtime()
    network_org("Org WI clinic this month", "WI", "clinic", 30, when=now, start=5000)
    total = next(r for r in build().rows if r.level == "total")
    assert total.organizations.value == 12  # not the organization that answered this month
    options = selectors.filter_options(language="en")
    assert options.years[0] == selectors.last_complete_month().year
    assert b'name="year"' in staff.get(URL).content
    assert b'name="start"' not in staff.get(URL).content


def test_filters_work_without_javascript_and_bad_input_falls_back(staff: Client) -> None:
    four_cells()
    response = staff.get(URL, {"state": "ZZ", "year": "nope", "unit": "weekly"})
    assert response.status_code == 200
    assert b"Some filters were not understood" in response.content
    view = build({"state": "WI"})
    assert {r.state for r in view.rows} == {"WI"}
    assert all(r.level in ("cell", "state", "period") for r in view.all_rows)


def test_the_query_count_does_not_grow_with_the_data(
    staff: Client, django_assert_max_num_queries: Any
) -> None:
    network({("WI", "clinic"): [5, 5, 5]})
    staff.get(URL)
    with django_assert_max_num_queries(8):
        assert staff.get(URL).status_code == 200
    network({("MN", "school"): [12, 12, 12, 12]})
    # the first view after new data recounts the organizations that changed: a fixed number
    # of queries per questionnaire output, not per row
    with django_assert_max_num_queries(40):
        assert staff.get(URL).status_code == 200
    with django_assert_max_num_queries(8):
        assert staff.get(URL).status_code == 200


# -- sparse trends are pooled -------------------------------------------------------------------


def _month(m: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date(2026, m, 10), dt.time(12)))


def test_a_sparse_trend_is_shown_by_quarter_and_says_so(staff: Client) -> None:
    four_cells()
    for i in range(3):  # MN schools: six submissions a month together, 12-18 a quarter
        org = network_org(f"Org MN sparse {i}", "MN", "school", 2, when=_month(4), start=7000 + i)
        for m in (5, 6, 7, 8, 9):
            add_to(org, 2, consent=BOTH, start=7000 + 100 * m + 10 * i, when=_month(m))
    monthly = build({"state": "MN", "unit": "month"})
    assert monthly.trend_unit == "quarter"
    assert "by quarter" in monthly.trend_note
    assert [r.label for r in monthly.trend] == ["2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4"]
    assert [r.label for r in monthly.trend] == [r.label for r in build({"state": "MN"}).trend]
    # Wisconsin's months are not sparse: its trend keeps them
    assert build({"state": "WI", "unit": "month"}).trend_unit == "month"
    page = staff.get(URL, {**QUERY, "state": "MN", "unit": "month"}).content.decode()
    assert "shown by quarter instead" in page
    assert "Trend by quarter" in page
    rows = csv_rows(staff.get(URL, {**QUERY, "state": "MN", "unit": "month", "format": "csv"}))
    assert any("shown by quarter instead" in r[-1] for r in rows)
