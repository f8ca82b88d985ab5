"""The dashboard's CSV and XLSX exports: tidy (fixed English columns, one row per published
cell), the page's numbers (counts as published, shares as proportions), hidden cells marked
with their reason, the same rows in both formats, audited."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from hopeful.web.audit.models import AuditEvent
from hopeful.web.insights import formatting, protection
from hopeful.web.insights.exports import COLUMNS
from hopeful.web.organizations.models import Role
from tests.web.insights.factories import (
    add_submissions,
    as_role,
    build,
    csv_rows,
    expected_count,
    tenant,
    url,
)
from tests.web.insights.test_dashboard import FEWER, row_cell

pytestmark = pytest.mark.django_db

HEADER = [
    "section",
    "measure",
    "group",
    "category",
    "period",
    "n",
    "estimate",
    "ci_low",
    "ci_high",
    "flags",
    "shown",
    "reason",
]


def by_column(rows: list[list[str]]) -> list[dict[str, str]]:
    assert rows[0] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def xlsx_rows(response: Any) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def data_set(t: dict[str, Any]) -> tuple[list[Any], list[Any], list[Any]]:
    """80 English answers of the main site, 5 Spanish ones and 5 of the north site: some
    counts are shown, some "fewer than 11"."""
    program, campaign, link = tenant(t)
    english = add_submissions(program, campaign, link, 80)
    spanish = add_submissions(program, campaign, link, 5, language="es", start=100)
    north = add_submissions(t["other_program_a"], campaign, link, 5, start=200)
    return english, spanish, north


def test_the_columns_are_fixed_and_the_same_in_csv_and_xlsx_and_exports_are_audited(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    data_set(t)
    client = as_role(client, t)
    client.get(url(t))
    assert not AuditEvent.objects.filter(verb="dashboard.export").exists()  # viewing: no
    response = client.get(url(t, "?format=csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"\xef\xbb\xbf")  # a byte-order mark, for Excel
    rows = csv_rows(response)
    assert rows[0] == HEADER == COLUMNS
    assert all(len(row) == len(HEADER) for row in rows)
    xlsx = client.get(url(t, "?format=xlsx"))
    assert xlsx["Cache-Control"] == "no-store"
    assert xlsx_rows(xlsx) == [[c if c != "" else None for c in row] for row in rows]
    # the column names stay English in a Spanish export; the words in the cells do not
    spanish = csv_rows(client.get("/es" + url(t, "?format=csv")))
    assert spanish[0] == HEADER
    assert len(spanish) == len(rows)
    with translation.override("es"):
        assert any(r[3] == translation.gettext("Spanish") for r in spanish)
    events = AuditEvent.objects.filter(verb="dashboard.export").order_by("id")
    assert [e.extra["format"] for e in events] == ["csv", "xlsx", "csv"]
    assert events[0].organization == t["org_a"]
    assert events[0].actor == t["members_a"][Role.ANALYST]
    assert events[0].extra["program"] == "all"
    assert events[0].extra["period"] == "all"
    assert events[0].extra["instrument"] == "pce7"


def test_one_row_per_published_cell_with_the_pages_numbers(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    english, spanish, north = data_set(t)
    client = as_role(client, t)
    page = client.get(url(t)).content.decode()
    rows = by_column(csv_rows(client.get(url(t, "?format=csv"))))
    data = build(t)
    # one row per cell: no two rows describe the same cell
    keys = [(r["section"], r["measure"], r["group"], r["category"], r["period"]) for r in rows]
    assert len(keys) == len(set(keys))

    def section(name: str) -> list[dict[str, str]]:
        return [r for r in rows if r["section"] == name]

    reach = section("reach")
    assert [r["category"] for r in reach if r["group"] == "Program"] == ["Main site", "North site"]
    assert [r["category"] for r in reach if r["group"] == "Language"] == [
        r.label for r in data.reach.by_language
    ]
    assert {r["measure"] for r in reach} == {
        "submissions_counted",
        "not_counted_no_consent",
        "invited_personal_link",
        "invitations_answered",
    }
    assert len(reach) == 2 + len(data.reach.by_language) + 4
    program_rows = {r["category"]: r for r in reach if r["group"] == "Program"}
    assert program_rows["Main site"]["n"] == str(expected_count(english + spanish).value)
    assert program_rows["Main site"]["n"] == row_cell(page, "Main site")
    assert (program_rows["North site"]["n"], program_rows["North site"]["reason"]) == ("", FEWER)
    languages = {r["category"]: r for r in reach if r["group"] == "Language"}
    assert languages["English"]["n"] == str(expected_count(english + north).value)
    assert (languages["Spanish"]["n"], languages["Spanish"]["shown"]) == ("", "false")
    total = next(r for r in reach if r["measure"] == "submissions_counted" and not r["category"])
    assert total["n"] == str(expected_count(english + spanish + north).value)
    assert total["group"] == "All programs"
    (respondents,) = section("respondents")
    assert respondents["n"] == str(data.respondents.value)

    # the shares: one row per estimate of each section, as proportions with their interval
    for name, estimates in (
        ("experience", data.items),
        ("building_block", data.blocks),
        ("group", data.bands),
        ("rate", data.rates),
    ):
        exported = section(name)
        assert [r["category"] for r in exported] == [e.label for e in estimates], name
        for row, estimate in zip(exported, estimates, strict=True):
            assert row["period"] == data.filters.period_label
            assert row["n"] == ("" if estimate.n.value is None else str(estimate.n.value))
            assert row["shown"] == ("true" if estimate.shown else "false")
            if not estimate.shown:
                assert row["estimate"] == ""
                assert row["reason"] == estimate.hidden
                continue
            assert not row["estimate"].endswith("%")
            assert float(row["estimate"]) == pytest.approx(estimate.estimate, abs=5e-7)
            assert float(row["ci_low"]) == pytest.approx(estimate.ci_low, abs=5e-7)
            assert float(row["ci_high"]) == pytest.approx(estimate.ci_high, abs=5e-7)
            assert 0 <= float(row["ci_low"]) <= float(row["estimate"]) <= float(row["ci_high"]) <= 1
            assert row["flags"] == "; ".join(estimate.flags)
            if name != "group":  # the groups' labels are also the trend's and headline's
                # the page shows the same share and n in the row of the same label
                cells = re.search(
                    rf"<th scope=\"row\">{re.escape(estimate.label)}</th>\s*"
                    r"<td class=\"num\">([^<]*)</td>\s*<td class=\"num\">([^<]*)</td>\s*"
                    r"<td class=\"num[^\"]*\">([^<]*)</td>",
                    page,
                )
                assert cells, estimate.label
                percent = f"{float(row['estimate']) * 100:.1f}%"
                assert cells.groups() == (percent, formatting.ci_text(estimate), row["n"])
    assert sum(1 for r in section("experience") if r["shown"] == "true") >= 5

    # the headline's changes, the trend's points and the equity rows (with everyone)
    changes = [row for row in data.headline.rows if row.change is not None]
    assert len(section("change")) == len(changes)
    assert [r["category"] for r in section("trend")] == [
        p.estimate.label for p in data.trend.points
    ]
    assert [r["category"] for r in section("equity")] == [
        *(r.label for r in data.equity.rows),
        data.equity.overall.label,
    ]
    assert len(rows) == (
        len(reach)
        + 1
        + len(data.items)
        + len(data.blocks)
        + len(data.bands)
        + len(data.rates)
        + len(changes)
        + len(data.trend.points)
        + len(data.equity.rows)
        + 1
    )


def test_hidden_cells_are_rows_marked_not_shown_with_their_reason(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    data_set(t)
    client = as_role(client, t)
    rows = by_column(csv_rows(client.get(url(t, "?format=csv&breakdown=language"))))
    hidden = [r for r in rows if r["shown"] == "false"]
    assert hidden
    for row in rows:
        assert row["shown"] in ("true", "false")
        if row["shown"] == "false":
            assert row["reason"], row
            assert row["estimate"] == row["ci_low"] == row["ci_high"] == "", row
        else:
            assert row["reason"] == "", row
        assert not (row["n"].isdigit() and 1 <= int(row["n"]) <= 10), row
    # a count shown as "fewer than 11": no number, the reason says so
    counts = [r for r in hidden if r["section"] in ("reach", "respondents")]
    assert counts
    assert all(r["n"] == "" and r["reason"] == FEWER for r in counts)
    # the Spanish group of the language breakdown: its share is hidden to protect it
    spanish = next(r for r in rows if r["section"] == "equity" and r["category"] == "Spanish")
    assert (spanish["n"], spanish["shown"]) == ("", "false")
    assert spanish["reason"] == protection.protected_reason(11)
    # a group with no answers at all: 0, and why there is no share
    xlsx = xlsx_rows(client.get(url(t, "?format=xlsx&breakdown=race_ethnicity")))
    asian = next(r for r in xlsx if r[0] == "equity" and r[3] == "Asian")
    assert (asian[5], asian[10], asian[11]) == ("0", "false", "No answers in this view.")


def test_a_one_program_view_exports_only_that_program(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    t = two_tenants
    english, spanish, _north = data_set(t)
    client = as_role(client, t, Role.ORG_ADMIN)
    program = t["program_a"]
    rows = by_column(csv_rows(client.get(url(t, f"?format=csv&program={program.public_id}"))))
    reach = [r for r in rows if r["section"] == "reach"]
    assert [r["category"] for r in reach if r["group"] == "Program"] == ["Main site"]
    assert not [r for r in reach if r["group"] == "Language"]
    assert {r["group"] for r in rows if r["section"] in ("reach", "experience")} >= {"Main site"}
    counted = next(
        r for r in reach if r["group"] == "Main site" and r["measure"] == "submissions_counted"
    )
    assert counted["n"] == str(expected_count(english + spanish).value)
    event = AuditEvent.objects.get(verb="dashboard.export")
    assert event.extra["program"] == str(program.public_id)


def test_one_programs_groups_export_their_all_years_period(
    client: Client, two_tenants: dict[str, Any]
) -> None:
    """One program's groups cover all years whichever period is chosen, and the export's
    ``period`` says so; all programs' groups follow the period."""
    t = two_tenants
    data_set(t)
    client = as_role(client, t, Role.ORG_ADMIN)
    program = t["program_a"]
    year = str(timezone.localdate().year)
    rows = by_column(
        csv_rows(client.get(url(t, f"?format=csv&program={program.public_id}&period={year}")))
    )
    equity = [r for r in rows if r["section"] == "equity"]
    assert equity
    assert {r["period"] for r in equity} == {f"All years ({timezone.localdate().year - 4}–{year})"}
    assert {r["period"] for r in rows if r["section"] == "reach"} == {year}
    rows = by_column(csv_rows(client.get(url(t, f"?format=csv&period={year}"))))
    assert {r["period"] for r in rows if r["section"] == "equity"} == {year}
