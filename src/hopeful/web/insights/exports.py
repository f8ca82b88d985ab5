"""CSV and XLSX exports of the dashboard: tidy, one row per published cell, with the page's
numbers (both are read from one :class:`~hopeful.web.insights.model.Dashboard`), audited."""

from __future__ import annotations

import csv
import io
import weakref
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook

from hopeful.cells import safe_cell
from hopeful.web.audit.services import audit_record
from hopeful.web.insights import formatting
from hopeful.web.insights.model import Dashboard, Estimate, ShownCount
from hopeful.web.organizations.access import Access

#: One row per published cell; the column names are fixed (not translated) so researchers'
#: scripts and the tests can read any export.
COLUMNS = [
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


def header() -> list[str]:
    return list(COLUMNS)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}" if abs(value) >= 1 else f"{value:.6f}"


def _count(count: ShownCount) -> str:
    return "" if count.value is None else str(count.value)


def _fewer(count: ShownCount) -> str:
    return _("fewer than %(n)d") % {"n": count.below}


def _count_row(
    section: str, measure: str, group: str, category: str, period: str, count: ShownCount
) -> list[str]:
    shown = count.value is not None
    return [
        section,
        measure,
        group,
        category,
        period,
        _count(count),
        "",
        "",
        "",
        "",
        "true" if shown else "false",
        "" if shown else _fewer(count),
    ]


def _estimate_row(
    section: str, measure: str, group: str, category: str, period: str, estimate: Estimate
) -> list[str]:
    reason = estimate.hidden
    if estimate.n.value is None and not reason:
        reason = _fewer(estimate.n)
    return [
        section,
        measure,
        group,
        category,
        period,
        _count(estimate.n),
        _number(estimate.estimate),
        _number(estimate.ci_low),
        _number(estimate.ci_high),
        "; ".join(estimate.flags),
        "true" if estimate.shown else "false",
        reason,
    ]


def rows(dashboard: Dashboard) -> Iterator[list[str]]:
    """Every published cell of the view, one per row (:data:`COLUMNS`), with the page's
    numbers: counts as published, shares as proportions with their 95% intervals."""
    period = dashboard.filters.period_label
    view = dashboard.filters.program.name if dashboard.filters.program else _("All programs")
    reach = dashboard.reach
    for row in reach.by_program:
        yield _count_row("reach", "submissions_counted", _("Program"), row.label, period, row.count)
    for row in reach.by_language:
        yield _count_row(
            "reach", "submissions_counted", _("Language"), row.label, period, row.count
        )
    yield _count_row("reach", "submissions_counted", view, "", period, reach.total)
    yield _count_row("reach", "not_counted_no_consent", view, "", period, reach.left_out)
    yield _count_row("reach", "invited_personal_link", view, "", period, reach.invited)
    yield _count_row("reach", "invitations_answered", view, "", period, reach.answered)
    title = dashboard.instrument_title
    yield _count_row("respondents", title, view, "", period, dashboard.respondents)
    for section, estimates in (
        ("experience", dashboard.items),
        ("building_block", dashboard.blocks),
        ("group", dashboard.bands),
        ("rate", dashboard.rates),
    ):
        for estimate in estimates:
            yield _estimate_row(section, title, view, estimate.label, period, estimate)
    headline = dashboard.headline
    if headline is not None:
        for headline_row in headline.rows:
            change = headline_row.change
            if change is None:
                continue
            shown = change.difference is not None
            yield [
                "change",
                title,
                view,
                headline_row.estimate.label,
                change.now_label + " / " + change.before_label,
                "",
                _number(change.difference),
                _number(change.ci_low),
                _number(change.ci_high),
                "",
                "true" if shown else "false",
                "" if shown else _("a share in one of the two periods is not shown"),
            ]
    trend = dashboard.trend
    if trend is not None:
        for point in trend.points:
            out = _estimate_row(
                "trend",
                trend.title,
                view,
                point.estimate.label,
                point.estimate.label,
                point.estimate,
            )
            if trend.step != "quarter":
                out[9] = "; ".join(filter(None, [out[9], trend.pooled_note]))
            yield out
    equity = dashboard.equity
    if equity is not None:
        pooled = equity.period_label or period
        for row in equity.rows:
            out = _estimate_row(
                "equity",
                equity.outcome_label,
                equity.breakdown_label,
                row.label,
                pooled,
                row.estimate,
            )
            notes = [out[9]] if out[9] else []
            if row.gap is not None:
                notes.append(_("gap to everyone: %(gap)s") % {"gap": formatting.gap_text(row.gap)})
            if row.flag:
                notes.append(row.flag)
            out[9] = "; ".join(notes)
            yield out
        yield _estimate_row(
            "equity",
            equity.outcome_label,
            equity.breakdown_label,
            equity.overall.label,
            pooled,
            equity.overall,
        )


def csv_bytes(header: list[str], rows: Iterable[list[str]]) -> bytes:
    """A CSV file (UTF-8 with a byte-order mark, for Excel) whose cells run no formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(
    title: str,
    header: list[str],
    rows: Iterable[list[str]],
    *more: tuple[str, list[str], Iterable[list[str]]],
) -> bytes:
    """An Excel workbook whose cells run no formula: one sheet named ``title``, then one per
    ``(title, header, rows)`` of ``more`` (a data dictionary beside the data, say)."""
    workbook = Workbook(write_only=True)
    for name, head, body in ((title, header, rows), *more):
        sheet = workbook.create_sheet(name[:31])
        sheet.append(head)
        for row in body:
            sheet.append([safe_cell(c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_csv(dashboard: Dashboard) -> bytes:
    return csv_bytes(header(), rows(dashboard))


def as_xlsx(dashboard: Dashboard) -> bytes:
    return xlsx_bytes(_("Dashboard"), header(), rows(dashboard))


#: The files of each remembered dashboard, per format and language (gone with it).
_FILES: dict[int, dict[tuple[str, str], bytes]] = {}


def _file(dashboard: Dashboard, fmt: str) -> bytes:
    files = _FILES.get(id(dashboard))
    if files is None:
        files = _FILES[id(dashboard)] = {}
        weakref.finalize(dashboard, _FILES.pop, id(dashboard), None)
    key = (fmt, get_language() or "")
    if key not in files:
        files[key] = as_xlsx(dashboard) if fmt == "xlsx" else as_csv(dashboard)
    return files[key]


def export_dashboard(*, access: Access, actor: Any, dashboard: Dashboard, fmt: str) -> bytes:
    """The export in ``fmt`` (``csv`` or ``xlsx``), audited ``dashboard.export``."""
    body = _file(dashboard, fmt)
    filters = dashboard.filters
    with transaction.atomic():
        audit_record(
            verb="dashboard.export",
            actor=actor,
            organization=access.organization,
            object_type="insights.dashboard",
            extra={
                "format": fmt,
                "program": filters.program.public_id if filters.program else "all",
                "period": filters.period.key,
                "instrument": filters.instrument_id,
            },
        )
    return body
