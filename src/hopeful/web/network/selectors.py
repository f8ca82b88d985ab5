"""Reads for the network view: cross-organization aggregates, never a family's row and never
a single organization's numbers.

What is counted. Scored submissions of the chosen questionnaire, in organizations that are
HOPE Innovation Network members, of families whose current consent covers
``program_improvement`` (:func:`hopeful.web.families.selectors.with_consent`), with an answer
for the chosen measure (the share in the top group, or one building block met).

Estimates. One table, one row per counted submission (organization, state, kind, period,
0/1 outcome). Every share is ``Design(table, psu="organization").proportion("outcome",
by=[...], ci="beta")``: organizations are the clusters, so the 95% Korn-Graubard intervals
reflect the variation between organizations. Every share is judged by ``nchs_proportions``.

Protection, two rules, both with complementary suppression verified by
:func:`hopeful.stats.suppression.protect`:

1. **Small counts.** The base is state x kind x period x outcome over the whole network,
   whatever the filters; the published tables are its margins (state x kind, state, kind,
   total; the same by period, except state x kind by period; each with and without the
   outcome, since a share times its count is a count), so the view for one state, one kind
   or both and the all-network view are protected together. The trend is published for the
   network, a state or a kind, not for one kind in one state. Counts 1-10
   (threshold ``HOPEFUL_SMALL_CELL_THRESHOLD``) are never shown nor recoverable.
2. **Minimum organizations.** The number of contributing organizations of each state x kind
   cell is protected with ``protect(..., threshold=3)`` over the state x kind, state, kind and
   total tables (for the pooled period, and for each period of the trend): a cell with one or
   two organizations is hidden, and so are the cells that would let it be worked out. Every
   number of a hidden cell (organizations, submissions, the share) is hidden, in every table
   of the lattice that has that cell.

The two suppression patterns are united: hiding more cells only removes equations, so each
rule still holds. A share is shown only when NCHS presents it *and* none of the counts it
reveals (its outcome cells and its denominator) is hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful.framework import BUILDING_BLOCKS, Band, HopefulError, Instrument, get_instrument
from hopeful.stats import Design, StatsError, nchs_proportions
from hopeful.stats.suppression import Protected, protect
from hopeful.web.families.models import ConsentPurpose
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
from hopeful.web.organizations.models import Organization, OrganizationKind
from hopeful.web.surveys.models import InstrumentScore, Submission

#: A state x kind cell with fewer contributing organizations than this is hidden.
MIN_ORGANIZATIONS = 3

TOP_BAND = "top_band"
MONTH, QUARTER = "month", "quarter"

# Axes of the count base.
STATE, KIND, PERIOD, OUTCOME = 0, 1, 2, 3


# -- filters -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NetworkOptions:
    states: list[str]
    kinds: list[tuple[str, str]]
    """(value, label) in the order of :class:`OrganizationKind`."""
    instruments: list[InstrumentOption]

    @property
    def default_instrument(self) -> str:
        ids = [i.id for i in self.instruments]
        if DEFAULT_INSTRUMENT in ids:
            return DEFAULT_INSTRUMENT
        return ids[0] if ids else ""


@dataclass(frozen=True, slots=True)
class NetworkFilters:
    state: str
    """'' : every state."""
    kind: str
    """'' : every kind."""
    unit: str
    """``month`` or ``quarter``."""
    start: dt.date
    end: dt.date
    """First day of the last month (included)."""
    instrument_id: str
    measure: str
    """``top_band`` or a building-block output id (``bb_relationships`` ...)."""


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
    """The states and kinds of network organizations, and the questionnaires they use."""
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
    return NetworkOptions(states=states, kinds=kinds, instruments=instruments)


# -- periods -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    label: str


def _month_index(month: dt.date) -> int:
    return month.year * 12 + month.month - 1


def _from_index(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def periods(filters: NetworkFilters) -> tuple[list[Period], dict[tuple[int, int], int], dt.date]:
    """The periods of the view, each month's period index, and the first day after the last.

    Quarters are calendar quarters: the start month moves back to its quarter's first month
    and the end month forward to its quarter's last."""
    first, last = _month_index(filters.start), _month_index(filters.end)
    step = 3 if filters.unit == QUARTER else 1
    if step == 3:
        first -= first % 3
        last += 2 - last % 3
    out: list[Period] = []
    month_to_period: dict[tuple[int, int], int] = {}
    for index in range(first, last + 1):
        month = _from_index(index)
        p = (index - first) // step
        if p == len(out):
            label = f"{month.year} Q{(month.month - 1) // 3 + 1}" if step == 3 else f"{month:%Y-%m}"
            out.append(Period(start=month, label=label))
        month_to_period[(month.year, month.month)] = p
    return out, month_to_period, _from_index(last + 1)


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
    available: bool = True
    """False when the questionnaire has no such measure."""
    table: pd.DataFrame | None = None
    """The estimation table (one row per counted submission): for tests, never rendered."""

    @property
    def all_rows(self) -> list[Row]:
        return [*self.rows, *self.trend]

    @property
    def any_hidden(self) -> bool:
        return any(r.note or r.share.protected or r.organizations.suppressed for r in self.all_rows)

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


def _outcome_of(definition: Instrument | None, measure: str) -> Any:
    """A function from a score's values to 1.0 / 0.0 / NaN, or None if the measure is not
    one of the questionnaire's outputs."""
    if definition is None:
        return None
    if measure == TOP_BAND:
        band = _band(definition)
        if band is None:
            return None
        top = band.cuts[-1][2]
        return lambda values: np.nan if values.get("band") is None else float(values["band"] == top)
    if measure in {o.id for o in definition.block_count_outputs}:

        def met(values: dict[str, Any]) -> float:
            count = values.get(measure)
            try:
                return np.nan if count is None else float(int(count) >= 1)
            except (TypeError, ValueError):
                return np.nan

        return met
    return None


def estimation_table(
    filters: NetworkFilters, month_to_period: dict[tuple[int, int], int], stop: dt.date
) -> pd.DataFrame:
    """One row per counted submission with an answer for the measure: ``organization`` (the
    cluster), ``state``, ``kind`` (codes), ``period`` (index), ``outcome`` (0/1)."""
    definition = _instrument(filters.instrument_id)
    outcome = _outcome_of(definition, filters.measure)
    columns = ["organization", "state", "kind", "period", "outcome"]
    if outcome is None:
        return pd.DataFrame({c: [] for c in columns})
    first = min(month_to_period)
    start = timezone.make_aware(dt.datetime.combine(dt.date(first[0], first[1], 1), dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(stop, dt.time.min))
    submissions = Submission.objects.filter(
        organization__network_member=True, submitted_at__gte=start, submitted_at__lt=end
    )
    counted = with_consent(submissions, ConsentPurpose.PROGRAM_IMPROVEMENT, family_field="family")
    rows = (
        InstrumentScore.objects.filter(
            organization__network_member=True,
            instrument_id=filters.instrument_id,
            submission__in=counted.values("id"),
        )
        .values(
            "values",
            "organization_id",
            "organization__state",
            "organization__kind",
            "submission__submitted_at",
        )
        .order_by("submission__submitted_at", "id")
    )
    records = []
    for row in rows:
        values = row["values"] if isinstance(row["values"], dict) else {}
        value = outcome(values)
        local = timezone.localtime(row["submission__submitted_at"])
        period = month_to_period.get((local.year, local.month))
        if period is None or np.isnan(value):
            continue
        records.append(
            {
                "organization": row["organization_id"],
                "state": row["organization__state"],
                "kind": row["organization__kind"],
                "period": period,
                "outcome": value,
            }
        )
    return pd.DataFrame.from_records(records, columns=columns)


# -- protection --------------------------------------------------------------------------------


def _lattice(ndim: int) -> list[tuple[int, ...]]:
    """Every margin of an ``ndim``-D base, the full table first and the grand total last."""
    return [c for k in range(ndim, -1, -1) for c in combinations(range(ndim), k)]


#: The published count tables: every margin of state x kind x period x outcome except the
#: state x kind x period ones (no trend is published for one kind in one state: those cells
#: are small and their protection spreads to every other table).
COUNT_AXES = [a for a in _lattice(4) if not {STATE, KIND, PERIOD} <= set(a)]


@dataclass(frozen=True, slots=True)
class Hidden:
    reason: str
    org_rule: bool = False


class _Rules:
    """Both rules' decisions, read back for any published cell.

    A cell is named by a dict of the base axes it keeps (``{STATE: s, PERIOD: p, ...}``);
    the axes it does not name are summed over."""

    def __init__(
        self,
        counts: np.ndarray[Any, Any],
        org_sets: dict[tuple[int, int, int], set[int]],
        threshold: int,
    ) -> None:
        n_states, n_kinds, n_periods, _n = counts.shape
        self.counts = protect(counts, COUNT_AXES, threshold=threshold)
        self.org_axes = _lattice(2)

        def org_table(period: int | None) -> np.ndarray[Any, Any]:
            table = np.zeros((n_states, n_kinds), dtype=np.int64)
            for s in range(n_states):
                for k in range(n_kinds):
                    members: set[int] = set()
                    for p in range(n_periods) if period is None else (period,):
                        members |= org_sets.get((s, k, p), set())
                    table[s, k] = len(members)
            return table

        self.orgs_pooled = protect(org_table(None), self.org_axes, threshold=MIN_ORGANIZATIONS)
        self.orgs_by_period = [
            protect(org_table(p), self.org_axes, threshold=MIN_ORGANIZATIONS)
            for p in range(n_periods)
        ]

    @staticmethod
    def _read(result: Protected, cell: dict[int, int]) -> tuple[int, bool, bool]:
        keep = tuple(sorted(cell))
        index = result.axes.index(keep)
        coords = tuple(cell[a] for a in keep) or (0,)
        return (
            int(result.tables[index][coords]),
            bool(result.suppressed[index][coords]),
            bool(result.primary[index][coords]),
        )

    def _orgs(self, cell: dict[int, int]) -> Protected:
        return self.orgs_pooled if PERIOD not in cell else self.orgs_by_period[cell[PERIOD]]

    def organizations(self, cell: dict[int, int]) -> tuple[ShownCount, Hidden | None]:
        """The number of contributing organizations of the (state, kind, period) cell."""
        org_cell = {a: v for a, v in cell.items() if a in (STATE, KIND)}
        value, hidden, primary = self._read(self._orgs(cell), org_cell)
        if not hidden:
            return ShownCount(value), None
        if primary:
            reason = _(
                "Fewer than %(min)s organizations: hidden so that no single organization can "
                "be singled out."
            ) % {"min": MIN_ORGANIZATIONS}
        else:
            reason = _("Hidden so that another hidden number cannot be worked out.")
        return ShownCount(None), Hidden(reason, org_rule=True)

    def count(self, cell: dict[int, int]) -> tuple[ShownCount, Hidden | None]:
        """A count of the base lattice, hidden by either rule."""
        _orgs, org_hidden = self.organizations(cell)
        value, hidden, primary = self._read(self.counts, cell)
        if org_hidden is not None:
            return ShownCount(None), org_hidden
        if not hidden:
            return ShownCount(value), None
        if primary:
            return ShownCount(None), Hidden(_("Hidden to protect small groups."))
        return ShownCount(None), Hidden(
            _("Hidden so that another hidden number cannot be worked out.")
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
    """``Design.proportion("outcome", by=by, ci="beta")`` (level 1), judged by NCHS."""
    if design is None:
        return None
    try:
        frame = design.proportion("outcome", by=list(by) or None, ci="beta")
    except StatsError:
        return None
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
    hidden: Hidden | None,
) -> Estimate:
    blank: dict[str, Any] = {"key": key, "label": label, "n": n}
    if hidden is not None or n.suppressed or any(c.suppressed for c in revealed):
        reason = hidden.reason if hidden is not None else _("Hidden to protect small groups.")
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


def network_view(*, filters: NetworkFilters, options: NetworkOptions, language: str) -> NetworkView:
    """Everything the network page (and its CSV) publishes for these filters."""
    threshold = small_cell_threshold()
    definition = _instrument(filters.instrument_id)
    title = definition.short_title.get_text(language) if definition else filters.instrument_id
    measure_label = dict(measure_choices(language)).get(filters.measure, filters.measure)
    period_list, month_to_period, stop = periods(filters)
    view = NetworkView(
        filters=filters,
        instrument_title=title,
        measure_label=measure_label,
        threshold=threshold,
        periods=period_list,
        available=_outcome_of(definition, filters.measure) is not None,
    )
    if not view.available:
        return view
    table = estimation_table(filters, month_to_period, stop)
    view.table = table

    # The axes: the states and kinds that contribute, whatever the filters (so every filter
    # reads the same protected tables).
    kind_labels = dict(OrganizationKind.choices)
    states = sorted(set(table["state"]))
    kinds = [k for k, _label in OrganizationKind.choices if k in set(table["kind"])]
    state_index = {s: i for i, s in enumerate(states)}
    kind_index = {k: i for i, k in enumerate(kinds)}
    codes = pd.DataFrame(
        {
            "organization": table["organization"].astype(np.int64),
            "state": table["state"].map(state_index).astype(np.int64),
            "kind": table["kind"].map(kind_index).astype(np.int64),
            "period": table["period"].astype(np.int64),
            "outcome": table["outcome"].astype(np.float64),
        }
    )
    shape = (max(len(states), 1), max(len(kinds), 1), max(len(period_list), 1), 2)
    counts = np.zeros(shape, dtype=np.int64)
    org_sets: dict[tuple[int, int, int], set[int]] = {}
    np.add.at(
        counts,
        (
            codes["state"].to_numpy(),
            codes["kind"].to_numpy(),
            codes["period"].to_numpy(),
            codes["outcome"].to_numpy(dtype=np.int64),
        ),
        1,
    )
    for org, s, k, p in (
        codes[["organization", "state", "kind", "period"]]
        .drop_duplicates(ignore_index=True)
        .itertuples(index=False)
    ):
        org_sets.setdefault((int(s), int(k), int(p)), set()).add(int(org))
    rules = _Rules(counts, org_sets, threshold)
    design = Design(codes, psu="organization") if len(codes) else None

    chosen_state = state_index.get(filters.state) if filters.state else None
    chosen_kind = kind_index.get(filters.kind) if filters.kind else None
    if (filters.state and chosen_state is None) or (filters.kind and chosen_kind is None):
        return view  # nothing counted for that state or kind

    def row(level: str, cell: dict[int, int], label: str, judged: pd.DataFrame | None) -> Row:
        organizations, org_hidden = rules.organizations(cell)
        n, hidden = rules.count(cell)
        yes, _h1 = rules.count({**cell, OUTCOME: 1})
        no, _h0 = rules.count({**cell, OUTCOME: 0})
        names = {STATE: "state", KIND: "kind", PERIOD: "period"}
        estimate = _share(
            key=f"{level}:{label}",
            label=label,
            row=_lookup(judged, {names[a]: v for a, v in cell.items()}),
            n=n,
            revealed=[yes, no],
            hidden=hidden,
        )
        return Row(
            level=level,
            state=states[cell[STATE]] if STATE in cell else "",
            kind=str(kind_labels[kinds[cell[KIND]]]) if KIND in cell else "",
            label=label,
            organizations=organizations,
            submissions=n,
            share=estimate,
            note=hidden.reason if hidden is not None else "",
            org_rule=bool(org_hidden is not None or (hidden is not None and hidden.org_rule)),
        )

    state_range = [chosen_state] if chosen_state is not None else range(len(states))
    kind_range = [chosen_kind] if chosen_kind is not None else range(len(kinds))
    by_cell = shares(design, ["state", "kind"])
    for s in state_range:
        for k in kind_range:
            if not counts[s, k].any():
                continue  # no organization of this kind in this state sent answers
            label = f"{states[s]} · {kind_labels[kinds[k]]}"
            view.rows.append(row("cell", {STATE: s, KIND: k}, label, by_cell))
    if chosen_kind is None:
        by_state = shares(design, ["state"])
        for s in state_range:
            view.rows.append(row("state", {STATE: s}, states[s], by_state))
    if chosen_state is None:
        by_kind = shares(design, ["kind"])
        for k in kind_range:
            view.rows.append(row("kind", {KIND: k}, str(kind_labels[kinds[k]]), by_kind))
    if chosen_state is None and chosen_kind is None and len(codes):
        view.rows.append(row("total", {}, _("All network organizations"), shares(design, [])))

    # The trend of the view's slice, by period.
    slice_cell: dict[int, int] = {}
    slice_by: list[str] = []
    if chosen_state is not None:
        slice_cell[STATE] = chosen_state
        slice_by.append("state")
    if chosen_kind is not None:
        slice_cell[KIND] = chosen_kind
        slice_by.append("kind")
    by_period = shares(design, [*slice_by, "period"])
    if len(codes) and len(slice_cell) < 2:
        for p, period in enumerate(period_list):
            view.trend.append(row("period", {**slice_cell, PERIOD: p}, period.label, by_period))
    return view
