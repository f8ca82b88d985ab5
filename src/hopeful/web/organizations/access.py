"""Tenant isolation: the one place that decides who reaches which organization's objects.

Rules (tested as features, see tests/web/organizations):

- Objects of an organization you are not a member of answer **404**, exactly as objects that
  do not exist, never 403; public ids are UUIDs.
- A member whose role does not allow an action gets **403**.
- Practitioners see the families of their own programs only, unless an org admin gave them
  every program; org admins see every program; analysts, researchers and viewers never see
  identifiable family records.
- Network staff have no standing access to records. A :class:`SupportGrant` gives one staff
  member time-limited access to one organization; every use of it is audited.
- Superusers get no silent bypass: without a membership or an active grant, they get 404 too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from hopeful.web.organizations.models import (
    IDENTIFIABLE_ROLES,
    Membership,
    Organization,
    Role,
    SupportGrant,
)

_M = TypeVar("_M", bound=Model)


@dataclass(frozen=True)
class Access:
    """What one user may do in one organization (a membership or a support grant)."""

    organization: Organization
    role: str
    membership: Membership | None = None
    support_grant: SupportGrant | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ORG_ADMIN

    @property
    def sees_identifiable(self) -> bool:
        """Whether this access may show identifiable family records."""
        return self.role in IDENTIFIABLE_ROLES

    @property
    def via_support(self) -> bool:
        return self.support_grant is not None

    def allows(self, *roles: str) -> bool:
        """Whether the role is one of ``roles`` (every role when none are given), as
        :func:`~hopeful.web.organizations.decorators.org_view` decides."""
        return not roles or self.role in roles

    def require(self, *roles: str) -> None:
        """Raise :class:`RoleRequired` (403) unless the role is one of ``roles``."""
        if self.role not in roles:
            raise RoleRequired(self, roles)

    def require_own_access(self) -> None:
        """Raise :class:`RoleRequired` (403) when the access is a support grant: support staff
        may look and help, not hand out access or change what is published."""
        if self.via_support:
            raise RoleRequired(self, support=True)

    def program_ids(self) -> set[int] | None:
        """Programs whose families this access sees; ``None`` means every program."""
        if self.support_grant is not None or self.role == Role.ORG_ADMIN:
            return None
        if self.membership is not None and self.membership.all_programs:
            return None
        if self.membership is None:
            return set()
        return set(self.membership.programs.values_list("id", flat=True))


class RoleRequired(PermissionDenied):
    """403 for a member of the organization (or a support grant holder) whose role does not
    allow the page. It carries what the 403 page explains: the roles the page needs, or that
    support access only looks. Outsiders never get it: they get 404."""

    def __init__(self, access: Access, roles: Iterable[str] = (), *, support: bool = False):
        super().__init__("support access" if support else "role")
        self.organization = access.organization
        self.role = access.role
        self.roles = tuple(roles)
        self.via_support = access.via_support
        self.support = support


class NetworkStaffRequired(PermissionDenied):
    """403 for a signed-in person who is not network staff on a network page (the pages are
    not about any one organization, so this tells nothing an outsider should not know)."""


def _parse_uuid(value: Any) -> UUID:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (TypeError, ValueError):
        raise Http404 from None


def active_support_grants(user: Any) -> QuerySet[SupportGrant]:
    """The support grants a network staff member holds now (not revoked, not expired)."""
    now = timezone.now()
    return SupportGrant.objects.filter(
        staff=user, revoked_at__isnull=True, created_at__lte=now, expires_at__gt=now
    )


def access_for(user: Any, organization: Organization) -> Access | None:
    """The user's access to ``organization``, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = (
        Membership.objects.filter(user=user, organization=organization)
        .prefetch_related("programs")
        .first()
    )
    if membership is not None:
        return Access(organization=organization, role=membership.role, membership=membership)
    if getattr(user, "is_network_staff", False):
        grant = (
            active_support_grants(user)
            .filter(organization=organization)
            .order_by("-expires_at")
            .first()
        )
        if grant is not None:
            return Access(organization=organization, role=Role.ORG_ADMIN, support_grant=grant)
    return None


def get_organization_for_user(user: Any, public_id: Any, *roles: str) -> Access:
    """Access to the organization ``public_id``: 404 unless the user belongs to it (or holds
    an active support grant); 403 when ``roles`` are given and the role is not among them."""
    organization = Organization.objects.filter(public_id=_parse_uuid(public_id)).first()
    if organization is None:
        raise Http404
    access = access_for(user, organization)
    if access is None:
        raise Http404
    if roles:
        access.require(*roles)
    return access


def is_network_staff(user: Any) -> bool:
    """Whether the user may open the network view (cross-organization aggregates). A platform
    role: it gives no access to any organization's records, and superusers do not have it."""
    return bool(
        getattr(user, "is_authenticated", False) and getattr(user, "is_network_staff", False)
    )


def organizations_for_user(user: Any) -> QuerySet[Organization]:
    """Organizations the user is a member of (support grants are not listed)."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name")


def scope_to_programs(
    queryset: QuerySet[_M], access: Access, field: str = "program"
) -> QuerySet[_M]:
    """Restrict a tenant queryset to the organization and the programs the access sees."""
    queryset = queryset.filter(organization=access.organization)
    programs = access.program_ids()
    if programs is not None:
        queryset = queryset.filter(**{f"{field}_id__in": programs})
    return queryset


def get_object_in_scope(
    queryset: QuerySet[_M], access: Access, public_id: Any, field: str = "program"
) -> _M:
    """One object by public id inside the access's organization and programs, else 404."""
    obj = (
        scope_to_programs(queryset, access, field).filter(public_id=_parse_uuid(public_id)).first()
    )
    if obj is None:
        raise Http404
    return obj


def require_identifiable(access: Access) -> None:
    """403 for roles that may not see identifiable records (analyst, researcher, viewer)."""
    if not access.sees_identifiable:
        raise RoleRequired(access, sorted(IDENTIFIABLE_ROLES))


def roles(*values: Iterable[str] | str) -> tuple[str, ...]:
    """Flatten role arguments (helper for view decorators)."""
    out: list[str] = []
    for value in values:
        out.extend([value] if isinstance(value, str) else list(value))
    return tuple(out)
