"""Writes to accounts. Keyword-only and typed, like every service."""

from __future__ import annotations

from django.db import transaction

from hopeful.web.accounts.models import User


@transaction.atomic
def user_ensure(
    *,
    email: str,
    password: str,
    display_name: str = "",
    is_staff: bool = False,
    preferred_language: str = "en",
) -> tuple[User, bool]:
    """Create the user, or reset an existing one to exactly these values.

    Returns the user and whether it was created. Used for demo and bootstrap accounts, which
    must end in the same state however many times the command runs.
    """
    normalized = User.objects.normalize_email(email)
    user = User.objects.filter(email__iexact=normalized).first()
    created = user is None
    if user is None:
        user = User(email=normalized)
    user.display_name = display_name
    user.is_staff = is_staff
    user.is_active = True
    user.preferred_language = preferred_language
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user, created
