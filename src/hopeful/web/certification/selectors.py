"""Reads of certifications: a person's own, what a verifier is told, renewal progress, and the
network staff's lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from hopeful.framework.certification import (
    TIER_RULES,
    State,
    Tier,
    VerificationStatus,
    expiring_from,
    rules,
    verification_status,
)
from hopeful.web.certification.models import (
    Certification,
    Credential,
    ReviewStatus,
)
from hopeful.web.learning import selectors as learning_selectors
from hopeful.web.organizations.models import Membership, Role

#: Certifications whose credentials say "valid" (given a date not past ``valid_until``).
ACTIVE_STATES = (State.CERTIFIED.value, State.EXPIRING.value)


def _today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def certifications_for_user(*, user: Any) -> QuerySet[Certification]:
    """The person's own certifications (not their organizations'), newest credential first."""
    return (
        Certification.objects.filter(user=user)
        .prefetch_related(
            Prefetch("credentials", queryset=Credential.objects.order_by("-issued_at", "-id"))
        )
        .order_by("tier", "-applied_at")
    )


def organization_certifications_for_admin(*, user: Any) -> QuerySet[Certification]:
    """Certifications of the organizations the person is an admin of (by membership)."""
    return (
        Certification.objects.filter(
            organization__memberships__user=user,
            organization__memberships__role=Role.ORG_ADMIN,
        )
        .exclude(state__in=[State.APPLIED.value, State.IN_PROGRESS.value])
        .select_related("organization")
        .prefetch_related(
            Prefetch("credentials", queryset=Credential.objects.order_by("-issued_at", "-id"))
        )
        .order_by("organization__name", "-applied_at")
    )


def active_tiers(*, user: Any, now: dt.datetime | None = None) -> set[Tier]:
    """The tiers the person holds a valid certification in today."""
    if not getattr(user, "is_authenticated", False):
        return set()
    tiers = Certification.objects.filter(
        user=user, state__in=ACTIVE_STATES, valid_until__gte=_today(now)
    ).values_list("tier", flat=True)
    return {Tier(t) for t in tiers}


def holds_valid(*, user: Any, tier: Tier, now: dt.datetime | None = None) -> bool:
    return tier in active_tiers(user=user, now=now)


def organization_certification(*, organization: Any) -> Certification | None:
    """The organization's certification: the open one, else the latest (revoked) one."""
    certifications = Certification.objects.filter(
        organization=organization, tier=Tier.ORGANIZATION.value
    )
    open_one = certifications.exclude(state=State.REVOKED.value).first()
    return open_one or certifications.order_by("-applied_at", "-id").first()


def _name_from_loaded_user(user: Any) -> str:
    """:func:`learning.selectors.learner_name` for a user whose profile was loaded with
    ``select_related`` (no query per row in lists)."""
    try:
        profile = user.learner_profile
    except ObjectDoesNotExist:
        profile = None
    if profile is not None and profile.full_name.strip():
        return str(profile.full_name).strip()
    if (user.display_name or "").strip():
        return str(user.display_name).strip()
    return str(user.email).split("@", 1)[0]


def holder_name(certification: Certification, *, loaded: bool = False) -> str:
    """The name printed on the certification: the person's, or the organization's."""
    if certification.organization_id is not None and certification.organization is not None:
        return str(certification.organization.name)
    if loaded:
        return _name_from_loaded_user(certification.user)
    return learning_selectors.learner_name(user=certification.user)


# -- what a verifier sees ------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """Everything ``/verify/<code>/`` shows: deliberately nothing more about the holder."""

    code: str
    status: VerificationStatus
    holder_name: str
    tier: Tier
    valid_until: dt.date
    issued_on: dt.date


def credential_by_code(code: str) -> Credential | None:
    """The credential with this public code (case and spaces or dashes ignored)."""
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    if not normalized or len(normalized) > 32:
        return None
    return (
        Credential.objects.select_related("certification__organization", "certification__user")
        .filter(code=normalized)
        .first()
    )


def credential_status(
    credential: Credential, *, now: dt.datetime | None = None
) -> VerificationStatus:
    """What the credential is worth now: the certification's state decides revoked and
    suspended; this credential's own end date decides expired (an older credential of a
    renewed certification expires on its own date)."""
    now = now or timezone.now()
    certification = credential.certification
    status = verification_status(certification.state, certification.valid_until, _today(now))
    if status == "valid" and credential.valid_until < now:
        return "expired"
    if status == "not_issued":  # cannot happen for a credential; never say valid by accident
        return "revoked"
    return status


def verification(credential: Credential, *, now: dt.datetime | None = None) -> Verification:
    return Verification(
        code=credential.code,
        status=credential_status(credential, now=now),
        holder_name=credential.subject_name,
        tier=credential.certification.tier_enum,
        valid_until=timezone.localdate(credential.valid_until),
        issued_on=timezone.localdate(credential.issued_at),
    )


def credential_for_holder(*, user: Any, code: str) -> Credential | None:
    """A credential the user holds: one of their own certifications, or their organization's
    when they are its admin (by membership; a support grant does not count). None for anyone
    else's, so the page answers 404 as for an unknown code."""
    credential = credential_by_code(code)
    user_id = getattr(user, "pk", None)
    if credential is None or user_id is None:
        return None
    certification = credential.certification
    if certification.user_id is not None:
        return credential if certification.user_id == user_id else None
    if certification.organization_id is None:
        return None
    is_admin = Membership.objects.filter(
        user_id=user_id, organization_id=certification.organization_id, role=Role.ORG_ADMIN
    ).exists()
    return credential if is_admin else None


# -- renewal -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenewalProgress:
    """What renewing needs and what the holder has, for the holder's page and the service."""

    needed_hours: Decimal
    earned_hours: Decimal
    needs_assessment: bool
    has_assessment: bool
    required_tier: Tier | None
    has_required_tier: bool
    missing: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return not self.missing


def renewal_progress(
    certification: Certification, *, now: dt.datetime | None = None
) -> RenewalProgress:
    """Renewal requirements of ``certification`` (our policy, in
    :data:`hopeful.framework.certification.TIER_RULES`) against what the holder has done
    since the current validity period started."""
    now = now or timezone.now()
    tier_rules = rules(certification.tier)
    since = certification.period_started_at or certification.certified_at
    missing: list[str] = []
    earned = Decimal("0.00")
    if tier_rules.renewal_ce_hours > 0 and certification.user_id is not None:
        earned = learning_selectors.ce_hours(user=certification.user, since=since, until=now)
        if earned < tier_rules.renewal_ce_hours:
            missing.append("ce_hours")
    has_assessment = False
    if tier_rules.renewal_by_assessment:
        submitted = certification.evidence.get("renewal_assessment_at")
        has_assessment = bool(
            submitted and (since is None or dt.datetime.fromisoformat(submitted) >= since)
        )
        if not has_assessment:
            missing.append("assessment")
    has_required = True
    if tier_rules.requires is not None and certification.user_id is not None:
        has_required = holds_valid(user=certification.user, tier=tier_rules.requires, now=now)
        if not has_required:
            missing.append("required_tier")
    return RenewalProgress(
        needed_hours=tier_rules.renewal_ce_hours,
        earned_hours=earned,
        needs_assessment=tier_rules.renewal_by_assessment,
        has_assessment=has_assessment,
        required_tier=tier_rules.requires,
        has_required_tier=has_required,
        missing=missing,
    )


# -- network staff -------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffFilters:
    tier: str = ""
    state: str = ""
    us_state: str = ""
    query: str = ""


def staff_certifications(filters: StaffFilters) -> QuerySet[Certification]:
    """Every certification matching the filters, with what a list row shows loaded."""
    qs = Certification.objects.select_related("user__learner_profile", "organization")
    if filters.tier:
        qs = qs.filter(tier=filters.tier)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.us_state:
        qs = qs.filter(
            Q(user__learner_profile__state=filters.us_state)
            | Q(organization__state=filters.us_state)
        )
    query = filters.query.strip()
    if query:
        code = "".join(ch for ch in query.upper() if ch.isalnum())
        match = (
            Q(user__learner_profile__full_name__icontains=query)
            | Q(user__display_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(organization__name__icontains=query)
        )
        if code:
            match |= Q(
                pk__in=Credential.objects.filter(code__startswith=code).values("certification_id")
            )
        qs = qs.filter(match)
    return qs.order_by("-updated_at", "-id")


def staff_counts() -> dict[str, dict[str, int]]:
    """Certifications per tier and state: ``counts[tier][state]`` (every pair present)."""
    counts = {t.value: {s.value: 0 for s in State} for t in Tier}
    for row in Certification.objects.values("tier", "state").annotate(n=Count("id")):
        counts[row["tier"]][row["state"]] = row["n"]
    return counts


def staff_certification(public_id: Any) -> Certification | None:
    return (
        Certification.objects.select_related("user__learner_profile", "organization", "reviewer")
        .prefetch_related("credentials")
        .filter(public_id=public_id)
        .first()
    )


def certification_events(certification: Certification) -> QuerySet[Any]:
    return certification.events.select_related("actor").order_by("at", "id")


def reviews_waiting() -> QuerySet[Certification]:
    """Organization certifications waiting for a Champion's review, oldest first."""
    return (
        Certification.objects.filter(
            tier=Tier.ORGANIZATION.value,
            review_status=ReviewStatus.PENDING,
            state__in=[State.APPLIED.value, State.IN_PROGRESS.value],
        )
        .select_related("organization")
        .order_by("applied_at", "id")
    )


def due_for_expiry_marks(*, today: dt.date) -> dict[str, list[int]]:
    """Certification ids the daily job moves: ``expire`` (last valid day passed) and
    ``mark_expiring`` (inside the expiring window, not yet marked)."""
    window = max(r.expiring_window_days for r in TIER_RULES.values())
    expire = list(
        Certification.objects.filter(state__in=ACTIVE_STATES, valid_until__lt=today)
        .order_by("id")
        .values_list("id", flat=True)
    )
    expiring: list[int] = []
    for pk, tier, valid_until in (
        Certification.objects.filter(
            state=State.CERTIFIED.value,
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=window),
        )
        .order_by("id")
        .values_list("id", "tier", "valid_until")
    ):
        if valid_until is not None and expiring_from(tier, valid_until) <= today:
            expiring.append(pk)
    return {"expire": expire, "mark_expiring": expiring}
