"""The directory's emails, sent by the background worker (``hopeful worker``): queued
``on_commit`` by :mod:`hopeful.web.directory.services`.

The contact message is kept as a :class:`~hopeful.web.directory.models.ContactMessage`
until the worker has sent it, then deleted; the queue carries only its id (finished tasks
keep their arguments), and the holder's address is looked up only when sending."""

from __future__ import annotations

from django_tasks import task

from hopeful.web.directory import emails


@task()
def send_contact(message_id: int) -> None:
    """Email a kept contact message to its listed holder (the sender's address as the
    Reply-To), then delete it."""
    emails.send_contact(message_id)
