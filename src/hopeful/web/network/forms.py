"""The network view's filters: a GET form that works without JavaScript.

The view covers one calendar year (its complete months). Years never overlap, so no two
views can be set against each other to single out a month the view hides."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hopeful.web.network.selectors import (
    MONTH,
    QUARTER,
    TOP_BAND,
    NetworkFilters,
    NetworkOptions,
    measure_choices,
)


class NetworkFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Kind of organization"), required=False)
    instrument = forms.ChoiceField(label=_("Questionnaire"), required=False)
    measure = forms.ChoiceField(label=_("Measure"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    unit = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, data: Any, *, options: NetworkOptions, language: str = "en") -> None:
        super().__init__(data)
        self.options = options
        cast(forms.ChoiceField, self.fields["state"]).choices = [
            ("", _("All states")),
            *((s, s) for s in options.states),
        ]
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("All kinds")),
            *options.kinds,
        ]
        cast(forms.ChoiceField, self.fields["instrument"]).choices = [
            (i.id, i.title) for i in options.instruments
        ]
        cast(forms.ChoiceField, self.fields["measure"]).choices = measure_choices(language)
        years = options.years or [options.default_year]
        cast(forms.TypedChoiceField, self.fields["year"]).choices = [(y, str(y)) for y in years]
        cast(forms.ChoiceField, self.fields["unit"]).choices = [
            (MONTH, _("By month")),
            (QUARTER, _("By quarter")),
        ]
        self.fields["instrument"].initial = options.default_instrument
        self.fields["measure"].initial = TOP_BAND
        self.fields["year"].initial = options.default_year
        self.fields["unit"].initial = QUARTER

    def filters(self) -> NetworkFilters:
        """The filters to use: the valid choices, defaults for the rest."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        errors = self.errors if self.is_bound else {}

        def valid(name: str) -> Any:
            return data.get(name) if name not in errors else None

        return NetworkFilters(
            state=valid("state") or "",
            kind=valid("kind") or "",
            unit=valid("unit") or QUARTER,
            year=valid("year") or self.options.default_year,
            instrument_id=valid("instrument") or self.options.default_instrument,
            measure=valid("measure") or TOP_BAND,
        )
