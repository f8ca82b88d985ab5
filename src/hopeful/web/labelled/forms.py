"""Asking for a labelled data file: which questionnaire, which format."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hopeful.web.labelled.models import FileFormat


class DataFileRequestForm(forms.Form):
    instrument = forms.ChoiceField(
        label=_("Questionnaire"),
        help_text=_("One questionnaire per file: its questions and scores are the columns."),
    )
    file_format = forms.ChoiceField(label=_("Format"), choices=FileFormat.choices)

    def __init__(self, data: Any, *, instruments: list[tuple[str, str]]) -> None:
        super().__init__(data)
        field = self.fields["instrument"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = instruments
        field.error_messages["invalid_choice"] = _("Choose one of the questionnaires in the list.")
        fmt = self.fields["file_format"]
        assert isinstance(fmt, forms.ChoiceField)  # noqa: S101 - declared above
        fmt.error_messages["invalid_choice"] = _("Choose SPSS, Stata or SAS transport.")
        fmt.initial = FileFormat.SAV
