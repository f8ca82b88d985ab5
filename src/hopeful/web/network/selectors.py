"""Reads for the network view: cross-organization aggregates, never a family's row and never
a single organization's numbers.

What is counted. Scored submissions of the chosen questionnaire, in organizations that are
HOPE Innovation Network members, of families whose current consent covers
``program_improvement`` (:func:`hopeful.web.families.selectors.with_consent`), with an answer
for the chosen measure (the share in the top group, or one building block met), in the
chosen calendar year's complete months.

The data. One grouped query: submissions counted per organization, month and answer. The
rest is arrays of a few thousand numbers at most, whatever the number of submissions.

Estimates. Every share is ``Design(table, psu="organization").proportion("outcome", ...,
ci="beta")`` on the grouped table weighted by the counts (the same estimate, standard error
and degrees of freedom as one row per submission), with the Korn-Graubard interval taken with
the number of submissions, as one row per submission gives it. Organizations are the
clusters. Every share is judged by ``nchs_proportions``.

Protection. Everything the view can publish for a year, under every filter (the year's
state x kind cells, states, kinds and network; and the trend by month and by quarter of the
network, of each state and of each kind), is one family of cells over one base (state x kind
pair x month x outcome), protected together, so no filter, margin or share can be set against
another. A share is published with its count, so it publishes its "yes" and "no" counts: they
are cells too, shown together only when the share is. Years never overlap, so a year is
protected on its own; the month under way is left out until it is over.

1. **Minimum organizations.** A cell with one or two contributing organizations is hidden,
   with all its numbers. The number of organizations is protected per period (it is not a
   sum over periods) with threshold 3, and the cell's counts must not be worked out to within
   :func:`org_rule_width` (at least the small-count threshold, and 20% of the count).
2. **Small counts.** Counts 1-10 (threshold ``HOPEFUL_SMALL_CELL_THRESHOLD``) are never shown
   nor recoverable from everything else the view publishes, including what the shown numbers
   of organizations imply (a row with three organizations has at least three submissions).
3. **Sparse trends are pooled.** The trend of the network, a state or a kind at a grain whose
   periods with answers mostly have 1-10 submissions or one or two organizations is not
   published at that grain: by quarter instead of by month, or not at all (the year's row
   has it). Its cells are hidden cells of the family, protected like any other.

The complementary suppressions are chosen by :mod:`hopeful.web.network.protection`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import Case, Count, IntegerField, Max, Min, QuerySet, Subquery, Value, When
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext as _
from scipy import sparse

from hopeful.framework import BUILDING_BLOCKS, Band, HopefulError, Instrument, get_instrument
from hopeful.stats import Design, StatsError, nchs_proportions
from hopeful.stats._ci import korn_graubard
from hopeful.web.families.models import ConsentPurpose, ConsentRecord
from hopeful.web.families.selectors import with_consent
from hopeful.web.insights.selectors import (
    DEFAULT_INSTRUMENT,
    Estimate,
    InstrumentOption,
    ShownCount,
    plain_flags,
    plain_reason,
    small_cell_threshold,
)
from hopeful.web.network.protection import Problem
from hopeful.web.organizations.models import Organization, OrganizationKind
from hopeful.web.surveys.models import InstrumentScore, Submission

#: A cell with fewer contributing organizations than this is hidden.
MIN_ORGANIZATIONS = 3
#: The numbers of such a cell may not be worked out to within this share of their value.
ORG_RULE_SHARE = 0.2
#: A trend is pooled into coarser periods when more than this share of its periods with
#: answers would have to be hidden.
POOL_SHARE = 0.5

TOP_BAND = "top_band"
MONTH, QUARTER, YEAR = "month", "quarter", "year"

# Levels of a published row.
CELL, STATE, KIND, TOTAL = "cell", "state", "kind", "total"


def org_rule_width(value: float, threshold: int) -> float:
    """How wide an attacker's interval must stay for a count of a cell with one or two
    organizations: at least ``threshold`` and at least 20% of the count."""
    return float(max(threshold, math.ceil(ORG_RULE_SHARE * value)))


# -- filters -----------------------------------------------------------------------------------


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def last_complete_month() -> dt.date:
    month = this_month()
    return (
        dt.date(month.year - 1, 12, 1) if month.month == 1 else month.replace(month=month.month - 1)
    )


@dataclass(frozen=True, slots=True)
class NetworkOptions:
    states: list[str]
    kinds: list[tuple[str, str]]
    """(value, label) in the order of :class:`OrganizationKind`."""
    instruments: list[InstrumentOption]
    years: list[int] = field(default_factory=list)
    """Calendar years with at least one complete month of network submissions, newest first."""

    @property
    def default_instrument(self) -> str:
        ids = [i.id for i in self.instruments]
        if DEFAULT_INSTRUMENT in ids:
            return DEFAULT_INSTRUMENT
        return ids[0] if ids else ""

    @property
    def default_year(self) -> int:
        return self.years[0] if self.years else last_complete_month().year


@dataclass(frozen=True, slots=True)
class NetworkFilters:
    state: str
    """'' : every state."""
    kind: str
    """'' : every kind."""
    unit: str
    """``month`` or ``quarter``: the trend's periods."""
    year: int
    """The calendar year: the view covers its complete months."""
    instrument_id: str
    measure: str
    """``top_band`` or a building-block output id (``bb_relationships`` ...)."""

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """First day of the view's last month (the last complete one)."""
        last = last_complete_month()
        return last if last.year == self.year else dt.date(self.year, 12, 1)


def measure_choices(language: str = "en") -> list[tuple[str, str]]:
    return [
        (TOP_BAND, _("Share in the top group")),
        *(
            (
                f"bb_{b.id}",
                _("Building block met: %(block)s") % {"block": b.name.get_text(language)},
            )
            for b in BUILDING_BLOCKS
        ),
    ]


def _instrument(instrument_id: str, version: str | None = None) -> Instrument | None:
    try:
        return get_instrument(instrument_id, version or None)
    except HopefulError:
        return None


def _members() -> QuerySet[Organization]:
    return Organization.objects.filter(network_member=True)


def filter_options(*, language: str) -> NetworkOptions:
    """The states and kinds of network organizations, the questionnaires they use and the
    years they have answers in."""
    pairs = set(_members().values_list("state", "kind").distinct().order_by())
    states = sorted({s for s, _k in pairs})
    present = {k for _s, k in pairs}
    kinds = [(value, str(label)) for value, label in OrganizationKind.choices if value in present]
    ids = sorted(
        InstrumentScore.objects.filter(organization__network_member=True)
        .values_list("instrument_id", flat=True)
        .distinct()
        .order_by()
    )
    instruments = []
    for instrument_id in ids:
        definition = _instrument(instrument_id)
        title = definition.short_title.get_text(language) if definition else instrument_id
        instruments.append(InstrumentOption(id=instrument_id, title=title))
    first = Submission.objects.filter(organization__network_member=True).aggregate(
        first=Min("submitted_at")
    )["first"]
    last = last_complete_month().year
    years = list(range(last, timezone.localtime(first).year - 1, -1)) if first else []
    return NetworkOptions(states=states, kinds=kinds, instruments=instruments, years=years)


# -- periods -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    label: str


def year_months(year: int) -> list[dt.date]:
    """The complete months of the year (none for a year that has not begun)."""
    last = last_complete_month()
    if year > last.year:
        return []
    count = 12 if year < last.year else last.month
    return [dt.date(year, m, 1) for m in range(1, count + 1)]


def periods(filters: NetworkFilters, unit: str | None = None) -> list[Period]:
    months = year_months(filters.year)
    if (unit or filters.unit) == QUARTER:
        quarters = sorted({(m.month - 1) // 3 for m in months})
        return [
            Period(start=dt.date(filters.year, 3 * q + 1, 1), label=f"{filters.year} Q{q + 1}")
            for q in quarters
        ]
    return [Period(start=m, label=f"{m:%Y-%m}") for m in months]


# -- what the page shows -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One published row: a state x kind cell, a state, a kind, the network, or a period."""

    level: str
    """``cell``, ``state``, ``kind``, ``total`` or ``period``."""
    state: str
    kind: str
    """The kind's label ('' for a state or total row)."""
    label: str
    organizations: ShownCount
    submissions: ShownCount
    share: Estimate
    note: str = ""
    """Why the row's counts are hidden ('' when shown)."""
    org_rule: bool = False
    """Hidden (also) by the minimum-organizations rule."""


@dataclass
class NetworkView:
    filters: NetworkFilters
    instrument_title: str
    measure_label: str
    threshold: int
    min_organizations: int = MIN_ORGANIZATIONS
    periods: list[Period] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    trend: list[Row] = field(default_factory=list)
    trend_unit: str = ""
    """The trend's periods as published (``month`` or ``quarter``; '' without a trend)."""
    trend_note: str = ""
    """Why the trend is by quarter although months were asked for, or why there is none."""
    available: bool = True
    """False when the questionnaire has no such measure."""
    grouped: pd.DataFrame | None = None
    """Submissions counted per organization, state, kind, month and outcome (column ``n``):
    for tests, never rendered."""

    @property
    def table(self) -> pd.DataFrame | None:
        """One row per counted submission (organization, state, kind, period, outcome), made
        from :attr:`grouped`: for tests, never rendered."""
        if self.grouped is None:
            return None
        g = self.grouped
        repeat = g["n"].to_numpy(dtype=np.int64)
        period = g["quarter"] if self.filters.unit == QUARTER else g["month"]
        return pd.DataFrame(
            {
                "organization": np.repeat(g["organization"].to_numpy(dtype=np.int64), repeat),
                "state": np.repeat(g["state_code"].to_numpy(dtype=object), repeat),
                "kind": np.repeat(g["kind_code"].to_numpy(dtype=object), repeat),
                "period": np.repeat(period.to_numpy(dtype=np.int64), repeat),
                "outcome": np.repeat(g["outcome"].to_numpy(dtype=np.float64), repeat),
            }
        )

    @property
    def all_rows(self) -> list[Row]:
        return [*self.rows, *self.trend]

    @property
    def any_hidden(self) -> bool:
        return bool(self.trend_note) or any(
            r.note or r.share.protected or r.organizations.suppressed for r in self.all_rows
        )

    @property
    def any_org_rule(self) -> bool:
        return any(r.org_rule for r in self.all_rows)

    @property
    def any_unreliable(self) -> bool:
        return any(r.share.hidden and not r.share.protected for r in self.all_rows)


# -- the data ----------------------------------------------------------------------------------


def _band(definition: Instrument | None) -> Band | None:
    if definition is None:
        return None
    try:
        output = definition.output("band")
    except KeyError:
        return None
    return output if isinstance(output, Band) else None


def _output_key(definition: Instrument | None, measure: str) -> str | None:
    """The score output the measure reads, or None if the questionnaire has no such one."""
    if definition is None:
        return None
    if measure == TOP_BAND:
        return "band" if _band(definition) is not None else None
    if measure in {o.id for o in definition.block_count_outputs}:
        return measure
    return None


def _reader(definition: Instrument, measure: str) -> Any:
    """A function from one stored output value (as the database returns it) to 1.0, 0.0 or
    NaN (no answer)."""
    if measure == TOP_BAND:
        band = _band(definition)
        top = band.cuts[-1][2] if band is not None else None

        def in_top(value: Any) -> float:
            if value is None or value == "null":  # SQLite returns a JSON null as 'null'
                return np.nan
            return float(value == top)

        return in_top

    def met(value: Any) -> float:
        try:
            return np.nan if value is None else float(int(value) >= 1)
        except (TypeError, ValueError):
            return np.nan

    return met


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _version_columns() -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for name, model, count in (
        ("s", Submission, True),
        ("c", ConsentRecord, False),
        ("i", InstrumentScore, False),
    ):
        rows = model.objects.order_by().annotate(one=Value(1)).values("one")
        if count:
            columns[f"version_{name}_n"] = Subquery(rows.annotate(v=Count("id")).values("v")[:1])
        columns[f"version_{name}_max"] = Subquery(rows.annotate(v=Max("id")).values("v")[:1])
    return columns


def network_members() -> tuple[dict[int, tuple[str, str]], tuple[int, ...]]:
    """The network organizations (pk -> state, kind) and the data version, in one query.

    The data version changes whenever anything the view counts changes: a submission (and
    its scores) or a consent record, anywhere. These rows are only ever added (consent is an
    append-only history, scores are made with their submission, nothing is deleted), so the
    highest ids say it all; the number of submissions is there too."""
    columns = _version_columns()
    members: dict[int, tuple[str, str]] = {}
    version: tuple[int, ...] = ()
    for row in _members().order_by().annotate(**columns).values("pk", "state", "kind", *columns):
        members[row["pk"]] = (row["state"], row["kind"])
        version = tuple(int(row[name] or 0) for name in columns)
    return members, (*sorted(members), *version)


#: Grouped counts per questionnaire, measure, months, network members and data version (a
#: process-local cache: the key says everything the result depends on).
_GROUPED: OrderedDict[tuple[object, ...], pd.DataFrame] = OrderedDict()


def clear_caches() -> None:
    _GROUPED.clear()
    _CACHE.clear()


def grouped_counts(
    filters: NetworkFilters, months: list[dt.date], version: tuple[int, ...]
) -> pd.DataFrame:
    """:func:`query_grouped_counts`, remembered per data version (``version``: from
    :func:`network_members`, the network's organizations included)."""
    key = (filters.instrument_id, filters.measure, tuple(months), version)
    found = _GROUPED.get(key)
    if found is None:
        found = _GROUPED[key] = query_grouped_counts(filters, months)
        while len(_GROUPED) > _CACHE_SIZE:
            _GROUPED.popitem(last=False)
    _GROUPED.move_to_end(key)
    return found.copy()


def query_grouped_counts(filters: NetworkFilters, months: list[dt.date]) -> pd.DataFrame:
    """Submissions counted per organization, month (index into ``months``) and outcome: one
    grouped query (the month is a CASE over the months' first instants, so no per-row date
    function runs in the database)."""
    columns = ["organization", "month", "outcome", "n"]
    definition = _instrument(filters.instrument_id)
    key = _output_key(definition, filters.measure)
    if key is None or definition is None or not months:
        return pd.DataFrame({c: pd.Series([], dtype=np.int64) for c in columns})
    edges = [_aware(m) for m in months]
    last = months[-1]
    edges.append(_aware(dt.date(last.year + last.month // 12, last.month % 12 + 1, 1)))
    submissions = Submission.objects.filter(
        organization__network_member=True, submitted_at__gte=edges[0], submitted_at__lt=edges[-1]
    )
    counted = with_consent(submissions, ConsentPurpose.PROGRAM_IMPROVEMENT, family_field="family")
    month = Case(
        *(
            When(submission__submitted_at__lt=edges[i + 1], then=Value(i))
            for i in range(len(months))
        ),
        default=Value(-1),
        output_field=IntegerField(),
    )
    rows = (
        InstrumentScore.objects.filter(
            organization__network_member=True,
            instrument_id=filters.instrument_id,
            submission__submitted_at__gte=edges[0],
            submission__submitted_at__lt=edges[-1],
            submission__in=counted.values("id"),
        )
        .annotate(month_index=month, raw=KT(f"values__{key}"))
        .values_list("organization_id", "month_index", "raw")
        .annotate(n=Count("id"))
        .order_by()
    )
    read = _reader(definition, filters.measure)
    seen: dict[Any, float] = {}
    records = []
    for org, m, raw, n in rows:
        try:
            outcome = seen[raw]
        except KeyError:
            outcome = seen[raw] = read(raw)
        except TypeError:  # an unhashable value: never an answer
            outcome = np.nan
        if m < 0 or np.isnan(outcome):
            continue
        records.append((org, m, int(outcome), n))
    frame = pd.DataFrame.from_records(records, columns=columns)
    if frame.empty:
        return frame.astype(np.int64)
    return frame.groupby(["organization", "month", "outcome"], as_index=False)["n"].sum()


# -- the family of publishable cells -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowKey:
    """A publishable row: a slice (the network, a state, a kind, or a state x kind cell)
    over a period (the year, a month or a quarter)."""

    level: str
    state: int | None
    kind: int | None
    grain: str
    period: int
    """Index of the month or quarter within the year (0 for the year)."""


@dataclass
class Protection:
    """What may be shown of every row of the family, for one year, measure and data."""

    keys: list[RowKey]
    index: dict[RowKey, int]
    orgs: np.ndarray[Any, Any]
    counts: np.ndarray[Any, Any]
    """Per row: (submissions, yes, no)."""
    orgs_hidden: np.ndarray[Any, Any]
    orgs_primary: np.ndarray[Any, Any]
    counts_hidden: np.ndarray[Any, Any]
    """Per row: (submissions, yes, no) hidden."""
    counts_primary: np.ndarray[Any, Any]
    pooled: set[tuple[str, int | None, int | None, str]]
    """(level, state, kind, grain) of trends not published at that grain."""
    programs: int = 0
    failed: bool = False


def _row_keys(
    n_pairs: int, pairs: list[tuple[int, int]], n_states: int, n_kinds: int, n_months: int
) -> list[RowKey]:
    keys = [RowKey(CELL, s, k, YEAR, 0) for s, k in pairs]
    keys += [RowKey(STATE, s, None, YEAR, 0) for s in range(n_states)]
    keys += [RowKey(KIND, None, k, YEAR, 0) for k in range(n_kinds)]
    keys.append(RowKey(TOTAL, None, None, YEAR, 0))
    n_quarters = (n_months + 2) // 3
    for grain, count in ((MONTH, n_months), (QUARTER, n_quarters)):
        for p in range(count):
            keys.append(RowKey(TOTAL, None, None, grain, p))
            keys += [RowKey(STATE, s, None, grain, p) for s in range(n_states)]
            keys += [RowKey(KIND, None, k, grain, p) for k in range(n_kinds)]
    return keys


_WEIGHT = {
    (TOTAL, YEAR): 60.0,
    (STATE, YEAR): 12.0,
    (KIND, YEAR): 12.0,
    (CELL, YEAR): 6.0,
    (TOTAL, MONTH): 8.0,
    (TOTAL, QUARTER): 10.0,
}


def _weight(key: RowKey) -> float:
    """The cost of hiding a number of this row (a trend of one state or kind is cheapest)."""
    return _WEIGHT.get((key.level, key.grain), 2.0 if key.grain == MONTH else 3.0)


def _as_published(hidden: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """A row's "yes" and "no" counts are published only through its share, which needs both
    of them and the row's count: hide them together (what is hidden anyway is then not
    taken for an equation the attacker has)."""
    hidden = hidden.copy()
    pair = hidden[:, 0] | hidden[:, 1] | hidden[:, 2]
    hidden[pair, 1:] = True
    return hidden


_CACHE: OrderedDict[tuple[object, ...], Protection] = OrderedDict()
_CACHE_SIZE = 64


def protection(
    base: np.ndarray[Any, Any],
    org_months: np.ndarray[Any, Any],
    org_quarters: np.ndarray[Any, Any],
    org_year: np.ndarray[Any, Any],
    pairs: list[tuple[int, int]],
    n_states: int,
    n_kinds: int,
    threshold: int,
) -> Protection:
    """Protect the whole family of one year (a pure function of the counts: cached).

    ``base`` is pair x month x outcome; ``org_*`` the distinct contributing organizations per
    pair and month, quarter and year."""
    key = (
        base.shape,
        base.tobytes(),
        org_months.tobytes(),
        org_quarters.tobytes(),
        org_year.tobytes(),
        tuple(pairs),
        n_states,
        n_kinds,
        threshold,
    )
    cached = _CACHE.get(key)
    if cached is not None:
        _CACHE.move_to_end(key)
        return cached
    result = _protect(base, org_months, org_quarters, org_year, pairs, n_states, n_kinds, threshold)
    _CACHE[key] = result
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result


def _protect(
    base: np.ndarray[Any, Any],
    org_months: np.ndarray[Any, Any],
    org_quarters: np.ndarray[Any, Any],
    org_year: np.ndarray[Any, Any],
    pairs: list[tuple[int, int]],
    n_states: int,
    n_kinds: int,
    threshold: int,
) -> Protection:
    n_pairs, n_months, _two = base.shape
    keys = _row_keys(n_pairs, pairs, n_states, n_kinds, n_months)
    index = {k: i for i, k in enumerate(keys)}
    n_rows = len(keys)
    pair_state = np.array([s for s, _k in pairs], dtype=np.int64)
    pair_kind = np.array([k for _s, k in pairs], dtype=np.int64)

    def members(key: RowKey) -> np.ndarray[Any, Any]:
        if key.level == CELL:
            return np.flatnonzero((pair_state == key.state) & (pair_kind == key.kind))
        if key.level == STATE:
            return np.flatnonzero(pair_state == key.state)
        if key.level == KIND:
            return np.flatnonzero(pair_kind == key.kind)
        return np.arange(n_pairs)

    def months_of(key: RowKey) -> range:
        if key.grain == YEAR:
            return range(n_months)
        if key.grain == QUARTER:
            return range(3 * key.period, min(3 * key.period + 3, n_months))
        return range(key.period, key.period + 1)

    org_table = {MONTH: org_months, QUARTER: org_quarters, YEAR: org_year[:, None]}
    row_pairs = [members(k) for k in keys]
    orgs = np.array(
        [int(org_table[k.grain][p, k.period].sum()) for k, p in zip(keys, row_pairs, strict=True)],
        dtype=np.int64,
    )

    # The count cells: (submissions, yes, no) of each row, over base pair x month x outcome.
    rows_i: list[int] = []
    cols_i: list[int] = []
    for r, (key, ps) in enumerate(zip(keys, row_pairs, strict=True)):
        ms = np.array(list(months_of(key)), dtype=np.int64)
        if ps.size == 0 or ms.size == 0:
            continue
        grid = (ps[:, None] * n_months + ms[None, :]).ravel() * 2
        for o in (0, 1):
            cells = grid + o
            rows_i += [3 * r] * cells.size + [3 * r + 2 - o] * cells.size
            cols_i += cells.tolist() * 2
    matrix = sparse.csr_matrix(
        (np.ones(len(rows_i)), (rows_i, cols_i)), shape=(3 * n_rows, base.size)
    )
    x = base.ravel().astype(np.float64)
    counts = np.rint(matrix @ x).astype(np.int64).reshape(n_rows, 3)

    def small(values: np.ndarray[Any, Any], limit: int) -> np.ndarray[Any, Any]:
        return (values >= 1) & (values < limit)

    # Trends pooled: a slice's trend at a grain whose periods with answers are mostly unclean.
    unclean = small(orgs, MIN_ORGANIZATIONS) | small(counts[:, 0], threshold)
    pooled: set[tuple[str, int | None, int | None, str]] = set()
    groups: dict[tuple[str, int | None, int | None, str], list[int]] = {}
    for r, key in enumerate(keys):
        if key.grain != YEAR:
            groups.setdefault((key.level, key.state, key.kind, key.grain), []).append(r)
    for slice_key, rows in groups.items():
        with_answers = [r for r in rows if counts[r, 0] > 0]
        bad = [r for r in with_answers if unclean[r]]
        if len(bad) > POOL_SHARE * len(with_answers):
            pooled.add(slice_key)
    # months are pooled wherever quarters are
    for level, s, k, grain in list(pooled):
        if grain == QUARTER:
            pooled.add((level, s, k, MONTH))
    away = np.array([(k.level, k.state, k.kind, k.grain) in pooled for k in keys], dtype=bool)

    # 1. The number of organizations, per period (a count of distinct organizations is a sum
    #    over the pairs within a period, not over periods).
    orgs_primary = small(orgs, MIN_ORGANIZATIONS)
    orgs_hidden = orgs_primary | away
    programs = 0
    failed = False
    by_period: dict[tuple[str, int], list[int]] = {}
    for r, key in enumerate(keys):
        by_period.setdefault((key.grain, key.period), []).append(r)
    for (grain, p), rows in by_period.items():
        if not orgs_hidden[rows].any():
            continue
        values = org_table[grain][:, p].astype(np.float64)
        cells = sparse.csr_matrix(
            (
                np.ones(sum(row_pairs[r].size for r in rows)),
                (
                    np.concatenate([[i] * row_pairs[r].size for i, r in enumerate(rows)]),
                    np.concatenate([row_pairs[r] for r in rows]),
                ),
            ),
            shape=(len(rows), n_pairs),
        )
        problem = Problem(values, cells, np.array([_weight(keys[r]) for r in rows]))
        outcome = problem.protect(orgs_hidden[rows], threshold=MIN_ORGANIZATIONS)
        orgs_hidden[rows] = outcome.hidden
        programs += outcome.programs
        failed |= outcome.failed

    # 2. The counts. Hidden at first: counts 1..threshold-1, every count of a row with one or
    #    two organizations (which must stay wide), every count of a trend pooled away.
    counts_primary = small(counts, threshold)
    hidden = _as_published(counts_primary | orgs_primary[:, None] | away[:, None])
    width = np.zeros((n_rows, 3))
    for r in np.flatnonzero(orgs_primary):
        width[r] = [org_rule_width(v, threshold) for v in counts[r]]
    fixed = np.zeros(base.size, dtype=bool)
    floors: list[tuple[int, float]] = []
    for r in range(n_rows):
        if orgs_hidden[r]:
            continue
        if orgs[r] == 0:
            fixed[matrix[3 * r].indices] = True  # no organization: nothing to move
        else:
            floors.append((3 * r, float(orgs[r])))  # at least one submission each
    weights = np.repeat([_weight(k) for k in keys], 3) * np.tile([1.5, 1.0, 1.0], n_rows)
    problem = Problem(x, matrix, weights, fixed=fixed, floors=floors)
    if hidden.any():
        outcome = problem.protect(hidden.ravel(), threshold=threshold, width=width.ravel())
        hidden = _as_published(outcome.hidden.reshape(n_rows, 3))
        programs += outcome.programs
        failed |= outcome.failed
    if failed:
        orgs_hidden[:] = True
        hidden[:] = True
    return Protection(
        keys=keys,
        index=index,
        orgs=orgs,
        counts=counts,
        orgs_hidden=orgs_hidden,
        orgs_primary=orgs_primary,
        counts_hidden=hidden,
        counts_primary=counts_primary | orgs_primary[:, None],
        pooled=pooled,
        programs=programs,
        failed=failed,
    )


# -- estimates ---------------------------------------------------------------------------------


def level_one(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """The level-1 rows of a 0/1 proportion; a domain with only 0s gets the complement of its
    level-0 row (the engine computes a binary's second level as 1 - p with the same variance,
    and the beta interval is symmetric)."""
    ones = frame[frame["level"] == 1]
    zeros = frame[frame["level"] == 0]
    if by:
        have = set(map(tuple, ones[list(by)].to_numpy().tolist()))
        keep = [tuple(r) not in have for r in zeros[list(by)].to_numpy().tolist()]
        zeros = zeros[np.array(keep, dtype=bool)] if len(zeros) else zeros
    elif not ones.empty:
        zeros = zeros.iloc[0:0]
    if not zeros.empty:
        flipped = zeros.copy()
        flipped["level"] = 1
        flipped["estimate"] = 1.0 - zeros["estimate"]
        flipped["ci_low"] = 1.0 - zeros["ci_high"]
        flipped["ci_high"] = 1.0 - zeros["ci_low"]
        ones = pd.concat([ones, flipped], ignore_index=True)
    return ones.reset_index(drop=True)


def shares(design: Design | None, by: Sequence[str]) -> pd.DataFrame | None:
    """The share with outcome 1 by ``by``, judged by NCHS.

    ``design`` is weighted by the submission counts of the grouped table, which gives the
    estimate, standard error and degrees of freedom of one row per submission. The number of
    rows is the number of submissions (``population``), and the Korn-Graubard interval is
    taken with it, as it is for one row per submission."""
    if design is None:
        return None
    try:
        frame = design.proportion("outcome", by=list(by) or None, ci="beta", deff=None)
    except StatsError:
        return None
    frame["n"] = np.rint(frame["population"].to_numpy(dtype=np.float64)).astype(np.int64)
    p = frame["estimate"].to_numpy(dtype=np.float64)
    var = frame["se"].to_numpy(dtype=np.float64) ** 2
    low, high = korn_graubard(
        p, var, frame["n"].to_numpy(dtype=np.float64), frame["df"].to_numpy(dtype=np.float64), 0.95
    )
    frame["ci_low"], frame["ci_high"] = low, high
    return nchs_proportions(level_one(frame, by))


def _lookup(judged: pd.DataFrame | None, cell: dict[str, int]) -> Any:
    if judged is None:
        return None
    mask = np.ones(len(judged), dtype=bool)
    for column, value in cell.items():
        mask &= (judged[column] == value).to_numpy()
    selected = judged[mask]
    return selected.iloc[0] if len(selected) else None


def _share(
    *,
    key: str,
    label: str,
    row: Any,
    n: ShownCount,
    revealed: Sequence[ShownCount],
    hidden: str,
) -> Estimate:
    blank: dict[str, Any] = {"key": key, "label": label, "n": n}
    if hidden or n.suppressed or any(c.suppressed for c in revealed):
        reason = hidden or _("Hidden to protect small groups.")
        return Estimate(
            estimate=None, ci_low=None, ci_high=None, hidden=reason, protected=True, **blank
        )
    if row is None or n.value == 0:
        return Estimate(
            estimate=None, ci_low=None, ci_high=None, hidden=_("No answers in this view."), **blank
        )
    if not bool(row["present"]):
        return Estimate(
            estimate=None,
            ci_low=None,
            ci_high=None,
            hidden=plain_reason(str(row["reason"])),
            **blank,
        )
    return Estimate(
        estimate=float(row["estimate"]),
        ci_low=float(row["ci_low"]),
        ci_high=float(row["ci_high"]),
        flags=plain_flags(str(row["flags"])),
        **blank,
    )


# -- the view ----------------------------------------------------------------------------------


def _org_reason(primary: bool) -> str:
    if primary:
        return _(
            "Fewer than %(min)s organizations: hidden so that no single organization can "
            "be singled out."
        ) % {"min": MIN_ORGANIZATIONS}
    return _("Hidden so that another hidden number cannot be worked out.")


def network_view(*, filters: NetworkFilters, options: NetworkOptions, language: str) -> NetworkView:
    """Everything the network page (and its exports) publishes for these filters."""
    threshold = small_cell_threshold()
    definition = _instrument(filters.instrument_id)
    title = definition.short_title.get_text(language) if definition else filters.instrument_id
    measure_label = dict(measure_choices(language)).get(filters.measure, filters.measure)
    months = year_months(filters.year)
    view = NetworkView(
        filters=filters,
        instrument_title=title,
        measure_label=measure_label,
        threshold=threshold,
        periods=periods(filters),
        available=_output_key(definition, filters.measure) is not None,
    )
    if not view.available:
        return view
    network, version = network_members()
    grouped = grouped_counts(filters, months, version)
    # The axes: the states, kinds and state x kind pairs that contribute, whatever the filters
    # (so every filter reads the same protected family).
    answered = set(grouped["organization"].tolist())
    members = {pk: where for pk, where in network.items() if pk in answered}
    grouped = grouped[grouped["organization"].isin(list(members))].reset_index(drop=True)
    kind_labels = dict(OrganizationKind.choices)
    states = sorted({s for s, _k in members.values()})
    kinds = [k for k, _label in OrganizationKind.choices if k in {k for _s, k in members.values()}]
    state_index = {s: i for i, s in enumerate(states)}
    kind_index = {k: i for i, k in enumerate(kinds)}
    org_state = {pk: state_index[s] for pk, (s, _k) in members.items()}
    org_kind = {pk: kind_index[k] for pk, (_s, k) in members.items()}
    pairs = sorted({(org_state[o], org_kind[o]) for o in members})
    pair_index = {p: i for i, p in enumerate(pairs)}
    n_months = len(months)

    orgs_col = grouped["organization"].to_numpy(dtype=np.int64)
    grouped["state"] = [org_state[o] for o in orgs_col]
    grouped["kind"] = [org_kind[o] for o in orgs_col]
    grouped["state_code"] = [states[s] for s in grouped["state"]]
    grouped["kind_code"] = [kinds[k] for k in grouped["kind"]]
    grouped["quarter"] = grouped["month"] // 3
    grouped["pair"] = [
        pair_index[(s, k)] for s, k in zip(grouped["state"], grouped["kind"], strict=True)
    ]
    view.grouped = grouped
    if not len(grouped):
        return view

    base = np.zeros((len(pairs), n_months, 2), dtype=np.int64)
    np.add.at(
        base,
        (
            grouped["pair"].to_numpy(dtype=np.int64),
            grouped["month"].to_numpy(dtype=np.int64),
            grouped["outcome"].to_numpy(dtype=np.int64),
        ),
        grouped["n"].to_numpy(dtype=np.int64),
    )
    contributing = grouped.groupby(["pair", "organization"], as_index=False).agg(
        months=("month", lambda m: sorted(set(m)))
    )
    n_quarters = (n_months + 2) // 3
    org_months = np.zeros((len(pairs), n_months), dtype=np.int64)
    org_quarters = np.zeros((len(pairs), n_quarters), dtype=np.int64)
    org_year = np.zeros(len(pairs), dtype=np.int64)
    for pair, month_list in zip(contributing["pair"], contributing["months"], strict=True):
        org_months[pair, month_list] += 1
        org_quarters[pair, sorted({m // 3 for m in month_list})] += 1
        org_year[pair] += 1
    result = protection(
        base, org_months, org_quarters, org_year, pairs, len(states), len(kinds), threshold
    )

    chosen_state = state_index.get(filters.state) if filters.state else None
    chosen_kind = kind_index.get(filters.kind) if filters.kind else None
    if (filters.state and chosen_state is None) or (filters.kind and chosen_kind is None):
        return view  # nothing counted for that state or kind

    design = Design(grouped, weights="n", psu="organization")
    judged_cache: dict[tuple[str, ...], pd.DataFrame | None] = {}

    def judged(by: tuple[str, ...]) -> pd.DataFrame | None:
        if by not in judged_cache:
            judged_cache[by] = shares(design, by)
        return judged_cache[by]

    def row(key: RowKey, level: str, label: str) -> Row:
        r = result.index[key]
        orgs_hidden = bool(result.orgs_hidden[r])
        organizations = ShownCount(None if orgs_hidden else int(result.orgs[r]))
        shown = [
            ShownCount(None if result.counts_hidden[r, i] else int(result.counts[r, i]))
            for i in range(3)
        ]
        note = ""
        org_rule = orgs_hidden
        if result.orgs_primary[r]:
            note = _org_reason(True)
        elif shown[0].suppressed:
            note = (
                _("Hidden to protect small groups.")
                if result.counts_primary[r, 0]
                else _org_reason(False)
            )
        by: list[str] = []
        where: dict[str, int] = {}
        if key.state is not None:
            by.append("state")
            where["state"] = key.state
        if key.kind is not None:
            by.append("kind")
            where["kind"] = key.kind
        if key.grain != YEAR:
            by.append(key.grain)
            where[key.grain] = key.period
        share_hidden = note if (shown[0].suppressed or result.orgs_primary[r]) else ""
        if not share_hidden and (shown[1].suppressed or shown[2].suppressed):
            share_hidden = (
                _("Hidden to protect small groups.")
                if result.counts_primary[r, 1:].any()
                else _org_reason(False)
            )
        estimate = _share(
            key=f"{level}:{label}",
            label=label,
            row=_lookup(judged(tuple(by)), where),
            n=shown[0],
            revealed=shown[1:],
            hidden=share_hidden,
        )
        return Row(
            level=level,
            state=states[key.state] if key.state is not None else "",
            kind=str(kind_labels[kinds[key.kind]]) if key.kind is not None else "",
            label=label,
            organizations=organizations,
            submissions=shown[0],
            share=estimate,
            note=note,
            org_rule=org_rule,
        )

    state_range = [chosen_state] if chosen_state is not None else range(len(states))
    kind_range = [chosen_kind] if chosen_kind is not None else range(len(kinds))
    for s in state_range:
        for k in kind_range:
            if (s, k) not in pair_index:
                continue  # no organization of this kind in this state sent answers
            label = f"{states[s]} · {kind_labels[kinds[k]]}"
            view.rows.append(row(RowKey(CELL, s, k, YEAR, 0), CELL, label))
    if chosen_kind is None:
        for s in state_range:
            view.rows.append(row(RowKey(STATE, s, None, YEAR, 0), STATE, states[s]))
    if chosen_state is None:
        for k in kind_range:
            label = str(kind_labels[kinds[k]])
            view.rows.append(row(RowKey(KIND, None, k, YEAR, 0), KIND, label))
    if chosen_state is None and chosen_kind is None:
        view.rows.append(
            row(RowKey(TOTAL, None, None, YEAR, 0), TOTAL, _("All network organizations"))
        )

    # The trend of the view's slice (not for one kind in one state), pooled when sparse.
    if chosen_state is not None and chosen_kind is not None:
        return view
    level = STATE if chosen_state is not None else KIND if chosen_kind is not None else TOTAL
    slice_key = (level, chosen_state, chosen_kind)
    unit = filters.unit
    if unit == MONTH and (
        (*slice_key, MONTH) in result.pooled
        or RowKey(level, chosen_state, chosen_kind, MONTH, 0) not in result.index
    ):
        unit = QUARTER
        view.trend_note = _("Too few answers by month for a trend: shown by quarter instead.")
    if (*slice_key, unit) in result.pooled:
        view.trend_note = _(
            "Too few answers for a trend in this view: see the totals for the year."
        )
        return view
    view.trend_unit = unit
    view.periods = periods(filters, unit)
    for p, period in enumerate(view.periods):
        key = RowKey(level, chosen_state, chosen_kind, unit, p)
        view.trend.append(row(key, "period", period.label))
    return view
