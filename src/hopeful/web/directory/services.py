"""Writes of the directory: a person's or an organization's listing (saved, or taken out of
the directory), and a message sent to a listed holder through the contact form. Each write is
audited in its transaction; the contact email is queued ``on_commit`` for the worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful import geo
from hopeful.web.audit.services import audit_record
from hopeful.web.directory import selectors, tasks
from hopeful.web.directory.models import ContactMessage, Listing, ListingKind
from hopeful.web.learning.vocab import LANGUAGE_CODES, Sector
from hopeful.web.organizations.models import Organization

#: What a listing form may change (the place comes from the ZIP code).
LISTING_FIELDS = (
    "display_name",
    "about",
    "languages",
    "sectors",
    "in_person",
    "virtual",
    "opted_in",
)
ORGANIZATION_FIELDS = (*LISTING_FIELDS, "implements", "website")
SECTOR_CODES = frozenset(Sector.values)


class ListingError(Exception):
    """A listing cannot be saved (its message is for the person)."""


def _apply(
    listing: Listing, data: dict[str, Any], fields: tuple[str, ...], now: dt.datetime
) -> None:
    zip_value = data["zip_code"]
    place = zip_value if isinstance(zip_value, geo.Place) else None
    if place is None:
        try:
            place = geo.zip_place(str(zip_value or ""))
        except geo.ZipError as error:
            raise ListingError(_("Enter a 5-digit ZIP code, for example 02111.")) from error
    was_in = listing.pk is not None and listing.opted_in
    for name in fields:
        if name in data:
            setattr(listing, name, data[name])
    listing.languages = [code for code in listing.languages if code in LANGUAGE_CODES]
    listing.sectors = [code for code in listing.sectors if code in SECTOR_CODES]
    listing.zip_code = place.zip_code
    listing.city = place.city
    listing.state = place.state
    listing.latitude = place.latitude
    listing.longitude = place.longitude
    if listing.opted_in and not was_in:
        listing.opted_in_at = now
    elif not listing.opted_in:
        listing.opted_in_at = None
    try:
        listing.full_clean()
    except ValidationError as error:
        raise ListingError(" ".join(error.messages)) from error
    listing.save()


@transaction.atomic
def listing_save_person(
    *, user: Any, data: dict[str, Any], now: dt.datetime | None = None
) -> Listing:
    """Create or change the person's own listing. Only a person holding a valid Facilitator
    or Champion certification may keep one (:class:`ListingError` otherwise)."""
    now = now or timezone.now()
    if not selectors.person_may_list(user=user, today=timezone.localdate(now)):
        raise ListingError(
            _("Only HOPE Facilitators and Champions with a valid certification can be listed.")
        )
    listing = Listing.objects.select_for_update().filter(user=user).first() or Listing(
        kind=ListingKind.PERSON, user=user
    )
    _apply(listing, data, LISTING_FIELDS, now)
    audit_record(
        verb="directory.listing_update",
        actor=user,
        organization=None,
        obj=listing,
        extra={"kind": listing.kind, "opted_in": listing.opted_in},
    )
    return listing


@transaction.atomic
def listing_save_organization(
    *, organization: Organization, actor: Any, data: dict[str, Any], now: dt.datetime | None = None
) -> Listing:
    """Create or change the organization's listing (by one of its admins). It is shown only
    while the organization holds a valid certification (``rules.listed``)."""
    now = now or timezone.now()
    listing = Listing.objects.select_for_update().filter(
        organization=organization
    ).first() or Listing(kind=ListingKind.ORGANIZATION, organization=organization)
    _apply(listing, data, ORGANIZATION_FIELDS, now)
    audit_record(
        verb="directory.listing_update",
        actor=actor,
        organization=organization,
        obj=listing,
        extra={"kind": listing.kind, "opted_in": listing.opted_in},
    )
    return listing


@transaction.atomic
def listing_opt_out(*, listing: Listing, actor: Any) -> Listing:
    """Take the listing out of the public directory at once (kept, to opt in again)."""
    locked = Listing.objects.select_for_update().get(pk=listing.pk)
    locked.opted_in = False
    locked.opted_in_at = None
    locked.save(update_fields=["opted_in", "opted_in_at", "updated_at"])
    audit_record(
        verb="directory.listing_update",
        actor=actor,
        organization=locked.organization,
        obj=locked,
        extra={"kind": locked.kind, "opted_in": False},
    )
    return locked


@transaction.atomic
def contact_send(
    *,
    listing: Listing,
    name: str,
    email: str,
    organization: str,
    message: str,
    language: str,
    actor: Any = None,
) -> None:
    """Queue the email of a contact message to the listed holder (the sender's address as
    its Reply-To). The audit names the listing, never the message."""
    audit_record(
        verb="directory.contact",
        actor=actor,
        organization=listing.organization,
        obj=listing,
        extra={"kind": listing.kind, "language": language},
    )
    kept = ContactMessage.objects.create(
        listing=listing,
        name=name,
        email=email,
        organization=organization,
        message=message,
        language=language,
    )
    transaction.on_commit(lambda: tasks.send_contact.enqueue(kept.pk))
