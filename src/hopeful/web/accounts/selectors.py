"""Reads for accounts: throttling state and who must use two-factor sign-in."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from hopeful.web.accounts.models import RecoveryCodeDevice, SignInAttempt, User, UserSession
from hopeful.web.organizations.models import IDENTIFIABLE_ROLES, Membership, SupportGrant


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address (behind a trusted proxy: the last X-Forwarded-For entry)."""
    if settings.HOPEFUL_TRUST_X_FORWARDED_FOR:
        forwarded = [p.strip() for p in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or None


def lock_window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.HOPEFUL_SIGN_IN_LOCK_MINUTES)


def throttle_wait_minutes(*, kind: str, email: str, ip_address: str | None) -> int:
    """Whole minutes until another attempt is allowed; 0 when not locked.

    Locked when the account (email, known or not) or the IP address has reached its limit of
    attempts of this kind within the window. The lock lasts until enough of them age out.
    """
    now = timezone.now()
    window = lock_window()
    recent = SignInAttempt.objects.filter(kind=kind, created_at__gt=now - window)
    unlock_at: dt.datetime | None = None
    checks: list[tuple[Q, int]] = []
    if email:
        checks.append((Q(email=email), settings.HOPEFUL_SIGN_IN_MAX_FAILURES))
    if ip_address:
        checks.append((Q(ip_address=ip_address), settings.HOPEFUL_SIGN_IN_IP_MAX_FAILURES))
    for condition, limit in checks:
        times = list(
            recent.filter(condition)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:limit]
        )
        if len(times) >= limit:
            # The lock ends when the limit-th most recent attempt leaves the window.
            ends = times[limit - 1] + window
            unlock_at = ends if unlock_at is None else max(unlock_at, ends)
    if unlock_at is None:
        return 0
    return max(1, math.ceil((unlock_at - now).total_seconds() / 60))


def user_needs_two_factor(user: Any) -> bool:
    """Whether the user sees identifiable records anywhere, so must use a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    if Membership.objects.filter(user=user, role__in=IDENTIFIABLE_ROLES).exists():
        return True
    if user.is_network_staff:
        now = timezone.now()
        return SupportGrant.objects.filter(
            staff=user, revoked_at__isnull=True, created_at__lte=now, expires_at__gt=now
        ).exists()
    return False


def user_is_verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def totp_device_confirmed(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def recovery_device(user: User) -> RecoveryCodeDevice | None:
    return RecoveryCodeDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_remaining(user: User) -> int | None:
    """Unused recovery codes of ``user``; None when they never made any."""
    device = recovery_device(user)
    return None if device is None else device.remaining()


def passkeys_for(user: User) -> list[WebAuthnCredential]:
    return list(
        WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")
    )


def user_has_second_factor(user: User) -> bool:
    """Whether the user has anything to pass the second step with: an authenticator app, a
    passkey, or an unused recovery code."""
    return (
        totp_device_confirmed(user) is not None
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
        or bool(recovery_codes_remaining(user))
    )


def user_sessions_for(user: User) -> list[UserSession]:
    return list(UserSession.objects.filter(user=user).order_by("-last_active_at", "-pk"))
