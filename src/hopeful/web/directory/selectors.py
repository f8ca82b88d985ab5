"""Reads of the directory: the trainer search by ZIP radius, a public listing, the holder's own
listing, who may be listed, and the Innovation Network's members. Every public read of
listings starts from :func:`hopeful.web.directory.rules.listed`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from hopeful import geo
from hopeful.framework.certification import Tier
from hopeful.web.certification.models import TierChoices
from hopeful.web.directory import rules
from hopeful.web.directory.models import Listing, ListingKind
from hopeful.web.learning.vocab import LANGUAGE_CHOICES, US_STATES, Sector
from hopeful.web.organizations.models import Membership, Organization, Role

LANGUAGE_LABELS = dict(LANGUAGE_CHOICES)
SECTOR_LABELS = dict(Sector.choices)
STATE_NAMES = dict(US_STATES)


@dataclass
class Hit:
    """One search result: the listing, how far it is, the tiers its holder holds."""

    listing: Listing
    miles: float | None = None
    tiers: list[str] = field(default_factory=list)

    @property
    def languages(self) -> list[str]:
        return [str(LANGUAGE_LABELS.get(code, code)) for code in self.listing.languages]

    @property
    def sectors(self) -> list[str]:
        return [str(SECTOR_LABELS.get(code, code)) for code in self.listing.sectors]


@dataclass(frozen=True)
class Search:
    place: geo.Place
    radius: int = geo.DEFAULT_RADIUS
    language: str = ""
    sector: str = ""
    modality: str = ""
    kind: str = "both"


def tier_labels(tiers: list[str]) -> list[str]:
    return [str(TierChoices(tier).label) for tier in tiers]


def with_tiers(listings: list[Listing], today: dt.date | None = None) -> list[Hit]:
    tiers = rules.holder_tiers(listings, today)
    return [Hit(listing=item, tiers=tier_labels(tiers.get(item.pk, []))) for item in listings]


def trainers_search(search: Search, *, today: dt.date | None = None) -> list[Hit]:
    """The listed holders within ``search.radius`` miles of the ZIP code (the edge included),
    nearest first. A bounding box prefilters in SQL; the distance decides in Python; the
    language and sector (JSON lists) are matched in Python too, the same on every database."""
    box = geo.bounding_box(search.place.latitude, search.place.longitude, search.radius)
    rows: QuerySet[Listing] = rules.listed(today).filter(
        latitude__range=(box.south, box.north), longitude__range=(box.west, box.east)
    )
    if search.kind in (ListingKind.PERSON, ListingKind.ORGANIZATION):
        rows = rows.filter(kind=search.kind)
    if search.modality == "in_person":
        rows = rows.filter(in_person=True)
    elif search.modality == "virtual":
        rows = rows.filter(virtual=True)
    candidates = [
        item
        for item in rows.order_by("display_name", "pk")
        if (not search.language or search.language in (item.languages or []))
        and (not search.sector or search.sector in (item.sectors or []))
    ]
    found = geo.nearest(search.place, candidates, lambda item: item.point, search.radius)
    hits = with_tiers([item for _miles, item in found], today)
    for hit, (miles, _item) in zip(hits, found, strict=True):
        hit.miles = miles
    return hits


def listed_count(*, today: dt.date | None = None) -> int:
    return rules.listed(today).count()


def listing_public(public_id: Any, *, today: dt.date | None = None) -> Hit:
    """A listing the public may see, with its holder's tiers; 404 otherwise."""
    listing = rules.listed(today).select_related("organization").filter(public_id=public_id).first()
    if listing is None:
        raise Http404
    return with_tiers([listing], today)[0]


def person_may_list(*, user: Any, today: dt.date | None = None) -> bool:
    """Whether the person holds a valid Facilitator or Champion certification."""
    if not getattr(user, "is_authenticated", False):
        return False
    return rules.valid_certifications(today).filter(user=user, tier__in=rules.PERSON_TIERS).exists()


def organization_certified_until(
    *, organization: Organization, today: dt.date | None = None
) -> dt.date | None:
    """The last valid day of the organization's valid certification, or None."""
    row = (
        rules.valid_certifications(today)
        .filter(organization=organization, tier=Tier.ORGANIZATION.value)
        .order_by("-valid_until")
        .first()
    )
    return row.valid_until if row is not None else None


def listing_of_user(*, user: Any) -> Listing | None:
    return Listing.objects.filter(user=user).first()


def listing_of_organization(*, organization: Organization) -> Listing | None:
    return Listing.objects.filter(organization=organization).first()


def is_listed(listing: Listing | None, *, today: dt.date | None = None) -> bool:
    return listing is not None and rules.listed(today).filter(pk=listing.pk).exists()


def contact_recipients(*, listing: Listing) -> list[tuple[str, str]]:
    """``(email, language)`` of who a contact message goes to: the person, or the admins of
    the organization (active accounts only)."""
    if listing.kind == ListingKind.PERSON:
        user = listing.user
        if user is None or not user.is_active:
            return []
        return [(user.email, user.preferred_language or "en")]
    if listing.organization_id is None:  # an organization's listing always has one
        return []
    admins = Membership.objects.filter(
        organization_id=listing.organization_id, role=Role.ORG_ADMIN, user__is_active=True
    ).select_related("user")
    return sorted({(m.user.email, m.user.preferred_language or "en") for m in admins})


# --- the Innovation Network -------------------------------------------------------------


@dataclass
class Member:
    organization: Organization
    certified_until: dt.date | None
    implements: str
    about: str
    listing: Listing | None

    @property
    def state_name(self) -> str:
        state = self.organization.state
        return STATE_NAMES.get(state, state)


def _members(rows: list[Organization], today: dt.date | None) -> list[Member]:
    until: dict[int, dt.date] = {}
    for row in (
        rules.valid_certifications(today)
        .filter(organization__in=rows, tier=Tier.ORGANIZATION.value)
        .values("organization_id", "valid_until")
    ):
        valid_until = row["valid_until"]
        if valid_until is None:  # never: a valid certification has a last day
            continue
        previous = until.get(row["organization_id"])
        if previous is None or valid_until > previous:
            until[row["organization_id"]] = valid_until
    listings = {
        item.organization_id: item for item in Listing.objects.filter(organization__in=rows)
    }
    public = set(
        rules.listed(today).filter(organization__in=rows).values_list("organization_id", flat=True)
    )
    members = []
    for organization in rows:
        listing = listings.get(organization.pk)
        members.append(
            Member(
                organization=organization,
                certified_until=until.get(organization.pk),
                implements=listing.implements if listing is not None else "",
                about=listing.about if listing is not None else "",
                listing=listing if organization.pk in public else None,
            )
        )
    return members


def network_members(
    *, state: str = "", kind: str = "", today: dt.date | None = None
) -> list[Member]:
    """The organizations of the Innovation Network, by name, optionally of one state and
    one kind (the sector of an organization)."""
    rows = Organization.objects.filter(network_member=True).order_by("name", "pk")
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    return _members(list(rows), today)


def network_member(public_id: Any, *, today: dt.date | None = None) -> Member:
    """One member of the network; 404 for any other organization."""
    organization = Organization.objects.filter(network_member=True, public_id=public_id).first()
    if organization is None:
        raise Http404
    return _members([organization], today)[0]
