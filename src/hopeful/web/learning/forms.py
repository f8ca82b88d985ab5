"""The learning hub's forms: the learner sign-up (a public form, with the site's spam
guard), the profile, and the network staff's search of learners."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordMixin
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hopeful.web.accounts.models import User
from hopeful.web.cms.guard import GuardedForm
from hopeful.web.learning.models import LearnerProfile
from hopeful.web.learning.models.profile import zip_code_validator
from hopeful.web.learning.vocab import LANGUAGE_CHOICES, US_STATES, Sector

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    # generic in django-stubs only: Django's class cannot be subscripted at run time
    _PasswordMixin = SetPasswordMixin[User]
else:
    _PasswordMixin = SetPasswordMixin


def _state_choices(empty: StrOrPromise) -> list[tuple[str, StrOrPromise]]:
    return [("", empty), *US_STATES]


class ProfileFieldsMixin(forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        help_text=_("As it should appear on certificates."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organization_name = forms.CharField(
        label=_("Organization (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("Choose…")), *Sector.choices])
    state = forms.ChoiceField(label=_("State or territory"), choices=_state_choices(_("Choose…")))
    zip_code = forms.CharField(
        label=_("ZIP code (optional)"),
        max_length=5,
        required=False,
        validators=[zip_code_validator],
        help_text=_("5 digits."),
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "size": "6"}
        ),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you work or learn in"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean_zip_code(self) -> str:
        zip_code: str = self.cleaned_data["zip_code"]
        return zip_code.strip()


class JoinForm(_PasswordMixin, ProfileFieldsMixin, GuardedForm):
    """Create a learner account (checked by Django's password validators)."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Choose a password"), label2=_("The same password again")
    )

    field_order = (
        "full_name",
        "email",
        "password1",
        "password2",
        "organization_name",
        "sector",
        "state",
        "zip_code",
        "languages",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()
        self.fields["password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["password2"].widget.attrs["autocomplete"] = "new-password"
        if not self.is_bound:
            self.initial.setdefault("languages", [get_language() or settings.LANGUAGE_CODE])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned is None:
            cleaned = self.cleaned_data
        self.validate_passwords()
        self.validate_password_for_user(
            User(email=cleaned.get("email", ""), display_name=cleaned.get("full_name", ""))
        )
        return cleaned


class ProfileForm(ProfileFieldsMixin, forms.Form):
    @classmethod
    def for_profile(cls, profile: LearnerProfile, data: Any = None) -> ProfileForm:
        initial = {
            "full_name": profile.full_name,
            "organization_name": profile.organization_name,
            "sector": profile.sector,
            "state": profile.state,
            "zip_code": profile.zip_code,
            "languages": profile.languages,
        }
        return cls(data=data, initial=initial)


class LearnerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or organization"), max_length=100, required=False)
    state = forms.ChoiceField(
        label=_("State or territory"), choices=_state_choices(_("Any")), required=False
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Any")), *Sector.choices], required=False
    )
