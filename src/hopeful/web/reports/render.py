"""The program report: the dashboard's numbers as HTML, laid out as a PDF by WeasyPrint.

Everything shown comes from one :class:`~hopeful.web.insights.selectors.Dashboard`; this module
only chooses words around it (the plain-language summary, the list of hidden numbers) and
never computes a statistic. Charts are the dashboard's inline SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from hopeful.web.insights import equity, formatting
from hopeful.web.insights.selectors import Dashboard, Estimate
from hopeful.web.reports.models import Report


@dataclass(frozen=True, slots=True)
class HiddenNote:
    """One number the report does not show, and why."""

    section: str
    label: str
    reason: str


def _view_name(dashboard: Dashboard) -> str:
    return dashboard.filters.program.name if dashboard.filters.program else _("all programs")


def summary(dashboard: Dashboard) -> list[str]:
    """A few sentences a board member reads first, made only of numbers the report shows."""
    lines: list[str] = []
    view = _view_name(dashboard)
    total = dashboard.reach.total
    if total.value is not None:
        lines.append(
            _(
                "%(count)s survey submissions were counted for %(view)s, from families who "
                "agreed to be counted for program improvement."
            )
            % {"count": total.value, "view": view}
        )
    else:
        lines.append(
            _(
                "Fewer than %(below)d survey submissions were counted for %(view)s: pooling a "
                "longer period or all programs may show more."
            )
            % {"view": view, "below": total.below}
        )
    if dashboard.reach.left_out.value:
        lines.append(
            _(
                "%(count)s more were not counted: those families have not agreed to be counted "
                "for program improvement."
            )
            % {"count": dashboard.reach.left_out.value}
        )
    if not dashboard.filters.instrument_id:
        lines.append(_("No questionnaire answers yet."))
        return lines
    if dashboard.respondents.value is not None:
        lines.append(
            _("%(count)s respondents answered %(questionnaire)s.")
            % {"count": dashboard.respondents.value, "questionnaire": dashboard.instrument_title}
        )
    shown_blocks = sorted((e for e in dashboard.blocks if e.shown), key=_value)
    if len(shown_blocks) >= 2:
        low, high = shown_blocks[0], shown_blocks[-1]
        lines.append(
            _(
                "The share of respondents with each building block met ranged from "
                "%(low_value)s (%(low)s) to %(high_value)s (%(high)s)."
            )
            % {
                "low_value": _percent(low),
                "low": low.label,
                "high_value": _percent(high),
                "high": high.label,
            }
        )
    elif len(shown_blocks) == 1:
        block = shown_blocks[0]
        lines.append(
            _("%(value)s of respondents had %(block)s met.")
            % {"value": _percent(block), "block": block.label}
        )
    top = dashboard.bands[-1] if dashboard.bands else None
    if top is not None and top.shown:
        line = _("%(value)s of respondents were in the top group (%(band)s).") % {
            "value": _percent(top),
            "band": top.label,
        }
        if top.benchmark is not None and top.benchmark.value is not None:
            line += " " + _(
                "The published figure for adults in four states is %(figure)s; it describes a "
                "population, not this program."
            ) % {"figure": formatting.benchmark_text(top.benchmark)}
        lines.append(line)
    lines.extend(
        _("%(measure)s: %(value)s of respondents.") % {"measure": e.label, "value": _percent(e)}
        for e in dashboard.rates
        if e.shown
    )
    if dashboard.any_protected:
        lines.append(
            _("Some numbers are hidden to protect small groups; the notes at the end list them.")
        )
    if dashboard.any_unreliable:
        lines.append(
            _(
                "Some percentages are not shown because they are not reliable enough; the notes "
                "at the end list them."
            )
        )
    return lines


def _value(estimate: Estimate) -> float:
    return estimate.estimate if estimate.estimate is not None else 0.0


def _percent(estimate: Estimate) -> str:
    return formatting.value_text(estimate.estimate, estimate.kind)


def hidden_notes(dashboard: Dashboard) -> list[HiddenNote]:
    """Every number the report does not show, with the reason in plain language."""
    notes: list[HiddenNote] = []
    protect = formatting.hidden_count_text()
    reach = _("Reach")
    for group, rows in (
        (_("Program"), dashboard.reach.by_program),
        (_("Language"), dashboard.reach.by_language),
    ):
        notes.extend(
            HiddenNote(reach, f"{group}: {row.label}", protect)
            for row in rows
            if row.count.suppressed
        )
    for label, count in (
        (_("Submissions counted"), dashboard.reach.total),
        (_("Not counted: no consent to program improvement"), dashboard.reach.left_out),
        (_("Families invited by personal link"), dashboard.reach.invited),
        (_("Invitations answered"), dashboard.reach.answered),
        (_("Respondents"), dashboard.respondents),
    ):
        if count.suppressed:
            notes.append(HiddenNote(reach, label, protect))
    sections = [
        (_("Each experience"), dashboard.items),
        (_("Building block met"), dashboard.blocks),
        (_("Groups"), dashboard.bands),
        (_("Rates"), dashboard.rates),
    ]
    if dashboard.trend is not None:
        sections.append((dashboard.trend.title, dashboard.trend.estimates))
    if dashboard.equity is not None:
        sections.append((dashboard.equity.breakdown_label, list(dashboard.equity.estimates)))
    for section, estimates in sections:
        notes.extend(HiddenNote(section, e.label, e.hidden) for e in estimates if e.hidden)
    return notes


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string or the style element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")
    return f'"{escaped}"'


def report_html(*, dashboard: Dashboard, report: Report) -> str:
    """The report as one self-contained HTML document (styles inline, charts inline SVG)."""
    title = _("Program report")
    running = f"{dashboard.organization} · {title}"
    # gettext outside the f-string, where makemessages finds it
    page_word, of_word = _("Page"), _("of")
    page_css = (
        f'content: {_css_string(page_word)} " " counter(page) " " '
        f'{_css_string(of_word)} " " counter(pages);'
    )
    context = {
        "report": report,
        "dashboard": dashboard,
        "title": title,
        "view_name": _view_name(dashboard),
        "generated_at": timezone.localtime(),
        "summary": summary(dashboard),
        "hidden": hidden_notes(dashboard),
        "equity_test": equity.method_text(),
        "running_css": mark_safe(f"content: {_css_string(running)};"),  # noqa: S308  # escaped
        "page_css": mark_safe(page_css),  # noqa: S308  # escaped above
    }
    return render_to_string("reports/report_pdf.html", context)


def _no_fetching() -> object:
    """A URL fetcher that fetches nothing: the document is self-contained, and a report
    made in the worker must not reach the network or the file system."""
    try:
        from weasyprint.urls import URLFetcher  # newer WeasyPrint: a fetcher class
    except ImportError:  # pragma: no cover - older WeasyPrint takes a function

        def refuse(url: str, *args: object, **kwargs: object) -> dict[str, object]:
            raise ValueError(f"the report fetches nothing ({url})")

        return refuse
    return URLFetcher(allowed_protocols=())


def report_pdf(html: str, *, progress: Callable[[int], None] | None = None) -> bytes:
    """Lay ``html`` out, then write the PDF."""
    from weasyprint import HTML  # loads pango: imported where it is used

    document = HTML(string=html, url_fetcher=_no_fetching()).render()
    if progress is not None:
        progress(85)
    body = document.write_pdf()
    if progress is not None:
        progress(95)
    return bytes(body or b"")
