from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
    SetPasswordMixin,
    UserChangeForm,
)
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hopeful.web.accounts import recovery
from hopeful.web.accounts.models import AttemptKind, User
from hopeful.web.accounts.selectors import client_ip, throttle_wait_minutes
from hopeful.web.accounts.services import sign_in_attempt_record, sign_in_lockout_record

if TYPE_CHECKING:
    # Generic in django-stubs only: at runtime these classes cannot be subscripted.
    _SetPasswordForm = SetPasswordForm[User]
    _SetPasswordMixin = SetPasswordMixin[User]
    _UserChangeForm = UserChangeForm[User]
else:
    _SetPasswordForm = SetPasswordForm
    _SetPasswordMixin = SetPasswordMixin
    _UserChangeForm = UserChangeForm

THROTTLED = "throttled"


def too_many_attempts(minutes: int) -> forms.ValidationError:
    return forms.ValidationError(
        ngettext(
            "Too many attempts. Please try again in %(minutes)d minute.",
            "Too many attempts. Please try again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
        code=THROTTLED,
    )


def is_throttled(form: forms.Form) -> bool:
    return any(e.code == THROTTLED for e in form.errors.as_data().get("__all__", []))


def email_input() -> forms.EmailInput:
    return forms.EmailInput(
        attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}
    )


class SignInForm(AuthenticationForm):
    """Django's sign-in form with an email keyboard on phones, autocomplete hints, and a
    throttle: after too many failures for the account or from the address, even a correct
    password is refused until the lock ends (unknown emails are counted the same way)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = cast(forms.CharField, self.fields["username"])
        username.label = _("Email address")
        username.widget = email_input()
        username.widget.attrs["maxlength"] = username.max_length
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def clean(self) -> dict[str, Any]:
        email = User.objects.normalize_email(self.cleaned_data.get("username"))
        ip = client_ip(self.request) if self.request is not None else None
        wait = throttle_wait_minutes(kind=AttemptKind.PASSWORD, email=email, ip_address=ip)
        if wait:
            sign_in_lockout_record(kind=AttemptKind.PASSWORD, email=email, ip_address=ip)
            raise too_many_attempts(wait)
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code in ("invalid_login", "inactive"):
                sign_in_attempt_record(kind=AttemptKind.PASSWORD, email=email, ip_address=ip)
            raise


class TwoFactorForm(forms.Form):
    code = forms.RegexField(
        label=_("6-digit code from your authenticator app"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("Enter the 6 digits your app shows, like 123456.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": r"[0-9 ]*",
                "maxlength": "7",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class PasswordResetRequestForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].widget = email_input()


class NewPasswordForm(_SetPasswordForm):
    pass


class InvitationSignUpForm(_SetPasswordMixin, forms.Form):
    """A new person accepting an invitation: a name to be greeted by, and a password."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("How you are greeted and shown to colleagues."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Choose a password"), label2=_("The same password again")
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.validate_passwords()
        # Validated against the person to be (similarity to the email and name).
        self.validate_password_for_user(
            User(email=self.email, display_name=cleaned.get("display_name", ""))
        )
        return cleaned


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data.get("email"))
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("A user with this email address already exists."))
        return email


class UserChangeAdminForm(_UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class RecoveryCodeForm(forms.Form):
    method = forms.CharField(widget=forms.HiddenInput, initial="recovery")
    code = forms.CharField(
        label=_("Recovery code"),
        max_length=24,
        help_text=_("One of the codes you printed or saved, like abcd-efgh-jkmn."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        normalized = recovery.normalize(self.cleaned_data["code"])
        if normalized is None:
            raise forms.ValidationError(
                _("A recovery code has 12 letters and digits, like abcd-efgh-jkmn.")
            )
        return normalized


class PasskeyNameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64, strip=True)
