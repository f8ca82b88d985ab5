"""Playing the attacker against everything the dashboard publishes, through the real code path.

Hypothesis builds a small organization (two programs, a few quarters over two years, two
languages, an income answer or none, consent to be counted or not, and answers that give
every combination of pce1 and the pce7 group). The real selector then publishes the dashboard
for **every** filter the page offers: all programs and each program, all years, each year
and each quarter, with the income breakdown of the top group. Everything published is
collected: counts, and each shown percentage times its shown ``n`` (a count).

The attacker's unknowns are the number of families in each combination of program x quarter
x language x income x answer profile (and, apart, those not counted for lack of consent), all
>= 0. A profile is what pce1 and the group reveal together: (0-2 | 3-5 | 6-7 | no group) x
(pce1 yes | no | missing), nine in all, none of them ruled out to the attacker. Every
published number is an equation. Then, for every quantity any view shows or hides (each
count, each n, the yes and no behind each percentage, in every view), when its true value is
1-10: it must not be shown, and the linear program must not pin it inside 1-10.

(The other items and building blocks are published too; the attacker here does not use
them, as they depend on answers the profiles leave out.)
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from hopeful.framework import get_instrument, score_response
from hopeful.web.families.models import ConsentPurpose
from hopeful.web.insights import selectors
from hopeful.web.insights.periods import Horizon, Period
from hopeful.web.organizations.access import get_organization_for_user
from hopeful.web.organizations.models import Role
from tests.web import factories as f
from tests.web.practice.factories import make_submission

pytestmark = pytest.mark.django_db

THRESHOLD = 11
BANDS = ("0-2", "3-5", "6-7", None)
PCE1 = ("yes", "no", "missing")
PROFILES = [(b, a) for b in BANDS for a in PCE1 if not (b is not None and a == "missing")]
LANGUAGES = ("en", "es")
INCOMES = ("<25k", "25-50k", None)  # None: not answered
#: Quarters back from this one where families answer (this quarter, last, a year ago).
QUARTERS_BACK = (0, 1, 4)


def _answers(band: str | None, pce1: str) -> dict[str, int]:
    """pce7 answers with this group and pce1 (4-5 affirmative, 1 not, 7 don't know)."""
    yes = {"yes": 5, "no": 1, "missing": 7}[pce1]
    target = {"0-2": 1, "3-5": 4, "6-7": 6, None: 5}[band]
    count = int(pce1 == "yes")
    rest = []
    for _k in range(2, 8):
        rest.append(5 if count < target else 1)
        count += int(rest[-1] == 5)
    answers = {"pce1": yes, **{f"pce{k}": v for k, v in zip(range(2, 8), rest, strict=True)}}
    if band is None and pce1 != "missing":
        answers["pce2"] = 7  # a missing item: no group
    return answers


@dataclass(frozen=True)
class Cell:
    program: int
    quarter: int
    """Quarters back from this one."""
    language: str
    income: str | None
    profile: int
    consent: bool


cells = st.builds(
    Cell,
    program=st.integers(0, 1),
    quarter=st.sampled_from(QUARTERS_BACK),
    language=st.sampled_from(LANGUAGES),
    income=st.sampled_from(INCOMES),
    profile=st.integers(0, len(PROFILES) - 1),
    consent=st.sampled_from([True, True, True, False]),  # mostly consenting
)
populations = st.lists(st.tuples(cells, st.integers(1, 14)), min_size=1, max_size=7).map(
    lambda groups: [*groups]
)


def test_the_answer_profiles_are_what_the_scorer_gives() -> None:
    definition = get_instrument("pce7")
    for band, pce1 in PROFILES:
        values = score_response(definition, _answers(band, pce1)).values
        assert values.get("band") == band
        assert (
            "missing"
            if pce1 == "missing"
            else ("yes" if _answers(band, pce1)["pce1"] == 5 else "no")
        ) == pce1


class _Unknowns:
    """Index of the attacker's unknowns: counted families by cell, then the others."""

    def __init__(self, n_quarters: int) -> None:
        self.shape = (2, n_quarters, len(LANGUAGES), len(INCOMES), len(PROFILES))
        self.size = int(np.prod(self.shape))
        self.total = 2 * self.size  # counted, then not counted

    def vector(
        self,
        *,
        programs: set[int],
        quarters: set[int],
        languages: set[int] | None = None,
        incomes: set[int] | None = None,
        profiles: set[int] | None = None,
        counted: bool = True,
    ) -> np.ndarray:
        out = np.zeros(self.total)
        for p, q, lang, inc, prof in itertools.product(*(range(n) for n in self.shape)):
            if (
                p in programs
                and q in quarters
                and (languages is None or lang in languages)
                and (incomes is None or inc in incomes)
                and (profiles is None or prof in profiles)
            ):
                flat = int(np.ravel_multi_index((p, q, lang, inc, prof), self.shape))
                out[flat + (0 if counted else self.size)] = 1.0
        return out


def _profiles(*, band: Any = "any", pce1: Any = "any") -> set[int]:
    return {
        i
        for i, (b, a) in enumerate(PROFILES)
        if (band == "any" or b == band or (band == "some" and b is not None))
        and (pce1 == "any" or a == pce1 or (pce1 == "answered" and a != "missing"))
    }


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@example(
    population=[
        (Cell(0, 0, "en", "<25k", 0, True), 3),
        (Cell(0, 1, "en", "<25k", 8, True), 3),
        (Cell(1, 1, "en", "<25k", 0, True), 12),
        (Cell(0, 1, "en", "<25k", 0, True), 1),
        (Cell(0, 0, "en", "<25k", 0, True), 6),
        (Cell(0, 0, "en", "<25k", 0, True), 11),
        (Cell(0, 4, "en", "<25k", 7, True), 1),
    ]
)
@given(population=populations)
def test_no_small_count_can_be_recovered_from_every_view_of_the_dashboard(
    two_tenants: dict[str, Any], population: list[tuple[Cell, int]]
) -> None:
    selectors.clear_caches()
    horizon = Horizon.current()
    org = f.make_org(name="Attack target")
    programs = [f.make_program(org, "Site A"), f.make_program(org, "Site B")]
    admin = f.make_member(org, Role.ORG_ADMIN)
    campaign = f.make_campaign(org, programs[0], admin)
    link, _token = f.make_link(campaign, admin)
    # The quarters with answers, as the horizon's positions.
    positions = {k: horizon.current_quarter - k for k in QUARTERS_BACK}
    quarter_axis = sorted(set(positions.values()))
    axis_of = {position: i for i, position in enumerate(quarter_axis)}
    unknowns = _Unknowns(len(quarter_axis))
    truth = np.zeros(unknowns.total)
    serial = itertools.count()
    for cell, count in population:
        year, quarter = horizon.quarter_of(positions[cell.quarter])
        moment = dt.datetime(year, quarter * 3 - 2, 10, 12, tzinfo=timezone.get_current_timezone())
        band, pce1 = PROFILES[cell.profile]
        for _n in range(count):
            family = f.make_family(org, programs[cell.program], f"F{next(serial)}")
            purposes = (ConsentPurpose.CARE,) + (
                (ConsentPurpose.PROGRAM_IMPROVEMENT,) if cell.consent else ()
            )
            f.grant_consent(family, *purposes)
            submission = make_submission(
                family,
                campaign,
                link,
                answers={"pce7": _answers(band, pce1)},
                language=cell.language,
                submitted_at=moment,
            )
            if cell.income is not None:
                submission.demographics = {"income": cell.income}
                submission.save(update_fields=["demographics"])
        coords = (
            cell.program,
            axis_of[positions[cell.quarter]],
            LANGUAGES.index(cell.language),
            INCOMES.index(cell.income),
            cell.profile,
        )
        flat = int(np.ravel_multi_index(coords, unknowns.shape))
        truth[flat + (0 if cell.consent else unknowns.size)] += count

    access = get_organization_for_user(admin, org.public_id)
    options = selectors.filter_options(access=access, language="en")
    periods = [Period()]
    for position in quarter_axis:
        year, quarter = horizon.quarter_of(position)
        periods.extend([Period(year), Period(year, quarter)])
    periods = list(dict.fromkeys(periods))

    equations: list[tuple[np.ndarray, float, str]] = []
    targets: list[tuple[str, np.ndarray, bool]] = []  # (what, vector, shown)

    def publish(what: str, vector: np.ndarray, shown_value: int | None) -> None:
        targets.append((what, vector, shown_value is not None))
        if shown_value is not None:
            assert shown_value == pytest.approx(float(vector @ truth)), what
            equations.append((vector, float(shown_value), what))

    def share(what: str, estimate: Any, n_vector: np.ndarray, yes_vector: np.ndarray) -> None:
        """An estimate: its n, and the yes and no counts it reveals when it and n are shown."""
        n_value = estimate.n.value
        publish(f"{what} n", n_vector, n_value)
        yes_value = None
        if estimate.estimate is not None and n_value is not None:
            yes_value = round(estimate.estimate * n_value)
        publish(f"{what} yes", yes_vector, yes_value)
        publish(
            f"{what} no",
            n_vector - yes_vector,
            None if yes_value is None or n_value is None else n_value - yes_value,
        )

    for program_index, period in itertools.product((None, 0, 1), periods):
        option = None if program_index is None else options.programs[program_index]
        if option is not None and option.name != programs[program_index].name:
            option = next(o for o in options.programs if o.name == programs[program_index].name)
        filters = selectors.Filters(
            program=option,
            period=period,
            instrument_id="pce7",
            breakdown="income",
            outcome="top_band",
            horizon=horizon,
        )
        page = selectors.dashboard(access=access, filters=filters, options=options, language="en")
        chosen = {0, 1} if program_index is None else {program_index}
        quarters = {axis_of[q] for q in horizon.quarters(period) if q in axis_of}
        label = f"[{program_index}, {period.key}]"
        vec = unknowns.vector
        publish(f"{label} total", vec(programs=chosen, quarters=quarters), page.reach.total.value)
        publish(
            f"{label} left out",
            vec(programs=chosen, quarters=quarters, counted=False),
            page.reach.left_out.value,
        )
        publish(
            f"{label} respondents", vec(programs=chosen, quarters=quarters), page.respondents.value
        )
        if program_index is None:
            for i, row in enumerate(page.reach.by_program):
                index = next(j for j, p in enumerate(programs) if p.name == row.label)
                publish(
                    f"{label} program {i}",
                    vec(programs={index}, quarters=quarters),
                    row.count.value,
                )
            for i, row in enumerate(page.reach.by_language):
                code = {"English": "en", "Spanish": "es"}[row.label]
                publish(
                    f"{label} language {i}",
                    vec(programs=chosen, quarters=quarters, languages={LANGUAGES.index(code)}),
                    row.count.value,
                )
        pce1 = next(e for e in page.items if e.key == "item:pce1")
        share(
            f"{label} pce1",
            pce1,
            vec(programs=chosen, quarters=quarters, profiles=_profiles(pce1="answered")),
            vec(programs=chosen, quarters=quarters, profiles=_profiles(pce1="yes")),
        )
        band_n = vec(programs=chosen, quarters=quarters, profiles=_profiles(band="some"))
        for estimate in page.bands:
            name = estimate.key.removeprefix("band:")
            share(
                f"{label} band {name}",
                estimate,
                band_n,
                vec(programs=chosen, quarters=quarters, profiles=_profiles(band=name)),
            )
        for point in page.trend.points:
            position = horizon.index(point.month.year, (point.month.month - 1) // 3 + 1)
            one = {axis_of[position]} if position in axis_of else set()
            share(
                f"{label} trend {point.estimate.label}",
                point.estimate,
                vec(programs=chosen, quarters=one, profiles=_profiles(band="some")),
                vec(programs=chosen, quarters=one, profiles=_profiles(band="6-7")),
            )
        equity = page.equity
        span = period if period.quarter is None else Period(period.year)
        years = {axis_of[q] for q in horizon.quarters(span) if q in axis_of}
        groups = {row.key: row for row in equity.rows}
        for key, row in [("everyone", None), *groups.items()]:
            estimate = equity.overall if row is None else row.estimate
            incomes = None
            if key != "everyone":
                incomes = (
                    {INCOMES.index(None)}
                    if key == "not_answered"
                    else {INCOMES.index(key)}
                    if key in INCOMES
                    else set()
                )
            share(
                f"{label} income {key}",
                estimate,
                vec(
                    programs=chosen,
                    quarters=years,
                    incomes=incomes,
                    profiles=_profiles(band="some"),
                ),
                vec(
                    programs=chosen, quarters=years, incomes=incomes, profiles=_profiles(band="6-7")
                ),
            )

    a_eq = np.array([v for v, _value, _what in equations]) if equations else None
    b_eq = np.array([value for _v, value, _what in equations]) if equations else None
    checked: set[bytes] = set()
    for what, vector, shown in targets:
        true = float(vector @ truth)
        if not 1 <= true <= THRESHOLD - 1:
            continue
        assert not shown, f"{what} = {true:g} is shown"
        key = vector.tobytes()
        if key in checked:
            continue
        checked.add(key)
        low = linprog(vector, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0, what
        if low.fun < 1 - 1e-6:
            continue
        high = linprog(-vector, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        top = float("inf") if high.status == 3 else -high.fun
        assert top > THRESHOLD - 1 + 1e-6, (
            f"{what} = {true:g} can be worked out to {low.fun:g}..{top:g} from "
            + "; ".join(_witness(vector, equations))
        )


def _pinned(vector: np.ndarray, equations: list[tuple[np.ndarray, float, str]]) -> bool:
    a_eq = np.array([v for v, _value, _what in equations]) if equations else None
    b_eq = np.array([value for _v, value, _what in equations]) if equations else None
    low = linprog(vector, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    high = linprog(-vector, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    return low.fun >= 1 - 1e-6 and high.status == 0 and -high.fun <= THRESHOLD - 1 + 1e-6


def _witness(vector: np.ndarray, equations: list[tuple[np.ndarray, float, str]]) -> list[str]:
    """A small set of published numbers that still pins the count (to say what leaks)."""
    kept = list(equations)
    for equation in list(kept):
        trial = [e for e in kept if e is not equation]
        if _pinned(vector, trial):
            kept = trial
    return [f"{what} = {value:g}" for _v, value, what in kept]
