"""Who has access to positive experiences: the dashboard's equity breakdown.

For one breakdown (race/ethnicity, preferred language, household income, child age band,
gender, child's gender, disability or ZIP3 area) and one outcome (the share in the
instrument's top group, or a building block met), one row per group: the share with its 95%
Korn-Graubard interval (``Design(table).proportion(outcome, by=group, ci="beta")``), ``n``,
the gap to the view's overall share and a flag when the gap is larger than chance.

**The test** (:mod:`hopeful.stats.equity`): each group's share against the share of the rest
of the respondents who answered the question (everyone not in the group), two-sided, a
difference of two domain proportions with their design-based variances (z statistic, normal
p-value); Holm's step-down correction across the groups with a shown share, family-wise
alpha 0.05. "Not answered" (no answer or "Prefer not to say") is a row of its own, protected
like the others, never tested and never part of a "rest".

**Race and ethnicity** is multi-select: a respondent counts in every group they chose, so the
group rows can add up to more than everyone, and each group is compared with everyone not in
it.

**Protection.** Each group's counts (respondents with the outcome, respondents with an
answer) are cells like any other, published through :mod:`hopeful.web.insights.protection`:
perturbed by the sum of their records' keys, shown as "fewer than 11" from 1 to 10. The
breakdown covers the view's own program and period. "Everyone" is the outcome's own cells, so
it shows the same numbers as the profile above. The gap test compares published shares: each
group's and its rest's (their own cells, perturbed the same way).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hopeful.framework import Instrument
from hopeful.stats.equity import GroupShare, gap_tests
from hopeful.web.accounts.models import Language
from hopeful.web.families.models import AgeBand
from hopeful.web.insights import protection
from hopeful.web.insights.data import band_of
from hopeful.web.insights.model import Estimate, Filters
from hopeful.web.insights.outcomes import View, block_label
from hopeful.web.surveys import demographics as demo

BoolArray = npt.NDArray[np.bool_]

ALPHA = 0.05
NOT_ANSWERED = "not_answered"

#: The breakdowns, in the order of the select.
BREAKDOWNS: dict[str, Promise] = {
    "race_ethnicity": gettext_lazy("Race or ethnicity"),
    "language": gettext_lazy("Preferred language"),
    "income": gettext_lazy("Household income"),
    "child_age": gettext_lazy("Child's age"),
    "gender": gettext_lazy("Gender"),
    "child_gender": gettext_lazy("Child's sex or gender"),
    "disability": gettext_lazy("Disability or special health care need"),
    "zip3": gettext_lazy("ZIP3 area"),
}
DEFAULT_BREAKDOWN = "race_ethnicity"
TOP_BAND = "top_band"


def method_text() -> str:
    """The test and the correction, as the page and the docs state them."""
    return _(
        "A gap is flagged as larger than chance when a two-sided test of the group's share "
        "against the share of the rest of the respondents (everyone who answered the question "
        "and is not in the group) is significant after Holm's correction across the groups of "
        "this breakdown (family-wise error 5%). The test is a difference of two proportions "
        "using the design-based variances of the two estimates (z statistic, normal p-value). "
        "'Not answered' is not tested."
    )


# -- what the page shows ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EquityRow:
    key: str
    label: str
    estimate: Estimate
    gap: float | None
    """The group's share minus the overall share (a proportion; shown as points)."""
    flag: str
    """Plain-language flag when the gap is larger than chance ('' otherwise)."""
    tested: bool
    not_answered: bool = False


@dataclass(frozen=True, slots=True)
class OutcomeOption:
    id: str
    label: str


@dataclass(frozen=True)
class Equity:
    breakdown: str
    breakdown_label: str
    outcome: str
    outcome_label: str
    overall: Estimate
    rows: list[EquityRow]
    outcomes: list[OutcomeOption]
    multiple: bool
    """Race and ethnicity: a respondent counts in every group they chose."""
    tested: int
    """Groups in the Holm family (groups with a shown share and a rest to compare with)."""
    period_note: str = ""
    """Set when the groups cover more than the chosen period (one program's: all years)."""
    period_label: str = ""
    """The period the groups cover, when it is not the chosen one."""

    @property
    def estimates(self) -> list[Estimate]:
        return [self.overall, *(r.estimate for r in self.rows)]

    @property
    def any_protected(self) -> bool:
        return any(e.protected or e.n.suppressed for e in self.estimates)


# -- outcomes -----------------------------------------------------------------------------------


def outcome_options(definition: Instrument, language: str) -> list[OutcomeOption]:
    options = []
    band = band_of(definition)
    if band is not None:
        top = band.cuts[-1][2]
        options.append(OutcomeOption(TOP_BAND, _("In the top group (%(band)s)") % {"band": top}))
    for output in definition.block_count_outputs:
        name = block_label(output.id, language)
        options.append(
            OutcomeOption(output.id, _("Building block met: %(block)s") % {"block": name})
        )
    return options


# -- groups -------------------------------------------------------------------------------------


def _answer(value: Any) -> str | None:
    return None if value in (None, "", demo.PREFER_NOT) else str(value)


def demographic_key(breakdown: str) -> str | None:
    """The key of the submissions' demographics this breakdown reads (None: none)."""
    breakdown = breakdown if breakdown in BREAKDOWNS else DEFAULT_BREAKDOWN
    if breakdown in ("language", "child_age"):
        return None
    if breakdown == "zip3":
        return demo.ZIP3_KEY
    return demo.QUESTIONS_BY_KEY[breakdown].key


def _by_value(values: list[Any], groups_of: Any, width: int) -> BoolArray:
    """Rows x (``width`` groups, then "not answered"): ``groups_of(value)`` gives the group
    positions of a row's value, worked out once per distinct value."""
    n = len(values)
    matrix = np.zeros((n, width + 1), dtype=bool)
    if n:
        codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
        for u, value in enumerate(uniques):
            rows = codes == u
            for j in groups_of(value):
                matrix[rows, j] = True
    matrix[:, -1] = ~matrix[:, :-1].any(axis=1)
    return matrix


def group_matrix(breakdown: str, table: pd.DataFrame) -> tuple[list[tuple[str, str]], BoolArray]:
    """``([(key, label)] of the groups, rows x (each group, then "not answered"))``: who is in
    which group. A respondent is "not answered" alone when they gave no answer (or only
    "prefer not to say"); race and ethnicity is multi-select, so a row can hold several
    groups; every other breakdown puts a respondent in exactly one column."""
    n = len(table)
    demographics = list(table["demographics"]) if n else []
    if breakdown == "race_ethnicity":
        question = demo.RACE_ETHNICITY
        groups = [(c, str(label)) for c, label in question.choices if c != demo.PREFER_NOT]
        position = {key: j for j, (key, _label) in enumerate(groups)}
        chosen = [tuple(d.get(question.key) or ()) for d in demographics]
        matrix = _by_value(
            chosen,
            lambda codes: {position[c] for c in codes if c in position},
            len(groups),
        )
        return groups, matrix
    if breakdown == "language":
        groups = [(str(v), str(label)) for v, label in Language.choices]
        answers = list(table["language"]) if n else []
    elif breakdown == "child_age":
        groups = [(str(v), str(label)) for v, label in AgeBand.choices]
        # the age band of the family's most recently added child, in the month of answering
        # (hopeful.web.insights.store.OrgRows.table)
        answers = list(table["child_band"]) if "child_band" in table.columns else [None] * n
    elif breakdown == "zip3":
        answers = [d.get(demo.ZIP3_KEY) for d in demographics]
        observed = sorted({a for a in (_answer(v) for v in set(answers)) if a is not None})
        groups = [
            (z, _("000 (sparsely populated areas)") if z == demo.RESTRICTED_ZIP3_STORED else z)
            for z in observed
        ]
    else:
        question = demo.QUESTIONS_BY_KEY[breakdown]
        groups = [(c, str(label)) for c, label in question.choices if c != demo.PREFER_NOT]
        answers = [d.get(question.key) for d in demographics]
    position = {key: j for j, (key, _label) in enumerate(groups)}

    def one(value: Any) -> set[int]:
        j = position.get(_answer(value) or "")
        return set() if j is None else {j}

    return groups, _by_value(answers, one, len(groups))


# -- the section ---------------------------------------------------------------------------------


def rest_of(matrix: BoolArray, j: int) -> BoolArray:
    """Everyone who answered the question and is not in group ``j`` (of
    :func:`group_matrix`)."""
    rest: BoolArray = ~matrix[:, -1] & ~matrix[:, j]
    return rest


def equity_section(
    *,
    view: View,
    definition: Instrument,
    filters: Filters,
    language: str,
    closed: bool,
    overall: Estimate | None = None,
) -> Equity | None:
    """The breakdown the filters choose, published and tested (None: no outcome to show).
    ``overall``: the outcome's estimate as the profile published it (the same cells)."""
    outcomes = outcome_options(definition, language)
    if not outcomes:
        return None
    ids = [o.id for o in outcomes]
    outcome = filters.outcome if filters.outcome in ids else ids[0]
    outcome_label = next(o.label for o in outcomes if o.id == outcome)
    breakdown = filters.breakdown if filters.breakdown in BREAKDOWNS else DEFAULT_BREAKDOWN
    multiple = breakdown == "race_ethnicity"
    table = view.table
    groups, matrix = group_matrix(breakdown, table)
    values = view.column(outcome)
    listed = [*groups, (NOT_ANSWERED, _("Not answered or prefer not to say"))]
    variable = "band" if outcome == TOP_BAND else outcome  # the tables' name of the output
    base = ("base", variable)
    space = ("groups", breakdown, variable)
    requests = [view.share(key="equity:overall", label=_("Everyone"), values=values, space=base)]
    for j, (key, label) in enumerate(listed):
        inside = matrix[:, j]
        requests.append(
            view.share(key=f"equity:{key}", label=label, values=values, inside=inside, space=space)
        )
    published = protection.shares(requests, closed=closed)
    # Each group's rest (everyone who answered and is not in it), for the gap test only:
    # its share is never shown.
    rest_requests = [
        view.share(
            key=f"rest:{key}",
            label="",
            values=values,
            inside=rest_of(matrix, j),
            space=space,
        )
        for j, (key, _label) in enumerate(groups)
    ]
    published += protection.shares(rest_requests, closed=closed, shown_cells=False)
    everyone_estimate = published[0]
    if overall is not None and overall.n == everyone_estimate.n:
        everyone_estimate = overall
    everyone_estimate = replace(everyone_estimate, key="equity:overall", label=_("Everyone"))
    group_estimates = published[1 : 1 + len(listed)]
    rests = dict(zip([k for k, _l in groups], published[1 + len(listed) :], strict=True))

    rows: list[EquityRow] = []
    shares: list[GroupShare] = []
    tested_rows: list[int] = []
    for (key, label), estimate in zip(listed, group_estimates, strict=True):
        gap = None
        if estimate.shown and everyone_estimate.shown:
            gap = float(estimate.estimate or 0.0) - float(everyone_estimate.estimate or 0.0)
        rest = rests.get(key)
        testable = (
            key != NOT_ANSWERED
            and estimate.shown
            and rest is not None
            and rest.shown
            and estimate.se is not None
            and rest.se is not None
            and bool(np.isfinite(estimate.se) and np.isfinite(rest.se))
        )
        if testable and rest is not None:
            tested_rows.append(len(rows))
            shares.append(
                GroupShare(
                    float(estimate.estimate or 0.0),
                    float(estimate.se or 0.0),
                    float(rest.estimate or 0.0),
                    float(rest.se or 0.0),
                )
            )
        rows.append(EquityRow(key, label, estimate, gap, "", testable, key == NOT_ANSWERED))
    for position, result in zip(tested_rows, gap_tests(shares, ALPHA), strict=True):
        if result.significant:
            flag = (
                _("Higher than the rest: a gap larger than chance.")
                if result.difference > 0
                else _("Lower than the rest: a gap larger than chance.")
            )
            old = rows[position]
            rows[position] = EquityRow(
                old.key, old.label, old.estimate, old.gap, flag, True, old.not_answered
            )
    return Equity(
        breakdown=breakdown,
        breakdown_label=str(BREAKDOWNS[breakdown]),
        outcome=outcome,
        outcome_label=outcome_label,
        overall=everyone_estimate,
        rows=rows,
        outcomes=outcomes,
        multiple=multiple,
        tested=len(shares),
    )
