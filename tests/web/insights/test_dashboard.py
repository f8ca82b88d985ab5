"""The organization dashboard: roles, consent, small-cell protection, the numbers against
hopeful.stats, exports and the query budget."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hopeful.framework import get_instrument
from hopeful.stats import Design, nchs_proportions
from hopeful.web.audit.models import AuditEvent
from hopeful.web.families.models import ConsentPurpose
from hopeful.web.insights import selectors
from hopeful.web.insights.forms import DashboardFilterForm
from hopeful.web.organizations.access import get_organization_for_user
from hopeful.web.organizations.models import Role
from hopeful.web.surveys.models import LinkKind
from tests.web import factories as f
from tests.web.insights.factories import add_submissions, tenant, varied_pce7
from tests.web.practice.factories import make_submission

pytestmark = pytest.mark.django_db


def url(t: dict[str, Any], query: str = "") -> str:
    return reverse("insights:dashboard", args=[t["org_a"].public_id]) + query


def as_role(client: Client, t: dict[str, Any], role: str = Role.ANALYST) -> Client:
    f.login_verified(client, t["members_a"][role])
    return client


def build(t: dict[str, Any], query: dict[str, str] | None = None) -> selectors.Dashboard:
    """The selector's dashboard for A's analyst, as the view builds it."""
    access = get_organization_for_user(t["members_a"][Role.ANALYST], t["org_a"].public_id)
    options = selectors.filter_options(access=access, language="en")
    form = DashboardFilterForm(query or None, options=options)
    if form.is_bound:
        form.is_valid()
    return selectors.dashboard(
        access=access, filters=form.filters(), options=options, language="en"
    )


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# -- who may open it --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.ANALYST])
def test_admins_and_analysts_see_the_dashboard(
    client: Client, two_tenants: dict[str, Any], role: str
) -> None:
    response = as_role(client, two_tenants, role).get(url(two_tenants))
    assert response.status_code == 200
    assert b"Program dashboard" in response.content


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.RESEARCHER, Role.VIEWER])
def test_other_roles_are_refused(client: Client, two_tenants: dict[str, Any], role: str) -> None:
    client = as_role(client, two_tenants, role)
    assert client.get(url(two_tenants)).status_code == 403
    assert client.get(url(two_tenants, "?format=csv")).status_code == 403


def test_an_outsider_gets_404_also_for_the_export(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    f.login_verified(client, two_tenants["members_b"][Role.ORG_ADMIN])
    assert client.get(url(two_tenants)).status_code == 404
    assert client.get(url(two_tenants, "?format=xlsx")).status_code == 404
    assert not AuditEvent.objects.filter(verb="dashboard.export").exists()


def test_the_page_never_names_a_family(client: Client, two_tenants: dict[str, Any]) -> None:
    program, campaign, link = tenant(two_tenants)
    add_submissions(program, campaign, link, 40)
    response = as_role(client, two_tenants).get(url(two_tenants))
    assert not re.search(rb"Family \d+-\d+", response.content)  # the families' names
    assert b"/families/" not in response.content


# -- consent --------------------------------------------------------------------------------


def test_families_without_program_improvement_consent_are_not_counted(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    program, campaign, link = tenant(two_tenants)
    add_submissions(program, campaign, link, 30)
    add_submissions(program, campaign, link, 12, consent=(ConsentPurpose.CARE,), start=50)
    data = build(two_tenants)
    assert data.reach.total.value == 30
    assert data.respondents.value == 30
    assert data.reach.left_out.value == 12
    assert all(e.n.value is None or e.n.value <= 30 for e in data.items)

    # a family that revokes is left out at once
    revoked = add_submissions(program, campaign, link, 1, start=90)[0].family
    f.grant_consent(revoked)  # granted ...
    from hopeful.web.families.models import ConsentRecord

    ConsentRecord.objects.create(
        organization=revoked.organization,
        family=revoked,
        purpose=ConsentPurpose.PROGRAM_IMPROVEMENT,
        granted=False,
        text_version="2026-1",
        language="en",
    )
    data = build(two_tenants)
    assert data.reach.total.value == 30
    assert data.reach.left_out.value == 13


# -- small cells ----------------------------------------------------------------------------

SMALL = re.compile(r">\s*(\d+)\s*<")


def _small_numbers_in_html(html: str) -> list[int]:
    """Numbers standing alone in an element (counts), from 1 to 10."""
    return [int(n) for n in SMALL.findall(html) if 1 <= int(n) <= 10]


def test_no_count_from_1_to_10_leaves_for_a_small_program(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    program, campaign, link = tenant(two_tenants)
    add_submissions(program, campaign, link, 5)
    client = as_role(client, two_tenants, Role.ORG_ADMIN)
    for query in ("", f"?program={program.public_id}"):
        page = client.get(url(two_tenants, query)).content.decode()
        assert _small_numbers_in_html(page) == [], query
        assert "hidden to protect small groups" in page
        assert "Pooling a longer period or all programs may show them." in page
        # no percentage either: every estimate is hidden
        body = page[page.index('id="profile"') : page.index('class="footnotes"')]
        body = re.sub(r"<svg.*?</svg>", "", body, flags=re.S)  # the axes' tick labels
        assert not re.search(
            r"\d+\.\d%",
            body.replace("53.1%", "")
            .replace("12.2%", "")
            .replace("59.5%", "")
            .replace("90.5%", ""),
        )
        rows = csv_rows(
            client.get(url(two_tenants, query + ("&" if query else "?") + "format=csv"))
        )
        for row in rows[1:]:
            for cell in (row[3], row[5]):
                assert not re.fullmatch(r"\d+", cell) or not 1 <= int(cell) <= 10, row
            assert not row[3].endswith("%"), row
    data = build(two_tenants)
    assert data.reach.total.suppressed
    assert all(not e.shown for e in data.all_estimates)


def test_a_small_program_beside_a_large_one_cannot_be_recovered(
    two_tenants: dict[str, Any],
) -> None:
    program, campaign, link = tenant(two_tenants)
    add_submissions(program, campaign, link, 60)
    add_submissions(two_tenants["other_program_a"], campaign, link, 5, start=100)
    everyone = build(two_tenants)
    main = build(two_tenants, {"program": str(program.public_id)})
    north = build(two_tenants, {"program": str(two_tenants["other_program_a"].public_id)})
    assert north.reach.total.suppressed
    assert north.respondents.suppressed
    # never both the all-programs total and the large program's total (their difference is 5)
    for a, b in (
        (everyone.reach.total, main.reach.total),
        (everyone.respondents, main.respondents),
    ):
        assert a.suppressed or b.suppressed
    shown_by_program = [r.count.value for r in everyone.reach.by_program]
    assert 5 not in shown_by_program
    # the all-programs view is still useful
    assert everyone.reach.total.value == 65
    assert any(e.shown for e in everyone.items)


def test_the_threshold_comes_from_the_setting(two_tenants: dict[str, Any], settings: Any) -> None:
    program, campaign, link = tenant(two_tenants)
    add_submissions(program, campaign, link, 15)
    assert build(two_tenants).reach.total.value == 15
    settings.HOPEFUL_SMALL_CELL_THRESHOLD = 20
    assert build(two_tenants).reach.total.suppressed


# -- the numbers are hopeful.stats' numbers -------------------------------------------------


def _expected_table(count: int) -> pd.DataFrame:
    definition = get_instrument("pce7")
    records = []
    for i in range(count):
        answers = varied_pce7(i)
        row: dict[str, float] = {}
        for item in definition.items:
            code = answers[item.id]
            if code in definition.affirmative_codes(item.id):
                row[item.id] = 1.0
            elif code in item.answer_codes:
                row[item.id] = 0.0
            else:
                row[item.id] = np.nan
        records.append(row)
    return pd.DataFrame.from_records(records)


def test_estimates_equal_hopeful_stats_on_the_same_data(two_tenants: dict[str, Any]) -> None:
    program, campaign, link = tenant(two_tenants)
    count = 120
    add_submissions(program, campaign, link, count)
    data = build(two_tenants)
    expected = _expected_table(count)
    design = Design(expected)
    compared = 0
    for estimate in data.items:
        item_id = estimate.key.removeprefix("item:")
        frame = nchs_proportions(design.proportion(item_id, ci="beta"))
        row = frame[frame["level"] == 1].iloc[0]
        assert estimate.n.value == int(row["n"])
        if estimate.shown:
            assert estimate.estimate == pytest.approx(row["estimate"], rel=1e-12)
            assert estimate.ci_low == pytest.approx(row["ci_low"], rel=1e-12)
            assert estimate.ci_high == pytest.approx(row["ci_high"], rel=1e-12)
            assert bool(row["present"])
            compared += 1
        else:
            assert not bool(row["present"]) or estimate.protected
    assert compared >= 5
    # the missing answers (code 7) are left out of that item only (complete case)
    pce3 = next(e for e in data.items if e.key == "item:pce3")
    assert pce3.n.value == int(expected["pce3"].notna().sum()) < count


def test_an_item_no_one_has_is_the_complement_of_the_engine_estimate() -> None:
    # The engine's two levels of a 0/1 variable are complements (interval included): the
    # selector relies on it when the data hold only 0s and the engine reports level 0 only.
    mixed = Design(pd.DataFrame({"y": np.r_[np.ones(3), np.zeros(37)]}))
    both = mixed.proportion("y", ci="beta").set_index("level")
    assert both.loc[1, "estimate"] == pytest.approx(1 - both.loc[0, "estimate"])
    assert both.loc[1, "ci_low"] == pytest.approx(1 - both.loc[0, "ci_high"], abs=1e-12)
    assert both.loc[1, "ci_high"] == pytest.approx(1 - both.loc[0, "ci_low"], abs=1e-12)

    zeros = Design(pd.DataFrame({"y": np.zeros(40)})).proportion("y", ci="beta")
    level_one = selectors._level_one(zeros)
    assert level_one["level"].tolist() == [1]
    assert level_one["estimate"].iloc[0] == 0.0
    assert level_one["ci_low"].iloc[0] == pytest.approx(0.0, abs=1e-12)
    assert level_one["ci_high"].iloc[0] == pytest.approx(1 - zeros["ci_low"].iloc[0])


# -- exports -------------------------------------------------------------------------------


def test_csv_and_xlsx_carry_the_page_numbers_and_are_audited(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    program, campaign, link = tenant(two_tenants)
    add_submissions(program, campaign, link, 80)
    client = as_role(client, two_tenants)
    page = client.get(url(two_tenants)).content.decode()
    assert not AuditEvent.objects.filter(verb="dashboard.export").exists()  # viewing: no

    response = client.get(url(two_tenants, "?format=csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    rows = csv_rows(response)
    shares = [row[3] for row in rows[1:] if row[3].endswith("%")]
    assert shares
    for share in shares:
        assert share in page
    counted = next(r for r in rows if r[2] == "Submissions counted")
    assert counted[3] == "80"

    xlsx = client.get(url(two_tenants, "?format=xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)][1:] == [
        [c if c != "" else None for c in row] for row in rows[1:]
    ]
    events = AuditEvent.objects.filter(verb="dashboard.export").order_by("id")
    assert [e.extra["format"] for e in events] == ["csv", "xlsx"]
    assert events[0].organization == two_tenants["org_a"]
    assert events[0].actor == two_tenants["members_a"][Role.ANALYST]


# -- filters, charts ----------------------------------------------------------------------


def test_filters_work_without_javascript_and_bad_input_falls_back(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    program, campaign, link = tenant(two_tenants)
    add_submissions(program, campaign, link, 30)
    client = as_role(client, two_tenants)
    page = client.get(url(two_tenants, "?period=2020-Q5&program=nope"))
    assert page.status_code == 200
    assert b"Some filters were not understood" in page.content
    assert client.get(url(two_tenants, "?period=1999")).status_code == 200  # falls back
    earliest = timezone.localdate().year - 4
    empty = build(two_tenants, {"period": str(earliest)})
    assert empty.reach.total.value == 0
    assert [p.estimate.label for p in empty.trend.points] == [
        f"{earliest} Q{q}" for q in (1, 2, 3, 4)
    ]


def test_charts_are_inline_svg_with_a_data_table(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    program, campaign, link = tenant(two_tenants)
    add_submissions(program, campaign, link, 80)
    page = as_role(client, two_tenants).get(url(two_tenants)).content.decode()
    assert page.count('role="img"') >= 4
    assert "<script" not in page.split("</header>")[1]
    assert page.count("<table") >= 5
    assert "MMWR 2024" in page
    assert "53.1%" in page


# -- query budget ---------------------------------------------------------------------------


def test_the_dashboard_query_count_does_not_grow_with_the_data(
    client: Client, two_tenants: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    program, campaign, link = tenant(two_tenants)
    add_submissions(program, campaign, link, 5)
    client = as_role(client, two_tenants)
    client.get(url(two_tenants))  # warm the session
    with django_assert_max_num_queries(13):
        client.get(url(two_tenants))
    add_submissions(program, campaign, link, 60, start=10)
    with django_assert_max_num_queries(13):
        assert client.get(url(two_tenants)).status_code == 200


def invite(t: dict[str, Any], invited: int, answered: int, uncounted: int = 0) -> None:
    """``invited`` families of A's main program get a personal link; the first ``answered``
    answer through it, and the first ``uncounted`` of all did not agree to be counted."""
    program, campaign, _link = tenant(t)
    creator = t["members_a"][Role.ORG_ADMIN]
    for i in range(invited):
        family = f.make_family(program.organization, program, f"Invited {i}")
        counted = () if i < uncounted else (ConsentPurpose.PROGRAM_IMPROVEMENT,)
        f.grant_consent(family, ConsentPurpose.CARE, *counted)
        personal, _token = f.make_link(campaign, creator, kind=LinkKind.PERSONAL, family=family)
        if i < answered:
            make_submission(family, campaign, personal, answers={"pce7": varied_pce7(i)})


def test_reach_counts_families_invited_and_invitations_answered(
    two_tenants: dict[str, Any],
) -> None:
    invite(two_tenants, invited=30, answered=13, uncounted=1)
    reach = build(two_tenants).reach
    assert reach.invited.value == 30
    assert reach.answered.value == 12  # one of the 13 did not agree to be counted


def test_a_few_unanswered_invitations_hide_the_answered_count(
    two_tenants: dict[str, Any],
) -> None:
    invite(two_tenants, invited=16, answered=12)
    reach = build(two_tenants).reach
    assert reach.invited.value == 16
    assert reach.answered.suppressed  # 16 - 12 = 4 unanswered would follow
