"""The dashboard's filters: a GET form that works without JavaScript."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hopeful.framework import BUILDING_BLOCKS
from hopeful.web.insights.equity import BREAKDOWNS, DEFAULT_BREAKDOWN, TOP_BAND
from hopeful.web.insights.selectors import FilterOptions, Filters

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
#: The default period: the last twelve months, this one included.
DEFAULT_MONTHS = 12


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def this_month() -> dt.date:
    today = timezone.localdate()
    return today.replace(day=1)


class MonthInput(forms.TextInput):
    input_type = "month"


def _parse_month(value: str) -> dt.date:
    match = _MONTH.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise forms.ValidationError(_("Enter a month as YYYY-MM, for example 2026-01."))
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


class DashboardFilterForm(forms.Form):
    program = forms.ChoiceField(label=_("Program"), required=False)
    start = forms.CharField(label=_("From month"), required=False, widget=MonthInput)
    end = forms.CharField(label=_("To month"), required=False, widget=MonthInput)
    instrument = forms.ChoiceField(label=_("Questionnaire"), required=False)
    breakdown = forms.ChoiceField(
        label=_("Break down by"), required=False, choices=list(BREAKDOWNS.items())
    )
    outcome = forms.ChoiceField(label=_("Outcome for the breakdown"), required=False)

    def __init__(self, data: Any, *, options: FilterOptions) -> None:
        super().__init__(data)
        self.options = options
        self.fields["program"].choices = [
            ("", _("All programs")),
            *((p.public_id, p.name) for p in options.programs),
        ]
        self.fields["instrument"].choices = [(i.id, i.title) for i in options.instruments]
        # An unbound form shows the defaults the page uses.
        end = this_month()
        self.fields["end"].initial = f"{end:%Y-%m}"
        self.fields["start"].initial = f"{add_months(end, -(DEFAULT_MONTHS - 1)):%Y-%m}"
        self.fields["instrument"].initial = options.default_instrument
        self.fields["breakdown"].initial = DEFAULT_BREAKDOWN
        # Every outcome any questionnaire may have; the page uses the first one the chosen
        # questionnaire has when it lacks the one chosen.
        self.fields["outcome"].choices = [
            (TOP_BAND, _("In the top group")),
            *(
                (
                    f"bb_{b.id}",
                    _("Building block met: %(block)s")
                    % {"block": b.name.get_text(get_language() or "en")},
                )
                for b in BUILDING_BLOCKS
            ),
        ]

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

    def filters(self) -> Filters:
        """The filters to use: the valid choices, defaults for the rest."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        errors = self.errors if self.is_bound else {}
        end = data.get("end") if "end" not in errors else None
        start = data.get("start") if "start" not in errors else None
        end = end or (add_months(start, DEFAULT_MONTHS - 1) if start else this_month())
        start = start or add_months(end, -(DEFAULT_MONTHS - 1))
        if start > end:
            start = add_months(end, -(DEFAULT_MONTHS - 1))
        program_id = data.get("program") or ""
        program = next((p for p in self.options.programs if p.public_id == program_id), None)
        instrument = data.get("instrument") or self.options.default_instrument
        return Filters(
            program=program,
            start=start,
            end=end,
            instrument_id=instrument or "",
            breakdown=data.get("breakdown") or DEFAULT_BREAKDOWN,
            outcome=data.get("outcome") or "",
        )
