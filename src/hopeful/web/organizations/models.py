"""Organizations, their programs, and who may do what in them.

Every tenant table carries ``organization`` (ready for distribution by organization); every
object reachable from a URL is named by a UUID ``public_id``. Access rules live in
:mod:`hopeful.web.organizations.access`, nowhere else.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    CLINIC = "clinic", _("Pediatric or family clinic")
    HOME_VISITING = "home_visiting", _("Home visiting")
    SCHOOL = "school", _("School or early learning")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    COMMUNITY = "community", _("Community organization")
    FAITH = "faith", _("Faith-based organization")
    OTHER = "other", _("Other")


class Organization(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    state = models.CharField(_("state"), max_length=2, help_text=_("Two-letter US state code."))
    network_member = models.BooleanField(_("HOPE Innovation Network member"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name


class Program(models.Model):
    """A program or site inside an organization; families and campaigns belong to one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="programs"
    )
    name = models.CharField(_("name"), max_length=200)
    families_served = models.PositiveIntegerField(
        _("families served"),
        null=True,
        blank=True,
        help_text=_(
            "How many families the program serves. When every program has it, the dashboard "
            "weights each program's respondents to stand for its families."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["organization", "name"], name="program_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("Organization admin")
    PRACTITIONER = "practitioner", _("Practitioner")
    ANALYST = "analyst", _("Analyst (aggregates only)")
    RESEARCHER = "researcher", _("Researcher (de-identified only)")
    VIEWER = "viewer", _("Viewer")


#: Roles that see identifiable family records (and so must use two-factor sign-in).
IDENTIFIABLE_ROLES = frozenset({Role.ORG_ADMIN, Role.PRACTITIONER})


class Membership(models.Model):
    """A person's role in one organization.

    A practitioner sees the families of ``programs`` only, unless ``all_programs`` is set
    by an org admin. Org admins always see every program.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    programs = models.ManyToManyField(Program, blank=True, related_name="members")
    all_programs = models.BooleanField(_("sees every program"), default=False)
    is_supervisor = models.BooleanField(
        _("supervisor"),
        default=False,
        help_text=_(
            "Supervises the practitioners of the programs this member sees: signs case reviews "
            "off and reads their restricted visit notes."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.organization} ({self.role})"

    @property
    def sees_identifiable(self) -> bool:
        return self.role in IDENTIFIABLE_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ORG_ADMIN


class SupportGrant(models.Model):
    """Time-limited, audited access of network staff to one organization's records."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_grants"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="support_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"support access to {self.organization} until {self.expires_at:%Y-%m-%d %H:%M}"

    def is_active(self, now: dt.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and self.created_at <= moment < self.expires_at


class Invitation(models.Model):
    """An emailed invitation to join an organization in a role; the token is stored hashed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    programs = models.ManyToManyField(Program, blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.organization}"
