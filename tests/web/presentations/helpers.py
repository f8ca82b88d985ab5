"""Building presentation requests and listed trainers in tests (synthetic data only)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core import signing
from django.utils import timezone

from hopeful import geo
from hopeful.framework.certification import State, Tier
from hopeful.web.certification.models import Certification
from hopeful.web.directory.models import Listing, ListingKind
from hopeful.web.organizations.models import Role
from hopeful.web.presentations import services
from hopeful.web.presentations.models import PresentationRequest
from tests.web import factories as f
from tests.web.certification.helpers import certify, make_learner

URL = "/request-a-presentation/"


def started(seconds_ago: float = 60) -> str:
    """The guard's signed start time, as if the form was shown ``seconds_ago``."""
    from hopeful.web.cms.guard import SALT

    return signing.dumps(timezone.now().timestamp() - seconds_ago, salt=SALT)


def form_data(**changes: Any) -> dict[str, Any]:
    """A valid post of the public form (in person near Boston, in Spanish)."""
    data: dict[str, Any] = {
        "requester_name": "Marta Quiroga",
        "requester_email": "marta@example.org",
        "organization_name": "Eastside Parents Network",
        "role_title": "Coordinator",
        "audience": "families",
        "audience_size": "40",
        "topic": "introduction",
        "modality": "in_person",
        "zip_code": "02111",
        "language": "es",
        "preferred_dates": "Any Tuesday evening in March",
        "earliest_date": "",
        "latest_date": "",
        "details": "We meet in the school library.",
        "trainer": "",
        "website": "",
        "started": started(),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle miles, computed here independently of ``hopeful.geo``."""
    radius = 3958.7613
    lat1, lon1, lat2, lon2 = (math.radians(v) for v in (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * radius * math.asin(math.sqrt(h))


def make_trainer(
    name: str,
    zip_code: str,
    *,
    languages: tuple[str, ...] = ("en", "es"),
    in_person: bool = True,
    virtual: bool = True,
    opted_in: bool = True,
    email: str | None = None,
    language: str = "en",
) -> Listing:
    """A certified Facilitator with a listing at ``zip_code``."""
    email = email or name.lower().replace(" ", ".") + "@example.org"
    user = make_learner(email, name)
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    certify(user)
    place = geo.zip_place(zip_code)
    return Listing.objects.create(
        kind=ListingKind.PERSON,
        user=user,
        display_name=name,
        zip_code=place.zip_code,
        city=place.city,
        state=place.state,
        latitude=place.latitude,
        longitude=place.longitude,
        languages=list(languages),
        in_person=in_person,
        virtual=virtual,
        opted_in=opted_in,
        opted_in_at=timezone.now() if opted_in else None,
    )


def make_org_listing(name: str, zip_code: str, admin_email: str) -> Listing:
    """A HOPE-informed organization (certified) with an admin, listed at ``zip_code``."""
    org = f.make_org(name)
    f.make_member(org, Role.ORG_ADMIN, admin_email)
    # certified directly (the organization's certification path is not what is tested here)
    Certification.objects.create(
        organization=org,
        tier=Tier.ORGANIZATION.value,
        state=State.CERTIFIED.value,
        valid_until=timezone.localdate() + dt.timedelta(days=700),
    )
    place = geo.zip_place(zip_code)
    return Listing.objects.create(
        kind=ListingKind.ORGANIZATION,
        organization=org,
        display_name=name,
        zip_code=place.zip_code,
        city=place.city,
        state=place.state,
        latitude=place.latitude,
        longitude=place.longitude,
        languages=["en", "es"],
        opted_in=True,
    )


def make_request(**changes: Any) -> PresentationRequest:
    """A request made through the service (its email is queued only on commit)."""
    fields: dict[str, Any] = {
        "requester_name": "Marta Quiroga",
        "requester_email": "marta@example.org",
        "organization_name": "Eastside Parents Network",
        "role_title": "",
        "audience": "families",
        "audience_size": 40,
        "preferred_dates": "March",
        "earliest_date": None,
        "latest_date": None,
        "modality": "in_person",
        "language": "es",
        "topic": "introduction",
        "details": "",
    }
    zip_code = changes.pop("zip_code", "02111")
    requester_language = changes.pop("requester_language", "es")
    fields.update(changes)
    return services.request_create(
        fields=fields,
        place=geo.zip_place(zip_code) if zip_code else None,
        wished=None,
        requester_language=requester_language,
    )
