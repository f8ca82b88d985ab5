"""The network view's filters: a GET form that works without JavaScript."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hopeful.web.insights.forms import DEFAULT_MONTHS, MonthInput, add_months, this_month
from hopeful.web.network.selectors import (
    MONTH,
    QUARTER,
    TOP_BAND,
    NetworkFilters,
    NetworkOptions,
    measure_choices,
)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _parse_month(value: str) -> dt.date:
    match = _MONTH.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise forms.ValidationError(_("Enter a month as YYYY-MM, for example 2026-01."))
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


class NetworkFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Kind of organization"), required=False)
    instrument = forms.ChoiceField(label=_("Questionnaire"), required=False)
    measure = forms.ChoiceField(label=_("Measure"), required=False)
    unit = forms.ChoiceField(label=_("Period"), required=False)
    start = forms.CharField(label=_("From month"), required=False, widget=MonthInput)
    end = forms.CharField(label=_("To month"), required=False, widget=MonthInput)

    def __init__(self, data: Any, *, options: NetworkOptions, language: str = "en") -> None:
        super().__init__(data)
        self.options = options
        self.fields["state"].choices = [("", _("All states")), *((s, s) for s in options.states)]
        self.fields["kind"].choices = [("", _("All kinds")), *options.kinds]
        self.fields["instrument"].choices = [(i.id, i.title) for i in options.instruments]
        self.fields["measure"].choices = measure_choices(language)
        self.fields["unit"].choices = [(MONTH, _("By month")), (QUARTER, _("By quarter"))]
        end = this_month()
        self.fields["end"].initial = f"{end:%Y-%m}"
        self.fields["start"].initial = f"{add_months(end, -(DEFAULT_MONTHS - 1)):%Y-%m}"
        self.fields["instrument"].initial = options.default_instrument
        self.fields["measure"].initial = TOP_BAND
        self.fields["unit"].initial = QUARTER

    def clean_start(self) -> dt.date | None:
        value = self.cleaned_data.get("start") or ""
        return _parse_month(value) if value else None

    def clean_end(self) -> dt.date | None:
        value = self.cleaned_data.get("end") or ""
        return _parse_month(value) if value else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end month is before the start month."))
        return data

    def filters(self) -> NetworkFilters:
        """The filters to use: the valid choices, defaults for the rest."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        errors = self.errors if self.is_bound else {}
        end = data.get("end") if "end" not in errors else None
        start = data.get("start") if "start" not in errors else None
        end = end or (add_months(start, DEFAULT_MONTHS - 1) if start else this_month())
        start = start or add_months(end, -(DEFAULT_MONTHS - 1))
        if start > end:
            start = add_months(end, -(DEFAULT_MONTHS - 1))
        return NetworkFilters(
            state=data.get("state") or "",
            kind=data.get("kind") or "",
            unit=data.get("unit") or QUARTER,
            start=start,
            end=end,
            instrument_id=data.get("instrument") or self.options.default_instrument,
            measure=data.get("measure") or TOP_BAND,
        )
