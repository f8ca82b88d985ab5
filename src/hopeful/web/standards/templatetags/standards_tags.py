"""Drawing for the standards templates (the selector decided every number)."""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from hopeful.web.standards.charts import level_chart
from hopeful.web.standards.selectors import AssessmentColumn, StandardLine

register = template.Library()


@register.simple_tag
def standard_level_chart(
    line: StandardLine, columns: Sequence[AssessmentColumn], title: str
) -> SafeString:
    labels = [date_format(column.date, "SHORT_DATE_FORMAT") for column in columns]
    return level_chart([cell.level for cell in line.history], labels, title=title)
