"""How the dashboard's numbers read, the same on the page, in the charts and in the exports."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hopeful.web.insights.benchmarks import Benchmark
from hopeful.web.insights.model import Estimate, ShownCount


def hidden_count_text(below: int = 11) -> str:
    return _("fewer than %(n)d") % {"n": below}


def count_text(count: ShownCount) -> str:
    """A published count, "fewer than 11" for one from 1 to 10 (never its value), or "not
    shown" for one withheld."""
    if count.withheld:
        return _("not shown")
    return hidden_count_text(count.below) if count.value is None else str(count.value)


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


def change_text(difference: float | None, low: float | None, high: float | None) -> str:
    """A change in percentage points with its interval: "+4.2 (−1.0 to +9.4)"."""
    if difference is None:
        return ""
    text = f"{difference * 100:+.1f}".replace("-", "−")
    if low is None or high is None:
        return text
    return _("%(change)s (%(low)s to %(high)s)") % {
        "change": text,
        "low": f"{low * 100:+.1f}".replace("-", "−"),
        "high": f"{high * 100:+.1f}".replace("-", "−"),
    }


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
