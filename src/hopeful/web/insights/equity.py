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

from collections.abc import Mapping
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
from hopeful.stats.suppression import Margin, protect, table_shape
from hopeful.web.accounts.models import Language
from hopeful.web.families.models import AgeBand, Child, age_band
from hopeful.web.insights.periods import Horizon, Period
from hopeful.web.insights.selectors import (
    ALL_AT,
    At,
    Estimate,
    Filters,
    ShownCount,
    _band,
    _estimate,
    _every_program,
    _level_one,
    design_of,
    weight_rows,
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
    period_note: str = ""
    """Set when the breakdown covers more than the chosen period (a quarter's year)."""

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

#: The outcome axis of the breakdown's base: not reached, reached, no value.
_NO, _YES, _MISSING = 0, 1, 2
_ANSWERED = (0, 0, 1)


def equity_at(horizon: Horizon, period: Period) -> At:
    """Breakdowns are published by calendar year (a quarter's groups are too small to show):
    a quarter's breakdown is its year's."""
    if period.year is None:
        return ALL_AT
    return ("year", period.year - horizon.first_year)


class _Counts:
    """The protected counts of one breakdown: protect() over program x quarter x answer
    pattern x outcome (not reached, reached, no value).

    What the attacker is given, besides the groups: every number the rest of the page shows
    about the same outcome and the same people, as those sections decided (their hidden cells
    stay hidden): the outcome's counts and ``n`` by quarter, year and in all (the band or
    block section), and the respondents (the totals). So the groups are protected against
    everything the page shows about them, not each section on its own.

    The groups are published by year and in all: for a single-choice question the patterns
    themselves (a pattern is one group); for race and ethnicity, where a respondent is in every
    group they chose, each group's patterns added up (a coarsened margin per group), and the
    patterns' own counts, never shown, protected too (no combination of answers can be
    worked out)."""

    def __init__(
        self,
        base: np.ndarray[Any, Any],
        patterns: list[tuple[str, ...]],
        keys: list[str],
        multiple: bool,
        threshold: int,
        horizon: Horizon,
        owner: Any,
        yes_value: int,
        respondents: Mapping[tuple[Any, str], np.ndarray[Any, Any]] | None,
    ) -> None:
        self.patterns = patterns
        self.multiple = multiple
        self.pattern_of = {p[0]: i for i, p in enumerate(patterns) if len(p) == 1}
        self.present = {k for p in patterns for k in p}
        self.where: dict[tuple[Any, ...], int] = {}
        years = horizon.year_groups()[: base.shape[1]]
        specs: list[tuple[int, ...] | Margin] = []
        known: dict[int, np.ndarray[Any, Any]] = {}
        unshown: dict[int, np.ndarray[Any, Any]] = {}
        free: dict[int, np.ndarray[Any, Any]] = {}

        def spec(sub: tuple[int, ...], level: str, coarsen: dict[int, tuple[int, ...]]) -> Any:
            if level == "all":
                return Margin.of(sub, coarsen) if coarsen else tuple(sorted(sub))
            period = {} if level == "quarter" else {1: years}
            return Margin.of((*sub, 1), {**coarsen, **period})

        def add(name: tuple[Any, ...], table: Any) -> int:
            self.where[name] = len(specs)
            specs.append(table)
            return len(specs) - 1

        for level in ("quarter", "year", "all"):
            for program in (True, False):
                lead = (0,) if program else ()
                suffix = "" if program else "_all"
                # the outcome's section: its counts (reached, and not for a block) and n
                index = add(("cells", level, program), spec((*lead, 3), level, {}))
                if owner is not None:
                    shown = owner.protected.result
                    mine = shown.suppressed[owner.protected.where[("cells" + suffix, level)]]
                    mask = np.ones((*mine.shape[:-1], 3), dtype=bool)
                    mask[..., _YES] = mine[..., yes_value]
                    if yes_value == 1:  # a block: its "not met" count is shown too
                        mask[..., _NO] = mine[..., 0]
                    known[index] = mask
                    index = add(("n", level, program), spec((*lead, 3), level, {3: _ANSWERED}))
                    mine = shown.suppressed[owner.protected.where[("n" + suffix, level)]]
                    known[index] = mine
                if respondents is not None:
                    name = "respondents" + suffix
                    index = add(("respondents", level, program), spec(lead, level, {}))
                    known[index] = respondents[(name, level)]
        for level in ("year", "all"):
            for program in (True, False):
                lead = (0,) if program else ()
                tables: list[tuple[Any, dict[int, tuple[int, ...]]]] = []
                if multiple:
                    for key in keys:
                        if key in self.present:
                            inside = tuple(1 if key in p else 0 for p in patterns)
                            tables.append((key, {2: inside}))
                    tables.append(("patterns", {}))
                else:
                    tables.append(("pattern", {}))
                for name, coarsen in tables:
                    cells = add(
                        (name, "cells", level, program), spec((*lead, 2, 3), level, coarsen)
                    )
                    n = add(
                        (name, "n", level, program),
                        spec((*lead, 2, 3), level, {**coarsen, 3: _ANSWERED}),
                    )
                    if name == "patterns":  # never shown
                        unshown[cells] = np.ones(table_shape(base.shape, specs[cells]), dtype=bool)
                        unshown[n] = np.ones(table_shape(base.shape, specs[n]), dtype=bool)
                    else:  # no value: never shown, needs no protection of its own
                        mask = np.zeros(table_shape(base.shape, specs[cells]), dtype=bool)
                        mask[..., _MISSING] = True
                        free[cells] = mask
                        mask = np.zeros(table_shape(base.shape, specs[n]), dtype=bool)
                        mask[..., 1] = True
                        free[n] = mask
        self.result = protect(
            base.astype(np.int64),
            specs,
            threshold=threshold,
            known=known,
            unshown=unshown,
            untargeted=free,
        )
        # protect() hides everything when it cannot protect the groups around what the other
        # sections show: then the breakdown is closed.
        self.exposed = bool(self.result.notes)

    def count(
        self, program: int | None, at: At, key: str | None, outcome: int | None
    ) -> ShownCount:
        """The view's count of group ``key`` (None: everyone) with ``outcome`` (None: all
        with a value)."""
        level = at[0]
        with_program = program is not None
        lead = ((program,) if with_program else ()) + ((at[1],) if level == "year" else ())
        tail = (outcome if outcome is not None else 0,)
        kind = "cells" if outcome is not None else "n"
        if key is None:
            index, coords = self.where[(kind, level, with_program)], (*lead, *tail)
        elif key not in self.present:
            return ShownCount(0)
        elif self.multiple:
            index, coords = self.where[(key, kind, level, with_program)], (*lead, 1, *tail)
        else:
            index = self.where[("pattern", kind, level, with_program)]
            coords = (*lead, self.pattern_of[key], *tail)
        table, hidden = self.result.tables[index], self.result.suppressed[index]
        return ShownCount(None if bool(hidden[coords]) else int(table[coords]))


def _protection(
    *,
    table: pd.DataFrame,
    outcome: str,
    members: list[list[str]],
    keys: list[str],
    multiple: bool,
    n_programs: int,
    horizon: Horizon,
    threshold: int,
    owner: Any,
    yes_value: int,
    respondents: Mapping[tuple[Any, str], np.ndarray[Any, Any]] | None,
) -> _Counts:
    """protect() over program x quarter x answer pattern x outcome. A pattern is the set of
    groups a respondent is in: one group, several codes for race and ethnicity, or "not
    answered"."""
    programs = table["program"].to_numpy(dtype=np.int64)
    quarters = table["quarter"].to_numpy(dtype=np.int64)
    column = table[outcome]
    values = np.where(
        column.isna(), _MISSING, np.nan_to_num(column.to_numpy(dtype=np.float64))
    ).astype(np.int64)
    patterns = sorted({tuple(m) for m in members}) or [(NOT_ANSWERED,)]
    index = {p: i for i, p in enumerate(patterns)}
    base = np.zeros((n_programs, horizon.current_quarter + 1, len(patterns), 3), dtype=np.int64)
    pattern = np.array([index[tuple(m)] for m in members], dtype=np.int64)
    if len(table):
        np.add.at(base, (programs, quarters, pattern, values), 1)
    return _Counts(
        base, patterns, keys, multiple, threshold, horizon, owner, yes_value, respondents
    )


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
    definition: Instrument,
    filters: Filters,
    program: int | None,
    horizon: Horizon,
    n_programs: int,
    threshold: int,
    closed: bool,
    language: str,
    owners: dict[str, Any] | None = None,
    respondents: Mapping[tuple[Any, str], np.ndarray[Any, Any]] | None = None,
    sizes: list[int] | None = None,
    weighted: bool = False,
    **_ignored: Any,
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
    at = equity_at(horizon, filters.period)
    owner = (owners or {}).get(outcome)
    band = _band(definition)
    yes_value = len(band.cuts) - 1 if outcome == TOP_BAND and band is not None else 1
    counts = _protection(
        table=table,
        outcome=outcome,
        members=members,
        keys=[*keys, NOT_ANSWERED],
        multiple=multiple,
        n_programs=n_programs,
        horizon=horizon,
        threshold=threshold,
        owner=owner,
        yes_value=yes_value,
        respondents=respondents,
    )
    closed = closed or counts.exposed

    # The view's rows (its program, its year or all) with a group code (single choice) or a
    # yes/no column per group.
    keep = np.ones(len(table), dtype=bool)
    if program is not None:
        keep &= (table["program"] == program).to_numpy()
    if at[0] == "year":
        keep &= (table["year"] == at[1]).to_numpy()
    view = table[keep]
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
    if weighted:
        weights = weight_rows(view, sizes)["w"].to_numpy(dtype=np.float64)
        frame = frame.assign(w=weights, program=view["program"].to_numpy(dtype=np.int64))
    local = design_of(frame, weighted)

    overall_judged = None
    if local is not None and frame[outcome].notna().any():
        overall_judged = nchs_proportions(_level_one(local.proportion(outcome, ci="beta")))
    # Everyone's counts are the outcome's own section's (the band section for the top group,
    # the block's for a block): one decision for a count the page shows twice.
    if owner is not None:
        overall_counts = [
            owner.count(program, at, yes_value),
            *_every_program(
                weighted, n_programs, lambda p: [owner.count(p, at, yes_value), owner.n(p, at)]
            ),
        ]
        if outcome != TOP_BAND:
            overall_counts.append(owner.count(program, at, 0))
        overall_n = owner.n(program, at)
    else:
        overall_counts = [counts.count(program, at, None, 0), counts.count(program, at, None, 1)]
        overall_n = counts.count(program, at, None, None)
    overall = _estimate(
        key="equity:overall",
        label=_("Everyone"),
        judged=overall_judged,
        row_filter=None,
        counts=overall_counts,
        n=overall_n,
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
            counts=[
                counts.count(program, at, key, 0),
                counts.count(program, at, key, 1),
                *_every_program(
                    weighted,
                    n_programs,
                    lambda p, key=key: [counts.count(p, at, key, 0), counts.count(p, at, key, 1)],
                ),
            ],
            n=counts.count(program, at, key, None),
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
            and all(np.isfinite(float(r[c])) for r in (mine, rest) for c in ("estimate", "se"))
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
        period_note=(
            _("Groups are shown by whole calendar year: this breakdown covers %(year)s.")
            % {"year": filters.period.year}
            if filters.period.quarter is not None
            else ""
        ),
    )
