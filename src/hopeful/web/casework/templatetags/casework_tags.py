"""Formatting for the casework templates (no computing: the selectors decided everything)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from hopeful.web.casework import charts
from hopeful.web.casework.selectors_family import BlockTrend

register = template.Library()


@register.simple_tag
def block_chart(trend: BlockTrend) -> SafeString:
    """The family's building-block scores over time as an inline SVG (its table is beside it)."""
    return charts.block_trend_chart(trend, title=trend.title)
