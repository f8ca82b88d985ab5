"""The account security page (``/accounts/security/``): two-step sign-in, recovery codes,
passkeys and signed-in sessions, for the signed-in person's own account only.

Someone who has a second factor must have used it in this session before seeing or
changing anything here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp_webauthn.models import WebAuthnCredential

from hopeful.web.accounts import recovery, user_agents
from hopeful.web.accounts.forms import PasskeyNameForm
from hopeful.web.accounts.middleware import SESSION_RECORD_KEY
from hopeful.web.accounts.models import User, UserSession
from hopeful.web.accounts.selectors import (
    passkeys_for,
    recovery_codes_remaining,
    totp_device_confirmed,
    user_has_second_factor,
    user_is_verified,
    user_needs_two_factor,
    user_sessions_for,
)
from hopeful.web.accounts.services import (
    passkey_remove,
    passkey_rename,
    recovery_codes_generate,
    user_session_end,
    user_sessions_end_others,
    user_sessions_prune,
)
from hopeful.web.accounts.signed_in import signed_in_user


def _security_url() -> str:
    return reverse("accounts:security")


def _second_step_first(request: HttpRequest) -> HttpResponse | None:
    """A redirect to the second step when the person has one and has not used it yet."""
    if user_has_second_factor(signed_in_user(request)) and not user_is_verified(request):
        url = reverse("accounts:two_factor")
        return redirect(f"{url}?{urlencode({'next': _security_url()})}")
    return None


def recovery_codes_left_message(request: HttpRequest, remaining: int) -> None:
    """Tell how many recovery codes are left; warn when few are."""
    text = ngettext(
        "You used a recovery code. You have %(count)d code left.",
        "You used a recovery code. You have %(count)d codes left.",
        remaining,
    ) % {"count": remaining}
    if remaining <= recovery.FEW_LEFT:
        text += " " + _("Make new recovery codes on your account security page soon.")
        messages.warning(request, text)
    else:
        messages.info(request, text)


def recovery_codes_page(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """Make a new set of codes and show it: this response is the only time they are shown."""
    codes = recovery_codes_generate(user=user)
    context = {"codes": codes, "next": next_url}
    response = render(request, "accounts/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _session_rows(request: HttpRequest, user: User) -> list[dict[str, Any]]:
    current = request.session.get(SESSION_RECORD_KEY, "")
    rows = [
        {
            "record": record,
            "device": user_agents.describe(record.user_agent),
            "current": str(record.public_id) == current,
        }
        for record in user_sessions_for(user)
    ]
    rows.sort(key=lambda row: not row["current"])
    return rows


@never_cache
def security(request: HttpRequest) -> HttpResponse:
    """The person's own account security: what protects the account, and where it is used."""
    if (response := _second_step_first(request)) is not None:
        return response
    user = signed_in_user(request)
    user_sessions_prune(user=user)
    sessions = _session_rows(request, user)
    passkeys = passkeys_for(user)
    context = {
        "has_app": totp_device_confirmed(user) is not None,
        "needs_two_factor": user_needs_two_factor(user),
        "verified": user_is_verified(request),
        "recovery_remaining": recovery_codes_remaining(user),
        "few_left": recovery.FEW_LEFT,
        "passkeys": [
            (p, PasskeyNameForm(initial={"name": p.name}, prefix=f"p{p.pk}")) for p in passkeys
        ],
        "sessions": sessions,
        "other_sessions": sum(1 for row in sessions if not row["current"]),
        "passkey_origin": _passkey_origin_elsewhere(request),
    }
    return render(request, "accounts/security.html", context)


def _passkey_origin_elsewhere(request: HttpRequest) -> str:
    """The address passkeys work at when this page was opened at another one ("" when here).

    A passkey belongs to one site name (``OTP_WEBAUTHN_RP_ID``); browsers refuse it on any
    other, and on an IP address always (the demo's http://127.0.0.1:8000 is such a case)."""
    origin = f"{request.scheme}://{request.get_host()}"
    allowed = list(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)
    return "" if not allowed or origin in allowed else allowed[0]


@never_cache
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    """A new set of recovery codes, shown once; the old set stops working."""
    if (response := _second_step_first(request)) is not None:
        return response
    return recovery_codes_page(request, signed_in_user(request), _security_url())


def _own_passkey(request: HttpRequest, passkey_id: int) -> WebAuthnCredential:
    credential = WebAuthnCredential.objects.filter(pk=passkey_id, user=request.user).first()
    if credential is None:
        raise Http404
    return credential


@require_POST
def passkey_rename_view(request: HttpRequest, passkey_id: int) -> HttpResponse:
    if (response := _second_step_first(request)) is not None:
        return response
    credential = _own_passkey(request, passkey_id)
    form = PasskeyNameForm(request.POST, prefix=f"p{credential.pk}")
    if form.is_valid():
        passkey_rename(
            user=signed_in_user(request), credential=credential, name=form.cleaned_data["name"]
        )
        messages.success(request, _("Renamed the passkey."))
    else:
        messages.error(request, _("Give the passkey a name of up to 64 characters."))
    return redirect(_security_url() + "#passkeys")


@require_POST
def passkey_remove_view(request: HttpRequest, passkey_id: int) -> HttpResponse:
    if (response := _second_step_first(request)) is not None:
        return response
    credential = _own_passkey(request, passkey_id)
    name = credential.name
    passkey_remove(user=signed_in_user(request), credential=credential)
    messages.success(request, _("Removed %(name)s.") % {"name": name})
    return redirect(_security_url() + "#passkeys")


@require_POST
def session_end(request: HttpRequest, session_id: Any) -> HttpResponse:
    """End another of the person's sessions (its next request is signed out)."""
    if (response := _second_step_first(request)) is not None:
        return response
    user = signed_in_user(request)
    record = UserSession.objects.filter(public_id=session_id, user=user).first()
    if record is None:
        raise Http404
    current = request.session.get(SESSION_RECORD_KEY, "")
    if str(record.public_id) == current:
        messages.error(request, _("To end this session, sign out."))
    else:
        user_session_end(user=user, record=record, current_id=current)
        messages.success(request, _("Ended the session."))
    return redirect(_security_url() + "#sessions")


@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    """End every session of the person but this one."""
    if (response := _second_step_first(request)) is not None:
        return response
    current = request.session.get(SESSION_RECORD_KEY, "")
    ended = user_sessions_end_others(user=signed_in_user(request), current_id=current)
    messages.success(
        request,
        ngettext("Ended %(count)d other session.", "Ended %(count)d other sessions.", ended)
        % {"count": ended},
    )
    return redirect(_security_url() + "#sessions")
