"""Who appears in the public directory: one rule, used by every page and export."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hopeful.framework.certification import State, Tier
from hopeful.web.certification.models import Certification
from hopeful.web.directory.models import Listing, ListingKind

#: Certifications that are valid (while ``valid_until`` is not past).
VALID_STATES = (State.CERTIFIED.value, State.EXPIRING.value)
#: The tiers that make a person a trainer in the directory.
PERSON_TIERS = (Tier.FACILITATOR.value, Tier.CHAMPION.value)


def valid_certifications(today: dt.date | None = None) -> QuerySet[Certification]:
    """Certifications valid on ``today`` (the site's local date by default)."""
    day = today or timezone.localdate()
    return Certification.objects.filter(state__in=VALID_STATES, valid_until__gte=day)


def listed(today: dt.date | None = None) -> QuerySet[Listing]:
    """The listings the public sees: opted in, with a place, and whose holder holds a valid
    certification (Facilitator or Champion for a person; the organization tier for an
    organization)."""
    valid = valid_certifications(today)
    person_valid = Exists(valid.filter(user=OuterRef("user"), tier__in=PERSON_TIERS))
    organization_valid = Exists(
        valid.filter(organization=OuterRef("organization"), tier=Tier.ORGANIZATION.value)
    )
    return Listing.objects.filter(
        Q(kind=ListingKind.PERSON, user__is_active=True) & person_valid
        | Q(kind=ListingKind.ORGANIZATION) & organization_valid,
        opted_in=True,
        latitude__isnull=False,
        longitude__isnull=False,
    )


def holder_tiers(listings: list[Listing], today: dt.date | None = None) -> dict[int, list[str]]:
    """For each listing's pk, the tiers its holder holds valid today (Champion first)."""
    users = [item.user_id for item in listings if item.user_id]
    organizations = [item.organization_id for item in listings if item.organization_id]
    rows = valid_certifications(today).filter(
        Q(user_id__in=users, tier__in=PERSON_TIERS)
        | Q(organization_id__in=organizations, tier=Tier.ORGANIZATION.value)
    )
    by_user: dict[int, list[str]] = {}
    by_organization: dict[int, list[str]] = {}
    for row in rows.values("user_id", "organization_id", "tier"):
        if row["user_id"]:
            by_user.setdefault(row["user_id"], []).append(row["tier"])
        else:
            by_organization.setdefault(row["organization_id"], []).append(row["tier"])
    order = {Tier.CHAMPION.value: 0, Tier.FACILITATOR.value: 1, Tier.ORGANIZATION.value: 2}
    found: dict[int, list[str]] = {}
    for item in listings:
        tiers = (
            by_user.get(item.user_id, [])
            if item.user_id
            else by_organization.get(item.organization_id or 0, [])
        )
        found[item.pk] = sorted(tiers, key=order.__getitem__)
    return found
