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

**Protection.** The base table is program x answer pattern x outcome, always over every
program, as the rest of the dashboard. A pattern is the set of groups a respondent is in: one
group, "not answered", or for race and ethnicity the codes chosen together. Every margin is
published (pattern x outcome, pattern totals, outcome totals, grand total, each with and
without the program) and goes through :func:`hopeful.stats.suppression.protect`. A group's
counts are sums of its patterns' counts, shown only when every one of those is shown (so a
rare combination of race codes hides the groups it belongs to: pooling shows them). Then the
attacker's linear program is solved once more as if the shared margins (outcome totals and
grand totals, which other sections and other breakdowns of the same view may show) were
known; if a hidden count could then be pinned inside 1-10, the whole breakdown is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hopeful.framework import BUILDING_BLOCKS, Instrument
from hopeful.stats import Design, nchs_proportions
from hopeful.stats.equity import GroupShare, gap_tests
from hopeful.stats.suppression import cell_bounds, protect
from hopeful.web.accounts.models import Language
from hopeful.web.families.models import AgeBand, Child, age_band
from hopeful.web.insights.selectors import (
    Estimate,
    Filters,
    ShownCount,
    _band,
    _estimate,
    _lattice,
    _level_one,
)
from hopeful.web.surveys import demographics as demo

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

    @property
    def estimates(self) -> list[Estimate]:
        return [self.overall, *(r.estimate for r in self.rows)]

    @property
    def any_protected(self) -> bool:
        return any(e.protected or e.n.suppressed for e in self.estimates)


# -- outcomes -----------------------------------------------------------------------------------


def outcome_options(definition: Instrument, language: str) -> list[OutcomeOption]:
    options = []
    band = _band(definition)
    if band is not None:
        top = band.cuts[-1][2]
        options.append(OutcomeOption(TOP_BAND, _("In the top group (%(band)s)") % {"band": top}))
    blocks = {b.id: b for b in BUILDING_BLOCKS}
    for output in definition.block_count_outputs:
        block = blocks.get(output.id.removeprefix("bb_"))
        name = block.name.get_text(language) if block else output.id
        options.append(
            OutcomeOption(output.id, _("Building block met: %(block)s") % {"block": name})
        )
    return options


# -- groups -------------------------------------------------------------------------------------


def _answer(value: Any) -> str | None:
    return None if value in (None, "", demo.PREFER_NOT) else str(value)


def _child_bands(table: pd.DataFrame) -> list[str | None]:
    """The age band, in the month of answering, of the family's most recently added child."""
    families = [int(f) for f in table["family"].dropna().unique()]
    # ordered by creation: the last one per family wins
    latest: dict[int, Any] = dict(
        Child.objects.filter(family_id__in=families)
        .order_by("family_id", "created_at", "id")
        .values_list("family_id", "birth_month")
    )
    out: list[str | None] = []
    for family, when in zip(table["family"], table["submitted"], strict=True):
        born = latest.get(int(family)) if family == family else None
        out.append(None if born is None else str(age_band(born, when)))
    return out


def demographic_key(breakdown: str) -> str | None:
    """The key of the submissions' demographics this breakdown reads (None: none)."""
    breakdown = breakdown if breakdown in BREAKDOWNS else DEFAULT_BREAKDOWN
    if breakdown in ("language", "child_age"):
        return None
    if breakdown == "zip3":
        return demo.ZIP3_KEY
    return demo.QUESTIONS_BY_KEY[breakdown].key


def _groups(breakdown: str, table: pd.DataFrame) -> tuple[list[tuple[str, str]], list[list[str]]]:
    """``([(key, label)], [each respondent's group keys])``; "not answered" is not listed
    among the groups but is a respondent's only key when they gave no answer."""
    if breakdown == "language":
        groups = [(str(v), str(label)) for v, label in Language.choices]
        answers = [_answer(v) for v in table["language"]]
    elif breakdown == "child_age":
        groups = [(str(v), str(label)) for v, label in AgeBand.choices]
        answers = _child_bands(table)
    elif breakdown == "zip3":
        answers = [_answer(d.get(demo.ZIP3_KEY)) for d in table["demographics"]]
        observed = sorted({a for a in answers if a is not None})
        groups = [
            (z, _("000 (sparsely populated areas)") if z == demo.RESTRICTED_ZIP3_STORED else z)
            for z in observed
        ]
    elif breakdown == "race_ethnicity":
        question = demo.RACE_ETHNICITY
        groups = [(c, str(label)) for c, label in question.choices if c != demo.PREFER_NOT]
        members = []
        known_codes = question.codes
        for d in table["demographics"]:
            codes = [c for c in d.get(question.key) or [] if c in known_codes]
            codes = [c for c in codes if c != demo.PREFER_NOT]
            members.append(codes or [NOT_ANSWERED])
        return groups, members
    else:
        question = demo.QUESTIONS_BY_KEY[breakdown]
        groups = [(c, str(label)) for c, label in question.choices if c != demo.PREFER_NOT]
        answers = [_answer(d.get(question.key)) for d in table["demographics"]]
    known = {key for key, _label in groups}
    return groups, [[a] if a in known else [NOT_ANSWERED] for a in answers]


# -- protection ---------------------------------------------------------------------------------


class _Cells:
    """protect() over a base with one program axis, group axes and one outcome axis, read back
    by ``{axis: value}`` in the view's slice (the program axis added when one is chosen)."""

    def __init__(
        self, base: np.ndarray[Any, Any], axes: list[tuple[int, ...]], threshold: int
    ) -> None:
        self.result = protect(base.astype(np.int64), axes, threshold=threshold)

    def count(self, program: int | None, cell: dict[int, int]) -> ShownCount:
        keep = tuple(sorted(cell)) if program is None else (0, *sorted(cell))
        coords = tuple(cell[a] for a in sorted(cell))
        if program is not None:
            coords = (program, *coords)
        index = self.result.axes.index(keep)
        table, hidden = self.result.tables[index], self.result.suppressed[index]
        at = coords or (0,)
        return ShownCount(None if bool(hidden[at]) else int(table[at]))


#: The margins every breakdown shares (outcome totals and grand total, with and without the
#: program): other sections and other breakdowns may show them.
def _shared_axes(outcome_axis: int) -> list[tuple[int, ...]]:
    return [(0, outcome_axis), (0,), (outcome_axis,), ()]


#: The last :meth:`_Counts._exposed` answers, by (shape, counts, threshold).
_EXPOSED: dict[tuple[object, ...], bool] = {}
_EXPOSED_SIZE = 512


class _Counts:
    """The protected counts of one breakdown, by group key (cells summed over patterns)."""

    def __init__(
        self,
        base: np.ndarray[Any, Any],
        patterns: list[tuple[str, ...]],
        threshold: int,
    ) -> None:
        self.cells = _Cells(base, _lattice(3), threshold)
        self.patterns = patterns
        # A pure function of the base and the threshold (as protect() is): the attacker's
        # linear programs are solved once per table, not once per request.
        key = (base.shape, base.astype(np.int64).tobytes(), threshold)
        exposed = _EXPOSED.get(key)
        if exposed is None:
            exposed = self._exposed(threshold)
            if len(_EXPOSED) >= _EXPOSED_SIZE:
                _EXPOSED.pop(next(iter(_EXPOSED)))  # the oldest entry
            _EXPOSED[key] = exposed
        self.exposed = exposed

    def _exposed(self, threshold: int) -> bool:
        """Whether a hidden count could be pinned inside 1..threshold-1 by someone who also
        knows the shared margins (shown by other sections or another breakdown)."""
        result = self.cells.result
        if not result.any_suppressed:
            return False
        shared = set(_shared_axes(2))
        hidden = [
            np.zeros_like(h) if axes in shared else h
            for axes, h in zip(result.axes, result.suppressed, strict=True)
        ]
        base_shape = (result.tables[0].shape[0], len(self.patterns), 2)
        bounds = cell_bounds(base_shape, result.axes, result.tables, hidden)
        for low, high in bounds:
            pinned = (low >= 1 - 1e-9) & (high <= threshold - 1 + 1e-9)
            if bool(np.nan_to_num(pinned, nan=0).any()):
                return True
        return False

    def count(self, program: int | None, key: str | None, outcome: int | None) -> ShownCount:
        """The view's count of group ``key`` (None: everyone) with ``outcome`` (None: all):
        the sum of its answer patterns' cells, shown only when every one of them is."""
        cell: dict[int, int] = {} if outcome is None else {2: outcome}
        if key is None:
            return self.cells.count(program, cell)
        total = 0
        for p, pattern in enumerate(self.patterns):
            if key not in pattern:
                continue
            part = self.cells.count(program, {1: p, **cell})
            if part.value is None:
                return ShownCount(None)
            total += part.value
        return ShownCount(total)


def _protection(
    *,
    table: pd.DataFrame,
    outcome: str,
    members: list[list[str]],
    n_programs: int,
    threshold: int,
) -> _Counts:
    """protect() over program x answer pattern x outcome (every margin published). A pattern
    is the set of groups a respondent is in: one group, or several codes for race and
    ethnicity, or "not answered". A group's count is the sum of its patterns' counts, shown
    only when all of them are shown, so it reveals nothing protect() did not check."""
    valid = table[outcome].notna().to_numpy()
    programs = table["program"].to_numpy(dtype=np.int64)
    values = np.nan_to_num(table[outcome].to_numpy(dtype=np.float64)).astype(np.int64)
    patterns = sorted({tuple(m) for m in members})
    index = {p: i for i, p in enumerate(patterns)}
    base = np.zeros((n_programs, max(len(patterns), 1), 2), dtype=np.int64)
    rows = np.flatnonzero(valid)
    pattern = np.array([index[tuple(members[i])] for i in rows], dtype=np.int64)
    np.add.at(base, (programs[rows], pattern, values[rows]), 1)
    return _Counts(base, patterns or [(NOT_ANSWERED,)], threshold)


# -- estimates ----------------------------------------------------------------------------------


def _judged(design: Design | None, outcome: str, by: str) -> pd.DataFrame | None:
    if design is None or design.table[outcome].notna().sum() == 0:
        return None
    if design.table[by].notna().sum() == 0:
        return None
    frame = design.proportion(outcome, by=by, ci="beta")
    return nchs_proportions(_level_one(frame, by))


def _row(frame: pd.DataFrame | None, column: str, value: int) -> pd.Series[Any] | None:
    if frame is None:
        return None
    selected = frame[frame[column] == value]
    return selected.iloc[0] if len(selected) else None


def equity_section(
    *,
    table: pd.DataFrame,
    design: Design | None,
    definition: Instrument,
    filters: Filters,
    program: int | None,
    n_programs: int,
    threshold: int,
    closed: bool,
    language: str,
) -> Equity | None:
    """The breakdown the filters choose, protected and tested (None: no outcome to show)."""
    outcomes = outcome_options(definition, language)
    if not outcomes:
        return None
    ids = [o.id for o in outcomes]
    outcome = filters.outcome if filters.outcome in ids else ids[0]
    outcome_label = next(o.label for o in outcomes if o.id == outcome)
    breakdown = filters.breakdown if filters.breakdown in BREAKDOWNS else DEFAULT_BREAKDOWN
    multiple = breakdown == "race_ethnicity"
    if outcome not in table.columns:
        table = table.assign(**{outcome: np.nan})
    groups, members = _groups(breakdown, table)
    keys = [k for k, _label in groups]
    counts = _protection(
        table=table,
        outcome=outcome,
        members=members,
        n_programs=n_programs,
        threshold=threshold,
    )
    closed = closed or counts.exposed

    # The view's rows with a group code (single choice) or a yes/no column per group.
    view = table if program is None else table[table["program"] == program]
    view_members = [members[i] for i in view.index]
    columns: dict[str, Any] = {outcome: view[outcome].to_numpy(dtype=np.float64)}
    code = {k: i for i, k in enumerate([*keys, NOT_ANSWERED])}
    columns["group"] = np.array([code[m[0]] for m in view_members], dtype=np.float64)
    # Each respondent's answer pattern, so a group's yes/no column is one lookup per pattern.
    view_patterns = sorted({tuple(m) for m in view_members})
    pattern_index = {p: i for i, p in enumerate(view_patterns)}
    of_row = np.array([pattern_index[tuple(m)] for m in view_members], dtype=np.intp)
    not_answered = np.array([NOT_ANSWERED in p for p in view_patterns], dtype=bool)[of_row]
    for k in [*keys, NOT_ANSWERED]:
        inside = np.array([k in p for p in view_patterns], dtype=np.float64)[of_row]
        if k != NOT_ANSWERED:  # the rest: everyone who answered and is not in the group
            inside[not_answered] = np.nan
        columns[f"in:{k}"] = inside
    frame = pd.DataFrame(columns)
    local = Design(frame) if len(frame) else None

    overall_judged = None
    if local is not None and frame[outcome].notna().any():
        overall_judged = nchs_proportions(_level_one(local.proportion(outcome, ci="beta")))
    overall = _estimate(
        key="equity:overall",
        label=_("Everyone"),
        judged=overall_judged,
        row_filter=None,
        counts=[counts.count(program, None, 0), counts.count(program, None, 1)],
        n=counts.count(program, None, None),
        closed=closed,
    )
    by_group = None if multiple else _judged(local, outcome, "group")

    rows: list[EquityRow] = []
    shares: list[GroupShare] = []
    tested_rows: list[int] = []
    for key, label in [*groups, (NOT_ANSWERED, _("Not answered or prefer not to say"))]:
        split = _judged(local, outcome, f"in:{key}")
        if multiple:
            judged, column, value = split, f"in:{key}", 1
        else:
            judged, column, value = by_group, "group", code[key]
        estimate = _estimate(
            key=f"equity:{key}",
            label=label,
            judged=judged,
            row_filter=lambda f, c=column, v=value: f[f[c] == v],
            counts=[counts.count(program, key, 0), counts.count(program, key, 1)],
            n=counts.count(program, key, None),
            closed=closed,
        )
        gap = None
        if estimate.shown and overall.shown:
            gap = float(estimate.estimate or 0.0) - float(overall.estimate or 0.0)
        mine = _row(judged, column, value)
        rest = _row(split, f"in:{key}", 0)
        testable = (
            key != NOT_ANSWERED
            and estimate.shown
            and mine is not None
            and rest is not None
            and np.isfinite(float(rest["se"]))
        )
        if testable and mine is not None and rest is not None:
            tested_rows.append(len(rows))
            shares.append(
                GroupShare(
                    float(mine["estimate"]),
                    float(mine["se"]),
                    float(rest["estimate"]),
                    float(rest["se"]),
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
        overall=overall,
        rows=rows,
        outcomes=outcomes,
        multiple=multiple,
        tested=len(shares),
    )
