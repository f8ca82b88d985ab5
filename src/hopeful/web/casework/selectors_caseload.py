"""Reads for the caseload pages, prepared for templates that only format.

A person's caseload is the families of their :class:`~hopeful.web.casework.models.Assignment`
rows, each with the next thing due: the earliest of the family's first active goal's date,
the follow-up date of its latest case review, and a questionnaire
:data:`QUESTIONNAIRE_INTERVAL` after its last one. Who sees which family is decided by
:mod:`hopeful.web.organizations.access` (a member sees assigned families of the programs they
see, and searches every family they see). Every read of families' names is audited in the
same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful.web.audit.services import audit_record
from hopeful.web.casework.models import Assignment, CaseReview, Goal, GoalStatus
from hopeful.web.families.models import Family
from hopeful.web.organizations.access import Access, get_object_in_scope, scope_to_programs
from hopeful.web.organizations.models import Membership, Role
from hopeful.web.organizations.selectors import page_url
from hopeful.web.surveys.models import Submission

#: A family is asked to answer the questionnaire again this long after its last answers.
QUESTIONNAIRE_INTERVAL = dt.timedelta(days=182)

#: Search results shown at once; the page asks for more letters beyond this.
SEARCH_LIMIT = 50

#: Longest search text read (a family's name or code is at most 80 characters).
QUERY_MAX = 80

#: Roles that have a caseload.
CASELOAD_ROLES = (Role.PRACTITIONER, Role.ORG_ADMIN)


# -- what is due next -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Due:
    kind: str
    """``goal``, ``review`` or ``questionnaire``."""
    label: str
    on: dt.date
    overdue: bool
    """The date has passed (a thing due today is not overdue yet)."""


def next_due(
    *,
    goal_due_on: dt.date | None,
    goal_text: str | None,
    review_follow_up_on: dt.date | None,
    last_submitted_at: dt.datetime | None,
    today: dt.date,
) -> Due | None:
    """The family's next thing due: the earliest of its first active goal's date, its latest
    case review's follow-up and its next questionnaire (:data:`QUESTIONNAIRE_INTERVAL` after
    the last; none before a first one). On the same day a goal comes first, then a review."""
    candidates: list[tuple[dt.date, int, str, str]] = []
    if goal_due_on is not None:
        candidates.append((goal_due_on, 0, "goal", _("Goal: %(goal)s") % {"goal": goal_text}))
    if review_follow_up_on is not None:
        candidates.append((review_follow_up_on, 1, "review", _("Case review follow-up")))
    if last_submitted_at is not None:
        last = timezone.localtime(last_submitted_at).date()
        candidates.append(
            (
                last + QUESTIONNAIRE_INTERVAL,
                2,
                "questionnaire",
                _("Questionnaire (six months after the last one)"),
            )
        )
    if not candidates:
        return None
    on, _order, kind, label = min(candidates)
    return Due(kind=kind, label=label, on=on, overdue=on < today)


def with_due_dates(queryset: QuerySet[Family]) -> QuerySet[Family]:
    """Families annotated with what :func:`next_due` needs, in the same query."""
    goals = Goal.objects.filter(family=OuterRef("pk"), status=GoalStatus.ACTIVE).order_by(
        "due_on", "created_at", "pk"
    )
    reviews = CaseReview.objects.filter(family=OuterRef("pk")).order_by(
        "-reviewed_on", "-created_at", "-pk"
    )
    last = Submission.objects.filter(family=OuterRef("pk")).order_by("-submitted_at", "-pk")
    return queryset.annotate(
        goal_due_on=Subquery(goals.values("due_on")[:1]),
        goal_text=Subquery(goals.values("text")[:1]),
        review_follow_up_on=Subquery(reviews.values("follow_up_on")[:1]),
        last_submitted_at=Subquery(last.values("submitted_at")[:1]),
    )


def _due_of(family: Any, today: dt.date) -> Due | None:
    return next_due(
        goal_due_on=family.goal_due_on,
        goal_text=family.goal_text,
        review_follow_up_on=family.review_follow_up_on,
        last_submitted_at=family.last_submitted_at,
        today=today,
    )


# -- rows ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    public_id: str
    name: str
    program: str
    url: str
    """The family's page."""
    due: Due | None
    no_questionnaire: bool
    """The family has not answered a questionnaire yet."""
    on_caseload: bool = True
    """For search results: the family is on the caseload shown."""


def _row(access: Access, family: Any, today: dt.date, on_caseload: bool = True) -> CaseloadRow:
    return CaseloadRow(
        public_id=str(family.public_id),
        name=family.display_name,
        program=family.program.name,
        url=reverse(
            "practice:family_detail",
            kwargs={"org_id": access.organization.public_id, "family_id": family.public_id},
        ),
        due=_due_of(family, today),
        no_questionnaire=family.last_submitted_at is None,
        on_caseload=on_caseload,
    )


def _by_due(row: CaseloadRow) -> tuple[bool, dt.date, str, str]:
    """What is due first comes first; families with nothing dated last, by name."""
    return (row.due is None, row.due.on if row.due else dt.date.max, row.name.lower(), row.name)


def _member_access(access: Access, membership: Membership) -> Access:
    """What ``membership`` itself may see (its caseload never shows a family of a program it
    no longer works with)."""
    return Access(organization=access.organization, role=membership.role, membership=membership)


def _sees_program(membership: Membership, program_id: int) -> bool:
    if membership.role == Role.ORG_ADMIN or membership.all_programs:
        return True
    return any(p.pk == program_id for p in membership.programs.all())


def _name(membership: Membership) -> str:
    return str(membership.user.get_full_name())


# -- /orgs/<org_id>/caseload/ -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberCaseload:
    """One line of the admins' "Caseloads" table."""

    name: str
    role: str
    families: int
    overdue: int
    url: str
    """This caseload page showing that person's caseload."""
    is_shown: bool
    """The caseload the page shows now."""


@dataclass(frozen=True, slots=True)
class Caseload:
    whose: str
    """"" for the signed-in person's own caseload, else the name of the member shown."""
    member_id: str
    """The member shown ("" for one's own caseload), kept by the search form."""
    rows: list[CaseloadRow]
    overdue: int
    has_caseload: bool
    """False through support access: support staff have no caseload of their own."""
    query: str
    results: list[CaseloadRow] | None
    """Families matching ``query`` (None when nothing was searched)."""
    more_results: bool
    """More than :data:`SEARCH_LIMIT` families match."""
    members: list[MemberCaseload]
    """For org admins: everyone with a caseload."""
    is_admin: bool
    no_programs: bool
    """A practitioner given no program yet (they see no family at all)."""
    own_url: str
    """The page with the signed-in person's own caseload."""
    submissions_url: str
    """The recent submissions (each links to its family's page), for an empty caseload."""
    reminders_url: str
    """The signed-in person's reminders of things due ("" if the role may not open it)."""


def _shown_membership(access: Access, member_id: str) -> Membership | None:
    """The membership whose caseload is shown: one's own, or (org admins only) the member
    ``member_id`` who may have a caseload; another organization's or a missing one is 404."""
    if not member_id:
        return access.membership
    access.require(Role.ORG_ADMIN)
    try:
        public_id = uuid.UUID(str(member_id))
    except ValueError:
        raise Http404 from None
    membership = (
        Membership.objects.filter(
            organization=access.organization,
            public_id=public_id,
            role__in=CASELOAD_ROLES,
        )
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def _caseload_rows(access: Access, membership: Membership, today: dt.date) -> list[CaseloadRow]:
    families = scope_to_programs(
        Family.objects.filter(assignments__membership=membership),
        _member_access(access, membership),
    ).select_related("program")
    rows = [_row(access, family, today) for family in with_due_dates(families)]
    return sorted(rows, key=_by_due)


def _search(
    access: Access, query: str, on_caseload: set[str], today: dt.date
) -> tuple[list[CaseloadRow], bool]:
    families = (
        scope_to_programs(Family.objects.filter(display_name__icontains=query), access)
        .select_related("program")
        .order_by("display_name", "pk")
    )
    found = list(with_due_dates(families)[: SEARCH_LIMIT + 1])
    rows = [
        _row(access, family, today, str(family.public_id) in on_caseload)
        for family in found[:SEARCH_LIMIT]
    ]
    return rows, len(found) > SEARCH_LIMIT


def member_caseloads(
    *, access: Access, today: dt.date, shown: Membership | None = None
) -> list[MemberCaseload]:
    """Everyone in the organization with at least one family on their caseload (families of
    programs they see), with how many are overdue; by name. A fixed number of queries."""
    organization = access.organization
    assigned: dict[int, list[int]] = defaultdict(list)
    for membership_id, family_id in Assignment.objects.filter(
        organization=organization, membership__role__in=CASELOAD_ROLES
    ).values_list("membership_id", "family_id"):
        assigned[membership_id].append(family_id)
    if not assigned:
        return []
    families = {
        f.pk: f
        for f in with_due_dates(
            Family.objects.filter(organization=organization, assignments__isnull=False).distinct()
        )
    }
    memberships = (
        Membership.objects.filter(organization=organization, pk__in=assigned)
        .select_related("user")
        .prefetch_related("programs")
    )
    base = reverse("casework:caseload", kwargs={"org_id": organization.public_id})
    lines = []
    for membership in memberships:
        seen = [
            families[pk]
            for pk in assigned[membership.pk]
            if pk in families and _sees_program(membership, families[pk].program_id)
        ]
        if not seen:
            continue
        dues = [_due_of(family, today) for family in seen]
        lines.append(
            MemberCaseload(
                name=_name(membership),
                role=membership.get_role_display(),
                families=len(seen),
                overdue=sum(1 for due in dues if due is not None and due.overdue),
                url=f"{base}?{urlencode({'member': str(membership.public_id)})}",
                is_shown=shown is not None and shown.pk == membership.pk,
            )
        )
    return sorted(lines, key=lambda line: (line.name.lower(), line.name))


def caseload(
    *,
    access: Access,
    actor: Any,
    member_id: str = "",
    query: str = "",
    today: dt.date | None = None,
) -> Caseload:
    """The caseload page: the signed-in person's families (or, for org admins, the member
    ``member_id``'s), the next thing due first; the families matching ``query`` among every
    family the access sees; and for org admins everyone's caseload in numbers. Audited
    ``caseload.view`` (and ``family.search`` when searching, without the words searched)."""
    today = today or timezone.localdate()
    query = " ".join(query.split())[:QUERY_MAX]
    shown = _shown_membership(access, member_id)
    with transaction.atomic():
        rows = _caseload_rows(access, shown, today) if shown is not None else []
        results: list[CaseloadRow] | None = None
        more = False
        if query:
            results, more = _search(access, query, {r.public_id for r in rows}, today)
            audit_record(
                verb="family.search",
                actor=actor,
                organization=access.organization,
                object_type="families.family",
                extra={"count": len(results)},
            )
        members = (
            member_caseloads(access=access, today=today, shown=shown) if access.is_admin else []
        )
        audit_record(
            verb="caseload.view",
            actor=actor,
            organization=access.organization,
            object_type="organizations.membership",
            object_id=str(shown.public_id) if shown is not None else "",
            extra={"count": len(rows)},
        )
    own = shown is None or shown == access.membership
    return Caseload(
        whose="" if own or shown is None else _name(shown),
        member_id="" if own or shown is None else str(shown.public_id),
        rows=rows,
        overdue=sum(1 for row in rows if row.due is not None and row.due.overdue),
        has_caseload=shown is not None,
        query=query,
        results=results,
        more_results=more,
        members=members,
        is_admin=access.is_admin,
        no_programs=access.program_ids() == set(),
        own_url=reverse("casework:caseload", kwargs={"org_id": access.organization.public_id}),
        submissions_url=page_url(access, "practice:submissions"),
        reminders_url=page_url(access, "casework:reminders"),
    )


# -- /orgs/<org_id>/families/<family_id>/assign/ ------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssignPage:
    family: Family
    members: QuerySet[Membership]
    """Who may have this family on their caseload: practitioners and org admins who see its
    program, by name."""
    assigned: list[Membership]
    family_url: str
    members_url: str
    """The members page, where an org admin gives practitioners their programs."""


def assignable_members(family: Family) -> QuerySet[Membership]:
    """Practitioners and org admins of the family's organization who see its program."""
    sees = Membership.objects.filter(organization=family.organization, role=Role.ORG_ADMIN)
    sees |= Membership.objects.filter(
        organization=family.organization, role=Role.PRACTITIONER, all_programs=True
    )
    sees |= Membership.objects.filter(
        organization=family.organization, role=Role.PRACTITIONER, programs=family.program_id
    )
    ids = sees.values("pk")
    return (
        Membership.objects.filter(pk__in=ids)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )


def assign_page(*, access: Access, actor: Any, family_id: Any) -> AssignPage:
    """The family (of a program the access sees, else 404), who may have it on their caseload
    and who has it now; audited ``family.assign_view``."""
    family = get_object_in_scope(
        Family.objects.select_related("program", "organization"), access, family_id
    )
    with transaction.atomic():
        members = assignable_members(family)
        assigned = list(
            Membership.objects.filter(assignments__family=family)
            .select_related("user")
            .order_by("user__display_name", "user__email")
        )
        audit_record(
            verb="family.assign_view", actor=actor, organization=access.organization, obj=family
        )
    org_id = access.organization.public_id
    return AssignPage(
        family=family,
        members=members,
        assigned=assigned,
        family_url=reverse(
            "practice:family_detail", kwargs={"org_id": org_id, "family_id": family.public_id}
        ),
        members_url=page_url(access, "organizations:members"),
    )
