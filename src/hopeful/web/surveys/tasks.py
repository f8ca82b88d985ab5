"""The survey's email to an organization's admins about a flagged link, sent by the background
worker (``hopeful worker``): queued ``on_commit`` by :mod:`hopeful.web.surveys.flags`. It takes
the flag's row id only: no email address is kept in the task queue."""

from __future__ import annotations

from django_tasks import task

from hopeful.web.surveys import emails


@task()
def send_link_flag(flag_id: int) -> None:
    """Email the admins of the flagged link's organization."""
    emails.send_flag(flag_id)
