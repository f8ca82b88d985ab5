from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.web.factories import login_verified


@pytest.fixture
def signed_in(client: Client, two_tenants: dict[str, Any]) -> Any:
    """``signed_in("practitioner")``: the client, signed in as org A's member in that role."""

    def sign_in(role: str, org: str = "a") -> Client:
        login_verified(client, two_tenants[f"members_{org}"][role])
        return client

    return sign_in
