"""Asking for a de-identified export: the purpose, the data-use statement, the format."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hopeful.web.deidentified.deidentify import DIMENSIONS
from hopeful.web.deidentified.models import ExportFormat

PURPOSE_MIN, PURPOSE_MAX = 20, 500

DATA_USE_STATEMENT = _(
    "I will use this data only for the purpose above. I will not try to identify any family "
    "or person in it, nor link it with other data to do so. I will keep it secure, share it "
    "only with the study team approved for this purpose, and delete it when the study ends."
)


#: The quasi-identifiers a researcher may ask for, by dimension name (the order of DIMENSIONS).
CHARACTERISTICS = {
    "year": _("Year answered"),
    "zip3": _("Area (first three digits of the ZIP code)"),
    "children": _("Children's ages"),
    "race_ethnicity": _("Race and ethnicity"),
    "income": _("Household income"),
    "gender": _("Caregiver's gender"),
    "language": _("Language of the answers"),
    "program": _("Program (as a code)"),
}


class ExportRequestForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        help_text=_(
            "The study and its IRB or ethics approval number, in %(min)d to %(max)d characters. "
            "It is kept with the export and in the audit log."
        )
        % {"min": PURPOSE_MIN, "max": PURPOSE_MAX},
        min_length=PURPOSE_MIN,
        max_length=PURPOSE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=DATA_USE_STATEMENT,
        error_messages={"required": _("Confirm the data-use statement to make an export.")},
    )
    keep = forms.MultipleChoiceField(
        label=_("Characteristics your study needs"),
        help_text=_(
            "Every combination of these must be shared by at least 11 families, so each one "
            "you add makes the others coarser. Ask only for what the study needs: the rest is "
            "left out, and what you keep stays more detailed. Answers and scores are always "
            "included."
        ),
        choices=[(d.name, CHARACTERISTICS[d.name]) for d in DIMENSIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=[d.name for d in DIMENSIONS],
    )
    format = forms.ChoiceField(
        label=_("File format"), choices=ExportFormat.choices, initial=ExportFormat.CSV
    )

    def clean_purpose(self) -> str:
        return " ".join(str(self.cleaned_data["purpose"]).split())
