"""The presentation requests' emails, sent by the background worker (``hopeful worker``):
queued ``on_commit`` by :mod:`hopeful.web.presentations.services`. They take row ids only:
no email address is kept in the task queue."""

from __future__ import annotations

from django_tasks import task

from hopeful.web.presentations import emails


@task()
def send_confirmation(request_id: int) -> None:
    """Email the requester "we received your request"."""
    emails.send_confirmation(request_id)


@task()
def send_requester_update(event_id: int) -> None:
    """Email the requester a step of their request (assigned, scheduled, delivered,
    declined)."""
    emails.send_requester_update(event_id)


@task()
def send_trainer_assignment(event_id: int) -> None:
    """Email the assigned trainer (or the organization's admins) the request's details."""
    emails.send_trainer_assignment(event_id)
