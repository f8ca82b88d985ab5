"""Completing the second step of sign-in, whichever factor was used."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_otp import login as otp_login

from hopeful.web.accounts.models import AttemptKind
from hopeful.web.accounts.services import sign_in_attempts_clear
from hopeful.web.accounts.signed_in import signed_in_user


def complete_second_factor(request: HttpRequest, device: Any) -> None:
    """Mark the session verified with ``device``. A privilege change: the session gets a new
    key, so a key seen before cannot ride along (SE-04); the throttle forgets the account's
    failed second steps."""
    request.session.cycle_key()
    otp_login(request, device)
    sign_in_attempts_clear(kind=AttemptKind.TWO_FACTOR, email=signed_in_user(request).email)
