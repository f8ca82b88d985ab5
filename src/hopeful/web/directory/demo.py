"""Demo data of the trainer directory and the Innovation Network (``make demo``), synthetic.

- about 60% of the demo's people holding a valid Facilitator or Champion certification keep
  a listing, at a real ZIP code of their state (the demo's profiles carry made-up ZIP codes:
  the listing takes a real one, near the made-up one's area when there is one), most in
  English, some also in Spanish or another language; a few chose not to be shown;
- the demo trainer (``trainer@hopeful.example``) is listed in Boston, so a search near 02111
  finds them;
- the certified demo organizations keep a listing with what they implement, and (when the
  network has no certified member yet) about two thirds of them join the Innovation Network,
  each with the kind of organization its name says.

Deterministic (one seeded generator per person or organization) and idempotent: holders who
already have a listing are left as they are.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import cache

import zipcodes
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hopeful.framework.certification import Tier
from hopeful.web.accounts.models import User
from hopeful.web.directory import rules
from hopeful.web.directory.models import Listing, ListingKind
from hopeful.web.learning.models import LearnerProfile
from hopeful.web.organizations.models import Organization, OrganizationKind

TRAINER_EMAIL = "trainer@hopeful.example"
PEOPLE_DOMAIN = "people.hopeful.example"
TRAINER_ZIP = "02116"
SHARE_LISTED = 0.6
OTHER_LANGUAGES = ["vi", "zh", "ht", "pt", "ar", "ko", "ru", "tl", "fr", "ase"]
ABOUT = [
    "Presentations on the Four Building Blocks of HOPE for parents, teachers and clinic staff.",
    "Workshops for home visitors and family support staff on strengths-based conversations.",
    "Talks for faith communities and parent groups on positive childhood experiences.",
    "Trainings for school staff on building relationships and belonging with students.",
    "Sessions for pediatric teams on bringing HOPE into well-child visits.",
]
IMPLEMENTS = [
    "HOPE-informed intake forms and strengths-based conversations at every visit.",
    "The Four Building Blocks in our home visiting curriculum, with family strengths surveys.",
    "Staff trained as HOPE Facilitators; positive experiences tracked in family plans.",
    "Policies reviewed against the six standards; a family advisory group meets monthly.",
    "Community events that celebrate family strengths, with local parks and libraries.",
]
#: The kind of organization a demo organization's name says it is.
KIND_BY_WORD = [
    ("Pediatrics", OrganizationKind.CLINIC),
    ("Community Health", OrganizationKind.CLINIC),
    ("Home Visiting", OrganizationKind.HOME_VISITING),
    ("Head Start", OrganizationKind.SCHOOL),
    ("Early Learning", OrganizationKind.SCHOOL),
    ("Child and Family Services", OrganizationKind.CHILD_WELFARE),
    ("Family Center", OrganizationKind.COMMUNITY),
    ("Parent Network", OrganizationKind.COMMUNITY),
    ("Public Health", OrganizationKind.OTHER),
]
SECTOR_BY_KIND = {
    OrganizationKind.CLINIC: "health_care",
    OrganizationKind.HOME_VISITING: "home_visiting",
    OrganizationKind.SCHOOL: "early_childhood",
    OrganizationKind.CHILD_WELFARE: "child_welfare",
    OrganizationKind.COMMUNITY: "community",
    OrganizationKind.FAITH: "faith",
}


@cache
def _zips(state: str) -> tuple[tuple[str, float, float, str], ...]:
    """The state's standard ZIP codes with a centroid, sorted: (zip, lat, lon, city)."""
    rows = zipcodes.filter_by(state=state, zip_code_type="STANDARD")  # type: ignore[no-untyped-call]  # zipcodes is untyped
    return tuple(
        sorted(
            (str(r["zip_code"]), float(r["lat"]), float(r["long"]), str(r["city"]))
            for r in rows
            if r.get("lat") and r.get("long") and r.get("active", True)
        )
    )


def _place(rng: random.Random, state: str, near: str = "") -> tuple[str, float, float, str] | None:
    """A real ZIP code of ``state``: one of the area of ``near`` (its first three digits)
    when the state has some, else any of the state."""
    rows = _zips(state)
    if not rows:
        return None
    area = [row for row in rows if near and row[0].startswith(near[:3])]
    return rng.choice(area or list(rows))


def _listing(rng: random.Random, place: tuple[str, float, float, str], state: str) -> Listing:
    zip_code, latitude, longitude, city = place
    in_person = rng.random() < 0.85
    return Listing(
        zip_code=zip_code,
        city=city,
        state=state,
        latitude=latitude,
        longitude=longitude,
        in_person=in_person,
        virtual=(not in_person) or rng.random() < 0.7,
        opted_in_at=timezone.now(),
    )


def _languages(rng: random.Random, profile: LearnerProfile | None) -> list[str]:
    languages = ["en"]
    if rng.random() < 0.3 or (profile is not None and "es" in profile.languages):
        languages.append("es")
    if rng.random() < 0.06:
        languages.append(rng.choice(OTHER_LANGUAGES))
    return languages


def _people() -> tuple[int, int]:
    holders = set(
        rules.valid_certifications()
        .filter(tier__in=rules.PERSON_TIERS)
        .values_list("user_id", flat=True)
    )
    people = User.objects.filter(
        Q(email__endswith=f"@{PEOPLE_DOMAIN}") | Q(email=TRAINER_EMAIL),
        pk__in=holders,
        is_active=True,
        directory_listing__isnull=True,
    )
    profiles = {p.user_id: p for p in LearnerProfile.objects.filter(user__in=people)}
    made: list[Listing] = []
    hidden = 0
    for user in people.order_by("email"):
        rng = random.Random(f"directory-{user.email}")  # noqa: S311 - synthetic data
        profile = profiles.get(user.pk)
        is_trainer = user.email == TRAINER_EMAIL
        if not is_trainer and rng.random() >= SHARE_LISTED:
            continue
        state = "MA" if is_trainer else (profile.state if profile else "")
        place = _place(
            rng, state, TRAINER_ZIP if is_trainer else (profile.zip_code if profile else "")
        )
        if place is None:
            continue
        if is_trainer:
            place = next((row for row in _zips("MA") if row[0] == TRAINER_ZIP), place)
        listing = _listing(rng, place, state)
        listing.kind = ListingKind.PERSON
        listing.user = user
        listing.display_name = (
            (profile.full_name if profile else "") or user.display_name or "HOPE trainer"
        )
        listing.about = rng.choice(ABOUT)
        listing.languages = _languages(rng, profile)
        sectors = [profile.sector] if profile and profile.sector else []
        if rng.random() < 0.3:
            sectors.append(rng.choice(["community", "education", "early_childhood", "faith"]))
        listing.sectors = list(dict.fromkeys(sectors))
        listing.opted_in = is_trainer or rng.random() >= 0.08
        if not listing.opted_in:
            listing.opted_in_at = None
            hidden += 1
        made.append(listing)
    Listing.objects.bulk_create(made)
    return len(made), hidden


def _organizations() -> tuple[int, int]:
    certified = set(
        rules.valid_certifications()
        .filter(tier=Tier.ORGANIZATION.value)
        .values_list("organization_id", flat=True)
    )
    organizations = list(Organization.objects.filter(pk__in=certified).order_by("name", "pk"))
    joined = 0
    if not any(org.network_member for org in organizations):
        for org in organizations:
            rng = random.Random(f"network-{org.name}")  # noqa: S311 - synthetic data
            if rng.random() < 2 / 3:
                org.network_member = True
                if org.kind == OrganizationKind.COMMUNITY:
                    org.kind = next(
                        (kind for word, kind in KIND_BY_WORD if word in org.name), org.kind
                    )
                joined += 1
        Organization.objects.bulk_update(organizations, ["network_member", "kind"])
    made: list[Listing] = []
    for org in organizations:
        if Listing.objects.filter(organization=org).exists():
            continue
        rng = random.Random(f"directory-org-{org.name}")  # noqa: S311 - synthetic data
        place = _place(rng, org.state)
        if place is None:
            continue
        listing = _listing(rng, place, org.state)
        listing.kind = ListingKind.ORGANIZATION
        listing.organization = org
        listing.display_name = org.name
        listing.about = rng.choice(ABOUT)
        listing.implements = rng.choice(IMPLEMENTS)
        listing.languages = ["en", "es"] if rng.random() < 0.4 else ["en"]
        listing.sectors = [SECTOR_BY_KIND.get(OrganizationKind(org.kind), "community")]
        listing.opted_in = True
        made.append(listing)
    Listing.objects.bulk_create(made)
    return len(made), joined


def directory_demo_load(*, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Load the directory's demo listings (once; a second run adds nothing). Returns counts."""
    say = progress or (lambda line: None)
    say("Listing certified trainers and organizations in the directory ...")
    with transaction.atomic():
        people, hidden = _people()
        organizations, joined = _organizations()
    return {
        "person_listings": people,
        "person_listings_not_shown": hidden,
        "organization_listings": organizations,
        "network_members_added": joined,
    }
