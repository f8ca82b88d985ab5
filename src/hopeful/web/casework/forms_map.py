"""The strengths map form: one square per building block, filled in together at a visit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hopeful.framework import BUILDING_BLOCKS
from hopeful.web.casework.models import MAP_FIELDS, Barrier

#: Each square's parts as the form asks for them (the barriers are checkboxes).
LABELS = {
    "strengths": _("Positive experiences and strengths the family names"),
    "people_places": _("People and places they can draw on"),
    "barriers": _("What gets in the way"),
    "barriers_note": _("More about what gets in the way"),
    "next_steps": _("Next steps"),
}


def field_name(block: str, part: str) -> str:
    return f"{block}-{part}"


class StrengthsMapForm(forms.Form):
    """Fields ``<block>-<part>`` for every building block and part of :data:`MAP_FIELDS`."""

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.blocks = [(b.id, b.name.get_text(language)) for b in BUILDING_BLOCKS]
        for block, _name in self.blocks:
            for part in MAP_FIELDS:
                name = field_name(block, part)
                if part == "barriers":
                    self.fields[name] = forms.MultipleChoiceField(
                        label=LABELS[part],
                        choices=Barrier.choices,
                        required=False,
                        widget=forms.CheckboxSelectMultiple,
                    )
                elif part == "barriers_note":
                    self.fields[name] = forms.CharField(
                        label=LABELS[part], required=False, max_length=4000
                    )
                else:
                    self.fields[name] = forms.CharField(
                        label=LABELS[part],
                        required=False,
                        max_length=4000,
                        widget=forms.Textarea(attrs={"rows": 3}),
                    )

    @staticmethod
    def initial_from(content: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
        """The form's initial values from a stored map's content (empty without a map)."""
        out: dict[str, Any] = {}
        for block, square in (content or {}).items():
            for part in MAP_FIELDS:
                out[field_name(block, part)] = square.get(part, [] if part == "barriers" else "")
        return out

    def squares(self) -> list[dict[str, Any]]:
        """The bound fields grouped by building block, for the template."""
        return [
            {"id": block, "name": name, "fields": [self[field_name(block, p)] for p in MAP_FIELDS]}
            for block, name in self.blocks
        ]

    def content(self) -> dict[str, dict[str, Any]]:
        """The cleaned values in the stored shape (for services.strengths_map_save)."""
        return {
            block: {part: self.cleaned_data[field_name(block, part)] for part in MAP_FIELDS}
            for block, _name in self.blocks
        }
