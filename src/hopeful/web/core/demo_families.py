"""The demo's synthetic families (:mod:`hopeful.web.core.demo` loads them): each family's plan
(program, language, children, answers, demographics, when it answers, consent changes), drawn
from a seeded generator so a load is the same every time."""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from hopeful.framework import Audience, Instrument
from hopeful.web.surveys import demographics as demo_vocabulary
from hopeful.web.surveys.services import SubmissionPayload

#: Submissions start on 1 January this many calendar years before the year of loading.
HISTORY_YEARS_BEFORE = 1
#: Families invited again through a personal link, 100-240 days after their first answers
#: (always a later quarter); most of them answer again within three weeks.
INVITED_AGAIN = 0.2
INVITATION_ANSWERED = 0.75
#: Families who later withdraw one consent (care, program improvement or research).
WITHDRAWING = 0.04
#: Every family's generator is seeded from this, the organization and the family's number.
SEED = 20261126
NAMES = [
    "Rivera", "Nguyen", "Okafor", "García", "Johnson", "Begay", "Kim", "Hernández", "Smith",
    "Yazzie", "Martínez", "Brown", "López", "Patel", "Williams", "Ortiz", "Chávez", "Davis",
]  # fmt: skip
#: Race and ethnicity codes with weights for English- and Spanish-speaking families.
RACE_WEIGHTS: dict[str, tuple[float, float]] = {
    "hispanic_latino": (0.14, 0.88),
    "white": (0.52, 0.04),
    "black_african_american": (0.15, 0.01),
    "american_indian_alaska_native": (0.03, 0.03),
    "asian": (0.07, 0.005),
    "middle_eastern_north_african": (0.02, 0.005),
    "native_hawaiian_pacific_islander": (0.01, 0.005),
    "another": (0.06, 0.025),
}


def _answers(inst: Instrument, rng: random.Random, strength: float) -> dict[str, int | None]:
    """Synthetic answers: mostly real answers, a few don't-knows and blanks; the stronger the
    family (``strength``, 0-1), the more often an answer is one of the affirmative ones."""
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
    rng: random.Random, strength: float, state: str, spanish: bool, zip3s: Sequence[str]
) -> dict[str, Any]:
    """Synthetic "About your family" answers (stored form), some skipped or "prefer not to
    say". Spanish-speaking families are mostly Hispanic or Latino/a; families with fewer
    positive experiences are a little more often lower-income, so the dashboard's equity
    breakdowns have something to show."""
    out: dict[str, Any] = {}
    roll = rng.random()
    if roll < 0.06:
        out["race_ethnicity"] = [demo_vocabulary.PREFER_NOT]
    elif roll < 0.92:
        pool = list(RACE_WEIGHTS)
        weights = [w[1] if spanish else w[0] for w in RACE_WEIGHTS.values()]
        if state == "NM":
            weights[pool.index("american_indian_alaska_native")] *= 5
        chosen = {rng.choices(pool, weights)[0]}
        if rng.random() < 0.1:  # a second one: multiracial or multiethnic families
            chosen.add(rng.choices(pool, weights)[0])
        out["race_ethnicity"] = sorted(chosen)
    if rng.random() < 0.85:
        low = 0.6 - 0.5 * strength  # weaker strength: lower income more often
        out["income"] = rng.choices(
            ["<25k", "25-50k", "50-100k", "100k+", demo_vocabulary.PREFER_NOT],
            [low + (0.1 if spanish else 0.0), 0.3, 0.25, 0.15, 0.05],
        )[0]
    if rng.random() < 0.9:
        out["gender"] = rng.choices(
            ["woman", "man", "another_gender", demo_vocabulary.PREFER_NOT],
            [0.7, 0.25, 0.03, 0.02],
        )[0]
    if rng.random() < 0.85:
        out["child_gender"] = rng.choices(
            ["girl", "boy", "another_gender", demo_vocabulary.PREFER_NOT],
            [0.48, 0.48, 0.02, 0.02],
        )[0]
    if rng.random() < 0.8:
        out["disability"] = rng.choices(
            ["yes", "no", demo_vocabulary.PREFER_NOT], [0.15 + 0.1 * (1 - strength), 0.75, 0.05]
        )[0]
    roll = rng.random()
    if roll < 0.03:
        out["zip3"] = demo_vocabulary.PREFER_NOT
    elif roll < 0.85:
        out["zip3"] = rng.choices(list(zip3s), [6, 3, 1][: len(zip3s)])[0]
    return out


@dataclass(frozen=True)
class _Answered:
    """One questionnaire a family sent, and when."""

    payload: SubmissionPayload
    at: dt.datetime


@dataclass
class _FamilyPlan:
    """Everything about one synthetic family, decided before anything is stored."""

    program: int
    """The index of the family's program in the organization's spec."""
    first: _Answered
    """Through the program's public link."""
    invited_at: dt.datetime | None = None
    """When a personal link invited the family again (None: never)."""
    again: _Answered | None = None
    """The answers sent through that link (None: not answered, or never invited)."""
    withdrawn: dict[str, bool] = field(default_factory=dict)
    """The consent withdrawn after the last answers ({} for none), and when."""
    withdrawn_at: dt.datetime | None = None

    @property
    def answered(self) -> list[_Answered]:
        return [self.first] if self.again is None else [self.first, self.again]


def history_start(now: dt.datetime) -> dt.datetime:
    """When the demo's submissions start: midnight on 1 January of the calendar year
    :data:`HISTORY_YEARS_BEFORE` before ``now``'s (in the current time zone), so the years
    the dashboard shows are whole (2025-01-01 when loaded at any time in 2026)."""
    local = timezone.localtime(now)
    return dt.datetime(local.year - HISTORY_YEARS_BEFORE, 1, 1, tzinfo=local.tzinfo)


def _when(rng: random.Random, now: dt.datetime) -> dt.datetime:
    """A moment from :func:`history_start` up to ``now``, never in the future; the density
    rises linearly to twice as many submissions now as at the start."""
    # u in [0, 1) has density (1 + u) / 1.5: its distribution function inverted
    u = math.sqrt(1 + 3 * rng.random()) - 1
    start = history_start(now)
    return start + (now - start) * u


def _months_before(moment: dt.datetime, months: int) -> dt.date:
    """The first day of the month ``months`` before the month of ``moment``."""
    index = moment.year * 12 + moment.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _family_plan(
    spec: dict[str, Any], n: int, instruments: Sequence[Instrument], now: dt.datetime
) -> _FamilyPlan:
    """Family number ``n`` of an organization (the same whatever the number loaded)."""
    rng = random.Random(f"{SEED}:{spec['slug']}:{n}")  # noqa: S311 - synthetic data, seeded
    programs = spec["programs"]
    program = rng.choices(range(len(programs)), [p["share"] for p in programs])[0]
    pspec = programs[program]
    language = "es" if rng.random() < pspec["spanish"] else "en"
    # A latent strength spread so that pce7's groups come out near the published four-state
    # shares (0-2 PCEs 12%, 3-5 35%, 6-7 53%; MMWR 2024), with some families low on every
    # block: one uniform draw, shaped (the same draws as before, so the same families).
    strength = min(0.97, max(0.0, -0.8 + 2.2 * rng.random() ** 0.6 + pspec["strength"]))
    consent = {
        "care": rng.random() < 0.97,
        "program_improvement": rng.random() < 0.9,
        "research": rng.random() < 0.6,
    }
    if not any(consent.values()):
        consent["care"] = True  # answers are stored only with at least one consent
    at = _when(rng, now)
    born = _months_before(at, rng.randint(*spec["child_months"]))
    client_uuid = uuid.UUID(int=rng.getrandbits(128), version=4)
    name = f"{rng.choice(NAMES)} {n + 1}"
    answers = {inst.id: _answers(inst, rng, strength) for inst in instruments}
    demographics = _demographics(rng, strength, spec["state"], language == "es", pspec["zip3"])
    # the child's birth month and sex are asked only about a child (both demo campaigns do)
    about_child = any(inst.audience == Audience.PARENT_REPORT_CHILD for inst in instruments)
    if not about_child:
        demographics.pop("child_gender", None)
    first = SubmissionPayload(
        client_uuid=client_uuid,
        language=language,
        consent=consent,
        name=name,
        answers=answers,
        child_birth_month=f"{born:%Y-%m}" if about_child else None,
        demographics=demographics,
    )
    plan = _FamilyPlan(program=program, first=_Answered(first, at))
    if rng.random() < INVITED_AGAIN:
        invited_at = at + dt.timedelta(days=rng.uniform(100, 240))
        answered_at = invited_at + dt.timedelta(days=rng.uniform(0, 21))
        answering = rng.random() < INVITATION_ANSWERED
        if invited_at < now:
            plan.invited_at = invited_at
        if invited_at < now and answering and answered_at < now:
            switch = rng.random() < 0.05
            again = SubmissionPayload(
                client_uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                language={"en": "es", "es": "en"}[language] if switch else language,
                # a few say yes to research this time
                consent={**consent, "research": consent["research"] or rng.random() < 0.2},
                name=first.name,
                # a little stronger after some months in the program
                answers={
                    inst.id: _answers(inst, rng, min(0.97, strength + 0.05)) for inst in instruments
                },
                child_birth_month=first.child_birth_month,
                demographics=first.demographics,
            )
            plan.again = _Answered(again, answered_at)
    if rng.random() < WITHDRAWING:
        last = plan.answered[-1]
        granted = [p for p, given in last.payload.consent.items() if given]
        plan.withdrawn = {rng.choice(granted): False}
        plan.withdrawn_at = last.at + (now - last.at) * rng.random()
    return plan


def _consent_changes(current: dict[str, bool] | None, choices: dict[str, bool]) -> dict[str, bool]:
    """The purposes a consent choice records, as ``consent_set`` does: every purpose the first
    time, then only those that change."""
    if current is None:
        return dict(choices)
    return {p: granted for p, granted in choices.items() if current.get(p) != granted}
