"""Demo data: what `hopeful demo` loads so a first look has something real-looking to explore.

Everything is synthetic: two organizations with programs, staff in every role, a network staff
member, eight smaller network members beside them (:mod:`hopeful.web.core.demo_peers`, for the
network view), an open campaign per program with a public link, and families answering in
English and Spanish (400 per organization by default; ``hopeful demo --families N`` loads more, up to
100,000, to try the dashboards at scale). Submissions are spread from 1 January of the previous
calendar year up to the day of loading, so last year has a whole year of answers and this year
has them up to today; more recent quarters are somewhat busier. Some families are invited again
through a personal link in a later quarter (most answer a second time), and a few withdraw a
consent afterwards. The data is deterministic: each family comes from its own seeded random
stream, so family number ``n`` is the same whatever the number loaded (only the dates follow
the day of loading).

Families are written in bulk (``bulk_create``, in chunks, inside the load's transaction):
the rows the real submission service writes (families, consent records, children, personal
links, submissions with their payload hashes, scores computed by :mod:`hopeful.framework`, audit
events), with the same values; the tests load a few families both ways and compare them. The
service itself takes about 15 ms a family, more than 20 minutes for 100,000.

Staff who see identifiable records sign in with a second factor; their TOTP secrets are fixed
(derived from the email) so the printed secret works in any authenticator app, and
`hopeful manage totp_code EMAIL` prints the current code. Safe to run again: accounts are
reset, organizations and their families are created only once (running again with another
number of families keeps the families loaded the first time).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hopeful.framework import Score, get_instrument, score_response
from hopeful.web.accounts.models import User
from hopeful.web.accounts.services import user_ensure
from hopeful.web.audit.middleware import current_request_id
from hopeful.web.audit.models import AuditEvent
from hopeful.web.cms.demo import site_load
from hopeful.web.core.demo_casework import casework_load
from hopeful.web.core.demo_families import (
    _consent_changes,
    _family_plan,
    _FamilyPlan,
    history_start,
)
from hopeful.web.core.demo_learning import learning_load, learning_status
from hopeful.web.core.demo_network import network_load, network_status
from hopeful.web.core.demo_peers import PEER_FAMILIES, peer_specs
from hopeful.web.families.models import Child, ConsentRecord, Family
from hopeful.web.families.services import CONSENT_TEXT_VERSION, consent_set
from hopeful.web.organizations.models import IDENTIFIABLE_ROLES, Membership, Organization, Program
from hopeful.web.surveys import demographics as demo_vocabulary
from hopeful.web.surveys.drafts import sha256_hex
from hopeful.web.surveys.models import (
    Campaign,
    CampaignLink,
    CampaignStatus,
    InstrumentScore,
    LinkKind,
    Submission,
)
from hopeful.web.surveys.services import canonical_payload, payload_hash, pinned_instruments

DEMO_EMAIL = "demo@hopeful.example"
#: Deliberately well known: the demo accounts exist to be shown, never to protect anything.
DEMO_PASSWORD = "hopeful-demo"  # noqa: S105

#: Families per organization unless told otherwise (what `make demo` loads, in seconds).
FAMILIES_PER_ORGANIZATION = 400
#: The most `--families` accepts (5-10 minutes on SQLite, a 700 MB database).
MAX_FAMILIES_PER_ORGANIZATION = 100_000
#: Families generated and written together in bulk (bounded memory; a progress line each).
BULK_CHUNK = 2_500
#: Rows per INSERT in bulk (Django lowers it to SQLite's limit on bound parameters).
BULK_BATCH = 1_000


ORGANIZATIONS: list[dict[str, Any]] = [
    {
        "slug": "sunrise",
        "name": "Sunrise Pediatrics",
        "kind": "clinic",
        "state": "WI",
        "network_member": True,
        # share: of the families; spanish: of their answers; strength: shifts the latent
        # strength the answers follow; zip3: where the families live, most first.
        "programs": [
            {
                "name": "Main clinic",
                "share": 0.6,
                "spanish": 0.2,
                "strength": 0.04,
                "zip3": ["537", "535", "549"],
            },
            {
                "name": "Eastside clinic",
                "share": 0.4,
                "spanish": 0.55,
                "strength": -0.04,
                "zip3": ["532", "537", "544"],
            },
        ],
        "campaign": "Family strengths 2026",
        "instruments": ["pce7", "nsch_family_resilience"],
        # the child's age when the family first answers, in months (the oldest stays under
        # 18 years to the end of the history, less than two years)
        "child_months": (0, 190),
    },
    {
        "slug": "riverbend",
        "name": "Riverbend Home Visiting",
        "kind": "home_visiting",
        "state": "NM",
        "network_member": False,
        "programs": [
            {
                "name": "North county",
                "share": 0.55,
                "spanish": 0.3,
                "strength": 0.0,
                "zip3": ["871", "875", "874"],
            },
            {
                "name": "South county",
                "share": 0.45,
                "spanish": 0.6,
                "strength": -0.06,
                "zip3": ["880", "871", demo_vocabulary.RESTRICTED_ZIP3_STORED],
            },
        ],
        "campaign": "Young children and families",
        "instruments": ["nsch_flourishing_0_5", "pce7"],
        # inside the 6-71 months of the young children's questionnaire, also when answering
        # again later
        "child_months": (6, 62),
    },
]
ROLES = ["org_admin", "practitioner", "analyst", "researcher", "viewer"]


def families_per_organization_check(value: int) -> int:
    """``value`` if it is a number of families per organization the demo loads, else
    :class:`ValueError` with a message for the person who asked."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"the number of families must be a whole number, not {value!r}")
    if value < 1:
        raise ValueError(
            f"the number of families per organization must be at least 1 (got {value})"
        )
    if value > MAX_FAMILIES_PER_ORGANIZATION:
        raise ValueError(
            f"at most {MAX_FAMILIES_PER_ORGANIZATION:,} families per organization (got {value:,})"
        )
    return value


def families_per_organization_parse(text: str) -> int:
    """A command-line ``--families`` value as a number, or :class:`ValueError`."""
    try:
        value = int(str(text).strip())
    except ValueError:
        raise ValueError(
            f"the number of families must be a whole number, like 400 or 20000 (got {text!r})"
        ) from None
    return families_per_organization_check(value)


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
    """Families created by this run (0 when the organizations were already there)."""
    submissions: int = 0
    """Submissions of the demo organizations, loaded now or before."""
    kept: dict[str, int] = field(default_factory=dict)
    """Organizations loaded before -> their families, which this run left as they were."""


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


# -- through the real service ------------------------------------------------------------------


def _store_with_service(
    org: Organization,
    campaigns: list[Campaign],
    links: list[CampaignLink],
    actor: User,
    plans: Sequence[_FamilyPlan],
) -> None:
    """Store families through the real submission service, then date their rows as planned
    (the service stamps them with the time of loading). Audit events keep the time of
    loading: they record when the rows were written, and they are append-only."""
    from hopeful.web.surveys.services import submission_create
    from hopeful.web.surveys.services_campaigns import link_create

    for plan in plans:
        campaign = campaigns[plan.program]
        first = submission_create(link=links[plan.program], payload=plan.first.payload)
        family = first.submission.family
        _date_rows(family, first.submission, plan.first.at)
        Family.objects.filter(pk=family.pk).update(created_at=plan.first.at)
        Child.objects.filter(family=family).update(created_at=plan.first.at)
        if plan.invited_at is not None:
            personal, _ = link_create(
                campaign=campaign, kind=LinkKind.PERSONAL, family=family, actor=actor
            )
            CampaignLink.objects.filter(pk=personal.pk).update(created_at=plan.invited_at)
            if plan.again is not None:
                again = submission_create(link=personal, payload=plan.again.payload)
                _date_rows(family, again.submission, plan.again.at)
        if plan.withdrawn_at is not None:
            consent_set(family=family, choices=plan.withdrawn, language=family.preferred_language)
            _date_rows(family, None, plan.withdrawn_at)


def _date_rows(family: Family, submission: Submission | None, at: dt.datetime) -> None:
    """Move a submission, and the consent records just written with it, to ``at``."""
    if submission is not None:
        Submission.objects.filter(pk=submission.pk).update(submitted_at=at)
    # earlier records are already dated before ``at``; the new ones carry the time of loading
    ConsentRecord.objects.filter(family=family, recorded_at__gt=at).update(recorded_at=at)


# -- in bulk -----------------------------------------------------------------------------------


def _audit(
    verb: str, actor: User | None, org: Organization, obj: models.Model, extra: dict[str, Any]
) -> AuditEvent:
    """The event ``audit_record`` writes for ``obj``, not yet saved."""
    return AuditEvent(
        actor_id=actor.pk if actor is not None else None,
        organization_id=org.pk,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(getattr(obj, "public_id", None) or obj.pk),
        request_id=current_request_id(),
        extra=extra,
    )


@functools.lru_cache(maxsize=100_000)
def _score(instrument_id: str, version: str, answers: tuple[tuple[str, int | None], ...]) -> Score:
    """The framework's score of one response (answers repeat a lot, so scores are kept)."""
    return score_response(get_instrument(instrument_id, version), dict(answers), on_invalid="raise")


def _store_in_bulk(
    org: Organization,
    campaigns: list[Campaign],
    links: list[CampaignLink],
    actor: User,
    plans: Sequence[_FamilyPlan],
) -> None:
    """Write the rows the service path writes for ``plans``, with ``bulk_create``: the same
    families, consent records, children, personal links, submissions, scores and audit events,
    with the same values (canonical answers, payload hashes, scores computed by
    :mod:`hopeful.framework`). Fields with defaults (public ids, record keys) get them as the
    service's rows do."""
    instruments = [pinned_instruments(c) for c in campaigns]
    families = [
        Family(
            organization_id=org.pk,
            program_id=campaigns[plan.program].program_id,
            display_name=plan.first.payload.name.strip(),
            preferred_language=plan.first.payload.language,
            created_at=plan.first.at,
        )
        for plan in plans
    ]
    Family.objects.bulk_create(families, batch_size=BULK_BATCH)
    consents: list[ConsentRecord] = []
    children: list[Child] = []
    personal: list[CampaignLink] = []
    submissions: list[Submission] = []
    scores: list[InstrumentScore] = []
    events: list[AuditEvent] = []

    def consent(family: Family, choices: dict[str, bool], language: str, at: dt.datetime) -> None:
        if not choices:
            return
        consents.extend(
            ConsentRecord(
                organization_id=org.pk,
                family_id=family.pk,
                purpose=purpose,
                granted=granted,
                text_version=CONSENT_TEXT_VERSION,
                language=language,
                recorded_at=at,
            )
            for purpose, granted in choices.items()
        )
        events.append(_audit("consent.change", None, org, family, dict(choices)))

    for plan, family in zip(plans, families, strict=True):
        campaign = campaigns[plan.program]
        invitation = None
        if plan.invited_at is not None:
            invitation = CampaignLink(
                organization_id=org.pk,
                campaign_id=campaign.pk,
                kind=LinkKind.PERSONAL,
                family_id=family.pk,
                token_hash=sha256_hex(secrets.token_urlsafe(32)),
                created_by_id=actor.pk,
                created_at=plan.invited_at,
            )
            personal.append(invitation)
            extra = {"campaign": str(campaign.public_id), "kind": str(LinkKind.PERSONAL)}
            events.append(_audit("link.create", actor, org, invitation, extra))
        visits = [(plan.first, links[plan.program])]
        if plan.again is not None and invitation is not None:
            visits.append((plan.again, invitation))
        current: dict[str, bool] | None = None
        for answered, link in visits:
            payload = answered.payload
            canonical = canonical_payload(payload, instruments[plan.program])
            demo_vocabulary.demographics_check(canonical.get("demographics", {}))
            choices = dict(canonical["consent"])
            consent(family, _consent_changes(current, choices), payload.language, answered.at)
            current = choices
            if answered is plan.first and payload.child_birth_month:
                child = Child(
                    organization_id=org.pk,
                    family_id=family.pk,
                    nickname=payload.child_nickname,
                    birth_month=dt.date.fromisoformat(f"{payload.child_birth_month}-01"),
                    created_at=answered.at,
                )
                children.append(child)
                events.append(_audit("child.create", None, org, child, {}))
            submission = Submission(
                client_uuid=payload.client_uuid,
                payload_hash=payload_hash(canonical),
                organization_id=org.pk,
                program_id=campaign.program_id,
                campaign_id=campaign.pk,
                link=link,
                family_id=family.pk,
                language=payload.language,
                answers=canonical["answers"],
                demographics=dict(canonical.get("demographics", {})),
                submitted_at=answered.at,
            )
            submissions.append(submission)
            for inst in instruments[plan.program]:
                given = canonical["answers"][inst.id]
                score = _score(inst.id, inst.version, tuple(given.items()))
                scores.append(
                    InstrumentScore(
                        organization_id=org.pk,
                        submission=submission,
                        instrument_id=inst.id,
                        instrument_version=inst.version,
                        values=dict(score.values),
                        reason=score.reason[:500],
                    )
                )
            submitted = {
                "campaign": str(campaign.public_id),
                "link": str(link.public_id),
                "instruments": [f"{i.id}@{i.version}" for i in instruments[plan.program]],
            }
            events.append(_audit("submission.create", None, org, submission, submitted))
        if plan.withdrawn_at is not None and current is not None:
            changes = _consent_changes(current, plan.withdrawn)
            consent(family, changes, family.preferred_language, plan.withdrawn_at)
    ConsentRecord.objects.bulk_create(consents, batch_size=BULK_BATCH)
    Child.objects.bulk_create(children, batch_size=BULK_BATCH)
    CampaignLink.objects.bulk_create(personal, batch_size=BULK_BATCH)
    Submission.objects.bulk_create(submissions, batch_size=BULK_BATCH)
    InstrumentScore.objects.bulk_create(scores, batch_size=BULK_BATCH)
    AuditEvent.objects.bulk_create(events, batch_size=BULK_BATCH)


# -- loading -----------------------------------------------------------------------------------


def _campaigns(
    spec: dict[str, Any], programs: list[Program], admin: User
) -> tuple[list[Campaign], list[CampaignLink]]:
    """An open campaign per program (personal invitations need the family's own program's
    campaign) and its public link."""
    from hopeful.web.surveys.services_campaigns import campaign_create, campaign_open, link_create

    campaigns, links = [], []
    for program in programs:
        campaign = campaign_create(
            program=program,
            name=f"{spec['campaign']} ({program.name})",
            instrument_ids=spec["instruments"],
            languages=["en", "es"],
            actor=admin,
        )
        campaign = campaign_open(campaign=campaign, actor=admin)
        link, _ = link_create(
            campaign=campaign, kind=LinkKind.PUBLIC, actor=admin, rate_limit_per_minute=100_000
        )
        campaigns.append(campaign)
        links.append(link)
    return campaigns, links


def _families(
    spec: dict[str, Any],
    org: Organization,
    programs: list[Program],
    admin: User,
    *,
    count: int,
    bulk: bool,
    now: dt.datetime,
    progress: Callable[[str], None],
) -> int:
    """Create the organization's ``count`` synthetic families; return how many."""
    started = time.monotonic()
    campaigns, links = _campaigns(spec, programs, admin)
    instruments = pinned_instruments(campaigns[0])  # every program asks the same ones
    store = _store_in_bulk if bulk else _store_with_service
    chunk = BULK_CHUNK if bulk else count
    for start in range(0, count, chunk):
        stop = min(start + chunk, count)
        plans = [_family_plan(spec, n, instruments, now) for n in range(start, stop)]
        store(org, campaigns, links, admin, plans)
        if stop < count:
            progress(f"  {org.name}: {stop:,} of {count:,} families ...")
    submissions = Submission.objects.filter(organization=org).count()
    seconds = time.monotonic() - started
    progress(f"  {org.name}: {count:,} families, {submissions:,} submissions ({seconds:.1f} s)")
    return count


@transaction.atomic
def demo_load(
    *,
    families: bool = True,
    families_per_organization: int = FAMILIES_PER_ORGANIZATION,
    bulk: bool = True,
    peers: bool = True,
    site: bool = True,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Create (or reset) the demo data. Safe to run any number of times.

    ``families_per_organization`` (1 to :data:`MAX_FAMILIES_PER_ORGANIZATION`, else
    :class:`ValueError` before anything is written) applies to organizations created by this
    run; those loaded before keep their families (see :attr:`DemoResult.kept`). ``bulk=False``
    stores the families through the real submission service instead (the reference the bulk
    rows are tested against; slow). ``peers``: also the smaller network members
    (:mod:`hopeful.web.core.demo_peers`, at most their number of families each).
    ``site``: also publish the public site's sample pages in English and Spanish
    (:func:`hopeful.web.cms.demo.site_load`; once, left as they are afterwards).
    ``progress`` receives a line now and then.
    """
    count = families_per_organization_check(families_per_organization)
    say = progress or (lambda line: None)
    now = timezone.now()
    _, created = user_ensure(
        email=DEMO_EMAIL, password=DEMO_PASSWORD, display_name="Demo staff", is_staff=True
    )
    result = DemoResult(email=DEMO_EMAIL, password=DEMO_PASSWORD, created=created)
    network = _staff("network@hopeful.example", "Network staff", network_staff=True)
    # network staff also edit the public site (/cms/): Wagtail's editor and moderator groups
    network.groups.add(*Group.objects.filter(name__in=["Editors", "Moderators"]))
    assessing: tuple[Organization, User] | None = None
    result.accounts.append(
        DemoAccount(network.email, "network staff (edits the public site at /cms/)", "HOPE network")
    )
    for spec in [*ORGANIZATIONS, *(peer_specs() if peers else [])]:
        peer = bool(spec.get("peer"))
        org, org_created = Organization.objects.get_or_create(
            name=spec["name"],
            defaults={
                "kind": spec["kind"],
                "state": spec["state"],
                "network_member": spec["network_member"],
            },
        )
        programs = [
            Program.objects.get_or_create(organization=org, name=p["name"])[0]
            for p in spec["programs"]
        ]
        people: dict[str, User] = {}
        for role in ROLES[:1] if peer else ROLES:  # a peer has its org admin only
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
            if role == "org_admin" and assessing is None and not peer:
                assessing = (org, user)  # the first organization's six-standards demo
            if not peer:
                result.accounts.append(DemoAccount(email, role, org.name, secret))
        if org_created and families:
            if not result.families:
                how = "in bulk" if bulk else "through the submission service"
                say(
                    f"Loading {count:,} synthetic families per organization ({how}), "
                    f"{PEER_FAMILIES:,} for each of the network's {len(peer_specs())} others ..."
                )
            result.families += _families(
                spec,
                org,
                programs,
                people["org_admin"],
                count=min(count, PEER_FAMILIES) if peer else count,
                bulk=bulk,
                now=now,
                progress=say,
            )
        elif not org_created:
            result.kept[org.name] = Family.objects.filter(organization=org).count()
        if families and not peer:
            assigned = casework_load(org, timezone.localdate())
            if assigned:
                say(f"{org.name}: a caseload of {assigned} families with visits, maps and goals.")
        result.submissions += Submission.objects.filter(organization=org).count()
    if site:
        site_load(today=timezone.localdate(), progress=say)
        learned = learning_load(
            staff=network, password=DEMO_PASSWORD, assessing=assessing, progress=say
        )
        if learned.created:
            say(learned.summary())
        result.accounts += [DemoAccount(e, role, "learning hub") for e, role in learned.accounts]
        network_load(progress=say)
    return result


def demo_status() -> str:
    """One line about what is loaded (for the command's output): the organizations with
    staff (the certified organizations of the learning demo have none), their families and
    submissions, and the certifications."""
    staffed = Organization.objects.filter(memberships__isnull=False).distinct().count()
    return (
        f"{staffed} organizations, {Family.objects.count():,} families, "
        f"{Submission.objects.count():,} submissions, "
        f"{learning_status()}; {network_status()}"
    )


__all__ = [
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "FAMILIES_PER_ORGANIZATION",
    "MAX_FAMILIES_PER_ORGANIZATION",
    "CampaignStatus",
    "DemoAccount",
    "DemoResult",
    "demo_load",
    "families_per_organization_check",
    "families_per_organization_parse",
    "history_start",
    "totp_secret",
]
