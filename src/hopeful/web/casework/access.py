"""Who sees and signs what in casework, on top of :mod:`hopeful.web.organizations.access`
(which decides who reaches a family at all).

- A supervisor is a member with ``is_supervisor`` who sees the family's program (org admins
  see every program; practitioners theirs, or every program when given all).
- A restricted visit note is readable by its author and the supervisors of the family's
  program, nobody else: not other practitioners, not org admins who do not supervise, not
  support access, never an export, a report or the API.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hopeful.web.casework.models import Visit
from hopeful.web.families.models import Family
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Membership, Role


def sees_program(membership: Membership | None, program_id: int) -> bool:
    """Whether this membership sees the families of the program ``program_id``."""
    if membership is None:
        return False
    if membership.role == Role.ORG_ADMIN or membership.all_programs:
        return True
    return membership.programs.filter(pk=program_id).exists()


def supervises(membership: Membership | None, family: Family) -> bool:
    """Whether ``membership`` supervises the practitioners of ``family``'s program."""
    return bool(
        membership is not None
        and membership.is_supervisor
        and membership.organization_id == family.organization_id
        and sees_program(membership, family.program_id)
    )


def visible_visits(*, access: Access, user: Any, family: Family) -> QuerySet[Visit]:
    """The family's visits this person may read: every unrestricted one, and restricted ones
    they wrote or supervise. Support access reads no restricted note."""
    visits = Visit.objects.filter(organization=access.organization, family=family)
    if access.via_support:
        return visits.filter(restricted=False)
    if supervises(access.membership, family):
        return visits
    return visits.filter(Q(restricted=False) | Q(author=user))


def exportable_visits(queryset: QuerySet[Visit]) -> QuerySet[Visit]:
    """Visits that may leave the app (exports, reports, the API): never restricted ones."""
    return queryset.filter(restricted=False)
