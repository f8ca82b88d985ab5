"""The dashboard's filters: a GET form that works without JavaScript."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hopeful.framework import BUILDING_BLOCKS
from hopeful.web.insights.equity import BREAKDOWNS, DEFAULT_BREAKDOWN, TOP_BAND
from hopeful.web.insights.model import FilterOptions, Filters
from hopeful.web.insights.periods import ALL, Horizon, Period

#: The default period: all years of the horizon (a small organization sees the most).
DEFAULT_PERIOD = ALL


class DashboardFilterForm(forms.Form):
    program = forms.ChoiceField(label=_("Program"), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)
    instrument = forms.ChoiceField(label=_("Questionnaire"), required=False)
    breakdown = forms.ChoiceField(
        label=_("Break down by"), required=False, choices=list(BREAKDOWNS.items())
    )
    outcome = forms.ChoiceField(label=_("Outcome for the breakdown"), required=False)

    def __init__(
        self, data: Any, *, options: FilterOptions, horizon: Horizon | None = None
    ) -> None:
        super().__init__(data)
        self.options = options
        self.horizon = horizon or Horizon.current()
        cast(forms.ChoiceField, self.fields["program"]).choices = [
            ("", _("All programs")),
            *((p.public_id, p.name) for p in options.programs),
        ]
        cast(forms.ChoiceField, self.fields["period"]).choices = self.horizon.options()
        cast(forms.ChoiceField, self.fields["instrument"]).choices = [
            (i.id, i.title) for i in options.instruments
        ]
        # An unbound form shows the defaults the page uses.
        self.fields["period"].initial = DEFAULT_PERIOD
        self.fields["instrument"].initial = options.default_instrument
        self.fields["breakdown"].initial = DEFAULT_BREAKDOWN
        # Every outcome any questionnaire may have; the page uses the first one the chosen
        # questionnaire has when it lacks the one chosen.
        cast(forms.ChoiceField, self.fields["outcome"]).choices = [
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

    def filters(self) -> Filters:
        """The filters to use: the valid choices, defaults for the rest."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        errors = self.errors if self.is_bound else {}
        chosen = data.get("period") if "period" not in errors else None
        period = self.horizon.parse(chosen or "") or Period()
        program_id = data.get("program") or ""
        program = next((p for p in self.options.programs if p.public_id == program_id), None)
        instrument = data.get("instrument") or self.options.default_instrument
        return Filters(
            program=program,
            period=period,
            instrument_id=instrument or "",
            breakdown=data.get("breakdown") or DEFAULT_BREAKDOWN,
            outcome=data.get("outcome") or "",
            horizon=self.horizon,
        )


class ProgramSizesForm(forms.Form):
    """How many families each program serves (blank: not known). One field per program."""

    def __init__(self, data: Any, *, programs: list[Any]) -> None:
        super().__init__(data)
        self.programs = programs
        for program in programs:
            self.fields[f"program_{program.public_id.hex}"] = forms.IntegerField(
                label=program.name,
                required=False,
                min_value=1,
                max_value=10_000_000,
                initial=program.families_served,
                help_text=_("Families this program serves; leave blank if not known."),
            )

    def sizes(self) -> dict[Any, int | None]:
        """Program -> the size entered (None: blank)."""
        return {p: self.cleaned_data.get(f"program_{p.public_id.hex}") for p in self.programs}
