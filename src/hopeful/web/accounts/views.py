"""Sign-in, two-factor sign-in, password reset and invitation acceptance."""

from __future__ import annotations

import time
from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import verify_token

from hopeful.web.accounts.forms import (
    InvitationSignUpForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    RecoveryCodeForm,
    SignInForm,
    TwoFactorForm,
    is_throttled,
    too_many_attempts,
)
from hopeful.web.accounts.middleware import LAST_ACTIVITY_KEY, SIGNED_IN_AT_KEY
from hopeful.web.accounts.models import AttemptKind, User
from hopeful.web.accounts.security_views import recovery_codes_left_message, recovery_codes_page
from hopeful.web.accounts.selectors import (
    client_ip,
    passkeys_for,
    recovery_codes_remaining,
    recovery_device,
    throttle_wait_minutes,
    totp_device_confirmed,
    user_has_second_factor,
    user_is_verified,
    user_needs_two_factor,
)
from hopeful.web.accounts.services import (
    recovery_code_used_record,
    sign_in_attempt_record,
    sign_in_attempts_clear,
    sign_in_lockout_record,
    totp_device_confirm,
    totp_device_start,
    user_password_reset_record,
)
from hopeful.web.accounts.signed_in import signed_in_user
from hopeful.web.accounts.verification import complete_second_factor
from hopeful.web.organizations.services import (
    invitation_accept as invitation_accept_service,
)
from hopeful.web.organizations.services import (
    invitation_accept_new_user,
    invitation_for_token,
)


def _next_url(request: HttpRequest) -> str:
    """The ``next`` parameter when it points into this site, else the default page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _start_session_clock(request: HttpRequest) -> None:
    now = int(time.time())
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[LAST_ACTIVITY_KEY] = now


class SignInView(auth_views.LoginView):
    """Django's sign-in (the session key rotates), throttled, then the second factor for
    people who see identifiable records."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        sign_in_attempts_clear(kind=AttemptKind.PASSWORD, email=user.email)
        auth_login(self.request, user)
        _start_session_clock(self.request)
        next_url = self.get_success_url()
        if user_needs_two_factor(user):
            return redirect(_with_next("accounts:two_factor", next_url))
        return HttpResponseRedirect(next_url)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if is_throttled(form):
            response.status_code = 429
        return response


def _check_code(
    request: HttpRequest, form: forms.Form, device: Any, wrong: str = ""
) -> tuple[bool, int]:
    """Verify the posted code against ``device`` under the throttle: (verified, status).

    App codes and recovery codes count against the same limit."""
    user = signed_in_user(request)
    ip = client_ip(request)
    form.is_valid()
    wait = throttle_wait_minutes(kind=AttemptKind.TWO_FACTOR, email=user.email, ip_address=ip)
    if wait:
        sign_in_lockout_record(kind=AttemptKind.TWO_FACTOR, email=user.email, ip_address=ip)
        form.add_error(None, too_many_attempts(wait))
        return False, 429
    if form.errors:
        return False, 200
    # django-otp remembers the last time step used: the same code is refused a second time.
    if verify_token(user, device.persistent_id, form.cleaned_data["code"]) is None:
        sign_in_attempt_record(kind=AttemptKind.TWO_FACTOR, email=user.email, ip_address=ip)
        form.add_error(
            "code",
            wrong or _("That code did not work. Wait for the next code in your app and try again."),
        )
        return False, 200
    sign_in_attempts_clear(kind=AttemptKind.TWO_FACTOR, email=user.email)
    device.refresh_from_db()
    return True, 200


def _complete_second_factor(request: HttpRequest, device: Any) -> None:
    complete_second_factor(request, device)


@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, a passkey, or (``method=recovery``)
    one of the person's recovery codes."""
    next_url = _next_url(request)
    if user_is_verified(request):
        return redirect(next_url)
    user = signed_in_user(request)
    if not user_has_second_factor(user):
        return redirect(_with_next("accounts:two_factor_setup", next_url))
    if (request.POST.get("method") or request.GET.get("method")) == "recovery":
        return two_factor_recovery(request, user, next_url)
    device = totp_device_confirmed(user)
    form = TwoFactorForm(request.POST or None)
    status = 200
    if request.method == "POST" and device is not None:
        verified, status = _check_code(request, form, device)
        if verified:
            _complete_second_factor(request, device)
            return redirect(next_url)
    context = {
        "form": form if device is not None else None,
        "next": next_url,
        "has_passkeys": bool(passkeys_for(user)),
        "recovery_remaining": recovery_codes_remaining(user) or 0,
        "recovery_url": _with_next("accounts:two_factor", next_url) + "&method=recovery",
    }
    return render(request, "accounts/two_factor.html", context, status=status)


def two_factor_recovery(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """The second step with a recovery code (each works once)."""
    device = recovery_device(user)
    remaining = device.remaining() if device is not None else 0
    if device is None or not remaining:
        return redirect(_with_next("accounts:two_factor", next_url))
    form = RecoveryCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        wrong = _("That recovery code did not work. Check it, or try another one.")
        verified, status = _check_code(request, form, device, wrong)
        if verified:
            _complete_second_factor(request, device)
            remaining = device.remaining()
            recovery_code_used_record(user=user, remaining=remaining)
            recovery_codes_left_message(request, remaining)
            return redirect(next_url)
    context = {"form": form, "next": next_url, "remaining": remaining}
    return render(request, "accounts/two_factor_recovery.html", context, status=status)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Connect an authenticator app: a QR code (and the key to type), then one code."""
    next_url = _next_url(request)
    user = signed_in_user(request)
    replacing = request.GET.get("replace") == "1" or request.POST.get("replace") == "1"
    if user_has_second_factor(user) and not user_is_verified(request):
        # A new app needs a second step first (app, passkey or recovery code); with none left
        # an administrator resets two-step sign-in.
        return redirect(_with_next("accounts:two_factor", next_url))
    if totp_device_confirmed(user) is not None and not replacing:
        messages.info(request, _("Two-step sign-in is already set up."))
        return redirect(next_url)
    device = totp_device_start(user=user)
    form = TwoFactorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        verified, status = _check_code(request, form, device)
        if verified:
            totp_device_confirm(user=user, device=device)
            _complete_second_factor(request, device)
            messages.success(request, _("Two-step sign-in is set up."))
            if recovery_codes_remaining(user) is None:
                # The first time: recovery codes, shown on this response only.
                return recovery_codes_page(request, user, next_url)
            return redirect(next_url)
    # The SVG is made by segno from our own data (no user-controlled markup in it).
    qr_svg = mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2))  # noqa: S308
    context = {
        "form": form,
        "next": next_url,
        "replacing": replacing,
        "qr_svg": qr_svg,
        "secret": _grouped(b32encode(device.bin_key).decode()),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=status)


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Django's reset request (the answer never says whether the account exists), throttled
    per email and per address."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetRequestForm) -> HttpResponse:
        email = User.objects.normalize_email(form.cleaned_data["email"])
        ip = client_ip(self.request)
        kind = AttemptKind.PASSWORD_RESET
        wait = throttle_wait_minutes(kind=kind, email=email, ip_address=ip)
        if wait:
            sign_in_lockout_record(kind=kind, email=email, ip_address=ip)
            form.add_error(None, too_many_attempts(wait))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        sign_in_attempt_record(kind=kind, email=email, ip_address=ip)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password. The person is not signed in afterwards: they sign in again, with their
    second factor; every other session ends because the password changed."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            user_password_reset_record(user=form.user)
        return response


@login_not_required
@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Join an organization from an emailed invitation (public: the token is the key)."""
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    context: dict[str, Any] = {"invitation": invitation}
    user = request.user
    if user.is_authenticated:
        if User.objects.normalize_email(user.email) != invitation.email.lower():
            context["wrong_account"] = True
            return render(request, "accounts/invitation_accept.html", context, status=403)
        if request.method == "POST":
            try:
                invitation_accept_service(invitation=invitation, user=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(settings.LOGIN_REDIRECT_URL)
            messages.success(
                request,
                _("You joined %(organization)s.") % {"organization": invitation.organization},
            )
            return _after_joining(request)
        return render(request, "accounts/invitation_accept.html", context)

    if User.objects.filter(email__iexact=invitation.email).exists():
        context["sign_in_url"] = _with_next("accounts:login", request.path)
        return render(request, "accounts/invitation_accept.html", context)
    form = InvitationSignUpForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            membership = invitation_accept_new_user(
                invitation=invitation,
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            auth_login(
                request, membership.user, backend="django.contrib.auth.backends.ModelBackend"
            )
            _start_session_clock(request)
            messages.success(
                request,
                _("Welcome! You joined %(organization)s.")
                % {"organization": invitation.organization},
            )
            return _after_joining(request)
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context)


def _after_joining(request: HttpRequest) -> HttpResponse:
    home = resolve_url(settings.LOGIN_REDIRECT_URL)
    if user_needs_two_factor(request.user) and not user_is_verified(request):
        return redirect(_with_next("accounts:two_factor", home))
    return redirect(home)
