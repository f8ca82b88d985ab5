from __future__ import annotations

import argparse
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hopeful.web.core.demo import (
    FAMILIES_PER_ORGANIZATION,
    MAX_FAMILIES_PER_ORGANIZATION,
    demo_load,
    demo_status,
    families_per_organization_check,
    families_per_organization_parse,
)


def _families(text: str) -> int:
    try:
        return families_per_organization_parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
            "--no-site",
            action="store_true",
            help="leave out the public site's sample pages (English and Spanish)",
        )
        how_many = parser.add_mutually_exclusive_group()
        how_many.add_argument(
            "--no-families",
            action="store_true",
            help="only the accounts and organizations, no synthetic families",
        )
        how_many.add_argument(
            "--families",
            type=_families,
            default=FAMILIES_PER_ORGANIZATION,
            metavar="N",
            help=(
                f"synthetic families per organization, 1 to {MAX_FAMILIES_PER_ORGANIZATION:,} "
                f"(default: {FAMILIES_PER_ORGANIZATION}); only when the demo organizations are "
                "created, an existing demo keeps its families"
            ),
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        # A well-known password on a production site is an open door: make it deliberate.
        if not settings.DEBUG and not force:
            raise CommandError(
                "HOPEFUL_DEBUG is off, so this looks like a real deployment; the demo account "
                "has a published password. Use --force if you really want it here."
            )
        try:  # the parser checked a number typed; this one given as call_command(families=...)
            count = families_per_organization_check(
                options.get("families", FAMILIES_PER_ORGANIZATION)
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        result = demo_load(
            families=not options.get("no_families", False),
            families_per_organization=count,
            site=not options.get("no_site", False),
            progress=self._progress,
        )
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
        if not options.get("no_families") and any(n != count for n in result.kept.values()):
            kept = ", ".join(f"{name} {n:,}" for name, n in result.kept.items())
            lines += [
                f"The demo was already loaded: its families stay as they are ({kept}).",
                f"--families {count:,} applies only to a new demo database (for `hopeful demo`:",
                "a new --data-dir, or delete its hopeful.sqlite3 first).",
            ]
        self.stdout.write("\n".join(lines))

    def _progress(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
