"""Formatting for the dashboard templates (no computing: the selector decided everything)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from hopeful.web.insights import charts, formatting
from hopeful.web.insights.model import Estimate, ShownCount, Trend

register = template.Library()


@register.filter
def count_text(count: ShownCount) -> str:
    return formatting.count_text(count)


@register.filter
def estimate_text(estimate: Estimate) -> str:
    return formatting.value_text(estimate.estimate, estimate.kind)


@register.filter
def ci_text(estimate: Estimate) -> str:
    return formatting.ci_text(estimate)


@register.filter
def benchmark_text(estimate: Estimate) -> str:
    return formatting.benchmark_text(estimate.benchmark)


@register.simple_tag
def profile_chart(estimates: Sequence[Estimate], title: str) -> SafeString:
    bars = [
        charts.Bar(
            label=e.label,
            estimate=e.estimate,
            low=e.ci_low,
            high=e.ci_high,
            benchmark=e.benchmark.value if e.benchmark is not None else None,
        )
        for e in estimates
    ]
    return charts.bar_chart(bars, title=title)


@register.filter
def gap_text(gap: float | None) -> str:
    return formatting.gap_text(gap)


@register.filter
def change_text(change: Any) -> str:
    return formatting.change_text(change.difference, change.ci_low, change.ci_high)


@register.simple_tag
def equity_chart(equity: Any, title: str) -> SafeString:
    bars = [
        charts.Bar(
            label=r.label,
            estimate=r.estimate.estimate,
            low=r.estimate.ci_low,
            high=r.estimate.ci_high,
        )
        for r in equity.rows
    ]
    overall = equity.overall.estimate
    label = (
        _("Everyone: %(share)s") % {"share": formatting.value_text(overall)}
        if overall is not None
        else ""
    )
    return charts.bar_chart(bars, title=title, reference=overall, reference_label=label)


@register.simple_tag
def trend_chart(trend: Trend, title: str) -> SafeString:
    points = [
        charts.Point(
            label=p.estimate.label,
            estimate=p.estimate.estimate,
            low=p.estimate.ci_low,
            high=p.estimate.ci_high,
        )
        for p in trend.points
    ]
    return charts.line_chart(points, title=title, scale_max=trend.scale_max, kind=trend.kind)
