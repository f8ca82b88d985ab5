"""Writes to accounts. Keyword-only and typed, like every service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from hopeful.web.accounts import recovery, user_agents
from hopeful.web.accounts.models import (
    RecoveryCode,
    RecoveryCodeDevice,
    SignInAttempt,
    User,
    UserSession,
)
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
ATTEMPT_RETENTION = dt.timedelta(days=1)


def sign_in_attempt_record(*, kind: str, email: str, ip_address: str | None) -> None:
    """Count one failed attempt (or one reset request) for the throttle."""
    now = timezone.now()
    SignInAttempt.objects.create(
        kind=kind, email=User.objects.normalize_email(email), ip_address=ip_address
    )
    SignInAttempt.objects.filter(created_at__lt=now - ATTEMPT_RETENTION).delete()


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
    """Confirm a device after a correct code; the user's other authenticator devices are
    dropped (unconfirmed ones, and the old app when this one replaces it)."""
    if device.user_id != user.pk:
        raise ValueError("the device belongs to another user")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).exists()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit_record(
        verb="auth.two_factor_enabled",
        actor=user,
        organization=None,
        obj=user,
        extra={"replaced": replaced} if replaced else None,
    )
    return device


def user_password_reset_record(*, user: User) -> None:
    """Audit a password reset; the throttle forgets the account's password failures."""
    sign_in_attempts_clear(kind="password", email=user.email)
    audit_record(verb="auth.password_reset", actor=user, organization=None, obj=user)


# -- recovery codes ------------------------------------------------------------------------


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """A new set of recovery codes for ``user``; any older set stops working at once.

    Returns the codes as shown to the person (the only time they exist in clear): only their
    digests are stored.
    """
    device, _created = RecoveryCodeDevice.objects.get_or_create(
        user=user, defaults={"name": "recovery codes", "confirmed": True}
    )
    replaced = device.codes.count()
    device.codes.all().delete()
    codes = recovery.new_codes()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(
            device=device,
            digest=recovery.digest(user_public_id=str(user.public_id), code=code),
        )
        for code in codes
    )
    audit_record(
        verb="auth.recovery_codes_generated",
        actor=user,
        organization=None,
        obj=user,
        extra={"count": len(codes), "replaced": replaced},
    )
    return [recovery.display(code) for code in codes]


def recovery_code_used_record(*, user: User, remaining: int) -> None:
    """Audit that a recovery code was used for sign-in."""
    audit_record(
        verb="auth.recovery_code_used",
        actor=user,
        organization=None,
        obj=user,
        extra={"remaining": remaining},
    )


# -- passkeys --------------------------------------------------------------------------------


def passkey_added_record(*, user: User, credential: WebAuthnCredential) -> None:
    audit_record(
        verb="auth.passkey_added",
        actor=user,
        organization=None,
        obj=user,
        extra={"passkey": credential.name},
    )


def passkey_used_record(*, user: User, credential: WebAuthnCredential) -> None:
    audit_record(
        verb="auth.passkey_used",
        actor=user,
        organization=None,
        obj=user,
        extra={"passkey": credential.name},
    )


@transaction.atomic
def passkey_rename(*, user: User, credential: WebAuthnCredential, name: str) -> None:
    if credential.user_id != user.pk:
        raise ValueError("the passkey belongs to another user")
    credential.name = name
    credential.save(update_fields=["name"])


@transaction.atomic
def passkey_remove(*, user: User, credential: WebAuthnCredential) -> None:
    if credential.user_id != user.pk:
        raise ValueError("the passkey belongs to another user")
    name = credential.name
    credential.delete()
    audit_record(
        verb="auth.passkey_removed",
        actor=user,
        organization=None,
        obj=user,
        extra={"passkey": name},
    )


# -- signed-in sessions ------------------------------------------------------------------------


def user_session_start(
    *, user: User, session_key: str | None, user_agent: str, ip_address: str | None
) -> UserSession:
    """Record a sign-in (called from the ``user_logged_in`` signal)."""
    return UserSession.objects.create(
        user=user,
        session_key=session_key or "",
        user_agent=user_agent[:300],
        ip_network=user_agents.network_of(ip_address),
    )


def user_session_touch(*, record_id: str, user: User, session_key: str) -> bool:
    """Bring the record up to date (key and last activity); False when it is gone, i.e. the
    session was ended elsewhere meanwhile."""
    updated = UserSession.objects.filter(public_id=record_id, user=user).update(
        session_key=session_key, last_active_at=timezone.now()
    )
    return updated == 1


def user_session_forget(*, record_id: str) -> None:
    """Sign-out: the session is gone, so is its record."""
    UserSession.objects.filter(public_id=record_id).delete()


def _end(records: list[UserSession]) -> int:
    keys = [r.session_key for r in records if r.session_key]
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(pk__in=[r.pk for r in records]).delete()
    return len(records)


def user_sessions_prune(*, user: User) -> None:
    """Forget records of sessions that have ended by themselves (expired, idle too long,
    older than the absolute limit, or deleted); their session rows go too."""
    now = timezone.now()
    idle = dt.timedelta(minutes=settings.HOPEFUL_SESSION_IDLE_MINUTES + 2)
    absolute = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    live_keys = Session.objects.filter(expire_date__gt=now).values("session_key")
    dead = UserSession.objects.filter(user=user).filter(
        ~Q(session_key__in=live_keys)
        | Q(last_active_at__lt=now - idle)
        | Q(created_at__lt=now - absolute)
    )
    _end(list(dead))


def _in_english(user_agent: str) -> str:
    with translation.override("en"):
        return user_agents.describe(user_agent)


@transaction.atomic
def user_session_end(*, user: User, record: UserSession, current_id: str) -> None:
    """End one of the owner's other sessions: its next request is signed out."""
    if record.user_id != user.pk:
        raise ValueError("the session belongs to another user")
    if str(record.public_id) == current_id:
        raise ValueError("the current session ends by signing out")
    _end([record])
    audit_record(
        verb="auth.session_ended",
        actor=user,
        organization=None,
        obj=user,
        extra={"device": _in_english(record.user_agent), "network": record.ip_network},
    )


@transaction.atomic
def user_sessions_end_others(*, user: User, current_id: str) -> int:
    """End every session of the owner but this one; the number ended."""
    others = list(UserSession.objects.filter(user=user).exclude(public_id=current_id))
    ended = _end(others)
    audit_record(
        verb="auth.other_sessions_ended",
        actor=user,
        organization=None,
        obj=user,
        extra={"count": ended},
    )
    return ended


# -- resets by an administrator --------------------------------------------------------------


@transaction.atomic
def second_factor_reset(*, user: User, actor: User, organization: Any) -> dict[str, int]:
    """Remove every second factor of ``user`` (authenticator apps, passkeys, recovery codes)
    and end their sessions: at the next sign-in they set up two-step sign-in again.

    Audited in ``organization`` with the actor and the member.
    """
    if user.pk == actor.pk:
        raise ValueError("nobody resets their own second factor this way")
    removed = {
        "authenticator_apps": TOTPDevice.objects.filter(user=user).delete()[0],
        "passkeys": WebAuthnCredential.objects.filter(user=user).count(),
        "recovery_codes": RecoveryCode.objects.filter(device__user=user).count(),
    }
    WebAuthnCredential.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    removed["sessions"] = _end(list(UserSession.objects.filter(user=user)))
    audit_record(
        verb="auth.second_factor_reset",
        actor=actor,
        organization=organization,
        obj=user,
        extra={"member": user.email, "by": actor.email, **removed},
    )
    return removed
