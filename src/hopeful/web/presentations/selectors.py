"""Reading presentation requests: the staff queue and its counts, one request with its
history, and the trainers suggested for a request (nearest first, who speak its language and
present the way it asks).

The suggestions go through :func:`hopeful.web.directory.rules.listed` (opted in, certified
today), so an expired, suspended or opted-out trainer is never suggested.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from hopeful import geo
from hopeful.web.directory.models import Listing
from hopeful.web.directory.rules import listed
from hopeful.web.directory.selectors import Search, trainers_search
from hopeful.web.presentations.models import (
    Modality,
    PresentationRequest,
    PresentationRequestEvent,
    Status,
)

#: Trainers further than this from the request's ZIP code are not suggested.
SUGGESTION_RADIUS = 100
#: How many suggestions the assign form offers.
SUGGESTION_LIMIT = 10


def queue(status: str = "") -> QuerySet[PresentationRequest]:
    """Requests, newest first, of one status or of every status."""
    rows = PresentationRequest.objects.select_related("assigned_listing")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def status_counts() -> dict[str, int]:
    """How many requests are in each status (every status present, zeros included)."""
    counts = dict.fromkeys(Status.values, 0)
    for status in PresentationRequest.objects.values_list("status", flat=True):
        counts[status] += 1
    return counts


def request_get(public_id: Any) -> PresentationRequest | None:
    return (
        PresentationRequest.objects.select_related("assigned_listing", "wished_listing")
        .filter(public_id=public_id)
        .first()
    )


def history(request: PresentationRequest) -> QuerySet[PresentationRequestEvent]:
    return request.events.select_related("actor").order_by("at", "pk")


def listed_get(public_id: Any, today: dt.date | None = None) -> Listing | None:
    """A listing the public may see (and staff may assign), or None (also for a value that
    is not a UUID)."""
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except (ValueError, TypeError, AttributeError):
        return None
    return listed(today).filter(public_id=key).first()


def listed_choices(today: dt.date | None = None) -> list[Listing]:
    """Every listed trainer and organization, by name (the assign form's full list)."""
    return list(listed(today).order_by("display_name", "pk"))


@dataclass(frozen=True)
class Suggestion:
    listing: Listing
    miles: float | None
    speaks_language: bool


def _fits_modality(listing: Listing, modality: str) -> bool:
    if modality == Modality.IN_PERSON:
        return listing.in_person
    if modality == Modality.VIRTUAL:
        return listing.virtual
    return listing.in_person or listing.virtual


def _miles(request: PresentationRequest, listing: Listing) -> float | None:
    here, there = request.point, listing.point
    if here is None or there is None:
        return None
    return geo.miles_between(here[0], here[1], there[0], there[1])


def suggestions(
    request: PresentationRequest,
    *,
    today: dt.date | None = None,
    limit: int = SUGGESTION_LIMIT,
) -> list[Suggestion]:
    """The listed trainers (people and organizations) to offer for ``request``.

    In person (or either): within :data:`SUGGESTION_RADIUS` miles of the request's ZIP code,
    speaking its language, presenting in a way that fits; nearest first. Online: everyone
    who presents online, those speaking the language first, then by distance when the
    request has a ZIP code (then by name)."""
    candidates = listed(today)
    if request.modality == Modality.VIRTUAL:
        rows = [
            Suggestion(item, _miles(request, item), request.language in (item.languages or []))
            for item in candidates.filter(virtual=True).order_by("display_name", "pk")
        ]
        rows.sort(
            key=lambda s: (
                not s.speaks_language,
                s.miles is None,
                s.miles if s.miles is not None else 0.0,
            )
        )
        return rows[:limit]
    point = request.point
    if point is None:
        return []
    centre = geo.Place(request.zip_code, point[0], point[1], request.city, request.state)
    # the trainer directory's own radius search (edge included, nearest first)
    hits = trainers_search(
        Search(
            place=centre,
            radius=SUGGESTION_RADIUS,
            language=request.language,
            modality="in_person" if request.modality == Modality.IN_PERSON else "",
        ),
        today=today,
    )
    fitting = [hit for hit in hits if _fits_modality(hit.listing, request.modality)]
    return [Suggestion(hit.listing, hit.miles, True) for hit in fitting[:limit]]
