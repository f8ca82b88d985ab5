"""``hopeful manage network_counts``: bring the network view's counts up to date now (after a
bulk load that bypassed the application; otherwise the next network view does it)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from hopeful.web.network import counts


class Command(BaseCommand):
    help = "Bring the network view's counts up to date (--all: count everything again)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="count everything again")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["all"]:
            written = counts.recount(None)
            self.stdout.write(f"{written} count rows written")
        state = counts.bring_up_to_date()
        self.stdout.write(
            f"network counts up to date (generation {state.generation}) in "
            f"{time.perf_counter() - started:.1f} s"
        )
