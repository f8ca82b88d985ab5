"""The organization dashboard: roles, consent, the cell-key protection of counts (every count
is the perturbation of exactly its records; 1 to 10 shown as "fewer than 11"; the same records
give the same number in every view), the shares against hopeful.stats, filters, charts and
the query budget. The exports are in ``test_exports.py``, the headline and the trend in
``test_headline_trend.py``."""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from hopeful.framework import get_instrument
from hopeful.stats import KEY_RANGE, Design, nchs_proportions, proportions_from_counts
from hopeful.web.audit.models import AuditEvent
from hopeful.web.families.models import ConsentPurpose, ConsentRecord
from hopeful.web.insights import audit, protection
from hopeful.web.insights.protection import Tally
from hopeful.web.organizations.models import Role
from hopeful.web.surveys.models import InstrumentScore, LinkKind, Submission
from tests.web import factories as f
from tests.web.insights.factories import (
    add_submissions,
    affirmative,
    as_role,
    assert_published,
    build,
    csv_rows,
    expected_count,
    expected_share,
    key_sum,
    noise_bound,
    published,
    tenant,
    url,
    varied_pce7,
)
from tests.web.practice.factories import make_submission

pytestmark = pytest.mark.django_db

FEWER = "fewer than 11"

# Re-exported for the other dashboard test modules.
__all__ = ["as_role", "build", "count_cells", "csv_rows", "url"]


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


# -- consent: each count is the perturbation of exactly the counted submissions ---------------


def test_families_without_program_improvement_consent_are_not_counted(
    two_tenants: dict[str, Any],
) -> None:
    program, campaign, link = tenant(two_tenants)
    counted = add_submissions(program, campaign, link, 30)
    refused = add_submissions(program, campaign, link, 12, consent=(ConsentPurpose.CARE,), start=50)
    with audit.recording() as ledger:
        data = build(two_tenants)
    assert data.reach.total == expected_count(counted)
    assert data.respondents == expected_count(counted)
    assert data.reach.left_out == expected_count(refused)
    # the published cells are exactly these records (a refused one counted would change the
    # key sum, whatever number it happened to give)
    total, left_out = key_sum(counted), key_sum(refused)
    assert ledger.values[(total.n, total.key)] == {published(counted)}
    assert ledger.values[(left_out.n, left_out.key)] == {published(refused)}
    for one in refused:
        assert (total.n + 1, total.key + one.record_key) not in ledger.values
    # an item every counted family answered: the same records, the same number
    pce1 = next(e for e in data.items if e.key == "item:pce1")
    assert pce1.n == data.respondents

    # a family that revokes is left out at once
    revoked = add_submissions(program, campaign, link, 1, start=90)
    assert build(two_tenants).reach.total == expected_count(counted + revoked)
    ConsentRecord.objects.create(
        organization=revoked[0].organization,
        family=revoked[0].family,
        purpose=ConsentPurpose.PROGRAM_IMPROVEMENT,
        granted=False,
        text_version="2026-1",
        language="en",
    )
    data = build(two_tenants)
    assert data.reach.total == expected_count(counted)
    assert data.reach.left_out == expected_count(refused + revoked)


# -- small groups -----------------------------------------------------------------------------

#: An element whose class marks a count (``count``, ``hidden-count``) or a number column.
COUNT_CELL = re.compile(r'class="[^"]*\b(?:num|count|hidden-count)\b[^"]*"[^>]*>\s*([^<]*?)\s*<')


def count_cells(html: str) -> list[str]:
    """The text of every count position of a page (numbers and "fewer than 11")."""
    return [text for text in COUNT_CELL.findall(html) if text.isdigit() or text == FEWER]


def row_cell(html: str, label: str) -> str:
    """The first cell after a table row's heading ``label``."""
    match = re.search(
        rf"<th scope=\"row\">{re.escape(label)}</th>\s*<td[^>]*>\s*([^<]*?)\s*<", html
    )
    assert match, label
    return match.group(1)


def fact(html: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd[^>]*>\s*([^<]*?)\s*<", html)
    assert match, label
    return match.group(1)


def test_a_small_program_shows_fewer_than_11_everywhere_and_zeros_as_0(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    program, campaign, link = tenant(two_tenants)
    # 5: perturbed by at most 5 (D), never 0 and never 11 or more, whatever the keys
    add_submissions(program, campaign, link, 5)
    client = as_role(client, two_tenants, Role.ORG_ADMIN)
    for query in ("", f"?program={program.public_id}"):
        page = client.get(url(two_tenants, query)).content.decode()
        cells = count_cells(page)
        assert FEWER in cells
        assert not [c for c in cells if c.isdigit() and c != "0"], (query, cells)
        assert fact(page, "Submissions counted") == FEWER
        assert fact(page, "Not counted: no consent to program improvement") == "0"
        assert row_cell(page, "Main site") == FEWER
        if not query:
            assert row_cell(page, "North site") == "0"  # a true 0 is shown as 0
            assert row_cell(page, "English") == FEWER
            assert row_cell(page, "Spanish") == "0"
        assert "Some numbers are not shown" in page
        assert "Pooling a longer period or all programs may show them." in page
        # no percentage either: every estimate is hidden
        body = page[page.index('id="headline"') : page.index('class="footnotes"')]
        body = re.sub(r"<svg.*?</svg>", "", body, flags=re.S)  # the axes' tick labels
        for figure in ("53.1%", "12.2%", "59.5%", "90.5%"):  # the published benchmarks
            body = body.replace(figure, "")
        assert not re.search(r"\d+\.\d%", body), query

        export = url(two_tenants, query + ("&" if query else "?") + "format=csv")
        rows = csv_rows(client.get(export))
        assert rows[0][5] == "n"
        for row in rows[1:]:
            assert not (row[5].isdigit() and 1 <= int(row[5]) <= 10), row
            assert row[6] == "", row  # no estimate
            assert row[10] in ("true", "false")
            if row[5] == "":
                assert row[10] == "false", row
                assert row[11], row
        main = next(
            r for r in rows if r[:4] == ["reach", "submissions_counted", "Program", "Main site"]
        )
        assert (main[5], main[10], main[11]) == ("", "false", FEWER)
        xlsx = client.get(url(two_tenants, query + ("&" if query else "?") + "format=xlsx"))
        sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).active
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert values == [[c if c != "" else None for c in row] for row in rows]
    data = build(two_tenants)
    assert data.reach.total.suppressed
    assert data.reach.by_program[1].count.value == 0
    assert all(not e.shown for e in data.all_estimates)
    assert data.trend is None  # a view whose totals are hidden shows no trend


@pytest.mark.parametrize("n", range(1, 11))
def test_a_positive_count_is_never_published_as_0(n: int) -> None:
    # Keys across the whole range, in steps finer than any interval of the perturbation
    # table's rows, through both ways a count is published: one cell, and many at once (the
    # shares' numerators and denominators).
    keys = np.linspace(0, KEY_RANGE - 1, 1001).astype(np.int64)
    one_by_one = [protection.value(Tally(n, int(k))) for k in keys]
    assert min(one_by_one) >= 1, n
    assert protection.perturbed(np.full(keys.shape, n), keys).tolist() == one_by_one
    assert all(protection.count(Tally(n, int(k))).value != 0 for k in keys[::10])
    assert protection.value(Tally(0, 0)) == 0
    assert protection.count(Tally(0, 0)).value == 0


def test_a_lone_submission_shows_fewer_than_11_not_0(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    program, campaign, link = tenant(t)
    add_submissions(program, campaign, link, 30)
    lone = add_submissions(t["other_program_a"], campaign, link, 1, start=100)[0]
    # key 0 reads the lowest perturbation of the table's row for 1
    Submission.objects.filter(pk=lone.pk).update(record_key=0)
    everyone = build(t)
    north = build(t, {"program": str(t["other_program_a"].public_id)})
    assert everyone.reach.by_program[1].count.suppressed
    assert north.reach.total.suppressed
    assert north.respondents.suppressed


def test_the_same_records_give_the_same_number_in_every_view(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    program, campaign, link = tenant(t)
    main_rows = add_submissions(program, campaign, link, 60)
    north_rows = add_submissions(t["other_program_a"], campaign, link, 5, start=100)
    everyone = build(t)
    main = build(t, {"program": str(program.public_id)})
    north = build(t, {"program": str(t["other_program_a"].public_id)})
    by_program = {r.label: r.count for r in everyone.reach.by_program}
    # a program's count: the same number in the all-programs table and in its own view
    assert by_program["Main site"] == main.reach.total == expected_count(main_rows)
    assert main.reach.by_program[0].count == main.reach.total
    assert by_program["North site"] == north.reach.total == expected_count(north_rows)
    assert north.reach.total.suppressed
    assert north.respondents.suppressed
    # the submissions counted and the respondents are the same records here: one number
    assert main.respondents == main.reach.total
    assert everyone.respondents == everyone.reach.total == expected_count(main_rows + north_rows)
    english = {r.label: r.count for r in everyone.reach.by_language}["English"]
    assert english == everyone.reach.total
    # a share too: main's pce1 in its own view is the share of the same cells every time
    again = build(t, {"program": str(program.public_id), "breakdown": "income"})
    assert [e.estimate for e in again.items] == [e.estimate for e in main.items]
    # the all-programs view is still useful
    assert any(e.shown for e in everyone.items)


def test_the_threshold_and_the_perturbation_come_from_the_settings(
    client: Client, two_tenants: dict[str, Any], settings: Any
) -> None:
    program, campaign, link = tenant(two_tenants)
    max_noise = protection.ptable_parameters()[0]
    rows = add_submissions(program, campaign, link, 11 + max_noise)
    assert build(two_tenants).reach.total.value == published(rows)  # 11 or more
    settings.HOPEFUL_SMALL_CELL_THRESHOLD = 12 + 2 * max_noise  # above anything it can show
    assert build(two_tenants).reach.total.suppressed
    del settings.HOPEFUL_SMALL_CELL_THRESHOLD
    settings.HOPEFUL_PTABLE_MAX_NOISE = 2
    settings.HOPEFUL_PTABLE_VARIANCE = 1.0
    assert protection.ptable().max_noise == 2
    data = build(two_tenants)
    assert data.max_noise == 2
    assert data.reach.total.value == published(rows)
    assert abs(published(rows) - len(rows)) <= 2
    page = as_role(client, two_tenants).get(url(two_tenants)).content.decode()
    assert "by at most 2" in page


# -- the numbers are hopeful.stats' numbers -------------------------------------------------


def _scored(rows: list[Submission]) -> list[dict[str, Any]]:
    """Each submission's stored pce7 score values (the engine's scoring)."""
    scores = dict(
        InstrumentScore.objects.filter(submission__in=rows, instrument_id="pce7").values_list(
            "submission_id", "values"
        )
    )
    return [scores[s.pk] for s in rows]


@pytest.mark.usefixtures("shares_from_counts")
def test_estimates_equal_hopeful_stats_on_the_same_data(two_tenants: dict[str, Any]) -> None:
    program, campaign, link = tenant(two_tenants)
    count = 120
    rows = add_submissions(program, campaign, link, count)
    answers = [varied_pce7(i) for i in range(count)]
    scores = _scored(rows)
    data = build(two_tenants)
    definition = get_instrument("pce7")

    def check(estimate: Any, flags: list[bool | None]) -> bool:
        """The published share is proportions_from_counts of the published counts of the
        expected records, and close to the true Design estimate of the same flags."""
        yes = [s for s, v in zip(rows, flags, strict=True) if v]
        answered = [s for s, v in zip(rows, flags, strict=True) if v is not None]
        assert_published(estimate, expected_share(yes, answered))
        if not estimate.shown:
            return False
        frame = pd.DataFrame({"y": [np.nan if v is None else float(v) for v in flags]})
        true = Design(frame).proportion("y", ci="beta")
        true_share = float(true.loc[true["level"] == 1, "estimate"].sum())
        assert abs(estimate.estimate - true_share) <= noise_bound(len(answered)), estimate.label
        return True

    shown = 0
    for estimate in data.items:
        item_id = estimate.key.removeprefix("item:")
        shown += check(estimate, [affirmative(a, item_id) for a in answers])
    for estimate in data.blocks:
        output = estimate.key.removeprefix("block:")
        shown += check(
            estimate, [None if s.get(output) is None else s[output] >= 1 for s in scores]
        )
    for estimate in data.bands:
        band = estimate.key.removeprefix("band:")
        shown += check(
            estimate, [None if s.get("band") is None else s["band"] == band for s in scores]
        )
    assert shown >= 10
    assert len(data.items) == len([i for i in definition.items if i.block is not None])
    # the missing answers (code 7) are left out of that item only (complete case)
    pce3 = next(e for e in data.items if e.key == "item:pce3")
    answered = [s for s, a in zip(rows, answers, strict=True) if affirmative(a, "pce3") is not None]
    assert len(answered) < count
    assert pce3.n == expected_count(answered)


def test_an_item_no_one_has_is_published_as_0_with_its_interval(
    two_tenants: dict[str, Any],
) -> None:
    program, campaign, link = tenant(two_tenants)
    rows = add_submissions(program, campaign, link, 40)
    for submission in rows:  # nobody has pce1 (1: never)
        submission.answers = {"pce7": {**submission.answers["pce7"], "pce1": 1}}
        submission.save(update_fields=["answers"])
    pce1 = next(e for e in build(two_tenants).items if e.key == "item:pce1")
    assert pce1.yes is not None
    assert pce1.yes.value == 0
    assert pce1.n == expected_count(rows)
    assert pce1.shown
    assert pce1.estimate == 0.0
    assert pce1.ci_low == pytest.approx(0.0, abs=1e-12)
    expected = proportions_from_counts([0], [published(rows)]).iloc[0]
    assert pce1.ci_high == pytest.approx(expected["ci_high"], rel=1e-12)
    assert "Everyone or no one: read with care." in pce1.flags
    # the engine's two levels of a 0/1 variable are complements: its interval for "no one"
    # is 1 minus its interval for "everyone not"
    zeros = Design(pd.DataFrame({"y": np.zeros(published(rows))})).proportion("y", ci="beta")
    assert expected["ci_high"] == pytest.approx(1 - float(zeros["ci_low"].iloc[0]), abs=1e-12)
    assert nchs_proportions(proportions_from_counts([0], [published(rows)]))["present"].iloc[0]


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
    assert empty.reach.total.value == 0  # a true 0 is shown as 0
    assert empty.respondents.value == 0
    assert empty.trend is None  # the trend spans only quarters with answers
    assert all(e.hidden == "No answers in this view." for e in empty.items)
    page = client.get(url(two_tenants, f"?period={earliest}")).content.decode()
    assert fact(page, "Submissions counted") == "0"


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
    data = build(two_tenants)
    shown = [e for e in data.blocks if e.shown]
    assert shown
    for estimate in shown:  # each bar's number is in its table
        assert f">{estimate.estimate * 100:.1f}%<" in page


# -- query budget ---------------------------------------------------------------------------


def test_the_dashboard_query_count_does_not_grow_with_the_data(
    client: Client, two_tenants: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    program, campaign, link = tenant(two_tenants)
    add_submissions(program, campaign, link, 5)
    client = as_role(client, two_tenants)
    client.get(url(two_tenants))  # warm the session
    with django_assert_max_num_queries(13):  # the same data: nothing new to read
        client.get(url(two_tenants))

    def queries_after(count: int, start: int) -> int:
        add_submissions(program, campaign, link, count, start=start)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(two_tenants)).status_code == 200
        return len(captured)

    # new data: what is new is read, in the same few queries however much there is
    few, many = queries_after(5, 10), queries_after(60, 20)
    assert few == many
    # and the numbers of rows, read once when there is something new (with every demographic
    # answer once more, for the tables shares are estimated in)
    assert many <= 17


# -- invitations ----------------------------------------------------------------------------


def invite(
    t: dict[str, Any], invited: int, answered: int, uncounted: int = 0
) -> tuple[list[Any], list[Any]]:
    """``invited`` families of A's main program get a personal link; the first ``answered``
    answer through it, and the first ``uncounted`` of all did not agree to be counted.
    Returns (every link, the links answered by a counted family)."""
    program, campaign, _link = tenant(t)
    creator = t["members_a"][Role.ORG_ADMIN]
    links, counted_answers = [], []
    for i in range(invited):
        family = f.make_family(program.organization, program, f"Invited {i}")
        counted = () if i < uncounted else (ConsentPurpose.PROGRAM_IMPROVEMENT,)
        f.grant_consent(family, ConsentPurpose.CARE, *counted)
        personal, _token = f.make_link(campaign, creator, kind=LinkKind.PERSONAL, family=family)
        links.append(personal)
        if i < answered:
            make_submission(family, campaign, personal, answers={"pce7": varied_pce7(i)})
            if i >= uncounted:
                counted_answers.append(personal)
    return links, counted_answers


def test_reach_counts_families_invited_and_invitations_answered(
    two_tenants: dict[str, Any],
) -> None:
    links, answered = invite(two_tenants, invited=30, answered=13, uncounted=1)
    assert len(answered) == 12  # one of the 13 did not agree to be counted
    reach = build(two_tenants).reach
    assert reach.invited == expected_count(links)
    assert reach.answered == expected_count(answered)


def test_a_few_unanswered_invitations_leave_the_answered_count_perturbed(
    two_tenants: dict[str, Any],
) -> None:
    # 16 invited, 12 answered: both shown, each its own cell, so their difference is the 4
    # unanswered plus noise, never exactly 4 by construction
    links, answered = invite(two_tenants, invited=16, answered=12)
    with audit.recording() as ledger:
        reach = build(two_tenants).reach
    assert reach.invited == expected_count(links)
    assert reach.answered == expected_count(answered)
    unanswered = key_sum(links) - key_sum(answered)
    assert unanswered.n == 4
    assert (unanswered.n, unanswered.key) not in ledger.values  # never a cell of its own
