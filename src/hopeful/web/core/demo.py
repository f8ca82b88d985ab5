"""Demo data: what `hopeful demo` loads so a first look has something real-looking to explore.

Everything is synthetic: two organizations with programs, staff in every role, a network staff
member, open campaigns with public links, and a few hundred families with answers in English
and Spanish. Staff who see identifiable records sign in with a second factor; their TOTP
secrets are fixed (derived from the email) so the printed secret works in any authenticator
app, and `hopeful manage totp_code EMAIL` prints the current code. Safe to run again: accounts
are reset, organizations and families are created only once.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hopeful.framework import get_instrument
from hopeful.web.accounts.models import User
from hopeful.web.accounts.services import user_ensure
from hopeful.web.families.models import Child
from hopeful.web.families.services import consent_set
from hopeful.web.organizations.models import IDENTIFIABLE_ROLES, Membership, Organization, Program
from hopeful.web.surveys.models import Campaign, CampaignStatus, LinkKind, Submission

DEMO_EMAIL = "demo@hopeful.example"
#: Deliberately well known: the demo accounts exist to be shown, never to protect anything.
DEMO_PASSWORD = "hopeful-demo"  # noqa: S105

ORGANIZATIONS: list[dict[str, Any]] = [
    {
        "slug": "sunrise",
        "name": "Sunrise Pediatrics",
        "kind": "clinic",
        "state": "WI",
        "network_member": True,
        "programs": ["Main clinic", "Eastside clinic"],
        "campaign": "Family strengths 2026",
        "instruments": ["pce7", "nsch_family_resilience"],
    },
    {
        "slug": "riverbend",
        "name": "Riverbend Home Visiting",
        "kind": "home_visiting",
        "state": "NM",
        "network_member": False,
        "programs": ["North county", "South county"],
        "campaign": "Young children and families",
        "instruments": ["nsch_flourishing_0_5", "pce7"],
    },
]
#: Plausible ZIP3 areas per state (synthetic families only).
ZIP3S = {"WI": ["537", "532", "549", "535"], "NM": ["871", "875", "880", "874"]}
ROLES = ["org_admin", "practitioner", "analyst", "researcher", "viewer"]
FAMILIES_PER_ORGANIZATION = 400
NAMES = [
    "Rivera", "Nguyen", "Okafor", "García", "Johnson", "Begay", "Kim", "Hernández", "Smith",
    "Yazzie", "Martínez", "Brown", "López", "Patel", "Williams", "Ortiz", "Chávez", "Davis",
]  # fmt: skip


@dataclass
class DemoAccount:
    email: str
    role: str
    organization: str
    totp_secret: str = ""


@dataclass
class DemoResult:
    email: str
    password: str
    created: bool
    accounts: list[DemoAccount] = field(default_factory=list)
    families: int = 0
    submissions: int = 0


def totp_key(email: str) -> str:
    """The demo TOTP key (hex) for an account: fixed, so the printed secret keeps working."""
    return hashlib.sha1(f"hopeful-demo-totp:{email}".encode()).hexdigest()  # noqa: S324


def totp_secret(email: str) -> str:
    """The same key in base32, as authenticator apps take it."""
    return base64.b32encode(bytes.fromhex(totp_key(email))).decode().rstrip("=")


def _staff(email: str, name: str, *, network_staff: bool = False) -> User:
    user, _ = user_ensure(email=email, password=DEMO_PASSWORD, display_name=name)
    if user.is_network_staff != network_staff:
        user.is_network_staff = network_staff
        user.save(update_fields=["is_network_staff"])
    return user


def _ensure_totp(user: User) -> None:
    TOTPDevice.objects.update_or_create(
        user=user, name="demo", defaults={"key": totp_key(user.email), "confirmed": True}
    )


def _answers(instrument_id: str, rng: random.Random, strength: float) -> dict[str, int | None]:
    """Synthetic answers: mostly real answers, a few don't-knows and blanks."""
    inst = get_instrument(instrument_id)
    out: dict[str, int | None] = {}
    for item in inst.items:
        roll = rng.random()
        if roll < 0.03:
            out[item.id] = None
            continue
        if roll < 0.06:
            out[item.id] = 7
            continue
        answers = sorted(item.answer_codes)
        affirmative = sorted(item.affirmative)
        pool = affirmative if rng.random() < strength else answers
        out[item.id] = rng.choice(pool)
    return out


def _demographics(
    rng: random.Random, strength: float, state: str, about_child: bool
) -> dict[str, Any]:
    """Synthetic "About your family" answers (stored form), some skipped or "prefer not to
    say"; families with fewer positive experiences are a little more often lower-income, so
    the dashboard's equity breakdown has something to show."""
    out: dict[str, Any] = {}
    roll = rng.random()
    if roll < 0.08:
        out["race_ethnicity"] = ["prefer_not_to_say"]
    elif roll < 0.9:
        pool = ["hispanic_latino", "white", "black_african_american", "american_indian_alaska_native",
                "asian", "another"]  # fmt: skip
        weights = [0.35, 0.3, 0.12, 0.12 if state == "NM" else 0.03, 0.06, 0.04]
        chosen = {rng.choices(pool, weights)[0]}
        if rng.random() < 0.12:
            chosen.add(rng.choices(pool, weights)[0])
        out["race_ethnicity"] = sorted(chosen)
    if rng.random() < 0.85:
        low = 0.6 - 0.5 * strength  # weaker strength: lower income more often
        out["income"] = rng.choices(
            ["<25k", "25-50k", "50-100k", "100k+", "prefer_not_to_say"],
            [low, 0.3, 0.25, 0.15, 0.05],
        )[0]
    if rng.random() < 0.9:
        out["gender"] = rng.choices(
            ["woman", "man", "another_gender", "prefer_not_to_say"], [0.7, 0.25, 0.03, 0.02]
        )[0]
    if about_child and rng.random() < 0.85:
        out["child_gender"] = rng.choices(
            ["girl", "boy", "another_gender", "prefer_not_to_say"], [0.48, 0.48, 0.02, 0.02]
        )[0]
    if rng.random() < 0.8:
        out["disability"] = rng.choices(["yes", "no", "prefer_not_to_say"], [0.2, 0.75, 0.05])[0]
    if rng.random() < 0.85:
        out["zip3"] = rng.choice(ZIP3S.get(state, ["537"]))
    return out


def _families(org: Organization, campaign: Campaign, creator: User, rng: random.Random) -> int:
    """Create the organization's synthetic families through the real submission service."""
    from hopeful.web.surveys.services import (
        SubmissionPayload,
        asks_about_child,
        link_create,
        submission_create,
    )

    link, _ = link_create(
        campaign=campaign, kind=LinkKind.PUBLIC, actor=creator, rate_limit_per_minute=100_000
    )
    programs = list(org.programs.all())
    about_child = asks_about_child(campaign)
    now = timezone.now()
    count = 0
    for n in range(FAMILIES_PER_ORGANIZATION):
        language = "es" if rng.random() < 0.4 else "en"
        strength = rng.uniform(0.35, 0.95)
        consent = {
            "care": True,
            "program_improvement": rng.random() < 0.9,
            "research": rng.random() < 0.6,
        }
        answers = {i: _answers(i, rng, strength) for i in campaign_instrument_ids(campaign)}
        # a separate stream, so the demographics leave the other synthetic data unchanged
        own = random.Random(f"{org.name}:{n}")  # noqa: S311 - synthetic demo data
        demographics = _demographics(own, strength, org.state, about_child)
        payload = SubmissionPayload(
            client_uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            language=language,
            consent=consent,
            name=f"{rng.choice(NAMES)} {n + 1}",
            answers=answers,
            demographics=demographics,
        )
        result = submission_create(link=link, payload=payload)
        submission = result.submission
        family = submission.family
        # Spread families over the programs and submissions over the last six months.
        program = programs[n % len(programs)]
        family.program = program
        family.save(update_fields=["program"])
        when = now - dt.timedelta(days=rng.uniform(0, 180))
        Submission.objects.filter(pk=submission.pk).update(submitted_at=when, program=program)
        born = (now - dt.timedelta(days=rng.uniform(60, 5 * 365))).date().replace(day=1)
        Child.objects.create(organization=org, family=family, birth_month=born)
        if rng.random() < 0.04:  # a few families withdraw care consent later
            consent_set(family=family, choices={"care": False}, language=language)
        count += 1
    return count


def campaign_instrument_ids(campaign: Campaign) -> list[str]:
    return [entry["id"] for entry in campaign.instruments]


@transaction.atomic
def demo_load(*, families: bool = True) -> DemoResult:
    """Create (or reset) the demo data. Safe to run any number of times."""
    from hopeful.web.surveys.services import campaign_create, campaign_open

    _, created = user_ensure(
        email=DEMO_EMAIL, password=DEMO_PASSWORD, display_name="Demo staff", is_staff=True
    )
    result = DemoResult(email=DEMO_EMAIL, password=DEMO_PASSWORD, created=created)
    network = _staff("network@hopeful.example", "Network staff", network_staff=True)
    result.accounts.append(DemoAccount(network.email, "network staff", "HOPE network"))
    rng = random.Random(20261126)  # noqa: S311 - synthetic demo data, seeded on purpose
    for spec in ORGANIZATIONS:
        org, org_created = Organization.objects.get_or_create(
            name=spec["name"],
            defaults={
                "kind": spec["kind"],
                "state": spec["state"],
                "network_member": spec["network_member"],
            },
        )
        programs = [
            Program.objects.get_or_create(organization=org, name=p)[0] for p in spec["programs"]
        ]
        people: dict[str, User] = {}
        for role in ROLES:
            email = f"{role.replace('_', '-')}@{spec['slug']}.example"
            user = _staff(email, f"{role.replace('_', ' ').title()} ({spec['name']})")
            membership, _ = Membership.objects.update_or_create(
                user=user, organization=org, defaults={"role": role}
            )
            if role == "practitioner":
                membership.programs.set(programs[:1])
            secret = ""
            if role in IDENTIFIABLE_ROLES:
                _ensure_totp(user)
                secret = totp_secret(email)
            people[role] = user
            result.accounts.append(DemoAccount(email, role, org.name, secret))
        if org_created and families:
            campaign = campaign_create(
                program=programs[0],
                name=spec["campaign"],
                instrument_ids=spec["instruments"],
                languages=["en", "es"],
                actor=people["org_admin"],
            )
            campaign = campaign_open(campaign=campaign, actor=people["org_admin"])
            result.families += _families(org, campaign, people["org_admin"], rng)
        result.submissions += Submission.objects.filter(organization=org).count()
    return result


def demo_status() -> str:
    """One line about what is loaded (for the command's output)."""
    return f"{Organization.objects.count()} organizations, {Submission.objects.count()} submissions"


__all__ = [
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "CampaignStatus",
    "DemoAccount",
    "DemoResult",
    "demo_load",
    "totp_secret",
]
