"""Shared helpers of the directory tests: certified holders and their listings, made directly
(the certification app's own tests cover how certifications are awarded)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from hopeful import geo
from hopeful.framework.certification import State, Tier
from hopeful.web.accounts.models import User
from hopeful.web.certification.models import Certification
from hopeful.web.cms.guard import SALT
from hopeful.web.directory.models import Listing, ListingKind
from hopeful.web.organizations.models import Organization
from tests.web import factories as f

#: A fixed "now" (a Monday, 15:00 UTC): the tests travel there.
NOW = dt.datetime(2027, 3, 1, 15, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


def certify(
    *,
    user: User | None = None,
    organization: Organization | None = None,
    tier: Tier = Tier.FACILITATOR,
    state: State = State.CERTIFIED,
    valid_until: dt.date | None = None,
) -> Certification:
    return Certification.objects.create(
        tier=(Tier.ORGANIZATION if organization is not None else tier).value,
        state=state.value,
        user=user,
        organization=organization,
        certified_at=NOW - dt.timedelta(days=100),
        period_started_at=NOW - dt.timedelta(days=100),
        valid_until=valid_until or TODAY + dt.timedelta(days=600),
    )


def _place(listing: dict[str, Any], zip_code: str, point: tuple[float, float] | None) -> None:
    place = geo.zip_place(zip_code)
    listing.update(
        zip_code=place.zip_code, city=place.city, state=place.state,
        latitude=place.latitude, longitude=place.longitude,
    )  # fmt: skip
    if point is not None:
        listing.update(latitude=point[0], longitude=point[1])


def person_listing(
    name: str,
    zip_code: str = "02111",
    *,
    point: tuple[float, float] | None = None,
    tier: Tier | None = Tier.FACILITATOR,
    email: str | None = None,
    **kw: Any,
) -> Listing:
    """A person holding a valid certification in ``tier`` (none if None), listed (opted in)
    at ``zip_code`` (or at ``point``, with the ZIP code's town)."""
    user = f.make_user(email or f"{name.lower().replace(' ', '.')}@example.org", display_name=name)
    if tier is not None:
        certify(user=user, tier=tier)
    data: dict[str, Any] = {
        "kind": ListingKind.PERSON, "user": user, "display_name": name,
        "languages": ["en"], "sectors": ["health_care"], "opted_in": True, "opted_in_at": NOW,
    }  # fmt: skip
    _place(data, zip_code, point)
    data.update(kw)
    return Listing.objects.create(**data)


def organization_listing(
    name: str, zip_code: str = "02111", *, certified: bool = True, **kw: Any
) -> Listing:
    org = f.make_org(name, state=geo.zip_place(zip_code).state)
    if certified:
        certify(organization=org)
    data: dict[str, Any] = {
        "kind": ListingKind.ORGANIZATION, "organization": org, "display_name": name,
        "languages": ["en", "es"], "sectors": ["community"], "opted_in": True,
        "opted_in_at": NOW, "implements": "HOPE-informed intake forms.",
    }  # fmt: skip
    _place(data, zip_code, None)
    data.update(kw)
    return Listing.objects.create(**data)


def started(seconds_ago: float = 60) -> str:
    """The guard's signed start time, as if the form was shown ``seconds_ago``."""
    return signing.dumps(timezone.now().timestamp() - seconds_ago, salt=SALT)


def contact_data(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Dana Whitfield",
        "email": "dana@school.example.org",
        "organization": "Lincoln Elementary PTA",
        "message": "Could you present HOPE to our parents in April?",
        "website": "",
        "started": started(),
    }
    data.update(changes)
    return data


@pytest.fixture(autouse=True)
def fixed_time() -> Iterator[None]:
    """Import into a test module to run its tests at :data:`NOW`."""
    with time_machine.travel(NOW, tick=True):
        yield
