"""CSV and XLSX exports of the dashboard: the same numbers and the same suppression as the
page (both are read from one :class:`~hopeful.web.insights.selectors.Dashboard`), audited."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from hopeful.web.audit.services import audit_record
from hopeful.web.insights import formatting
from hopeful.web.insights.selectors import Dashboard, Estimate, ShownCount
from hopeful.web.organizations.access import Access


def header() -> list[str]:
    return [
        _("section"),
        _("group"),
        _("measure"),
        _("value"),
        _("95% CI"),
        _("respondents (n)"),
        _("published benchmark"),
        _("note"),
    ]


def _count_row(section: str, group: str, measure: str, count: ShownCount) -> list[str]:
    note = "" if count.value is not None else _("hidden to protect small groups")
    return [section, group, measure, formatting.count_text(count), "", "", "", note]


def _estimate_row(section: str, group: str, estimate: Estimate) -> list[str]:
    note = (
        "; ".join([estimate.hidden, *estimate.flags])
        if estimate.hidden
        else "; ".join(estimate.flags)
    )
    return [
        section,
        group,
        estimate.label,
        formatting.value_text(estimate.estimate, estimate.kind),
        formatting.ci_text(estimate),
        formatting.count_text(estimate.n),
        formatting.benchmark_text(estimate.benchmark),
        note,
    ]


def rows(dashboard: Dashboard) -> Iterator[list[str]]:
    """The page's numbers, one per row, formatted as the page formats them."""
    view = dashboard.filters.program.name if dashboard.filters.program else _("All programs")
    reach = dashboard.reach
    section = _("Reach")
    for row in reach.by_program:
        yield _count_row(section, _("Program"), row.label, row.count)
    for row in reach.by_language:
        yield _count_row(section, _("Language"), row.label, row.count)
    yield _count_row(section, view, _("Submissions counted"), reach.total)
    yield _count_row(
        section, view, _("Not counted (no consent to program improvement)"), reach.left_out
    )
    yield _count_row(section, view, _("Families invited by personal link"), reach.invited)
    yield _count_row(section, view, _("Invitations answered"), reach.answered)
    yield _count_row(dashboard.instrument_title, view, _("Respondents"), dashboard.respondents)
    for group, estimates in (
        (_("Each experience"), dashboard.items),
        (_("Building block met"), dashboard.blocks),
        (_("Groups"), dashboard.bands),
        (_("Rates"), dashboard.rates),
    ):
        for estimate in estimates:
            yield _estimate_row(dashboard.instrument_title, group, estimate)
    if dashboard.trend is not None:
        for point in dashboard.trend.points:
            yield _estimate_row(_("Trend"), dashboard.trend.title, point.estimate)
    equity = dashboard.equity
    if equity is not None:
        section = _("Who has access: %(breakdown)s") % {"breakdown": equity.breakdown_label}
        for row in equity.rows:
            out = _estimate_row(section, row.label, row.estimate)
            out[2] = equity.outcome_label
            notes = [out[7]] if out[7] else []
            if row.gap is not None:
                notes.append(_("gap to everyone: %(gap)s") % {"gap": formatting.gap_text(row.gap)})
            if row.flag:
                notes.append(row.flag)
            out[7] = "; ".join(notes)
            yield out
        overall = _estimate_row(section, equity.overall.label, equity.overall)
        overall[2] = equity.outcome_label
        yield overall


def _safe(cell: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def csv_bytes(header: list[str], rows: Iterable[list[str]]) -> bytes:
    """A CSV file (UTF-8 with a byte-order mark, for Excel) whose cells run no formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(c) for c in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(title: str, header: list[str], rows: Iterable[list[str]]) -> bytes:
    """An Excel workbook of one sheet named ``title`` whose cells run no formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(c) for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_csv(dashboard: Dashboard) -> bytes:
    return csv_bytes(header(), rows(dashboard))


def as_xlsx(dashboard: Dashboard) -> bytes:
    return xlsx_bytes(_("Dashboard"), header(), rows(dashboard))


def export_dashboard(*, access: Access, actor: Any, dashboard: Dashboard, fmt: str) -> bytes:
    """The export in ``fmt`` (``csv`` or ``xlsx``), audited ``dashboard.export``."""
    body = as_xlsx(dashboard) if fmt == "xlsx" else as_csv(dashboard)
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
