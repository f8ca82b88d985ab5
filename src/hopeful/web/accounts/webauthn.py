"""Passkeys (WebAuthn, django-otp-webauthn) as a second factor.

The package's views run the ceremonies; ours add what HOPEful needs around them: a passkey
is used only after the password (never on its own), a successful passkey completes the
second factor the same way an app code does (new session key, verified session), and adding
or using one is audited. A passkey is named "Passkey 1", "Passkey 2"... until its owner
renames it on the account security page.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from hopeful.web.accounts.services import passkey_added_record, passkey_used_record
from hopeful.web.accounts.verification import complete_second_factor


class PasskeyHelper(WebAuthnHelper):  # type: ignore[misc]  # django-otp-webauthn ships no type information
    def create_credential(self, user: Any, *args: Any, **kwargs: Any) -> WebAuthnCredential:
        credential = super().create_credential(user, *args, **kwargs)
        number = WebAuthnCredential.objects.filter(user=user).count() + 1
        credential.name = _("Passkey %(number)d") % {"number": number}
        return credential


class _MustBeSignedIn:
    request: HttpRequest

    def check_signed_in(self) -> None:
        if not self.request.user.is_authenticated:
            raise exceptions.NotAuthenticated()


class PasskeyRegistrationBegin(BeginCredentialRegistrationView):  # type: ignore[misc]  # django-otp-webauthn ships no type information
    """Options for a new passkey. The package refuses when the person already has a second
    factor and has not used it in this session."""


class PasskeyRegistrationComplete(CompleteCredentialRegistrationView):  # type: ignore[misc]  # django-otp-webauthn ships no type information
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        with transaction.atomic():
            response: HttpResponse = super().post(*args, **kwargs)
            if response.status_code == 200:
                credential = WebAuthnCredential.objects.get(pk=json.loads(response.content)["id"])
                passkey_added_record(user=credential.user, credential=credential)
                messages.success(
                    self.request,
                    _("Added %(name)s. You can give it a name you will recognize.")
                    % {"name": credential.name},
                )
        return response


class PasskeyAuthenticationBegin(_MustBeSignedIn, BeginCredentialAuthenticationView):  # type: ignore[misc]  # django-otp-webauthn ships no type information
    def check_can_authenticate(self) -> None:
        self.check_signed_in()
        super().check_can_authenticate()


class PasskeyAuthenticationComplete(_MustBeSignedIn, CompleteCredentialAuthenticationView):  # type: ignore[misc]  # django-otp-webauthn ships no type information
    """The second step with a passkey (the password was checked on the sign-in page)."""

    def check_can_authenticate(self) -> None:
        self.check_signed_in()
        super().check_can_authenticate()

    def complete_auth(self, device: Any) -> Any:
        complete_second_factor(self.request, device)
        passkey_used_record(user=device.user, credential=device)
        return device.user
