"""Reminders: what is due for each practitioner and supervisor, shown in the app and emailed.

:func:`reminders_make` turns what is due into :class:`Reminder` rows, once per person, thing
and date: an active goal whose date is within :data:`AHEAD` or past (for the practitioners
whose caseload holds the family, else the goal's author); a family's latest case review whose
follow-up date is within :data:`AHEAD` or past (its author); a review waiting for sign-off (the
supervisors of the family's program other than its author). :func:`reminders_email` sends each
person one email about their reminders not yet emailed, with no family's name in it (email
leaves the system): only how many, and the link to the reminders page. The background task
:func:`hopeful.web.casework.tasks.send_reminders` runs both once a day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hopeful.web.casework.access import supervises
from hopeful.web.casework.models import (
    CaseReview,
    Goal,
    GoalStatus,
    Reminder,
    ReminderKind,
)
from hopeful.web.organizations.models import Membership

#: How far ahead a due date makes a reminder.
AHEAD = dt.timedelta(days=7)


def _remind(user_id: int, kind: str, obj: Any, family: Any, due_on: dt.date) -> Reminder | None:
    reminder, created = Reminder.objects.get_or_create(
        user_id=user_id,
        kind=kind,
        object_id=obj.public_id,
        due_on=due_on,
        defaults={"organization_id": family.organization_id, "family": family},
    )
    return reminder if created else None


@transaction.atomic
def reminders_make(
    today: dt.date | None = None, *, organization: Any | None = None
) -> list[Reminder]:
    """Make the reminders due by ``today`` + :data:`AHEAD` that do not exist yet (in every
    organization, or in ``organization`` only)."""
    today = today or timezone.localdate()
    horizon = today + AHEAD
    made: list[Reminder | None] = []
    scope = {} if organization is None else {"organization": organization}
    goals = Goal.objects.filter(
        status=GoalStatus.ACTIVE, due_on__lte=horizon, **scope
    ).select_related("family")
    for goal in goals:
        team = list(goal.family.assignments.values_list("membership__user_id", flat=True))
        made.extend(
            _remind(user_id, ReminderKind.GOAL_DUE, goal, goal.family, goal.due_on)
            for user_id in team or [goal.created_by_id]
        )
    latest = CaseReview.objects.filter(family=OuterRef("family")).order_by(
        "-reviewed_on", "-created_at"
    )
    reviews = (
        CaseReview.objects.filter(**scope)
        .annotate(latest=Subquery(latest.values("pk")[:1]))
        .select_related("family")
    )
    made.extend(
        _remind(
            review.practitioner_id,
            ReminderKind.FOLLOW_UP_DUE,
            review,
            review.family,
            review.follow_up_on,
        )
        for review in reviews.filter(follow_up_on__lte=horizon)
        if review.latest == review.pk
    )
    waiting = reviews.filter(signed_off_at__isnull=True)
    supervisors: dict[int, list[Membership]] = defaultdict(list)
    for membership in Membership.objects.filter(is_supervisor=True, **scope).prefetch_related(
        "programs"
    ):
        supervisors[membership.organization_id].append(membership)
    made.extend(
        _remind(
            membership.user_id, ReminderKind.SIGN_OFF, review, review.family, review.reviewed_on
        )
        for review in waiting
        for membership in supervisors[review.organization_id]
        if membership.user_id != review.practitioner_id and supervises(membership, review.family)
    )
    return [r for r in made if r is not None]


def reminders_email(now: dt.datetime | None = None) -> int:
    """Email each person about their open reminders not emailed yet (one email each, in
    their language, naming no family); mark them emailed. Returns the emails sent."""
    now = now or timezone.now()
    pending = (
        Reminder.objects.filter(emailed_at__isnull=True, done_at__isnull=True)
        .select_related("user", "organization")
        .order_by("user_id", "organization_id", "due_on")
    )
    by_user: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in pending:
        by_user[reminder.user_id].append(reminder)
    sent = 0
    for reminders in by_user.values():
        user = reminders[0].user
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            lines = []
            for organization in {r.organization for r in reminders}:
                count = sum(1 for r in reminders if r.organization_id == organization.pk)
                url = settings.SITE_URL + reverse(
                    "casework:reminders", args=[organization.public_id]
                )
                lines.append(
                    ngettext(
                        "%(organization)s: %(count)d thing is due. %(url)s",
                        "%(organization)s: %(count)d things are due. %(url)s",
                        count,
                    )
                    % {"organization": organization.name, "count": count, "url": url}
                )
            subject = _("HOPEful: things due for your families")
            body = "\n\n".join(
                [
                    _("Hello,"),
                    *lines,
                    _("Sign in to see them. This email names no family on purpose."),
                ]
            )
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(emailed_at=now)
        sent += 1
    return sent


@transaction.atomic
def reminder_done(*, reminder: Reminder, actor: Any) -> None:
    """The person marks a reminder done (only their own; it stays done)."""
    if reminder.user_id != getattr(actor, "pk", None):
        raise PermissionError("a reminder is marked done by its own person")
    if reminder.done_at is None:
        reminder.done_at = timezone.now()
        reminder.save(update_fields=["done_at"])
