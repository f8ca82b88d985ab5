"""``hopeful manage casework_reminders``: make and email today's reminders now (the background
worker does it once a day by itself)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hopeful.web.casework import reminders


class Command(BaseCommand):
    help = "Make today's casework reminders and email them now."

    def handle(self, *args: Any, **options: Any) -> None:
        made = reminders.reminders_make()
        sent = reminders.reminders_email()
        self.stdout.write(f"{len(made)} new reminders; {sent} emails sent.")
