"""The certification lifecycle of the HOPE National Resource Center, as a state machine.

Three tiers: **HOPE Facilitator** (completes the Facilitator training), **HOPE Champion** (an
active Facilitator who completes the Champion requirements) and **HOPE-informed organization**
(a self-assessment on the six standards, an improvement plan and a Champion's review). Every
tier follows the same states::

    applied --START--> in_progress --CERTIFY--> certified --MARK_EXPIRING--> expiring
    certified|expiring --EXPIRE--> expired
    certified|expiring|expired --RENEW--> certified
    certified|expiring --SUSPEND--> suspended --REINSTATE--> certified
    in_progress|certified|expiring|expired|suspended --REVOKE--> revoked (final)

Any other (state, action) pair raises :class:`IllegalTransition`, whose message names the
state, the action and what is allowed instead.

The validity periods, the expiring window and the renewal requirements in :data:`TIER_RULES`
are **our own policy** for HOPEful, not published rules of the HOPE National Resource Center:
a deployment that follows other rules changes them here, in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from hopeful.framework.errors import HopefulError
from hopeful.framework.text import Text

__all__ = [
    "TIER_RULES",
    "TRANSITIONS",
    "Action",
    "IllegalTransition",
    "State",
    "Tier",
    "TierRules",
    "VerificationStatus",
    "allowed_actions",
    "expiring_from",
    "is_terminal",
    "renewed_valid_until",
    "rules",
    "transition",
    "valid_until_from",
    "verification_status",
]


class Tier(StrEnum):
    """The three certification tiers."""

    FACILITATOR = "facilitator"
    CHAMPION = "champion"
    ORGANIZATION = "organization"


class State(StrEnum):
    """Where a certification is in its lifecycle."""

    APPLIED = "applied"
    IN_PROGRESS = "in_progress"
    CERTIFIED = "certified"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class Action(StrEnum):
    """What can happen to a certification."""

    START = "start"
    CERTIFY = "certify"
    MARK_EXPIRING = "mark_expiring"
    EXPIRE = "expire"
    RENEW = "renew"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"


#: The allowed moves, the same for every tier: (state, action) -> new state.
TRANSITIONS: Mapping[tuple[State, Action], State] = MappingProxyType(
    {
        (State.APPLIED, Action.START): State.IN_PROGRESS,
        (State.IN_PROGRESS, Action.CERTIFY): State.CERTIFIED,
        (State.CERTIFIED, Action.MARK_EXPIRING): State.EXPIRING,
        (State.CERTIFIED, Action.EXPIRE): State.EXPIRED,
        (State.EXPIRING, Action.EXPIRE): State.EXPIRED,
        (State.CERTIFIED, Action.RENEW): State.CERTIFIED,
        (State.EXPIRING, Action.RENEW): State.CERTIFIED,
        (State.EXPIRED, Action.RENEW): State.CERTIFIED,
        (State.CERTIFIED, Action.SUSPEND): State.SUSPENDED,
        (State.EXPIRING, Action.SUSPEND): State.SUSPENDED,
        (State.SUSPENDED, Action.REINSTATE): State.CERTIFIED,
        (State.IN_PROGRESS, Action.REVOKE): State.REVOKED,
        (State.CERTIFIED, Action.REVOKE): State.REVOKED,
        (State.EXPIRING, Action.REVOKE): State.REVOKED,
        (State.EXPIRED, Action.REVOKE): State.REVOKED,
        (State.SUSPENDED, Action.REVOKE): State.REVOKED,
    }
)


class IllegalTransition(HopefulError, ValueError):  # noqa: N818 - the contract names it
    """An action that the certification's current state does not allow.

    >>> str(IllegalTransition(Tier.FACILITATOR, State.APPLIED, Action.CERTIFY))
    "a facilitator certification in state 'applied' does not allow 'certify' (allowed: start)"
    """

    def __init__(self, tier: Tier, state: State, action: Action) -> None:
        self.tier = tier
        self.state = state
        self.action = action
        self.allowed = allowed_actions(tier, state)
        hint = ", ".join(a.value for a in self.allowed) or "nothing: this state is final"
        super().__init__(
            f"a {tier.value} certification in state {state.value!r} does not allow "
            f"{action.value!r} (allowed: {hint})"
        )


def _coerce(tier: Tier | str, state: State | str) -> tuple[Tier, State]:
    try:
        return Tier(tier), State(state)
    except ValueError as exc:
        raise ValueError(f"unknown tier or state: {tier!r}, {state!r}") from exc


def transition(tier: Tier | str, state: State | str, action: Action | str) -> State:
    """The state after ``action``; raises :class:`IllegalTransition` when not allowed.

    >>> transition(Tier.CHAMPION, State.IN_PROGRESS, Action.CERTIFY)
    <State.CERTIFIED: 'certified'>
    """
    tier, state = _coerce(tier, state)
    try:
        act = Action(action)
    except ValueError as exc:
        raise ValueError(f"unknown action: {action!r}") from exc
    try:
        return TRANSITIONS[(state, act)]
    except KeyError:
        raise IllegalTransition(tier, state, act) from None


def allowed_actions(tier: Tier | str, state: State | str) -> tuple[Action, ...]:
    """The actions allowed in ``state``, in :class:`Action` order.

    >>> [a.value for a in allowed_actions(Tier.ORGANIZATION, State.SUSPENDED)]
    ['reinstate', 'revoke']
    """
    _tier, state = _coerce(tier, state)
    return tuple(a for a in Action if (state, a) in TRANSITIONS)


def is_terminal(state: State | str) -> bool:
    """Whether nothing can happen any more (revoked)."""
    return not any(s == State(state) for s, _a in TRANSITIONS)


@dataclass(frozen=True, slots=True)
class TierRules:
    """What one tier means and how long it lasts (our own policy, see the module docstring).

    ``renewal_ce_hours`` are continuing-education hours earned during the validity period that
    ends; a tier with ``renewal_by_assessment`` renews with a new self-assessment instead.
    ``requires`` names a tier the holder must hold (valid) to be certified or renewed.
    """

    tier: Tier
    name: Text
    description: Text
    renewal: Text
    validity_years: int
    expiring_window_days: int
    renewal_ce_hours: Decimal
    renewal_by_assessment: bool = False
    requires: Tier | None = None
    for_organizations: bool = False


#: Days before the end of validity when a certification becomes "expiring" (our policy).
EXPIRING_WINDOW_DAYS = 60

TIER_RULES: Mapping[Tier, TierRules] = MappingProxyType(
    {
        Tier.FACILITATOR: TierRules(
            tier=Tier.FACILITATOR,
            name=Text(en="HOPE Facilitator", es="Facilitador(a) HOPE"),
            description=Text(
                en=(
                    "Completed the HOPE Facilitator training and may present the introductory "
                    "HOPE training."
                ),
                es=(
                    "Completó la capacitación de Facilitador(a) HOPE y puede presentar la "
                    "capacitación introductoria de HOPE."
                ),
            ),
            renewal=Text(
                en="6 continuing-education hours earned during the 2-year validity period.",
                es="6 horas de educación continua obtenidas durante el período de validez de 2 años.",
            ),
            validity_years=2,
            expiring_window_days=EXPIRING_WINDOW_DAYS,
            renewal_ce_hours=Decimal(6),
        ),
        Tier.CHAMPION: TierRules(
            tier=Tier.CHAMPION,
            name=Text(en="HOPE Champion", es="Campeón(a) HOPE"),
            description=Text(
                en=(
                    "An active HOPE Facilitator who completed the HOPE Champion requirements "
                    "and may review organizations working toward HOPE-informed certification."
                ),
                es=(
                    "Facilitador(a) HOPE activo(a) que cumplió los requisitos de Campeón(a) HOPE "
                    "y puede revisar organizaciones que buscan la certificación HOPE."
                ),
            ),
            renewal=Text(
                en=(
                    "10 continuing-education hours earned during the 2-year validity period, "
                    "and a valid HOPE Facilitator certification."
                ),
                es=(
                    "10 horas de educación continua obtenidas durante el período de validez de "
                    "2 años, y una certificación vigente de Facilitador(a) HOPE."
                ),
            ),
            validity_years=2,
            expiring_window_days=EXPIRING_WINDOW_DAYS,
            renewal_ce_hours=Decimal(10),
            requires=Tier.FACILITATOR,
        ),
        Tier.ORGANIZATION: TierRules(
            tier=Tier.ORGANIZATION,
            name=Text(en="HOPE-informed organization", es="Organización informada por HOPE"),
            description=Text(
                en=(
                    "Assessed its policies and practices against the six standards of "
                    "HOPE-informed organizations, made an improvement plan and was reviewed by "
                    "a HOPE Champion."
                ),
                es=(
                    "Evaluó sus políticas y prácticas según los seis estándares de las "
                    "organizaciones informadas por HOPE, hizo un plan de mejora y fue revisada "
                    "por un(a) Campeón(a) HOPE."
                ),
            ),
            renewal=Text(
                en="A new self-assessment on the six standards, submitted during the 3-year validity period.",
                es="Una nueva autoevaluación de los seis estándares, enviada durante el período de validez de 3 años.",
            ),
            validity_years=3,
            expiring_window_days=EXPIRING_WINDOW_DAYS,
            renewal_ce_hours=Decimal(0),
            renewal_by_assessment=True,
            for_organizations=True,
        ),
    }
)


def rules(tier: Tier | str) -> TierRules:
    """The rules of ``tier``."""
    return TIER_RULES[Tier(tier)]


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none: the day before
        return day.replace(year=day.year + years, day=28)


def valid_until_from(tier: Tier | str, start: dt.date) -> dt.date:
    """The last valid day of a validity period starting on ``start`` (inclusive).

    >>> valid_until_from(Tier.FACILITATOR, dt.date(2026, 3, 1))
    datetime.date(2028, 2, 29)
    """
    return _add_years(start, rules(tier).validity_years) - dt.timedelta(days=1)


def renewed_valid_until(tier: Tier | str, valid_until: dt.date | None, today: dt.date) -> dt.date:
    """The new last valid day after a renewal on ``today``: a renewal before the end adds a
    full period after the current one (no time is lost by renewing early); a renewal after
    expiry starts a new period today.

    >>> renewed_valid_until(Tier.ORGANIZATION, dt.date(2026, 12, 31), dt.date(2026, 12, 1))
    datetime.date(2029, 12, 31)
    """
    if valid_until is not None and valid_until >= today:
        return _add_years(valid_until, rules(tier).validity_years)
    return valid_until_from(tier, today)


def expiring_from(tier: Tier | str, valid_until: dt.date) -> dt.date:
    """The first day a certification valid until ``valid_until`` counts as expiring."""
    return valid_until - dt.timedelta(days=rules(tier).expiring_window_days)


VerificationStatus = Literal["valid", "expired", "suspended", "revoked", "not_issued"]


def verification_status(
    state: State | str, valid_until: dt.date | None, now: dt.date | dt.datetime
) -> VerificationStatus:
    """What a verifier is told about a certification on the day of ``now``.

    Revoked and suspended win over dates; a certified (or expiring) certification whose last
    valid day has passed is "expired" even before the daily job records it; one never
    certified is "not_issued".

    >>> verification_status(State.EXPIRING, dt.date(2026, 1, 31), dt.date(2026, 2, 1))
    'expired'
    """
    state = State(state)
    today = now.date() if isinstance(now, dt.datetime) else now
    if state is State.REVOKED:
        return "revoked"
    if state is State.SUSPENDED:
        return "suspended"
    if state is State.EXPIRED:
        return "expired"
    if state in (State.CERTIFIED, State.EXPIRING) and valid_until is not None:
        return "valid" if today <= valid_until else "expired"
    return "not_issued"
