"""The public HOPE network as Open Referral HSDS 3.0 (Human Services Data Specification).

Served at ``/open-data/hsds.json`` (``open_data:hsds_json``) and, as a CSV tabular data
package, at ``/open-data/hsds.zip`` (``open_data:hsds_zip``; :mod:`.hsds_csv`); written to
files by ``hopeful export hsds`` (:func:`write_files`).

What is published (nothing else):

- **Trainers** — the person listings of :func:`hopeful.web.directory.rules.listed` (opted in,
  certification valid today). Each is a ``service`` "HOPE presentations and trainings — <name>"
  offered by one ``organization``, the resource center (``HOPEFUL_NETWORK_NAME``, default
  "HOPE National Resource Center"), with the tiers held (``accreditations``), languages, a
  ``service_area`` and a ``location`` at the centre of the listing's ZIP code (latitude,
  longitude; city, state and ZIP in the names). No street address, no email address and no
  phone number is ever published for a person.
- **HOPE-informed organizations** — the organization listings of ``listed()``: an
  ``organization`` and its ``service`` "HOPE-informed services", located like trainers (ZIP
  centre; the listing has no street address).
- **Trainings** — the scheduled trainings of the public catalogue whose first session is
  still ahead (:func:`hopeful.web.trainings.selectors.upcoming_trainings`): a ``service`` of
  the resource center with one ``schedule`` per session (date, local opening and closing
  time, UTC offset, a link to book), its place for in-person trainings (never the meeting
  link, which only registered participants see).
- **Community strengths** — the public, non-archived community assets: each an
  ``organization`` (the place or program), its ``service`` and its ``location``, with the
  street address when one was recorded. Members-only assets are never exported.

The JSON document. HSDS 3.0 defines its objects and an API, not a single-file export, so the
document is an object holding the two top-level lists of the API's objects::

    {"hsds_version": "3.0", "title": ..., "description": ..., "generated_at": <ISO 8601>,
     "publisher": {"name": ..., "url": ...},
     "organizations": [<organization>, ...],
     "services": [<service with its schedules, service_areas, languages and
                  service_at_locations (each with its location and the location's
                  addresses)>, ...]}

Each organization is valid against HSDS's ``organization.json`` and each service against
``service.json`` (tested against the vendored schema files). Every nested record repeats its
parent's id (``service_id``, ``location_id``) so that the tabular form is a flattening.

Ids are UUIDs: the record's own ``public_id``, or a UUID derived from it (UUID 5), so they
are stable from one export to the next. Order is deterministic: the resource center, the
listed organizations, the assets' organizations; services: trainers and organizations by
name, trainings by their first session, assets by name. Texts are in English (HSDS has no
per-field languages).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from hopeful.framework import BUILDING_BLOCKS
from hopeful.web.assets import selectors as assets_selectors
from hopeful.web.assets.models import AssetKind, CommunityAsset
from hopeful.web.certification.models import TierChoices
from hopeful.web.directory import hsds_csv
from hopeful.web.directory.models import Listing, ListingKind
from hopeful.web.directory.rules import holder_tiers, listed
from hopeful.web.learning.vocab import LANGUAGE_CHOICES, US_STATES
from hopeful.web.trainings.models import Mode, Training
from hopeful.web.trainings.selectors import upcoming_trainings

HSDS_VERSION = "3.0"
#: The namespace of the ids HOPEful derives (UUID 5) for records with no id of their own.
NAMESPACE = uuid.UUID("6b0f5f3e-2b8e-4d55-9a8c-1f6c0e4b7a21")
JSON_FILENAME = "hsds.json"
ZIP_FILENAME = "hsds-datapackage.zip"

_STATE_NAMES = dict(US_STATES)
_BLOCK_NAMES = {block.id: block.name["en"] for block in BUILDING_BLOCKS}


#: What looks like an email address or a (North American) phone number in free text.
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+|(\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b"
)


def _text(value: str) -> str:
    """Free text as published: an email address or phone number someone typed into it is
    left out (contact goes through the site's form, never the export)."""
    return _CONTACT.sub("[…]", value or "").strip()


def network_name() -> str:
    return str(getattr(settings, "HOPEFUL_NETWORK_NAME", "") or "HOPE National Resource Center")


def _derived(parent: uuid.UUID | str, part: str) -> str:
    return str(uuid.uuid5(uuid.UUID(str(parent)), part))


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds") if value else None


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    """Drop the fields with nothing in them (HSDS fields are optional unless required)."""
    return {k: v for k, v in record.items() if v not in (None, "", [])}


def _languages(codes: list[str], service_id: str) -> list[dict[str, Any]]:
    names = dict(LANGUAGE_CHOICES)
    found = []
    for code in codes:
        if code not in names:
            continue
        found.append(
            _clean(
                {
                    "id": _derived(service_id, f"language:{code}"),
                    "service_id": service_id,
                    "name": str(names[code]),
                    # ISO 639 codes (ase: American Sign Language); none for "another language".
                    "code": "" if code == "other" else code,
                }
            )
        )
    return found


def _place_name(city: str, state: str, zip_code: str) -> str:
    where = ", ".join(part for part in (city, state) if part)
    return f"{where} {zip_code}".strip()


def _zip_location(listing: Listing, service_id: str, organization_id: str) -> dict[str, Any]:
    """A service at the centre of the listing's ZIP code (no street address)."""
    location_id = _derived(listing.public_id, "location")
    place = _place_name(listing.city, listing.state, listing.zip_code)
    return {
        "id": _derived(listing.public_id, "service_at_location"),
        "service_id": service_id,
        "location_id": location_id,
        "location": _clean(
            {
                "id": location_id,
                "location_type": "physical",
                "organization_id": organization_id,
                "name": f"ZIP code area {place}",
                "description": (
                    f"Approximate: the centre of ZIP code {listing.zip_code}; not a street address."
                ),
                "latitude": round(listing.latitude or 0.0, 4),
                "longitude": round(listing.longitude or 0.0, 4),
            }
        ),
    }


def _modality(listing: Listing) -> str:
    if listing.in_person and listing.virtual:
        return "In person near this area, and online."
    if listing.virtual:
        return "Online."
    return "In person near this area."


def _listing_service(
    listing: Listing, tiers: list[str], center_id: str, organization_id: str | None
) -> dict[str, Any]:
    tier_names = dict(TierChoices.choices)
    if listing.kind == ListingKind.PERSON:
        service_id = str(listing.public_id)
        owner = center_id
        name = f"HOPE presentations and trainings — {listing.display_name}"
        fallback = (
            "Presentations and trainings on HOPE (Healthy Outcomes from Positive Experiences)."
        )
    else:
        service_id = _derived(listing.public_id, "service")
        owner = organization_id or center_id
        name = "HOPE-informed services"
        fallback = "Services informed by HOPE (Healthy Outcomes from Positive Experiences)."
    place = _place_name(listing.city, listing.state, listing.zip_code)
    return _clean(
        {
            "id": service_id,
            "organization_id": owner,
            "name": name,
            "description": _text(listing.about or listing.implements) or fallback,
            "url": listing.website,
            "status": "active",
            "accreditations": "; ".join(
                f"{tier_names[tier]} (certified by {network_name()})" for tier in tiers
            ),
            "last_modified": _iso(listing.updated_at),
            "languages": _languages(list(listing.languages), service_id),
            "service_areas": [
                {
                    "id": _derived(listing.public_id, "service_area"),
                    "service_id": service_id,
                    "name": f"Around {place}",
                    "description": _modality(listing),
                }
            ],
            "service_at_locations": [_zip_location(listing, service_id, owner)],
        }
    )


def _training_service(training: Training, center_id: str) -> dict[str, Any]:
    service_id = str(training.public_id)
    zone = training.zone
    with translation.override("en"):
        link = settings.SITE_URL + reverse(
            "trainings:detail", kwargs={"public_id": training.public_id}
        )
        mode = "in person" if training.mode == Mode.IN_PERSON else "online"
    sessions = list(training.sessions.all())
    schedules = []
    for number, session in enumerate(sessions, start=1):
        starts = session.starts_at.astimezone(zone)
        ends = session.ends_at.astimezone(zone)
        offset = (starts.utcoffset() or dt.timedelta()).total_seconds() / 3600
        schedules.append(
            {
                "id": str(session.public_id),
                "service_id": service_id,
                "valid_from": starts.date().isoformat(),
                "valid_to": ends.date().isoformat(),
                "dtstart": starts.date().isoformat(),
                "timezone": int(offset) if offset.is_integer() else offset,
                "opens_at": starts.strftime("%H:%M"),
                "closes_at": ends.strftime("%H:%M"),
                "description": f"Session {number} of {len(sessions)}",
                "schedule_link": link,
                "attending_type": mode,
                "notes": f"Times are local to {training.time_zone}.",
            }
        )
    record: dict[str, Any] = {
        "id": service_id,
        "organization_id": center_id,
        "name": training.title,
        "description": _text(training.description) or "A HOPE training.",
        "url": link,
        "status": "active",
        "application_process": "Register on the training's page.",
        "last_modified": _iso(training.updated_at),
        "schedules": schedules,
        "languages": _languages([training.language], service_id),
    }
    if training.state:
        record["service_areas"] = [
            {
                "id": _derived(training.public_id, "service_area"),
                "service_id": service_id,
                "name": _STATE_NAMES.get(training.state, training.state),
            }
        ]
    if training.mode == Mode.IN_PERSON and training.location:
        location_id = _derived(training.public_id, "location")
        record["service_at_locations"] = [
            {
                "id": _derived(training.public_id, "service_at_location"),
                "service_id": service_id,
                "location_id": location_id,
                "location": {
                    "id": location_id,
                    "location_type": "physical",
                    "organization_id": center_id,
                    "name": training.location,
                },
            }
        ]
    return _clean(record)


def _asset_records(asset: CommunityAsset) -> tuple[dict[str, Any], dict[str, Any]]:
    organization_id = _derived(asset.public_id, "organization")
    service_id = str(asset.public_id)
    location_id = _derived(asset.public_id, "location")
    kind = str(dict(AssetKind.choices).get(asset.kind, ""))
    blocks = ", ".join(_BLOCK_NAMES[b] for b in asset.blocks if b in _BLOCK_NAMES)
    description = _text(asset.description) or kind
    organization = _clean(
        {
            "id": organization_id,
            "name": asset.name,
            "description": description,
            "website": asset.website,
        }
    )
    location = _clean(
        {
            "id": location_id,
            "location_type": "physical",
            "organization_id": organization_id,
            "name": asset.name,
            "latitude": round(asset.latitude, 4) if asset.latitude is not None else None,
            "longitude": round(asset.longitude, 4) if asset.longitude is not None else None,
        }
    )
    if asset.address and asset.city and asset.state:
        location["addresses"] = [
            {
                "id": _derived(asset.public_id, "address"),
                "location_id": location_id,
                "address_1": asset.address,
                "city": asset.city,
                "state_province": asset.state,
                "postal_code": asset.zip_code,
                "country": "US",
                "address_type": "physical",
            }
        ]
    service: dict[str, Any] = {
        "id": service_id,
        "organization_id": organization_id,
        "name": asset.name,
        "alternate_name": kind,
        "description": f"{description}\n\nBuilding blocks of HOPE: {blocks}."
        if blocks
        else description,
        "url": asset.website,
        "status": "active",
        "fees_description": "Free of charge." if asset.free else "",
        "last_modified": _iso(asset.updated_at),
        "languages": _languages(list(asset.languages), service_id),
        "service_at_locations": [
            {
                "id": _derived(asset.public_id, "service_at_location"),
                "service_id": service_id,
                "location_id": location_id,
                "location": location,
            }
        ],
    }
    if asset.schedule:
        service["schedules"] = [
            {
                "id": _derived(asset.public_id, "schedule"),
                "service_id": service_id,
                "description": _text(asset.schedule),
            }
        ]
    return organization, _clean(service)


def public_assets() -> list[CommunityAsset]:
    """The community strengths anyone may see (the assets app's own rule)."""
    return list(assets_selectors.public_assets().order_by("name", "pk"))


def document(*, today: dt.date | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """The whole export as one JSON-ready document (see the module's docstring)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    center_id = _derived(NAMESPACE, "resource-center")
    center = {
        "id": center_id,
        "name": network_name(),
        "description": (
            "The national resource center of HOPE (Healthy Outcomes from Positive "
            "Experiences): it trains and certifies HOPE Facilitators and Champions and "
            "HOPE-informed organizations."
        ),
        "website": settings.SITE_URL + "/",
    }
    listings = list(listed(today).order_by("kind", "display_name", "pk"))
    tiers = holder_tiers(listings, today)
    people = [item for item in listings if item.kind == ListingKind.PERSON]
    organizations_listed = [item for item in listings if item.kind == ListingKind.ORGANIZATION]

    organizations: list[dict[str, Any]] = [center]
    services: list[dict[str, Any]] = [
        _listing_service(item, tiers[item.pk], center_id, None) for item in people
    ]
    for item in organizations_listed:
        organization_id = str(item.public_id)
        organizations.append(
            _clean(
                {
                    "id": organization_id,
                    "name": item.display_name,
                    "description": _text(item.implements or item.about)
                    or "A HOPE-informed organization.",
                    "website": item.website,
                }
            )
        )
        services.append(_listing_service(item, tiers[item.pk], center_id, organization_id))
    services.extend(
        _training_service(training, center_id) for training in upcoming_trainings(now=now)
    )
    for asset in public_assets():
        organization, service = _asset_records(asset)
        organizations.append(organization)
        services.append(service)
    return {
        "hsds_version": HSDS_VERSION,
        "title": f"{network_name()}: the public HOPE network",
        "description": (
            "Certified HOPE trainers, HOPE-informed organizations, upcoming HOPE trainings "
            "and community strengths, as Open Referral HSDS 3.0."
        ),
        "generated_at": _iso(now),
        "publisher": {"name": network_name(), "url": settings.SITE_URL + "/"},
        "organizations": organizations,
        "services": services,
    }


def json_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


def zip_bytes(data: dict[str, Any]) -> bytes:
    return hsds_csv.datapackage_zip(data)


def write_files(out_dir: Path) -> list[Path]:
    """Write ``hsds.json`` and ``hsds-datapackage.zip`` into ``out_dir``; the paths written."""
    with translation.override("en"):
        data = document()
    json_path = Path(out_dir) / JSON_FILENAME
    zip_path = Path(out_dir) / ZIP_FILENAME
    json_path.write_bytes(json_bytes(data))
    zip_path.write_bytes(zip_bytes(data))
    return [json_path, zip_path]
