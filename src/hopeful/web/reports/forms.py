"""Asking for a report: the dashboard's filters (its own form) and what to make."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hopeful.web.insights.forms import DashboardFilterForm
from hopeful.web.insights.selectors import FilterOptions
from hopeful.web.reports.models import ReportKind

#: Query parameters of the dashboard (and ``kind``) that prefill the request form.
PREFILL = ("program", "period", "instrument", "breakdown", "outcome", "kind")


class ReportRequestForm(DashboardFilterForm):
    """Unlike the dashboard, a report request with a filter that is not understood is
    refused with its error (nothing is queued), not run with defaults."""

    kind = forms.ChoiceField(label=_("What to make"), choices=ReportKind.choices)

    def __init__(
        self,
        data: Any,
        *,
        options: FilterOptions,
        prefill: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(data, options=options)
        self.fields["kind"].initial = ReportKind.PDF
        for name, value in (prefill or {}).items():
            if name in PREFILL and value and name in self.fields:
                self.fields[name].initial = value
