"""The visit form: when and how you met, the guide's prompts used (with what the family said
to each), what the family said overall, your note, and whether the note is restricted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hopeful.web.casework.models import VisitMode
from hopeful.web.casework.selectors_visit import ShownSection


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Date of the visit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    mode = forms.ChoiceField(
        label=_("How you met"), choices=VisitMode.choices, widget=forms.RadioSelect
    )
    family_said = forms.CharField(
        label=_("What the family said"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label=_("Your note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    restricted = forms.BooleanField(
        label=_("Restricted note: only you and the program's supervisors can read it"),
        required=False,
        help_text=_("It is never exported, reported or sent to another system."),
    )

    def __init__(self, *args: Any, sections: list[ShownSection], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"visited_on": timezone.localdate(), "mode": VisitMode.HOME})
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            for item in section.prompts + section.ideas:
                self.fields[f"used-{item.id}"] = forms.BooleanField(required=False)
                self.fields[f"said-{item.id}"] = forms.CharField(
                    required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
                )

    def guide_rows(self) -> list[dict[str, Any]]:
        """Each section with its items' bound fields, for the template."""
        return [
            {
                "section": section,
                "prompts": [
                    (item, self[f"used-{item.id}"], self[f"said-{item.id}"])
                    for item in section.prompts
                ],
                "ideas": [(item, self[f"used-{item.id}"]) for item in section.ideas],
            }
            for section in self.sections
        ]

    def known_ids(self) -> list[str]:
        return [i.id for s in self.sections for i in s.prompts + s.ideas]

    def used(self) -> dict[str, str]:
        """The prompts and ideas ticked, or answered, with what the family said to each."""
        out = {}
        for item_id in self.known_ids():
            said = (self.cleaned_data.get(f"said-{item_id}") or "").strip()
            if self.cleaned_data.get(f"used-{item_id}") or said:
                out[item_id] = said
        return out
