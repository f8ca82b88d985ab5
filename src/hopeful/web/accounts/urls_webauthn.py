"""The passkey ceremonies: JSON endpoints the package's scripts call (``/accounts/passkeys/``).

The namespace is the package's own (``otp_webauthn``): its template tags reverse these names.
"""

from __future__ import annotations

from django.urls import URLPattern, path
from django.views.i18n import JavaScriptCatalog

from hopeful.web.accounts import webauthn

app_name = "otp_webauthn"

urlpatterns: list[URLPattern] = [
    path(
        "registration/begin/",
        webauthn.PasskeyRegistrationBegin.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        webauthn.PasskeyRegistrationComplete.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        webauthn.PasskeyAuthenticationBegin.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        webauthn.PasskeyAuthenticationComplete.as_view(),
        name="credential-authentication-complete",
    ),
    # The scripts' own messages, in the page's language (the package ships Spanish).
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
