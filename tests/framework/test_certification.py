"""The certification state machine: every (tier, state, action) triple, against a table
written out here by hand (not derived from the module under test)."""

from __future__ import annotations

import datetime as dt
import doctest
import itertools
from decimal import Decimal

import pytest

from hopeful.framework import certification
from hopeful.framework.certification import (
    TIER_RULES,
    Action,
    IllegalTransition,
    State,
    Tier,
    allowed_actions,
    expiring_from,
    is_terminal,
    renewed_valid_until,
    rules,
    transition,
    valid_until_from,
    verification_status,
)
from hopeful.framework.errors import HopefulError

# The lifecycle as the issue and the contract state it; the same for every tier.
ALLOWED: dict[tuple[str, str], str] = {
    ("applied", "start"): "in_progress",
    ("in_progress", "certify"): "certified",
    ("in_progress", "revoke"): "revoked",
    ("certified", "mark_expiring"): "expiring",
    ("certified", "expire"): "expired",
    ("certified", "renew"): "certified",
    ("certified", "suspend"): "suspended",
    ("certified", "revoke"): "revoked",
    ("expiring", "expire"): "expired",
    ("expiring", "renew"): "certified",
    ("expiring", "suspend"): "suspended",
    ("expiring", "revoke"): "revoked",
    ("expired", "renew"): "certified",
    ("expired", "revoke"): "revoked",
    ("suspended", "reinstate"): "certified",
    ("suspended", "revoke"): "revoked",
}

TRIPLES = list(itertools.product(Tier, State, Action))


def test_enum_values_are_the_contracts() -> None:
    assert [t.value for t in Tier] == ["facilitator", "champion", "organization"]
    assert [s.value for s in State] == [
        "applied",
        "in_progress",
        "certified",
        "expiring",
        "expired",
        "suspended",
        "revoked",
    ]
    assert [a.value for a in Action] == [
        "start",
        "certify",
        "mark_expiring",
        "expire",
        "renew",
        "suspend",
        "reinstate",
        "revoke",
    ]


def test_every_triple_is_covered() -> None:
    assert len(TRIPLES) == 3 * 7 * 8
    assert len(ALLOWED) == 16


@pytest.mark.parametrize(("tier", "state", "action"), TRIPLES)
def test_transition(tier: Tier, state: State, action: Action) -> None:
    expected = ALLOWED.get((state.value, action.value))
    if expected is not None:
        assert transition(tier, state, action) == State(expected)
        assert action in allowed_actions(tier, state)
        return
    with pytest.raises(IllegalTransition) as info:
        transition(tier, state, action)
    error = info.value
    assert isinstance(error, ValueError)
    assert isinstance(error, HopefulError)
    assert (error.tier, error.state, error.action) == (tier, state, action)
    message = str(error)
    assert repr(state.value) in message
    assert repr(action.value) in message
    assert tier.value in message
    assert action not in allowed_actions(tier, state)


@pytest.mark.parametrize(("tier", "state"), list(itertools.product(Tier, State)))
def test_allowed_actions_match_the_table(tier: Tier, state: State) -> None:
    expected = [a for a in Action if (state.value, a.value) in ALLOWED]
    assert list(allowed_actions(tier, state)) == expected


def test_the_error_says_what_is_allowed_instead() -> None:
    with pytest.raises(IllegalTransition, match=r"allowed: start"):
        transition(Tier.FACILITATOR, State.APPLIED, Action.CERTIFY)
    with pytest.raises(IllegalTransition, match=r"final"):
        transition(Tier.ORGANIZATION, State.REVOKED, Action.REINSTATE)


def test_strings_are_accepted_and_unknown_ones_refused() -> None:
    assert transition("champion", "suspended", "reinstate") is State.CERTIFIED
    with pytest.raises(ValueError, match="unknown action"):
        transition("champion", "suspended", "forgive")
    with pytest.raises(ValueError, match="unknown tier or state"):
        transition("wizard", "certified", "renew")


def test_only_revoked_is_final() -> None:
    assert [s for s in State if is_terminal(s)] == [State.REVOKED]


def test_tier_rules_are_our_stated_policy() -> None:
    assert set(TIER_RULES) == set(Tier)
    fac, champ, org = (rules(t) for t in Tier)
    assert (fac.validity_years, fac.renewal_ce_hours, fac.requires) == (2, Decimal(6), None)
    assert (champ.validity_years, champ.renewal_ce_hours, champ.requires) == (
        2,
        Decimal(10),
        Tier.FACILITATOR,
    )
    assert (org.validity_years, org.renewal_ce_hours, org.renewal_by_assessment) == (
        3,
        Decimal(0),
        True,
    )
    assert org.for_organizations
    for tier_rules in TIER_RULES.values():
        assert tier_rules.expiring_window_days == 60
        for text in (tier_rules.name, tier_rules.description, tier_rules.renewal):
            assert set(text.languages) == {"en", "es"}
    assert fac.name.get_text("es") == "Facilitador(a) HOPE"


def test_validity_dates() -> None:
    assert valid_until_from(Tier.FACILITATOR, dt.date(2026, 12, 7)) == dt.date(2028, 12, 6)
    assert valid_until_from(Tier.ORGANIZATION, dt.date(2026, 12, 7)) == dt.date(2029, 12, 6)
    # 29 February: the period ends on 27 February (the day before 28 February)
    assert valid_until_from(Tier.CHAMPION, dt.date(2028, 2, 29)) == dt.date(2030, 2, 27)
    assert expiring_from(Tier.FACILITATOR, dt.date(2028, 12, 6)) == dt.date(2028, 10, 7)
    # early renewal keeps the remaining time; late renewal starts from today
    assert renewed_valid_until(Tier.FACILITATOR, dt.date(2028, 12, 6), dt.date(2028, 11, 1)) == (
        dt.date(2030, 12, 6)
    )
    assert renewed_valid_until(Tier.FACILITATOR, dt.date(2028, 12, 6), dt.date(2029, 3, 1)) == (
        dt.date(2031, 2, 28)
    )
    assert renewed_valid_until(Tier.FACILITATOR, None, dt.date(2029, 3, 1)) == dt.date(2031, 2, 28)


@pytest.mark.parametrize(
    ("state", "valid_until", "today", "expected"),
    [
        ("applied", None, dt.date(2026, 1, 1), "not_issued"),
        ("in_progress", None, dt.date(2026, 1, 1), "not_issued"),
        ("certified", dt.date(2026, 1, 31), dt.date(2026, 1, 31), "valid"),
        ("certified", dt.date(2026, 1, 31), dt.date(2026, 2, 1), "expired"),
        ("expiring", dt.date(2026, 1, 31), dt.date(2026, 1, 1), "valid"),
        ("expiring", dt.date(2026, 1, 31), dt.date(2026, 2, 1), "expired"),
        ("expired", dt.date(2026, 1, 31), dt.date(2026, 1, 1), "expired"),
        ("suspended", dt.date(2026, 1, 31), dt.date(2026, 1, 1), "suspended"),
        ("suspended", dt.date(2026, 1, 31), dt.date(2027, 1, 1), "suspended"),
        ("revoked", dt.date(2026, 1, 31), dt.date(2026, 1, 1), "revoked"),
        ("revoked", None, dt.date(2026, 1, 1), "revoked"),
    ],
)
def test_verification_status(
    state: str, valid_until: dt.date | None, today: dt.date, expected: str
) -> None:
    assert verification_status(state, valid_until, today) == expected
    at_noon = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
    assert verification_status(state, valid_until, at_noon) == expected


def test_doctests() -> None:
    result = doctest.testmod(certification)
    assert result.attempted > 0
    assert result.failed == 0
