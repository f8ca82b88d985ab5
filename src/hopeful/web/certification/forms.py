"""Forms of the certification pages (the staff's filters, actions and reviews)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hopeful.framework.certification import Action
from hopeful.web.certification.models import StateChoices, TierChoices
from hopeful.web.certification.selectors import StaffFilters
from hopeful.web.certification.services import MAX_TEXT
from hopeful.web.learning.vocab import US_STATES


class StaffFilterForm(forms.Form):
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("All tiers")), *TierChoices.choices]
    )
    state = forms.ChoiceField(
        label=_("State of the certification"),
        required=False,
        choices=[("", _("All states")), *StateChoices.choices],
    )
    us_state = forms.ChoiceField(
        label=_("US state or territory"),
        required=False,
        choices=[("", _("All states and territories")), *US_STATES],
    )
    q = forms.CharField(
        label=_("Name or code"),
        required=False,
        max_length=100,
        help_text=_("Part of a name, an email address, an organization or a credential code."),
        widget=forms.TextInput(attrs={"aria-describedby": "id_q-hint"}),
    )

    def filters(self) -> StaffFilters:
        """The valid filters (an invalid one is ignored and shown as an error)."""
        if not self.is_bound:
            return StaffFilters()
        self.is_valid()  # cleaned_data then holds the valid fields only
        data: dict[str, Any] = self.cleaned_data
        return StaffFilters(
            tier=data.get("tier", ""),
            state=data.get("state", ""),
            us_state=data.get("us_state", ""),
            query=data.get("q", ""),
        )


class ActionForm(forms.Form):
    """One staff action on a certification: the button pressed, and a reason."""

    action = forms.ChoiceField(choices=[(a.value, a.value) for a in Action])
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required to suspend or revoke. The holder sees it; the public verification page "
            "never shows it."
        ),
    )


class ReviewForm(forms.Form):
    """A Champion's review of an organization's application."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("approve", _("Approve: staff may certify the organization")),
            ("changes", _("Request changes: the organization revises its self-assessment")),
        ],
    )
    notes = forms.CharField(
        label=_("Notes for the organization"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you request changes."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "changes" and not (data.get("notes") or "").strip():
            self.add_error("notes", _("Say what needs to change."))
        return data
