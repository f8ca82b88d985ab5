"""Small helpers of the sign-in tests."""

from __future__ import annotations

from typing import Any

from django_otp.oath import totp

PROBE_URLS = "tests.web.accounts.probe_urls"


def code_for(device: Any) -> str:
    """The code an authenticator app shows now for ``device``."""
    return f"{totp(device.bin_key):06d}"


def probe_url(org: Any) -> str:
    return f"/probe/orgs/{org.public_id}/"
