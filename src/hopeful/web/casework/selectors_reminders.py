"""Reads for the reminders page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from hopeful.web.casework.models import Reminder, ReminderKind
from hopeful.web.organizations.access import Access


@dataclass(frozen=True, slots=True)
class ReminderRow:
    public_id: str
    what: str
    family: str
    url: str
    """Where to act on it (the goal's or the review's page when it exists, else the family)."""
    due_on: dt.date
    overdue: bool


def _target(reminder: Reminder, org_id: Any) -> str:
    names = {ReminderKind.GOAL_DUE: ("casework:goal", "goal_id")}
    names[ReminderKind.FOLLOW_UP_DUE] = ("casework:review", "review_id")
    names[ReminderKind.SIGN_OFF] = ("casework:review", "review_id")
    name, arg = names[ReminderKind(reminder.kind)]
    try:
        return reverse(name, kwargs={"org_id": org_id, arg: reminder.object_id})
    except NoReverseMatch:  # no page for it (yet): the family's
        return reverse("practice:family_detail", args=[org_id, reminder.family.public_id])


def reminder_rows(*, access: Access, user: Any, today: dt.date) -> list[ReminderRow]:
    """The person's open reminders in this organization, soonest first, for families the
    access still sees."""
    queryset = Reminder.objects.filter(
        organization=access.organization, user=user, done_at__isnull=True
    ).select_related("family")
    programs = access.program_ids()
    if programs is not None:
        queryset = queryset.filter(family__program_id__in=programs)
    org_id = access.organization.public_id
    return [
        ReminderRow(
            public_id=str(r.public_id),
            what=r.get_kind_display(),
            family=r.family.display_name,
            url=_target(r, org_id),
            due_on=r.due_on,
            overdue=r.due_on < today,
        )
        for r in queryset.order_by("due_on", "created_at")
    ]
