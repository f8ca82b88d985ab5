"""Forms of the caseload and family pages. The organization and the family never come from the
request body: they are the ones of the URL (and of the access check); the people offered are
the family's organization's only, named by their membership's public id."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hopeful.web.organizations.models import Membership


class _MemberChoices(forms.ModelMultipleChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.get_full_name()} ({obj.get_role_display()})"

    def _check_values(self, value: Any) -> QuerySet[Membership]:
        # something that is not a public id at all gets the same answer as someone not listed
        for item in value if isinstance(value, list | tuple) else []:
            try:
                uuid.UUID(str(item))
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                ) from None
        checked: QuerySet[Membership] = super()._check_values(value)  # type: ignore[misc]  # private Django API, not in django-stubs
        return checked


class _TelInput(forms.TextInput):
    input_type = "tel"


class AssignForm(forms.Form):
    def __init__(self, *args: Any, members: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"] = _MemberChoices(
            label=_("On the caseload of"),
            queryset=members,
            to_field_name="public_id",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "Practitioners and org admins who work with this family's program. Leave "
                "everyone unticked to take the family off every caseload."
            ),
            error_messages={
                "invalid_choice": _("Choose from the people listed."),
                "invalid_pk_value": _("Choose from the people listed."),
                "list": _("Choose from the people listed."),
            },
        )


class ContactForm(forms.Form):
    contact_email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    contact_phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=32,
        widget=_TelInput(
            attrs={"autocomplete": "off", "aria-describedby": "id_contact_phone_hint"}
        ),
        help_text=_("Digits, spaces and + ( ) - only."),
    )
