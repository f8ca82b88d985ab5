"""CSV and XLSX exports of the network view: the page's numbers and suppression (all are read
from one :class:`~hopeful.web.network.selectors.NetworkView`), audited ``network.export``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hopeful.web.audit.services import audit_record
from hopeful.web.insights import formatting
from hopeful.web.insights.exports import csv_bytes, xlsx_bytes
from hopeful.web.network.selectors import NetworkView, Row


def header() -> list[str]:
    return [
        _("section"),
        _("state"),
        _("kind of organization"),
        _("group"),
        _("organizations"),
        _("submissions counted"),
        _("share"),
        _("95% CI"),
        _("note"),
    ]


def _row(section: str, row: Row) -> list[str]:
    share = row.share
    notes = [row.note or share.hidden, *share.flags]
    if row.organizations.suppressed and not row.note:
        notes.insert(0, _("Number of organizations hidden."))
    return [
        section,
        row.state,
        row.kind,
        row.label,
        formatting.count_text(row.organizations),
        formatting.count_text(row.submissions),
        formatting.value_text(share.estimate),
        formatting.ci_text(share),
        "; ".join(dict.fromkeys(n for n in notes if n)),
    ]


def rows(view: NetworkView) -> Iterator[list[str]]:
    section = f"{view.instrument_title}: {view.measure_label}"
    for row in view.rows:
        yield _row(section, row)
    trend = _("Trend") + f" ({section})"
    for row in view.trend:
        yield _row(trend, row)
    if view.trend_note:
        yield [trend, "", "", "", "", "", "", "", view.trend_note]


def as_csv(view: NetworkView) -> bytes:
    return csv_bytes(header(), rows(view))


def as_xlsx(view: NetworkView) -> bytes:
    return xlsx_bytes(_("Network view"), header(), rows(view))


FORMATS = ("csv", "xlsx")


def export_network(*, actor: Any, view: NetworkView, fmt: str = "csv") -> bytes:
    """The export in ``fmt`` (``csv`` or ``xlsx``), audited ``network.export`` (no
    organization: the view spans the network)."""
    body = as_xlsx(view) if fmt == "xlsx" else as_csv(view)
    filters = view.filters
    with transaction.atomic():
        audit_record(
            verb="network.export",
            actor=actor,
            organization=None,
            object_type="network.aggregates",
            extra={
                "format": fmt,
                "state": filters.state or "all",
                "kind": filters.kind or "all",
                "unit": filters.unit,
                "year": filters.year,
                "instrument": filters.instrument_id,
                "measure": filters.measure,
            },
        )
    return body
