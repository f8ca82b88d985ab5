"""The bright-spots filters: a GET form that works without JavaScript.

Unlike the dashboard's filters (which fall back to defaults), a value that is not one of the
choices is an error the page explains (400): a comparison of programs should never silently
answer a different question from the one asked.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hopeful.web.insights.model import InstrumentOption
from hopeful.web.insights.periods import ALL, Horizon, Period

from .model import COVARIATES, MEAN, OUTCOMES, TOP_BAND, BrightFilters

#: The parameters the form reads (anything else in the query string is ignored).
FIELDS = ("instrument", "outcome", "period", "adjust")


class BrightSpotsForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Questionnaire"), required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[(k, v) for k, v in OUTCOMES.items()]
    )
    period = forms.ChoiceField(label=_("Period"), required=False)
    adjust = forms.MultipleChoiceField(
        label=_("Adjusted for"),
        required=False,
        choices=[(k, v) for k, v in COVARIATES.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The families' characteristics the comparison takes into account. Families who "
            "did not answer a question are a group of their own, so no family is left out."
        ),
    )

    def __init__(
        self,
        data: Any,
        *,
        instruments: list[InstrumentOption],
        has_band: Any,
        horizon: Horizon | None = None,
    ) -> None:
        super().__init__(data)
        self.instruments = instruments
        self.has_band = has_band
        self.horizon = horizon or Horizon.current()
        cast(forms.ChoiceField, self.fields["instrument"]).choices = [
            (i.id, i.title) for i in instruments
        ]
        cast(forms.ChoiceField, self.fields["period"]).choices = self.horizon.options()
        ids = [i.id for i in instruments]
        self.default_instrument = "pce7" if "pce7" in ids else (ids[0] if ids else "")
        self.fields["instrument"].initial = self.default_instrument
        self.fields["outcome"].initial = MEAN
        self.fields["period"].initial = ALL
        self.fields["adjust"].initial = list(COVARIATES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        instrument = data.get("instrument") or self.default_instrument
        if data.get("outcome") == TOP_BAND and instrument and not self.has_band(instrument):
            self.add_error(
                "outcome",
                _("This questionnaire has no groups: choose the mean score."),
            )
        return data

    def filters(self) -> BrightFilters:
        """The filters of a valid (or unbound) form: the choices, defaults for the rest. An
        unbound form adjusts for every characteristic; a sent form for the boxes ticked."""
        bound = self.is_bound
        data = self.cleaned_data if bound else {}
        period = self.horizon.parse(data.get("period") or ALL) or Period()
        return BrightFilters(
            instrument_id=data.get("instrument") or self.default_instrument,
            outcome=data.get("outcome") or MEAN,
            period=period,
            adjust=tuple(k for k in COVARIATES if k in data.get("adjust", ()))
            if bound
            else tuple(COVARIATES),
            horizon=self.horizon,
        )


def bound_data(query: Any) -> Any:
    """The query string when it names any of the form's fields, else None (the defaults)."""
    return query if any(name in query for name in FIELDS) else None
