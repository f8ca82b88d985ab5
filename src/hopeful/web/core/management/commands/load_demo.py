from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hopeful.web.core.demo import demo_load


class Command(BaseCommand):
    help = (
        "Load demo data: a staff account demo@hopeful.example with a published demo "
        "password. Idempotent. Refuses to run with DEBUG off unless --force is given."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="load the demo account even though HOPEFUL_DEBUG is off",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        # A well-known password on a production site is an open door: make it deliberate.
        if not settings.DEBUG and not force:
            raise CommandError(
                "HOPEFUL_DEBUG is off, so this looks like a real deployment; the demo account "
                "has a published password. Use --force if you really want it here."
            )
        result = demo_load()
        verb = "Created" if result.created else "Reset"
        self.stdout.write(
            f"{verb} the demo staff account (demo only, never use on a real site):\n"
            f"  email:    {result.email}\n"
            f"  password: {result.password}"
        )
