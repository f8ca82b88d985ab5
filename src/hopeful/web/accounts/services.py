"""Writes to accounts. Keyword-only and typed, like every service."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hopeful.web.accounts.models import SignInAttempt, User
from hopeful.web.audit.services import audit_record


@transaction.atomic
def user_ensure(
    *,
    email: str,
    password: str,
    display_name: str = "",
    is_staff: bool = False,
    preferred_language: str = "en",
) -> tuple[User, bool]:
    """Create the user, or reset an existing one to exactly these values.

    Returns the user and whether it was created. Used for demo and bootstrap accounts, which
    must end in the same state however many times the command runs.
    """
    normalized = User.objects.normalize_email(email)
    user = User.objects.filter(email__iexact=normalized).first()
    created = user is None
    if user is None:
        user = User(email=normalized)
    user.display_name = display_name
    user.is_staff = is_staff
    user.is_active = True
    user.preferred_language = preferred_language
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user, created


#: Attempts older than this are of no use to any throttle and are deleted as we go.
_ATTEMPT_RETENTION = dt.timedelta(days=1)


def sign_in_attempt_record(*, kind: str, email: str, ip_address: str | None) -> None:
    """Count one failed attempt (or one reset request) for the throttle."""
    now = timezone.now()
    SignInAttempt.objects.create(
        kind=kind, email=User.objects.normalize_email(email), ip_address=ip_address
    )
    SignInAttempt.objects.filter(created_at__lt=now - _ATTEMPT_RETENTION).delete()


def sign_in_attempts_clear(*, kind: str, email: str) -> None:
    """A success forgets the account's failures of this kind (from any address)."""
    SignInAttempt.objects.filter(kind=kind, email=User.objects.normalize_email(email)).delete()


def sign_in_lockout_record(*, kind: str, email: str, ip_address: str | None) -> None:
    """Audit that an attempt was refused because of the throttle."""
    audit_record(
        verb="auth.locked_out",
        actor=None,
        organization=None,
        extra={"kind": kind, "email": email, "ip": ip_address or ""},
    )


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator device, created when there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice) -> TOTPDevice:
    """Confirm a device after a correct code; other unconfirmed devices are dropped."""
    if device.user_id != user.pk:
        raise ValueError("the device belongs to another user")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
    audit_record(verb="auth.two_factor_enabled", actor=user, organization=None, obj=user)
    return device


def user_password_reset_record(*, user: User) -> None:
    """Audit a password reset; the throttle forgets the account's password failures."""
    sign_in_attempts_clear(kind="password", email=user.email)
    audit_record(verb="auth.password_reset", actor=user, organization=None, obj=user)
