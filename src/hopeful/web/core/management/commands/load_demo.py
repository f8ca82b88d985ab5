from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hopeful.web.core.demo import demo_load, demo_status


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
        parser.add_argument(
            "--no-families",
            action="store_true",
            help="only the accounts and organizations, no synthetic families",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        # A well-known password on a production site is an open door: make it deliberate.
        if not settings.DEBUG and not force:
            raise CommandError(
                "HOPEFUL_DEBUG is off, so this looks like a real deployment; the demo account "
                "has a published password. Use --force if you really want it here."
            )
        result = demo_load(families=not options.get("no_families", False))
        verb = "Created" if result.created else "Reset"
        lines = [
            f"{verb} the demo accounts (demo only, never use on a real site).",
            f"Every password: {result.password}",
            f"  {result.email:<34} Django admin (staff)",
        ]
        for account in result.accounts:
            where = f"{account.role}, {account.organization}"
            lines.append(f"  {account.email:<34} {where}")
            if account.totp_secret:
                lines.append(f"  {'':<34} two-factor secret {account.totp_secret}")
        lines += [
            "Accounts with a two-factor secret sign in with a code: add the secret to an",
            "authenticator app, or run: .venv/bin/hopeful manage totp_code EMAIL",
            f"Loaded: {demo_status()}.",
        ]
        self.stdout.write("\n".join(lines))
