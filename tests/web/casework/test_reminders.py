"""Reminders: made once per person, thing and date; emailed once a day naming no family;
shown in the app until done; the daily task queues its next run."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hopeful.web.casework import reminders, services, tasks
from hopeful.web.casework.models import GoalStatus, Reminder, ReminderKind
from hopeful.web.organizations.models import Membership, Role
from tests.web import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def member(t: dict[str, Any], role: str) -> Membership:
    return Membership.objects.get(user=t["members_a"][role], organization=t["org_a"])


def goal(t: dict[str, Any], due_in: int, **kw: Any) -> Any:
    return services.goal_add(
        family=t["family_a"],
        actor=t["members_a"]["practitioner"],
        block="engagement",
        text="Story hour together",
        next_step="Find the times",
        due_on=TODAY + dt.timedelta(days=due_in),
        today=TODAY,
        **kw,
    )


def review(t: dict[str, Any], follow_up_in: int, family: Any = None) -> Any:
    return services.case_review_create(
        family=family or t["family_a"],
        actor=t["members_a"]["practitioner"],
        reviewed_on=TODAY - dt.timedelta(days=30),
        strengths={"relationships": "Warm grandmother"},
        family_wants="Time outdoors",
        plan="Parks on the bus line",
        follow_up_on=TODAY + dt.timedelta(days=follow_up_in),
        today=TODAY,
    )


def test_goals_due_within_a_week_remind_the_familys_practitioners_once(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    services.assignments_set(
        family=t["family_a"],
        memberships=[member(t, "practitioner"), member(t, "org_admin")],
        actor=t["members_a"]["org_admin"],
    )
    soon, later = goal(t, 5), goal(t, 30)
    reached = goal(t, 2)
    services.goal_progress(
        goal=reached,
        actor=t["members_a"]["practitioner"],
        text="Done",
        status=GoalStatus.REACHED,
        today=TODAY,
    )
    made = reminders.reminders_make(TODAY)
    assert {(r.user, r.object_id) for r in made} == {
        (t["members_a"]["practitioner"], soon.public_id),
        (t["members_a"]["org_admin"], soon.public_id),
    }
    assert later.public_id not in {r.object_id for r in made}
    assert reminders.reminders_make(TODAY) == []  # once


def test_follow_ups_remind_the_author_and_sign_offs_the_programs_supervisors(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    older = review(t, 3)
    newer = review(t, 3)  # the family's latest review decides the follow-up
    Membership.objects.filter(pk=member(t, "org_admin").pk).update(is_supervisor=True)
    far = f.make_member(t["org_a"], Role.PRACTITIONER, "far@a.example.org")
    Membership.objects.filter(user=far).update(is_supervisor=True)
    Membership.objects.get(user=far).programs.set([t["other_program_a"]])
    made = reminders.reminders_make(TODAY)
    kinds = {(r.kind, r.user, r.object_id) for r in made}
    practitioner, admin = t["members_a"]["practitioner"], t["members_a"]["org_admin"]
    assert (ReminderKind.FOLLOW_UP_DUE, practitioner, older.public_id) in kinds or (
        ReminderKind.FOLLOW_UP_DUE,
        practitioner,
        newer.public_id,
    ) in kinds
    assert len([k for k in kinds if k[0] == ReminderKind.FOLLOW_UP_DUE]) == 1
    assert {k[1] for k in kinds if k[0] == ReminderKind.SIGN_OFF} == {admin}  # not `far`


@override_settings(SITE_URL="https://hopeful.example.org")
def test_one_email_a_person_naming_no_family(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    goal(t, 1)
    goal(t, 2)
    reminders.reminders_make(TODAY)
    assert reminders.reminders_email() == 1
    (sent,) = mail.outbox
    assert sent.to == [t["members_a"]["practitioner"].email]
    assert t["family_a"].display_name not in sent.body
    assert "2 things are due" in sent.body
    assert f"https://hopeful.example.org/orgs/{t['org_a'].public_id}/reminders/" in sent.body
    assert reminders.reminders_email() == 0  # emailed once
    assert not Reminder.objects.filter(emailed_at__isnull=True).exists()


def test_the_reminders_page_lists_them_and_marks_one_done(two_tenants: dict[str, Any]) -> None:
    t = two_tenants
    services.goal_add(
        family=t["family_a"],
        actor=t["members_a"]["practitioner"],
        block="engagement",
        text="Story hour together",
        next_step="Find the times",
        due_on=timezone.localdate() + dt.timedelta(days=2),
    )
    client = Client()
    f.login_verified(client, t["members_a"]["practitioner"])
    url = f"/orgs/{t['org_a'].public_id}/reminders/"
    text = client.get(url).content.decode()
    assert t["family_a"].display_name in text
    reminder = Reminder.objects.get()
    assert client.post(url, {"done": str(reminder.public_id)}).status_code == 302
    reminder.refresh_from_db()
    assert reminder.done_at is not None
    assert "Nothing is due." in client.get(url).content.decode()
    other = Client()
    f.login_verified(other, t["members_a"]["org_admin"])
    assert other.post(url, {"done": str(reminder.public_id)}).status_code == 404  # not theirs


def test_the_daily_task_queues_its_next_run_once(two_tenants: dict[str, Any]) -> None:
    now = dt.datetime(2026, 6, 15, 9, 30, tzinfo=dt.UTC)
    assert tasks.next_run(now).hour == tasks.HOUR
    assert tasks.next_run(now) > now
    assert tasks.schedule(now) is True
    assert tasks.schedule(now) is False  # one waiting run is enough
    waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert waiting.task_path == tasks.send_reminders.module_path
    assert waiting.run_after > now
