"""The trainings' emails, sent by the background worker (``hopeful worker``): queued
``on_commit`` by :mod:`hopeful.web.trainings.services`. They take row ids only: no email
address is kept in the task queue. The periodic jobs are in :mod:`hopeful.web.trainings.jobs`.
"""

from __future__ import annotations

from django_tasks import task

from hopeful.web.trainings import emails


@task()
def send_confirmation(registration_id: int) -> None:
    """Email "you are registered" (with the calendar) or "you are on the waitlist"."""
    emails.send_confirmation(registration_id)


@task()
def send_promotion(registration_id: int) -> None:
    """Email "a place freed up: you are registered now" (with the calendar)."""
    emails.send_promotion(registration_id)


@task()
def send_reminder(reminder_id: int) -> None:
    """Email the reminder of a session starting within a day."""
    emails.send_reminder(reminder_id)
