"""``credential_key``: show the id of the key that signs credentials, or rotate it.

Rotating makes a new signing key; the old ones stay in the key file (and in
``/.well-known/jwks.json``) so credentials they signed still verify.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hopeful.web.certification import issuing


class Command(BaseCommand):
    help = "Print the id (kid) of the credential signing key; --rotate makes a new one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Make a new signing key (old keys are kept to verify what they signed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        store = issuing.keystore()
        kid = store.rotate() if options["rotate"] else store.signing_kid()
        self.stdout.write(kid)
