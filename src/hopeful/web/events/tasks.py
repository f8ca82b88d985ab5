"""The events' emails, sent by the background worker (``hopeful worker``): queued
``on_commit`` by :mod:`hopeful.web.events.services`. They take row ids only: no email
address or link token is kept in the task queue."""

from __future__ import annotations

from django_tasks import task

from hopeful.web.events import emails


@task()
def send_confirmation(registration_id: int) -> None:
    """Email "you are registered" (with the calendar) or "you are on the waitlist"."""
    emails.send_confirmation(registration_id)


@task()
def send_promotion(registration_id: int) -> None:
    """Email "a place freed up: you are registered now" (with the calendar)."""
    emails.send_promotion(registration_id)


@task()
def send_event_cancelled(registration_id: int) -> None:
    """Email "the event is cancelled"."""
    emails.send_event_cancelled(registration_id)
