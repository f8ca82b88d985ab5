"""Reads for the organization dashboard: protected aggregates only, never a family's row.

Only submissions of families whose current consent covers ``program_improvement`` are
counted (:func:`hopeful.web.families.selectors.with_consent`). Every estimate comes from
:mod:`hopeful.stats` (program data as a simple random sample of respondents,
``Design(table).proportion(..., ci="beta")``, or weighted by the families each program
serves) and is judged by ``nchs_proportions``; every count
goes through :func:`hopeful.stats.suppression.protect`.

How the counts are protected. Every base is program x quarter x ..., always over **every**
program of the organization whatever the program filter, and published by quarter, by year
and for all years (:class:`_Protected`), so no program or period view can be subtracted from
another. The sections are protected in order, each around what earlier ones decided
(``protect(known=...)``): the totals (reach and respondents, :func:`_totals`), then each
outcome (:class:`_Outcome`), then the equity breakdown
(:mod:`hopeful.web.insights.equity`). A percentage is shown only when the NCHS standard
presents it *and* none of the counts it reveals is suppressed (a share times its ``n`` is a
count; a weighted share, every program's counts behind it). ``docs/insights.md`` says more.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any, cast

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Count as DbCount
from django.db.models import Exists, JSONField, Max, OuterRef, Subquery, TextField, Value
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful.framework import (
    BUILDING_BLOCKS,
    AllMet,
    Band,
    HopefulError,
    Instrument,
    get_instrument,
)
from hopeful.stats import Design, nchs_proportions
from hopeful.stats.suppression import Margin, protect, table_shape
from hopeful.web.accounts.models import Language
from hopeful.web.families.models import Child, ConsentPurpose, ConsentRecord
from hopeful.web.families.selectors import with_consent
from hopeful.web.insights import benchmarks
from hopeful.web.insights.benchmarks import Benchmark
from hopeful.web.insights.periods import Horizon, Period, quarter_label
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Program
from hopeful.web.surveys.models import CampaignLink, InstrumentScore, LinkKind, Submission

DEFAULT_INSTRUMENT = "pce7"

#: Outputs shown as rates with their CIs when an instrument has them.
RATE_OUTPUTS = ("flourishing", "resilient")


def small_cell_threshold() -> int:
    """Counts from 1 to this minus one are never shown (default 11: 1-10 hidden)."""
    return int(getattr(settings, "HOPEFUL_SMALL_CELL_THRESHOLD", 11))


# -- filters -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProgramOption:
    id: int
    public_id: str
    name: str
    families_served: int | None = None
    """Entered by an org admin: when every program has it, all-programs views are weighted."""


@dataclass(frozen=True, slots=True)
class InstrumentOption:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class FilterOptions:
    programs: list[ProgramOption]
    instruments: list[InstrumentOption]

    @property
    def default_instrument(self) -> str:
        ids = [i.id for i in self.instruments]
        if DEFAULT_INSTRUMENT in ids:
            return DEFAULT_INSTRUMENT
        return ids[0] if ids else ""


@dataclass(frozen=True, slots=True)
class Filters:
    program: ProgramOption | None
    """None: all programs."""
    period: Period
    """A calendar quarter, a calendar year or all years (:mod:`hopeful.web.insights.periods`)."""
    instrument_id: str
    breakdown: str = ""
    """The equity breakdown (a key of :data:`hopeful.web.insights.equity.BREAKDOWNS`)."""
    outcome: str = ""
    """The equity outcome: ``top_band`` or a building block's output id (``bb_...``)."""
    horizon: Horizon = field(default_factory=Horizon.current)

    @property
    def start(self) -> dt.date:
        """The period's first month (its first day)."""
        return self.horizon.months(self.period)[0]

    @property
    def end(self) -> dt.date:
        """The period's last month (its first day)."""
        return self.horizon.months(self.period)[1]

    @property
    def period_label(self) -> str:
        return self.horizon.label(self.period)


def _instrument(instrument_id: str, version: str | None = None) -> Instrument | None:
    try:
        return get_instrument(instrument_id, version or None)
    except HopefulError:
        return None


def filter_options(*, access: Access, language: str) -> FilterOptions:
    """The organization's programs and the instruments it has submissions for."""
    organization = access.organization
    programs = [
        ProgramOption(
            id=p.id, public_id=str(p.public_id), name=p.name, families_served=p.families_served
        )
        for p in Program.objects.filter(organization=organization).order_by("name", "id")
    ]
    ids = sorted(
        InstrumentScore.objects.filter(organization=organization)
        .values_list("instrument_id", flat=True)
        .distinct()
        .order_by()
    )
    instruments = []
    for instrument_id in ids:
        definition = _instrument(instrument_id)
        title = definition.short_title.get_text(language) if definition else instrument_id
        instruments.append(InstrumentOption(id=instrument_id, title=title))
    return FilterOptions(programs=programs, instruments=instruments)


# -- what the page shows -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShownCount:
    """A count as published: ``value`` is None when it is hidden to protect a small group."""

    value: int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True, slots=True)
class Estimate:
    """One percentage (or mean) as published, with why it is hidden when it is."""

    key: str
    label: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: ShownCount
    """Respondents with an answer (the denominator)."""
    hidden: str = ""
    """Plain-language reason the estimate is not shown ('' when shown)."""
    protected: bool = False
    """Hidden (also) because a count it would reveal is small."""
    flags: tuple[str, ...] = ()
    benchmark: Benchmark | None = None
    kind: str = "proportion"
    """``proportion`` or ``mean``."""

    @property
    def shown(self) -> bool:
        return self.estimate is not None


@dataclass(frozen=True, slots=True)
class CountRow:
    label: str
    count: ShownCount


@dataclass(frozen=True, slots=True)
class Reach:
    by_program: list[CountRow]
    by_language: list[CountRow]
    total: ShownCount
    left_out: ShownCount
    """Submissions not counted: the family's consent does not cover program improvement."""
    invited: ShownCount = ShownCount(0)
    """Families sent a personal invitation link in the period (by the link's date)."""
    answered: ShownCount = ShownCount(0)
    """Of those invitations, the ones answered by a family who agreed to be counted."""


@dataclass(frozen=True, slots=True)
class TrendPoint:
    month: dt.date
    """The first month of the point's quarter."""
    estimate: Estimate


@dataclass(frozen=True, slots=True)
class Trend:
    title: str
    kind: str
    """``proportion`` (share in the top band) or ``mean`` (mean score)."""
    points: list[TrendPoint]
    scale_max: float
    """The top of the chart's scale: 1 for shares, the score's maximum for means."""

    @property
    def estimates(self) -> list[Estimate]:
        return [p.estimate for p in self.points]


@dataclass(frozen=True)
class Dashboard:
    organization: str
    filters: Filters
    instrument_title: str
    threshold: int
    reach: Reach
    respondents: ShownCount
    """Scored submissions of the chosen questionnaire in the view."""
    items: list[Estimate] = field(default_factory=list)
    blocks: list[Estimate] = field(default_factory=list)
    bands: list[Estimate] = field(default_factory=list)
    rates: list[Estimate] = field(default_factory=list)
    trend: Trend | None = None
    weighted: bool = False
    """All-programs estimates weighted by the families each program serves."""
    has_benchmarks: bool = False
    equity: Any = None
    """The equity breakdown (:class:`hopeful.web.insights.equity.Equity`), when it applies."""

    @property
    def all_estimates(self) -> list[Estimate]:
        points = [p.estimate for p in self.trend.points] if self.trend else []
        equity = self.equity.estimates if self.equity is not None else []
        return [*self.items, *self.blocks, *self.bands, *self.rates, *points, *equity]

    @property
    def any_protected(self) -> bool:
        counts = [
            self.reach.total,
            self.reach.left_out,
            self.respondents,
            *(r.count for r in self.reach.by_program),
            *(r.count for r in self.reach.by_language),
        ]
        return any(c.suppressed for c in counts) or any(
            e.protected or e.n.suppressed for e in self.all_estimates
        )

    @property
    def any_unreliable(self) -> bool:
        return any(e.hidden and not e.protected for e in self.all_estimates)


# -- protection --------------------------------------------------------------------------------


#: Where a view's period sits among the published periods: ("quarter", position),
#: ("year", position) or ("all", 0).
At = tuple[str, int]
ALL_AT: At = ("all", 0)


def period_at(horizon: Horizon, period: Period) -> At:
    if period.year is None:
        return ALL_AT
    if period.quarter is None:
        return ("year", period.year - horizon.first_year)
    return ("quarter", horizon.index(period.year, period.quarter))


class _Protected:
    """protect() over a base whose axis 0 is the program and axis 1 the period (quarters),
    published at every period level together: each quarter, the quarters added up into years,
    and all of them.

    ``tables`` names what is published: name -> (the other axes kept, how some of them are
    added up into groups). Without it every margin of the other axes is published, named by
    the axes kept. ``known`` names tables another section owns and shows: the attacker is
    taken to know them (see ``protect(known=...)``); this section never shows them itself."""

    def __init__(
        self,
        base: np.ndarray[Any, Any],
        threshold: int,
        *,
        levels: Sequence[tuple[str, tuple[int, ...]]] = (),
        tables: dict[Any, tuple[tuple[int, ...], dict[int, tuple[int, ...]]]] | None = None,
        known: Sequence[Any] | Mapping[tuple[Any, str], np.ndarray[Any, Any]] = (),
        untargeted_last: Sequence[Any] = (),
    ) -> None:
        others = tuple(a for a in range(base.ndim) if a != 1)
        if tables is None:
            tables = {
                c: (c, {}) for k in range(len(others), -1, -1) for c in combinations(others, k)
            }
        self.tables = tables
        self.levels = dict(levels)
        specs: list[tuple[int, ...] | Margin] = []
        fixed: list[int] = []
        given: dict[int, np.ndarray[Any, Any]] = {}
        free: dict[int, np.ndarray[Any, Any]] = {}
        self.where: dict[tuple[Any, str], int] = {}
        for name, (sub, coarsen) in tables.items():
            for level in ("quarter", *self.levels, "all"):
                if isinstance(known, Mapping) and (name, level) in known:
                    given[len(specs)] = known[(name, level)]
                elif not isinstance(known, Mapping) and name in known:
                    fixed.append(len(specs))
                self.where[(name, level)] = len(specs)
                specs.append(self._spec(sub, coarsen, level))
                if name in untargeted_last:
                    mask = np.zeros(table_shape(base.shape, specs[-1]), dtype=bool)
                    mask[..., -1] = True
                    free[len(specs) - 1] = mask
        self.result = protect(
            base.astype(np.int64),
            specs,
            threshold=threshold,
            known=given or fixed,
            untargeted=free,
        )

    def _spec(
        self, sub: tuple[int, ...], coarsen: dict[int, tuple[int, ...]], level: str
    ) -> tuple[int, ...] | Margin:
        if level == "all":
            return Margin.of(sub, coarsen) if coarsen else tuple(sorted(sub))
        if level == "quarter":
            return Margin.of((*sub, 1), coarsen)
        return Margin.of((*sub, 1), {**coarsen, 1: self.levels[level]})

    def cell(self, name: Any, at: At, program: int | None, rest: tuple[int, ...]) -> ShownCount:
        """Table ``name``'s cell at ``at``: its program (when kept), its period, then ``rest``
        (the other kept axes, in order)."""
        index = self.where[(name, at[0])]
        coords = (() if program is None else (program,)) + (() if at[0] == "all" else (at[1],))
        table, hidden = self.result.tables[index], self.result.suppressed[index]
        position = (*coords, *rest) or (0,)
        return ShownCount(None if bool(hidden[position]) else int(table[position]))

    def view(self, program: int | None, at: At, rest: tuple[int, ...]) -> ShownCount:
        """The count of cell ``rest`` (over the axes after the period) in the view's slice,
        from the default margins."""
        others = tuple(range(2, 2 + len(rest)))
        name = others if program is None else (0, *others)
        return self.cell(name, at, program, rest)


def _quarterly(
    base: np.ndarray[Any, Any], threshold: int, horizon: Horizon, **kwargs: Any
) -> _Protected:
    """A program x quarter x ... base, published by quarter, by year and for all years."""
    groups = horizon.year_groups()[: base.shape[1]]
    return _Protected(base, threshold, levels=[("year", groups)], **kwargs)


class _Outcome:
    """The protected counts of one outcome (an item, a block met, the group): base program x
    quarter x (its values..., no value). Published: each value's count and the number with a
    value (``n``), with and without the program; the respondents (every value and none) are
    the totals section's, known here. So every section agrees with the totals, and the
    missing answers (respondents minus ``n``) are protected too."""

    def __init__(
        self,
        base: np.ndarray[Any, Any],
        threshold: int,
        horizon: Horizon,
        respondents: Mapping[tuple[Any, str], np.ndarray[Any, Any]] | None = None,
    ) -> None:
        values = base.shape[2] - 1
        answered = (*([0] * values), 1)
        self.protected = _quarterly(
            base,
            threshold,
            horizon,
            tables={
                "cells": ((0, 2), {}),
                "cells_all": ((2,), {}),
                "n": ((0, 2), {2: answered}),
                "n_all": ((2,), {2: answered}),
                "respondents": ((0,), {}),
                "respondents_all": ((), {}),
            },
            # The totals section's decisions on the respondents (what it hides stays hidden);
            # without them, every respondents count is taken as known.
            known=respondents if respondents is not None else ("respondents", "respondents_all"),
            # "No value" is never shown on its own and needs no protection: how many did not
            # answer one question is the respondents minus its n.
            untargeted_last=("cells", "cells_all", "n", "n_all"),
        )

    def count(self, program: int | None, at: At, value: int) -> ShownCount:
        name = "cells" if program is not None else "cells_all"
        return self.protected.cell(name, at, program, (value,))

    def n(self, program: int | None, at: At) -> ShownCount:
        name = "n" if program is not None else "n_all"
        return self.protected.cell(name, at, program, (0,))


def _outcome_base(
    table: pd.DataFrame, codes: pd.Series[Any], values: int, n_programs: int, horizon: Horizon
) -> np.ndarray[Any, Any]:
    """Program x quarter x (value 0..values-1, no value) counts; ``codes`` gives each row's
    value (NaN: none)."""
    base = np.zeros((n_programs, horizon.current_quarter + 1, values + 1), dtype=np.int64)
    outcome = np.where(codes.isna(), values, np.nan_to_num(codes.to_numpy(dtype=np.float64)))
    np.add.at(
        base,
        (
            table["program"].to_numpy(dtype=np.int64),
            table["quarter"].to_numpy(dtype=np.int64),
            outcome.astype(np.int64),
        ),
        1,
    )
    return base


# -- the data: one row per scored submission ---------------------------------------------------


def _counted(access: Access, horizon: Horizon) -> Any:
    """Submissions of the horizon (every program), consent or not."""
    start = timezone.make_aware(dt.datetime.combine(horizon.start, dt.time.min))
    stop = timezone.make_aware(dt.datetime.combine(horizon.stop, dt.time.min))
    return Submission.objects.filter(
        organization=access.organization, submitted_at__gte=start, submitted_at__lt=stop
    )


def _affirmative(definition: Instrument, item_id: str, code: Any) -> float:
    """1 affirmative, 0 answered otherwise, NaN missing (7, 9, blank or unknown code)."""
    if code is None or code == "":
        return np.nan
    try:
        value = int(code)
        item = definition.item(item_id)
    except (TypeError, ValueError, HopefulError):
        return np.nan
    if value in definition.affirmative_codes(item_id):
        return 1.0
    return 0.0 if value in item.answer_codes else np.nan


def _affirmative_reader(definition: Instrument, item_id: str) -> Callable[[Any], float]:
    """:func:`_affirmative` for one item, remembered per answer code (codes repeat)."""
    seen: dict[Any, float] = {}

    def read(code: Any) -> float:
        try:
            return seen[code]
        except KeyError:
            value = seen[code] = _affirmative(definition, item_id, code)
            return value
        except TypeError:  # an unhashable answer: never a code
            return _affirmative(definition, item_id, code)

    return read


def _flag(value: Any) -> float:
    if value is None:
        return np.nan
    return 1.0 if bool(value) else 0.0


def _respondent_table(
    access: Access,
    instrument_id: str,
    programs: list[ProgramOption],
    horizon: Horizon,
    demographic: str | None = None,
) -> pd.DataFrame:
    """One row per scored submission of the chosen instrument in the horizon, of families who
    agreed to be counted for program improvement: program and quarter index, each item's
    affirmative flag, each block's "met" flag, band, rates and score.

    Only the parts of the JSON the dashboard reads are fetched: the chosen instrument's
    answers and, of the demographics, the ``demographic`` key (the equity breakdown's
    question; None: none), so the ``demographics`` column holds ``{demographic: value}``
    (``{}`` when the family did not answer it)."""
    counted = with_consent(
        _counted(access, horizon), ConsentPurpose.PROGRAM_IMPROVEMENT, family_field="family"
    )
    rows = InstrumentScore.objects.filter(
        organization=access.organization,
        instrument_id=instrument_id,
        submission__in=counted.values("id"),
    ).order_by("submission__submitted_at", "id")
    program_index = {p.id: i for i, p in enumerate(programs)}
    zone = timezone.get_current_timezone()
    fixed = (
        "program",
        "quarter",
        "band",
        "score",
        "demographics",
        "language",
        "family",
        "submitted",
    )
    # One list per column; a row without a column (an unknown version, a rate the row does not
    # have) gets NaN there, as a frame built from one dict per row would.
    columns: dict[str, list[Any]] = {name: [] for name in fixed}
    programs_, quarters_, bands, scores, demographics, languages, families, submitted = (
        columns[name] for name in fixed
    )
    #: per version: (column, answer key, reader) for the items, (column, output) for the blocks
    slots: dict[str, tuple[list[tuple[list[Any], str, Callable[[Any], float]]], list[Any]]] = {}
    n = 0

    def column(name: str) -> list[Any]:
        return columns.setdefault(name, [])

    def pad(values: list[Any]) -> None:
        if len(values) < n:
            values.extend([np.nan] * (n - len(values)))

    demographic_value = (
        KeyTransform(demographic, "submission__demographics")
        if demographic is not None
        else Value(None, output_field=JSONField())
    )
    # The scores repeat (a handful of outputs with few values): each distinct text is decoded
    # and read once (the same json.loads the JSONField would run on each row).
    parsed: dict[tuple[str, str | None], tuple[Any, float, list[float], list[float | None]]] = {}
    fetched = rows.values_list(
        "instrument_version",
        Cast("values", TextField()),
        KeyTransform(instrument_id, "submission__answers"),
        "submission__program_id",
        "submission__submitted_at",
        demographic_value,
        "submission__language",
        "submission__family_id",
    )
    for version, raw_values, answered, program_id, submitted_at, raw_demo, lang, family in fetched:
        slot = slots.get(version)
        if slot is None:
            definition = _instrument(instrument_id, version)
            items: list[tuple[list[Any], str, Callable[[Any], float]]] = []
            blocks: list[tuple[list[Any], str]] = []
            if definition is not None:
                items = [
                    (column(f"item_{item.id}"), item.id, _affirmative_reader(definition, item.id))
                    for item in definition.items
                    if item.block is not None
                ]
                blocks = [
                    (column(output.id), output.id) for output in definition.block_count_outputs
                ]
            slot = slots[version] = (items, blocks)
        read_values = parsed.get((version, raw_values))
        if read_values is None:
            decoded = None if raw_values is None else json.loads(raw_values)
            values = decoded if isinstance(decoded, dict) else {}
            score = values.get("score")
            read_values = parsed[(version, raw_values)] = (
                values.get("band"),
                np.nan if score is None else float(score),
                [
                    np.nan if values.get(output_id) is None else float(int(values[output_id]) >= 1)
                    for _target, output_id in slot[1]
                ],
                [_flag(values[rate]) if rate in values else None for rate in RATE_OUTPUTS],
            )
        band_value, score_value, block_values, rate_values = read_values
        answered = answered or {}
        local = submitted_at.astimezone(zone)  # timezone.localtime, without its lookups
        programs_.append(program_index.get(program_id, -1))
        quarters_.append(horizon.quarter_index(local.year, local.month))
        bands.append(band_value)
        scores.append(score_value)
        # for the equity breakdowns (never published: grouped and protected first)
        demographics.append({} if raw_demo is None else {demographic: raw_demo})
        languages.append(lang)
        families.append(family)
        submitted.append(local.date())
        for target, key, read in slot[0]:
            if len(target) < n:
                pad(target)
            target.append(read(answered.get(key)))
        for (target, _output_id), block_value in zip(slot[1], block_values, strict=True):
            if len(target) < n:
                pad(target)
            target.append(block_value)
        for rate, rate_value in zip(RATE_OUTPUTS, rate_values, strict=True):
            if rate_value is not None:
                target = column(rate)
                pad(target)
                target.append(rate_value)
        n += 1
    for values_ in columns.values():
        pad(values_)
    table = pd.DataFrame(columns)
    table = table[(table["program"] >= 0) & (table["quarter"] >= 0)].reset_index(drop=True)
    table["year"] = table["quarter"] // 4
    current = _instrument(instrument_id)
    band = _band(current)
    if band is not None:
        # One 0/1 column per band (and the top band), missing where the band is.
        missing = table["band"].isna()
        for b, (_low, _high, name) in enumerate(band.cuts):
            table[f"band_is_{b}"] = np.where(missing, np.nan, (table["band"] == name) * 1.0)
        table["top_band"] = table[f"band_is_{len(band.cuts) - 1}"]
    return table


def _band(definition: Instrument | None) -> Band | None:
    if definition is None:
        return None
    try:
        output = definition.output("band")
    except KeyError:
        return None
    return output if isinstance(output, Band) else None


# -- estimates ---------------------------------------------------------------------------------


def plain_reason(reason: str) -> str:
    """The NCHS decision in plain language."""
    if reason.startswith("effective sample size"):
        return _("Too few answers for a reliable percentage.")
    if reason.startswith("relative"):
        return _("Too uncertain for its size to be shown.")
    if reason.startswith("confidence interval"):
        return _("Too uncertain to be shown: the range of likely values is too wide.")
    return _("Not reliable enough to be shown.")


def plain_flags(flags: str) -> tuple[str, ...]:
    """The NCHS footnotes in plain language."""
    out = []
    for flag in filter(None, (f.strip() for f in flags.split(";"))):
        if flag.startswith("complement"):
            out.append(_("The share without it is not reliable."))
        elif flag.startswith("fewer than"):
            out.append(_("Based on few answers: read with care."))
        elif flag.startswith("estimate is 0%"):
            out.append(_("Everyone or no one: read with care."))
        else:
            out.append(flag)
    return tuple(out)


def _level_one(frame: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """The rows for level 1 of a 0/1 proportion. Where the data hold only 0s (no level 1
    row), the level-0 row's complement: the engine computes the second level of a binary
    variable the same way (1 - p, the same variance), and the beta interval is symmetric."""
    ones = frame[frame["level"] == 1]
    zeros = frame[frame["level"] == 0]
    if by is not None:
        zeros = zeros[~zeros[by].isin(ones[by])]
    else:
        zeros = zeros if ones.empty else zeros.iloc[0:0]
    if not zeros.empty:
        flipped = zeros.copy()
        flipped["level"] = 1
        flipped["estimate"] = 1.0 - zeros["estimate"]
        flipped["ci_low"] = 1.0 - zeros["ci_high"]
        flipped["ci_high"] = 1.0 - zeros["ci_low"]
        ones = pd.concat([ones, flipped], ignore_index=True)
        if by is not None:
            ones = ones.sort_values(by, kind="stable")
    return ones.reset_index(drop=True)


def _binary_estimate(
    design: Design | None, variable: str, by: str | None = None
) -> pd.DataFrame | None:
    """``Design.proportion`` of a 0/1 variable (level 1), judged by ``nchs_proportions``."""
    if design is None or variable not in design.table.columns:
        return None
    if design.table[variable].notna().sum() == 0:
        return None
    frame = design.proportion(variable, by=by, ci="beta")
    return nchs_proportions(_level_one(frame, by))


def _estimate(
    *,
    key: str,
    label: str,
    judged: pd.DataFrame | None,
    row_filter: Callable[[pd.DataFrame], pd.DataFrame] | None,
    counts: Sequence[ShownCount],
    n: ShownCount,
    closed: bool = False,
    benchmark: Benchmark | None = None,
) -> Estimate:
    """An estimate as published: shown only when NCHS presents it and none of the counts it
    would reveal is suppressed (``closed``: the whole view is hidden, its ``n`` too)."""
    if closed:
        n = ShownCount(None)
    row = None
    if judged is not None:
        selected = row_filter(judged) if row_filter else judged
        row = selected.iloc[0] if len(selected) else None
    blank = {"key": key, "label": label, "n": n, "benchmark": benchmark}
    if n.suppressed or any(c.suppressed for c in counts):
        return _hidden(_("Hidden to protect small groups."), protected=True, **blank)
    if row is None:
        return _hidden(_("No answers in this view."), **blank)
    if not bool(row["present"]):
        return _hidden(plain_reason(str(row["reason"])), **blank)
    return Estimate(
        key=key,
        label=label,
        estimate=float(row["estimate"]),
        ci_low=float(row["ci_low"]),
        ci_high=float(row["ci_high"]),
        n=n,
        flags=plain_flags(str(row["flags"])),
        benchmark=benchmark,
    )


def _hidden(reason: str, *, protected: bool = False, **fields: Any) -> Estimate:
    return Estimate(
        estimate=None, ci_low=None, ci_high=None, hidden=reason, protected=protected, **fields
    )


def _binary_counts(
    table: pd.DataFrame,
    variable: str,
    n_programs: int,
    horizon: Horizon,
    threshold: int,
    respondents: Mapping[tuple[Any, str], np.ndarray[Any, Any]] | None = None,
) -> _Outcome:
    """Program x quarter x (no, yes, no answer)."""
    codes = table[variable] if variable in table.columns else pd.Series(np.nan, index=table.index)
    base = _outcome_base(table, codes, 2, n_programs, horizon)
    return _Outcome(base, threshold, horizon, respondents)


def _binary_section(
    *,
    table: pd.DataFrame,
    design: Design | None,
    variable: str,
    key: str,
    label: str,
    program: int | None,
    at: At,
    horizon: Horizon,
    n_programs: int,
    threshold: int,
    closed: bool,
    owners: dict[str, Any],
    respondents: Mapping[tuple[Any, str], np.ndarray[Any, Any]] | None = None,
    weighted: bool = False,
    benchmark: Benchmark | None = None,
    **_ignored: Any,
) -> Estimate:
    protected = _binary_counts(table, variable, n_programs, horizon, threshold, respondents)
    owners[variable] = protected
    per_program = _every_program(
        weighted,
        n_programs,
        lambda p: [protected.count(p, at, 0), protected.count(p, at, 1), protected.n(p, at)],
    )
    return _estimate(
        key=key,
        label=label,
        judged=_binary_estimate(design, variable),
        row_filter=None,
        counts=[protected.count(program, at, 0), protected.count(program, at, 1), *per_program],
        n=protected.n(program, at),
        closed=closed,
        benchmark=benchmark,
    )


def _output_label(definition: Instrument, output_id: str, language: str) -> str:
    try:
        label = definition.output(output_id).label
    except KeyError:
        return output_id
    return label.get_text(language) if label is not None else output_id


# -- reach and respondents ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Totals:
    reach: Reach
    respondents: ShownCount
    hidden: dict[tuple[Any, str], np.ndarray[Any, Any]]
    """Which respondents counts the totals hide, as :class:`_Outcome` takes them."""


def _totals(
    access: Access,
    horizon: Horizon,
    programs: list[ProgramOption],
    program: int | None,
    at: At,
    table: pd.DataFrame,
    threshold: int,
) -> _Totals:
    """The reach (submissions counted, by program and by language) and the respondents (of
    them, those who answered the questionnaire) from one protected base, program x quarter x
    language x (answered it, did not): one decision for every total the page shows."""
    submissions = _counted(access, horizon)
    counted = with_consent(submissions, ConsentPurpose.PROGRAM_IMPROVEMENT, family_field="family")
    languages = list(Language)
    language_index = {lang.value: i for i, lang in enumerate(languages)}
    program_index = {p.id: i for i, p in enumerate(programs)}
    n_programs = max(len(programs), 1)
    n_quarters = horizon.current_quarter + 1

    def grouped(queryset: Any) -> np.ndarray[Any, Any]:
        """Program x quarter x language counts, grouped in the database by month."""
        base = np.zeros((n_programs, n_quarters, len(languages)), dtype=np.int64)
        rows = (
            queryset.annotate(month=TruncMonth("submitted_at"))
            .values("program_id", "language", "month")
            .annotate(n=DbCount("id"))
            .order_by()
        )
        for row in rows:
            p = program_index.get(row["program_id"])
            lang = language_index.get(row["language"])
            month = row["month"]
            q = horizon.quarter_index(month.year, month.month) if month is not None else -1
            if p is not None and lang is not None and 0 <= q < n_quarters:
                base[p, q, lang] += row["n"]
        return base

    reached = grouped(counted)
    everything = grouped(submissions)
    answered = np.zeros_like(reached)
    known_language = table["language"].map(language_index)
    rows = known_language.notna()
    np.add.at(
        answered,
        (
            table.loc[rows, "program"].to_numpy(dtype=np.int64),
            table.loc[rows, "quarter"].to_numpy(dtype=np.int64),
            known_language[rows].to_numpy(dtype=np.int64),
        ),
        1,
    )
    # A respondent's submission is a counted one; min() only guards the arithmetic.
    answered = np.minimum(answered, reached)
    base = np.stack([answered, reached - answered], axis=3)
    # Published, at every period level: the submissions by program, by language and in all
    # (no program x language cross table, so a one-program view shows that program's total),
    # and the respondents by program and in all.
    protected = _quarterly(
        base,
        threshold,
        horizon,
        tables={
            "by_program": ((0,), {}),
            "by_language": ((2,), {}),
            "total": ((), {}),
            "respondents": ((0, 3), {}),
            "respondents_all": ((3,), {}),
        },
    )
    left_out = _quarterly((everything - reached).sum(axis=2), threshold, horizon)
    if program is None:
        by_program = [
            CountRow(p.name, protected.cell("by_program", at, i, ()))
            for i, p in enumerate(programs)
        ]
        by_language = [
            CountRow(str(lang.label), protected.cell("by_language", at, None, (i,)))
            for i, lang in enumerate(languages)
        ]
        total = protected.cell("total", at, None, ())
        respondents = protected.cell("respondents_all", at, None, (0,))
    else:
        total = protected.cell("by_program", at, program, ())
        by_program = [CountRow(programs[program].name, total)]
        by_language = []
        respondents = protected.cell("respondents", at, program, (0,))
    invited, answered = _invitations(access, horizon, programs, program, at, threshold)
    reach = Reach(
        by_program=by_program,
        by_language=by_language,
        total=total,
        left_out=left_out.view(program, at, ()),
        invited=invited,
        answered=answered,
    )
    hidden = {}
    for level in ("quarter", "year", "all"):
        for name in ("respondents", "respondents_all"):
            index = protected.where[(name, level)]
            mask = protected.result.suppressed[index][..., 0]
            hidden[(name, level)] = mask.reshape(mask.shape or (1,))
    return _Totals(reach=reach, respondents=respondents, hidden=hidden)


def _invitations(
    access: Access,
    horizon: Horizon,
    programs: list[ProgramOption],
    program: int | None,
    at: At,
    threshold: int,
) -> tuple[ShownCount, ShownCount]:
    """Personal invitations sent in the period (by the family's program) and, of them, those
    answered by a family counted for program improvement: base program x quarter x
    (not answered, answered), every margin published at every period level."""
    start = timezone.make_aware(dt.datetime.combine(horizon.start, dt.time.min))
    stop = timezone.make_aware(dt.datetime.combine(horizon.stop, dt.time.min))
    counted = with_consent(
        Submission.objects.filter(organization=access.organization, link=OuterRef("pk")),
        ConsentPurpose.PROGRAM_IMPROVEMENT,
        family_field="family",
    )
    rows = (
        CampaignLink.objects.filter(
            organization=access.organization,
            kind=LinkKind.PERSONAL,
            family__isnull=False,
            created_at__gte=start,
            created_at__lt=stop,
        )
        .annotate(month=TruncMonth("created_at"), answered=Exists(counted))
        .values("family__program_id", "month", "answered")
        .annotate(n=DbCount("id"))
        .order_by()
    )
    program_index = {p.id: i for i, p in enumerate(programs)}
    base = np.zeros((max(len(programs), 1), horizon.current_quarter + 1, 2), dtype=np.int64)
    for row in rows:
        p = program_index.get(row["family__program_id"])
        month = row["month"]
        q = horizon.quarter_index(month.year, month.month) if month is not None else -1
        if p is not None and 0 <= q < base.shape[1]:
            base[p, q, int(bool(row["answered"]))] += row["n"]
    protected = _quarterly(base, threshold, horizon)
    return protected.view(program, at, ()), protected.view(program, at, (1,))


# -- the dashboard -----------------------------------------------------------------------------


def program_sizes(programs: list[ProgramOption]) -> list[int] | None:
    """The families each program serves, when an org admin entered it for every program."""
    sizes = [p.families_served for p in programs]
    if len(programs) < 2 or any(not size for size in sizes):
        return None
    return [int(size or 0) for size in sizes]


def weight_rows(view: pd.DataFrame, sizes: list[int] | None) -> pd.DataFrame:
    """``view`` with a weight column ``w``: each program's respondents stand for the families
    it serves (``families served / respondents``, programs as strata)."""
    if sizes is None or view.empty:
        return view
    programs = view["program"].to_numpy(dtype=np.int64)
    counts = np.bincount(programs, minlength=len(sizes)).astype(np.float64)
    served = np.asarray(sizes, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_program = np.where(counts > 0, served / counts, 0.0)
    return view.assign(w=per_program[programs])


def design_of(view: pd.DataFrame, weighted: bool) -> Design | None:
    """``Design`` of the view's rows: a simple random sample of respondents, or, weighted, a
    stratified one (programs as strata, each weighted to the families it serves)."""
    if view.empty:
        return None
    if weighted:
        return Design(view, weights="w", strata="program")
    return Design(view)


def _design(
    table: pd.DataFrame, program: int | None, quarters: range, sizes: list[int] | None = None
) -> tuple[Design | None, pd.DataFrame]:
    """The design over the view's rows (its program, its quarters), and those rows. An
    all-programs view is weighted when every program's size is known."""
    keep = table["quarter"].between(quarters.start, quarters.stop - 1)
    if program is not None:
        keep &= table["program"] == program
    view = table[keep].reset_index(drop=True)
    weighted = program is None and sizes is not None
    if weighted:
        view = weight_rows(view, sizes)
    return design_of(view, weighted), view


def _every_program(
    weighted: bool, n_programs: int, cells: Callable[[int], list[ShownCount]]
) -> list[ShownCount]:
    """A weighted share mixes the programs' shares: it is shown only when every program's
    counts behind it are (the one-program views' own cells), or it would reveal them."""
    if not weighted:
        return []
    return [count for p in range(n_programs) for count in cells(p)]


def _band_counts(
    table: pd.DataFrame,
    labels: list[str],
    n_programs: int,
    horizon: Horizon,
    threshold: int,
    respondents: Mapping[tuple[Any, str], np.ndarray[Any, Any]] | None = None,
) -> _Outcome:
    """Program x quarter x (each group, no group)."""
    codes = (
        table["band"].map({name: b for b, name in enumerate(labels)})
        if "band" in table.columns
        else pd.Series(np.nan, index=table.index)
    )
    base = _outcome_base(table, codes, len(labels), n_programs, horizon)
    return _Outcome(base, threshold, horizon, respondents)


def _band_section(
    *,
    design: Design | None,
    definition: Instrument,
    program: int | None,
    at: At,
    closed: bool,
    bands: _Outcome | None,
    n_programs: int = 1,
    weighted: bool = False,
    **_ignored: Any,
) -> list[Estimate]:
    band = _band(definition)
    if band is None or bands is None:
        return []
    labels = [name for _low, _high, name in band.cuts]
    n = bands.n(program, at)
    estimates = []
    for b, name in enumerate(labels):
        estimates.append(
            _estimate(
                key=f"band:{name}",
                label=name,
                judged=_binary_estimate(design, f"band_is_{b}"),
                row_filter=None,
                counts=[
                    bands.count(program, at, b),
                    *_every_program(
                        weighted,
                        n_programs,
                        lambda p, b=b: [bands.count(p, at, b), bands.n(p, at)],
                    ),
                ],
                n=n,
                closed=closed,
                benchmark=benchmarks.for_band(definition.id, name),
            )
        )
    return estimates


def _trend(
    *,
    table: pd.DataFrame,
    definition: Instrument,
    horizon: Horizon,
    quarters: range,
    program: int | None,
    n_programs: int,
    threshold: int,
    closed: bool,
    language: str,
    bands: _Outcome | None,
    respondents: Mapping[tuple[Any, str], np.ndarray[Any, Any]] | None = None,
    sizes: list[int] | None = None,
    weighted: bool = False,
    **_ignored: Any,
) -> Trend | None:
    """The share in the top group (or the mean score) by quarter. Its counts are the band
    section's (one protected base), so the trend and the period's groups agree. Weighted,
    each quarter's programs are weighted to the families they serve."""
    design = None
    if weighted:
        keep = table["quarter"].between(quarters.start, quarters.stop - 1)
        parts = [weight_rows(rows, sizes) for _q, rows in table[keep].groupby("quarter", sort=True)]
        view = pd.concat(parts, ignore_index=True) if parts else table.iloc[0:0]
        design = design_of(view, True)
    else:
        design, _view = _design(table, program, quarters)
    band = _band(definition)
    if band is not None and bands is not None:
        top_index = len(band.cuts) - 1
        top = band.cuts[-1][2]
        judged = None
        if design is not None and design.table["top_band"].notna().any():
            frame = design.proportion("top_band", by="quarter", ci="beta")
            judged = nchs_proportions(_level_one(frame, "quarter"))
        points = []
        for q in quarters:
            year, quarter = horizon.quarter_of(q)
            at: At = ("quarter", q)
            points.append(
                TrendPoint(
                    dt.date(year, quarter * 3 - 2, 1),
                    _estimate(
                        key=f"trend:{year}-Q{quarter}",
                        label=quarter_label(year, quarter),
                        judged=judged,
                        row_filter=lambda frame, q=q: frame[frame["quarter"] == q],
                        counts=[
                            bands.count(program, at, top_index),
                            *_every_program(
                                weighted,
                                n_programs,
                                lambda p, at=at: [bands.count(p, at, top_index), bands.n(p, at)],
                            ),
                        ],
                        n=bands.n(program, at),
                        closed=closed,
                    ),
                )
            )
        title = _("Share in the top group (%(band)s)") % {"band": top}
        return Trend(title=title, kind="proportion", points=points, scale_max=1.0)

    # No band: the mean score by quarter, with the quarter's n protected.
    has_score = table["score"].notna() if "score" in table.columns else None
    codes = pd.Series(
        np.nan if has_score is None else np.where(has_score, 0.0, np.nan), index=table.index
    )
    base = _outcome_base(table, codes, 1, n_programs, horizon)
    scored = _Outcome(base, threshold, horizon, respondents)
    means = None
    if design is not None and design.table["score"].notna().any():
        means = design.mean("score", by="quarter")
    points = []
    for q in quarters:
        year, quarter = horizon.quarter_of(q)
        n = ShownCount(None) if closed else scored.n(program, ("quarter", q))
        row = None
        if means is not None:
            selected = means[means["quarter"] == q]
            row = selected.iloc[0] if len(selected) else None
        blank = {
            "key": f"trend:{year}-Q{quarter}",
            "label": quarter_label(year, quarter),
            "n": n,
            "kind": "mean",
        }
        if n.suppressed:
            estimate = _hidden(_("Hidden to protect small groups."), protected=True, **blank)
        elif row is None:
            estimate = _hidden(_("No answers in this view."), **blank)
        else:
            estimate = Estimate(
                estimate=float(row["estimate"]),
                ci_low=float(row["ci_low"]),
                ci_high=float(row["ci_high"]),
                **blank,
            )
        points.append(TrendPoint(dt.date(year, quarter * 3 - 2, 1), estimate))
    score_max = float(len(definition.items_needed("score")) or 1)
    return Trend(
        title=_("Mean %(score)s") % {"score": _output_label(definition, "score", language)},
        kind="mean",
        points=points,
        scale_max=score_max,
    )


# -- caching -----------------------------------------------------------------------------------


def data_version(organization: Any) -> tuple[int, ...]:
    """Changes whenever anything a dashboard counts changes: a submission, a consent record,
    a child (for the age bands) or an invitation link. These rows are only ever added
    (consent is an append-only history; submissions, children and links are never deleted),
    so counts and highest ids say it all. One query."""
    columns: dict[str, Any] = {}
    models = (("s", Submission), ("c", ConsentRecord), ("k", Child), ("l", CampaignLink))
    for name, model in models:
        rows = model.objects.filter(organization=OuterRef("pk")).order_by().values("organization")
        columns[f"{name}_n"] = Subquery(rows.annotate(v=DbCount("id")).values("v")[:1])
        columns[f"{name}_max"] = Subquery(rows.annotate(v=Max("id")).values("v")[:1])
    found = (
        type(organization).objects.filter(pk=organization.pk).annotate(**columns).values(*columns)
    )
    row = next(iter(found), {})
    return tuple(int(row.get(name) or 0) for name in columns)


class _Recent:
    """The last ``size`` results by key (a process-local cache; the key says everything the
    result depends on, the data version included, so nothing stale is ever returned)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Any:
        found = self.items.get(key)
        if found is not None:
            self.items.move_to_end(key)
        return found

    def put(self, key: Any, value: Any) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)

    def clear(self) -> None:
        self.items.clear()


#: Respondent tables (per organization, questionnaire, demographic question and data version;
#: about 10 MB each at 20,000 responses, so only a few) and whole dashboards (per filters,
#: language and data version; small).
_TABLES = _Recent(8)
_DASHBOARDS = _Recent(256)


def clear_caches() -> None:
    _TABLES.clear()
    _DASHBOARDS.clear()


def _cached_table(
    access: Access,
    instrument_id: str,
    programs: list[ProgramOption],
    horizon: Horizon,
    demographic: str | None,
    version: tuple[int, ...],
) -> pd.DataFrame:
    key = (access.organization.pk, instrument_id, tuple(programs), horizon, demographic, version)
    table = _TABLES.get(key)
    if table is None:
        table = _respondent_table(access, instrument_id, programs, horizon, demographic)
        _TABLES.put(key, table)
    return table


def dashboard(
    *, access: Access, filters: Filters, options: FilterOptions, language: str
) -> Dashboard:
    """Everything the dashboard (and its CSV/XLSX export and PDF report) publishes for these
    filters. The result is remembered per data version: the same filters on the same data
    give the same page without computing it again."""
    version = data_version(access.organization)
    key = (
        access.organization.pk,
        filters,
        tuple(options.programs),
        language,
        small_cell_threshold(),
        version,
    )
    found = _DASHBOARDS.get(key)
    if found is None:
        found = _dashboard(
            access=access, filters=filters, options=options, language=language, version=version
        )
        _DASHBOARDS.put(key, found)
    return cast(Dashboard, found)


def _dashboard(
    *,
    access: Access,
    filters: Filters,
    options: FilterOptions,
    language: str,
    version: tuple[int, ...],
) -> Dashboard:
    threshold = small_cell_threshold()
    programs = options.programs
    horizon = filters.horizon
    program = (
        next((i for i, p in enumerate(programs) if p.id == filters.program.id), None)
        if filters.program is not None
        else None
    )
    at = period_at(horizon, filters.period)
    quarters = horizon.quarters(filters.period)
    from hopeful.web.insights import equity  # the equity section builds on this module

    table = _cached_table(
        access,
        filters.instrument_id,
        programs,
        horizon,
        equity.demographic_key(filters.breakdown),
        version,
    )
    definition = _instrument(filters.instrument_id)
    n_programs = max(len(programs), 1)
    totals = _totals(access, horizon, programs, program, at, table, threshold)
    reach, respondents = totals.reach, totals.respondents
    # The view opens only when both its totals are shown (a belt to the braces of the shared,
    # known totals every section is protected around).
    closed = reach.total.suppressed or respondents.suppressed
    if closed:
        respondents = ShownCount(None)
    title = definition.short_title.get_text(language) if definition else filters.instrument_id
    result = Dashboard(
        organization=access.organization.name,
        filters=filters,
        instrument_title=title,
        threshold=threshold,
        reach=reach,
        respondents=respondents,
    )
    if definition is None:
        return result
    sizes = program_sizes(programs)
    weighted = program is None and sizes is not None
    design, _view = _design(table, program, quarters, sizes)
    band = _band(definition)
    bands = (
        _band_counts(
            table,
            [name for _l, _h, name in band.cuts],
            n_programs,
            horizon,
            threshold,
            totals.hidden,
        )
        if band is not None
        else None
    )
    owners: dict[str, Any] = {"top_band": bands}
    common = {
        "sizes": sizes,
        "weighted": weighted,
        "owners": owners,
        "respondents": totals.hidden,
        "table": table,
        "design": design,
        "program": program,
        "at": at,
        "horizon": horizon,
        "n_programs": n_programs,
        "threshold": threshold,
        "closed": closed,
        "bands": bands,
    }
    for item in definition.items:
        if item.block is None:
            continue
        result.items.append(
            _binary_section(
                variable=f"item_{item.id}",
                key=f"item:{item.id}",
                label=item.construct.get_text(language),
                benchmark=benchmarks.for_item(definition.id, item.id),
                **common,
            )
        )
    blocks = {b.id: b for b in BUILDING_BLOCKS}
    for output in definition.block_count_outputs:
        block = blocks.get(output.id.removeprefix("bb_"))
        label = block.name.get_text(language) if block else output.id
        result.blocks.append(
            _binary_section(variable=output.id, key=f"block:{output.id}", label=label, **common)
        )
    result.bands.extend(_band_section(definition=definition, **common))
    for rate in RATE_OUTPUTS:
        try:
            output = definition.output(rate)
        except KeyError:
            continue
        if isinstance(output, AllMet):
            result.rates.append(
                _binary_section(
                    variable=rate,
                    key=f"rate:{rate}",
                    label=_output_label(definition, rate, language),
                    **common,
                )
            )
    return replace(
        result,
        trend=_trend(
            definition=definition,
            quarters=horizon.trend_quarters(filters.period),
            language=language,
            **common,
        ),
        weighted=weighted,
        has_benchmarks=definition.id == "pce7",
        equity=equity.equity_section(
            definition=definition, filters=filters, language=language, **common
        ),
    )
