"""Forms of the members pages. The organization never comes from the request body: it is the
one of the URL (and of the access check); program choices are that organization's only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hopeful.web.accounts.models import User
from hopeful.web.organizations.models import Organization, Program, Role
from hopeful.web.organizations.services import SUPPORT_MAX_HOURS


def _programs_field(organization: Organization) -> forms.ModelMultipleChoiceField[Program]:
    return forms.ModelMultipleChoiceField(
        label=_("Programs"),
        queryset=organization.programs.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Practitioners see the families of these programs only."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programs"] = _programs_field(organization)


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)
    all_programs = forms.BooleanField(
        label=_("Sees every program"),
        required=False,
        help_text=_("Org admins always see every program."),
    )
    is_supervisor = forms.BooleanField(
        label=_("Supervisor"),
        required=False,
        help_text=_(
            "Supervises the practitioners of the programs this member sees: signs off their "
            "case reviews and reads their restricted visit notes."
        ),
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_is_supervisor_hint"}),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programs"] = _programs_field(organization)
        self.order_fields(["role", "all_programs", "programs", "is_supervisor"])


class SupportGrantForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the HOPE network staff member"),
        widget=forms.EmailInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    hours = forms.IntegerField(
        label=_("For how many hours (1 to 72)"),
        min_value=1,
        max_value=SUPPORT_MAX_HOURS,
        initial=4,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=_("Why support needs access"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_email(self) -> User:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        staff = User.objects.filter(email__iexact=email, is_network_staff=True, is_active=True)
        user = staff.first()
        if user is None:
            raise forms.ValidationError(_("No HOPE network staff account has this email address."))
        return user
