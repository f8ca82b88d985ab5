"""The "new import" form: into which open campaign, which questionnaire, which format, which
file."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hopeful.interop.rows import MAX_BYTES
from hopeful.web.imports.models import ImportFormat
from hopeful.web.surveys.models import Campaign


class CampaignChoiceField(forms.ModelChoiceField[Campaign]):
    def label_from_instance(self, obj: Campaign) -> str:
        # the program, unless the survey's name already says it
        if obj.program.name.casefold() in obj.name.casefold():
            return obj.name
        return f"{obj.name} ({obj.program.name})"


class ImportForm(forms.Form):
    campaign = CampaignChoiceField(
        label=_("Survey (open campaign)"),
        queryset=Campaign.objects.none(),
        to_field_name="public_id",
        empty_label=None,
    )
    instrument = forms.ChoiceField(
        label=_("Questionnaire in the file"),
        help_text=_("The questionnaire whose XLSForm or REDCap dictionary collected the answers."),
    )
    format = forms.ChoiceField(label=_("Where the file comes from"), choices=ImportFormat.choices)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("At most 5 MB and 5,000 records."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        campaigns: QuerySet[Campaign],
        instruments: list[tuple[str, str]],
    ) -> None:
        super().__init__(data, files)
        campaign_field = cast("forms.ModelChoiceField[Campaign]", self.fields["campaign"])
        campaign_field.queryset = campaigns
        instrument_field = cast("forms.ChoiceField", self.fields["instrument"])
        instrument_field.choices = instruments
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_hint"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is larger than 5 MB. Split it into smaller files (for example "
                    "by month) and import them one after the other."
                )
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        campaign = cleaned.get("campaign")
        instrument = cleaned.get("instrument")
        if campaign is not None and instrument:
            ids = {entry["id"] for entry in campaign.instruments}
            if instrument not in ids:
                self.add_error("instrument", _("This survey does not ask this questionnaire."))
        return cleaned
