from __future__ import annotations

import pytest

from hopeful.web.accounts.models import User

PASSWORD = "correct horse battery staple"  # noqa: S105


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def alice(db: None) -> User:
    return User.objects.create_user("alice@example.org", PASSWORD, display_name="Alice")
