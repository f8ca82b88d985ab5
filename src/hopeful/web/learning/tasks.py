"""Background tasks of the learning hub (run by ``hopeful worker``): the sign-up's emails,
queued by :mod:`hopeful.web.learning.services` when a sign-up commits. They take a row id
only: no address is kept in the task queue."""

from __future__ import annotations

from django_tasks import task

from hopeful.web.learning import emails


@task()
def send_activation(user_id: int) -> None:
    emails.send_activation(user_id)


@task()
def send_existing_account(user_id: int) -> None:
    emails.send_existing_account(user_id)
