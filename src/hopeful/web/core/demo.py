"""Demo data: what `hopeful demo` loads so a first look has something to sign in to."""

from __future__ import annotations

from dataclasses import dataclass

from hopeful.web.accounts.services import user_ensure

DEMO_EMAIL = "demo@hopeful.example"
#: Deliberately well known: the demo account exists to be shown, never to protect anything.
DEMO_PASSWORD = "hopeful-demo"  # noqa: S105


@dataclass(frozen=True, slots=True)
class DemoResult:
    email: str
    password: str
    created: bool


def demo_load() -> DemoResult:
    """Create (or reset) the demo staff account. Safe to run any number of times."""
    _, created = user_ensure(
        email=DEMO_EMAIL,
        password=DEMO_PASSWORD,
        display_name="Demo staff",
        is_staff=True,
    )
    return DemoResult(email=DEMO_EMAIL, password=DEMO_PASSWORD, created=created)
