"""Writes to organizations: members, invitations and support grants. Each one is audited in
the same transaction; emails leave only after the transaction commits."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful.web.accounts.models import User
from hopeful.web.audit.services import audit_record
from hopeful.web.organizations.models import (
    Invitation,
    Membership,
    Organization,
    Program,
    Role,
    SupportGrant,
)

INVITATION_DAYS = 7
SUPPORT_MAX_HOURS = 72


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_programs(organization: Organization, programs: Iterable[Program]) -> list[Program]:
    programs = list(programs)
    if any(p.organization_id != organization.pk for p in programs):
        raise ValidationError(_("Choose programs of this organization."))
    return programs


def _lock_admins(organization: Organization) -> int:
    """Lock the organization's admin memberships and count them (last-admin rule)."""
    return len(
        list(
            Membership.objects.select_for_update()
            .filter(organization=organization, role=Role.ORG_ADMIN)
            .values_list("id", flat=True)
        )
    )


@transaction.atomic
def invitation_create(
    *,
    organization: Organization,
    actor: User,
    email: str,
    role: str,
    programs: Iterable[Program] = (),
    accept_url: Callable[[str], str],
) -> tuple[Invitation, str]:
    """Invite ``email`` to join in ``role``; returns the invitation and its one-time token.

    Only the SHA-256 of the token is stored. A pending invitation of the same person is
    replaced. The email with ``accept_url(token)`` is sent after the transaction commits.
    """
    email = User.objects.normalize_email(email)
    if role not in Role.values:
        raise ValidationError(_("Choose a role."))
    programs = _check_programs(organization, programs)
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError(_("This person is already a member of the organization."))
    now = timezone.now()
    Invitation.objects.filter(
        organization=organization,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        token_hash=invitation_token_hash(token),
        invited_by=actor,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )
    invitation.programs.set(programs)
    audit_record(
        verb="member.invite",
        actor=actor,
        organization=organization,
        obj=invitation,
        extra={"email": email, "role": role, "programs": [str(p.public_id) for p in programs]},
    )
    url = accept_url(token)
    context = {
        "organization": organization,
        "inviter": actor,
        "role": Role(role).label,
        "url": url,
        "days": INVITATION_DAYS,
    }
    subject = _("You are invited to join %(organization)s on HOPEful") % {
        "organization": organization.name
    }
    body = render_to_string("organizations/invitation_email.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    return invitation, token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            verb="invitation.revoke",
            actor=actor,
            organization=invitation.organization,
            obj=invitation,
            extra={"email": invitation.email},
        )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The pending, unexpired invitation with this token, else None."""
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(
            token_hash=invitation_token_hash(token),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def _accept(invitation: Invitation, user: User) -> Membership:
    # Lock the row, then check again: a token is used once even under concurrent requests.
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if (
        locked.accepted_at is not None
        or locked.revoked_at is not None
        or locked.expires_at <= timezone.now()
    ):
        raise ValidationError(_("This invitation is not valid any more."))
    if User.objects.normalize_email(user.email) != User.objects.normalize_email(locked.email):
        raise ValidationError(_("This invitation was sent to another email address."))
    if Membership.objects.filter(user=user, organization=locked.organization_id).exists():
        raise ValidationError(_("You are already a member of this organization."))
    membership = Membership.objects.create(
        user=user, organization=locked.organization, role=locked.role
    )
    membership.programs.set(locked.programs.all())
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    audit_record(
        verb="invitation.accept",
        actor=user,
        organization=locked.organization,
        obj=membership,
        extra={"invitation": str(locked.public_id), "role": locked.role},
    )
    return membership


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """An existing, signed-in user accepts: a membership in the invited role and programs."""
    return _accept(invitation, user)


@transaction.atomic
def invitation_accept_new_user(
    *, invitation: Invitation, display_name: str, password: str
) -> Membership:
    """A new person accepts: their account and their membership, in one transaction."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account with this email address exists; sign in first."))
    user = User.objects.create_user(invitation.email, password, display_name=display_name)
    audit_record(
        verb="user.create",
        actor=user,
        organization=invitation.organization,
        obj=user,
        extra={"via": "invitation"},
    )
    return _accept(invitation, user)


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    actor: User,
    role: str,
    programs: Iterable[Program],
    all_programs: bool,
    is_supervisor: bool | None = None,
) -> Membership:
    """Change a member's role and programs, and whether they supervise (``None`` keeps it).
    The last org admin cannot be demoted."""
    organization = membership.organization
    if role not in Role.values:
        raise ValidationError(_("Choose a role."))
    programs = _check_programs(organization, programs)
    admins = _lock_admins(organization)
    membership.refresh_from_db()
    if membership.role == Role.ORG_ADMIN and role != Role.ORG_ADMIN and admins <= 1:
        raise ValidationError(
            _("An organization needs at least one admin: make someone else an admin first.")
        )
    before = {
        "role": membership.role,
        "all_programs": membership.all_programs,
        "programs": sorted(str(p.public_id) for p in membership.programs.all()),
        "is_supervisor": membership.is_supervisor,
    }
    membership.role = role
    membership.all_programs = all_programs
    if is_supervisor is not None:
        membership.is_supervisor = is_supervisor
    membership.save(update_fields=["role", "all_programs", "is_supervisor"])
    membership.programs.set(programs)
    after = {
        "role": role,
        "all_programs": all_programs,
        "programs": sorted(str(p.public_id) for p in programs),
        "is_supervisor": membership.is_supervisor,
    }
    if before != after:
        audit_record(
            verb="member.role_change",
            actor=actor,
            organization=organization,
            obj=membership,
            extra={"user": str(membership.user.public_id), "before": before, "after": after},
        )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Remove a member from the organization. The last org admin cannot be removed."""
    organization = membership.organization
    admins = _lock_admins(organization)
    membership.refresh_from_db()
    if membership.role == Role.ORG_ADMIN and admins <= 1:
        raise ValidationError(
            _("An organization needs at least one admin: make someone else an admin first.")
        )
    audit_record(
        verb="member.remove",
        actor=actor,
        organization=organization,
        obj=membership,
        extra={"user": str(membership.user.public_id), "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def support_grant_create(
    *, organization: Organization, actor: User, staff: User, hours: int, reason: str
) -> SupportGrant:
    """Give one network staff member access to this organization for 1 to 72 hours."""
    if not staff.is_network_staff or not staff.is_active:
        raise ValidationError(_("Support access can be given to HOPE network staff only."))
    if not 1 <= hours <= SUPPORT_MAX_HOURS:
        raise ValidationError(_("Choose between 1 and 72 hours."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why support needs access."))
    now = timezone.now()
    grant = SupportGrant.objects.create(
        staff=staff,
        organization=organization,
        granted_by=actor,
        reason=reason,
        created_at=now,
        expires_at=now + dt.timedelta(hours=hours),
    )
    audit_record(
        verb="support.grant",
        actor=actor,
        organization=organization,
        obj=grant,
        extra={"staff": str(staff.public_id), "hours": hours, "reason": reason},
    )
    return grant


@transaction.atomic
def support_grant_revoke(*, grant: SupportGrant, actor: User) -> SupportGrant:
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        audit_record(
            verb="support.revoke",
            actor=actor,
            organization=grant.organization,
            obj=grant,
            extra={"staff": str(grant.staff.public_id)},
        )
    return grant


def support_access_record(*, grant: SupportGrant, actor: User, path: str, method: str) -> None:
    """Audit one request made through a support grant."""
    audit_record(
        verb="support.access",
        actor=actor,
        organization=grant.organization,
        obj=grant,
        extra={"path": path, "method": method},
    )
