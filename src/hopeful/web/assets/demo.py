"""Synthetic community strengths for ``make demo``: about sixty invented places and programs
(generic names such as "Riverside Community Library", no real business) around Boston
(021xx), Albuquerque (871xx), Madison (537xx) and Seattle (981xx), at real ZIP codes of the
``zipcodes`` package, with every building block and kind, a few members-only and a few
archived. Sunrise Pediatrics (when the demo has it) records the Madison ones; network staff
the rest. Recorded through the services (so audited, as in use); deterministic (seeded) and
idempotent: a place already there (same name and ZIP code) is left as it is.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import zipcodes
from django.contrib.auth import get_user_model

from hopeful.framework.blocks import BLOCK_IDS
from hopeful.web.assets import services
from hopeful.web.assets.models import AssetKind, CommunityAsset, Visibility
from hopeful.web.organizations.models import Membership, Organization, Role

#: (ZIP prefix, the demo organization recording there or None for network staff).
AREAS = (("021", None), ("871", None), ("537", "Sunrise Pediatrics"), ("981", None))
PER_AREA = 15
DEMO_ORGANIZATION = "Sunrise Pediatrics"

PLACES = (
    "Riverside",
    "Maple Street",
    "Hillcrest",
    "Oak Grove",
    "Lakeside",
    "Cedar Hill",
    "Northside",
    "Sunnyside",
    "Willow Creek",
    "Elm Street",
    "Harbor View",
    "Mesa Vista",
    "Prairie Wind",
    "Pine Hill",
    "Brookside",
)

#: kind -> (name pattern, usual building blocks, description)
KINDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    AssetKind.LIBRARY: (
        "{place} Community Library",
        ("relationships", "engagement"),
        "Story time for babies and toddlers, homework help and a family reading corner.",
    ),
    AssetKind.PARK: (
        "{place} Park and Playground",
        ("environment", "engagement"),
        "A fenced playground, a splash pad in summer and shaded picnic tables.",
    ),
    AssetKind.FAITH: (
        "{place} Family Faith Community",
        ("relationships", "engagement"),
        "Family meals on Wednesdays and a children's choir open to the neighborhood.",
    ),
    AssetKind.YOUTH_PROGRAM: (
        "{place} Youth Club",
        ("relationships", "emotional_growth"),
        "After-school mentoring, games and a quiet room, for ages 8 to 18.",
    ),
    AssetKind.FAMILY_RESOURCE_CENTER: (
        "{place} Family Resource Center",
        ("relationships", "environment"),
        "Parent groups, a diaper bank and help finding child care and benefits.",
    ),
    AssetKind.SCHOOL: (
        "{place} Early Learning Center",
        ("environment", "emotional_growth"),
        "Play groups for parents and children under five, with a lending library of toys.",
    ),
    AssetKind.ARTS: (
        "{place} Community Arts Studio",
        ("engagement", "emotional_growth"),
        "Drop-in art, music and dance classes for children and their grown-ups.",
    ),
    AssetKind.SPORTS: (
        "{place} Recreation League",
        ("engagement", "relationships"),
        "Soccer and basketball for every skill level; equipment lent free.",
    ),
    AssetKind.HEALTH: (
        "{place} Parent Support Circle",
        ("emotional_growth", "relationships"),
        "A weekly circle for parents of young children, with child care on site.",
    ),
    AssetKind.OTHER: (
        "{place} Community Garden",
        ("environment", "engagement"),
        "Family garden plots, harvest festivals and a children's planting day each spring.",
    ),
}
SCHEDULES = ("Saturdays 10–12", "Weekdays 3–6 pm", "Tuesdays and Thursdays 9–11", "Every day")


def _zip_codes(prefix: str) -> list[str]:
    """The active, standard ZIP codes with a centroid under ``prefix``, in order."""
    rows = zipcodes.similar_to(prefix)  # type: ignore[no-untyped-call]  # zipcodes is untyped
    return sorted(
        row["zip_code"]
        for row in rows
        if row.get("lat")
        and row.get("long")
        and row.get("active", True)
        and row.get("zip_code_type", "STANDARD") == "STANDARD"
    )


def _recorders() -> tuple[Any, Any, Any]:
    """(network staff user or None, the demo organization or None, its recorder or None)."""
    staff = get_user_model().objects.filter(is_network_staff=True).order_by("pk").first()
    organization = Organization.objects.filter(name=DEMO_ORGANIZATION).order_by("pk").first()
    recorder = None
    if organization is not None:
        membership = (
            Membership.objects.filter(
                organization=organization, role__in=[Role.ORG_ADMIN, Role.PRACTITIONER]
            )
            .select_related("user")
            .order_by("pk")
            .first()
        )
        recorder = membership.user if membership else None
    return staff, organization, recorder


def assets_demo_load(
    *, progress: Callable[[str], None] | None = None, seed: int = 16
) -> dict[str, int]:
    """Record the demo's community strengths; returns counts (``created``, ``existing``,
    ``members_only``, ``archived``)."""
    say = progress or (lambda line: None)
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    staff, organization, recorder = _recorders()
    kinds = list(KINDS)
    counts = {"created": 0, "existing": 0, "members_only": 0, "archived": 0}
    index = 0
    for prefix, recorded_by_org in AREAS:
        zips = _zip_codes(prefix)
        if not zips:
            continue
        by_org = recorded_by_org is not None and organization is not None
        places = rng.sample(PLACES, PER_AREA)
        for n in range(PER_AREA):
            kind = kinds[(index + n) % len(kinds)]
            pattern, blocks, description = KINDS[kind]
            extra = rng.choice(BLOCK_IDS)
            zip_code = zips[rng.randrange(min(len(zips), 25))]
            members_only = index % 13 == 5
            archived = index % 17 == 9
            schedule = rng.choice(SCHEDULES)
            free = rng.random() < 0.7
            languages = ["en", "es"] if rng.random() < 0.5 else ["en"]
            index += 1
            name = pattern.format(place=places[n])
            if CommunityAsset.objects.filter(name=name, zip_code=zip_code).exists():
                counts["existing"] += 1
                continue
            asset = services.asset_create(
                organization=organization if by_org else None,
                actor=recorder if by_org else staff,
                fields={
                    "name": name,
                    "kind": kind,
                    "blocks": sorted({*blocks, extra}),
                    "description": description,
                    "address": "",
                    "zip_code": zip_code,
                    "website": "",
                    "schedule": schedule,
                    "free": free,
                    "languages": languages,
                    "visibility": Visibility.MEMBERS if members_only else Visibility.PUBLIC,
                },
            )
            counts["created"] += 1
            counts["members_only"] += int(members_only)
            if archived:
                services.asset_archive(asset=asset, actor=recorder if by_org else staff)
                counts["archived"] += 1
    say(
        f"Community strengths: {counts['created']} places recorded "
        f"({counts['members_only']} members-only, {counts['archived']} archived), "
        f"{counts['existing']} already there."
    )
    return counts
