"""How the bright-spots numbers read, the same in the chart, the table and the headline."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hopeful.web.insights.formatting import count_text

from .model import BETTER, WORSE, BrightResult


def value_text(value: float | None, kind: str) -> str:
    """A score (``5.31``) or a share (``59.6%``)."""
    if value is None:
        return ""
    if kind == "proportion":
        return f"{value * 100:.1f}%"
    return f"{value:.2f}"


def difference_text(value: float | None, kind: str, *, sign: bool = True) -> str:
    """A difference in points of the score (``+0.15``) or percentage points (``+4.5``)."""
    if value is None:
        return ""
    shown = value * 100 if kind == "proportion" else value
    digits = 1 if kind == "proportion" else 2
    text = f"{shown:+.{digits}f}" if sign else f"{shown:.{digits}f}"
    return text.replace("-", "−")


def interval_text(low: float | None, high: float | None, kind: str) -> str:
    if low is None or high is None:
        return ""
    return _("%(low)s to %(high)s") % {
        "low": difference_text(low, kind),
        "high": difference_text(high, kind),
    }


def p_text(p: float | None) -> str:
    if p is None:
        return ""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def verdict_text(verdict: str, *, short: bool = False) -> str:
    if verdict == BETTER:
        return _("Better") if short else _("Better than expected")
    if verdict == WORSE:
        return _("Worse") if short else _("Worse than expected")
    return _("As expected")


def headline(result: BrightResult, *, network: bool) -> str:
    """ "2 of 5 programs do better than expected for the families they serve; 1 does worse."""
    total = len(result.compared)
    better, worse = result.better, result.worse
    if not better and not worse:
        if network:
            text = ngettext(
                "The %(total)d organization compared does as expected for the families it serves.",
                "None of the %(total)d organizations compared does better or worse than "
                "expected for the families they serve, once chance is allowed for.",
                total,
            )
        else:
            text = ngettext(
                "The %(total)d program compared does as expected for the families it serves.",
                "None of the %(total)d programs compared does better or worse than expected "
                "for the families they serve, once chance is allowed for.",
                total,
            )
        return text % {"total": total}
    if network:
        first = ngettext(
            "%(better)d of %(total)d organizations does better than expected for the "
            "families it serves",
            "%(better)d of %(total)d organizations do better than expected for the families "
            "they serve",
            better,
        )
    else:
        first = ngettext(
            "%(better)d of %(total)d programs does better than expected for the families it serves",
            "%(better)d of %(total)d programs do better than expected for the families they serve",
            better,
        )
    text = first % {"better": better, "total": total}
    if worse:
        text += "; " + ngettext("%(n)d does worse.", "%(n)d do worse.", worse) % {"n": worse}
    else:
        text += "; " + _("none does worse.")
    return text


@dataclass(frozen=True, slots=True)
class DisplayRow:
    """A table row as text (templates format, never compute)."""

    label: str
    families: str
    compared: bool
    observed: str = ""
    expected: str = ""
    difference: str = ""
    interval: str = ""
    p_adjusted: str = ""
    verdict: str = ""
    verdict_class: str = ""
    odds_ratio: str = ""


def display_rows(result: BrightResult) -> list[DisplayRow]:
    kind = result.kind
    out = []
    for row in result.rows:
        families = count_text(row.families)
        if not row.compared:
            out.append(DisplayRow(label=row.label, families=families, compared=False))
            continue
        odds = ""
        if row.odds_ratio is not None:
            odds = _("%(or)s (%(low)s to %(high)s)") % {
                "or": f"{row.odds_ratio:.2f}",
                "low": f"{row.or_ci_low or 0:.2f}",
                "high": f"{row.or_ci_high or 0:.2f}",
            }
        out.append(
            DisplayRow(
                label=row.label,
                families=families,
                compared=True,
                observed=value_text(row.observed, kind),
                expected=value_text(row.expected, kind),
                difference=difference_text(row.difference, kind),
                interval=interval_text(row.ci_low, row.ci_high, kind),
                p_adjusted=p_text(row.p_adjusted),
                verdict=verdict_text(row.verdict),
                verdict_class=f"verdict-{row.verdict}" if row.verdict in (BETTER, WORSE) else "",
                odds_ratio=odds,
            )
        )
    return out
