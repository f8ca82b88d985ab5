from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Demo only: print the current two-factor code of a demo account."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--force", action="store_true", help="even with HOPEFUL_DEBUG off")

    def handle(self, *args: Any, email: str, force: bool = False, **options: Any) -> None:
        if not email.endswith(".example"):
            raise CommandError("only demo accounts (addresses ending in .example) have codes here")
        if not settings.DEBUG and not force and not settings.HOPEFUL_DEMO:
            raise CommandError("this prints second factors: demo machines only (use --force)")
        device = TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True).first()
        if device is None:
            raise CommandError(f"{email} has no two-factor device")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
