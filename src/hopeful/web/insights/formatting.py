"""How the dashboard's numbers read, the same on the page, in the charts and in the exports."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hopeful.web.insights.benchmarks import Benchmark
from hopeful.web.insights.selectors import Estimate, ShownCount


def hidden_count_text() -> str:
    return _("hidden to protect small groups")


def count_text(count: ShownCount) -> str:
    """A count, or the words that stand in for a hidden one (never its value)."""
    return hidden_count_text() if count.value is None else str(count.value)


def value_text(value: float | None, kind: str = "proportion") -> str:
    if value is None:
        return ""
    if kind == "mean":
        return f"{value:.2f}"
    return f"{value * 100:.1f}%"


def gap_text(gap: float | None) -> str:
    """A gap in percentage points, in words ("4.2 points higher", "3.0 points lower")."""
    if gap is None:
        return ""
    points = round(abs(gap) * 100, 1)
    if points == 0:
        return _("no gap")
    if gap > 0:
        return _("%(points).1f points higher") % {"points": points}
    return _("%(points).1f points lower") % {"points": points}


def ci_text(estimate: Estimate) -> str:
    if estimate.ci_low is None or estimate.ci_high is None:
        return ""
    low = value_text(estimate.ci_low, estimate.kind)
    high = value_text(estimate.ci_high, estimate.kind)
    return f"{low} – {high}"


def benchmark_text(benchmark: Benchmark | None) -> str:
    if benchmark is None:
        return ""
    if benchmark.value is not None:
        return value_text(benchmark.value)
    if benchmark.low is not None and benchmark.high is not None:
        return _("single items %(low)s – %(high)s") % {
            "low": value_text(benchmark.low),
            "high": value_text(benchmark.high),
        }
    return ""
