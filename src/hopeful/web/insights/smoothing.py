"""Shares estimated from every published count of their table, not from two counts alone.

Each published count carries its own perturbation (:mod:`hopeful.web.insights.protection`).
A share of two perturbed counts moves by a few points at n = 100. But the dashboard publishes
whole tables of counts that add up to one another: every program and all programs, every
quarter, year and all years, every group and everyone (and, for each single-choice
breakdown, groups that add up to everyone again). :func:`hopeful.stats.smoothed_counts`
estimates each count from all of them (least squares over the table's atoms, the best linear
unbiased estimate), and a share is computed from the estimates of its two counts.

**Tables** (``Share.space``):

- ``("base", variable)``: one questionnaire output (``"band"``, the bands; an item, a
  building block or a rate, by its column) by program and period: the profile, the trend, the headline and the equity section's
  "Everyone" read it. For the equity outcomes (the top band, each building block), every
  single-choice breakdown's groups, added up, observe everyone once more.
- ``("groups", breakdown, variable)``: the equity section's groups by program and period
  (``variable`` as above: ``"band"`` for the top band), with everyone and the output's values,
  and the other single-choice breakdowns' sums.

The same share is always estimated in the same table, whichever view shows it, so it shows
the same number everywhere; the counts themselves are shown as published.

**What it reads.** Only counts published as numbers, in views that open (a count shown as
"fewer than" is not an observation), and which program x quarter x group x value
combinations are not empty — the knowledge the averaging attack of
``bench/protection_bench.py`` already grants the attacker, who can therefore compute these
estimates too: they add nothing to what the published counts disclose.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.conf import settings

from hopeful.stats import smoothed_counts
from hopeful.web.insights import equity, protection
from hopeful.web.insights.model import SINGLE_CHOICE
from hopeful.web.insights.periods import Horizon, Period
from hopeful.web.insights.protection import Tally

IntArray = npt.NDArray[np.int64]
#: Above this many atoms x cells a table is not smoothed per view (its shares are the
#: published counts' own): about a quarter of a second to solve.
_LIMIT = 250_000
BoolArray = npt.NDArray[np.bool_]


def enabled() -> bool:
    """Whether shares are estimated from their tables (setting ``HOPEFUL_SHARES_FROM_TABLES``,
    default on; off, a share is its two published counts')."""
    return bool(getattr(settings, "HOPEFUL_SHARES_FROM_TABLES", True))


def spans(horizon: Horizon) -> tuple[list[range], list[range]]:
    """Every period a user can choose, as quarter positions (all, each year, each quarter),
    then the half-years a trend may pool quarters into (estimated, never read: a half-year's
    counts are published only when a trend pools)."""
    chosen = [horizon.quarters(Period())]
    halves = []
    for year in range(horizon.first_year, horizon.last_year + 1):
        chosen.append(horizon.quarters(Period(year)))
        chosen.extend(
            horizon.quarters(Period(year, quarter))
            for quarter in range(1, 5)
            if horizon.index(year, quarter) <= horizon.current_quarter
        )
        for first in (1, 3):
            start = horizon.index(year, first)
            halves.append(range(start, min(start + 2, horizon.current_quarter + 1)))
    return [s for s in chosen if len(s)], [s for s in halves if len(s)]


class Tables:
    """The smoothed counts of one organization's questionnaire, one table at a time.

    ``table`` is the respondent rows with every demographic answer
    (:meth:`hopeful.web.insights.store.OrgRows.table` of
    :data:`~hopeful.web.insights.data.ALL_DEMOGRAPHICS`); ``is_open(program, span)`` whether
    a view of that program (None: all) and period opens (its totals are shown as numbers).
    """

    def __init__(
        self,
        *,
        table: pd.DataFrame,
        is_open: Callable[[int | None, range], bool],
        n_programs: int,
        horizon: Horizon,
        band_columns: Sequence[str],
        previous: Tables | None = None,
    ) -> None:
        self._table = table
        # The groups of the rows an earlier data version already had: new submissions add
        # rows at the end, so only theirs are worked out (a change of consent or a removal
        # changes the rows before them, and they are all worked out again). Not for the
        # child's age (a child added changes earlier rows' bands) or ZIP3 (its groups are the
        # areas answered).
        self._earlier: dict[str, tuple[Any, Any, Any]] = {}
        if previous is not None and "sid" in table.columns and "sid" in previous._table.columns:
            sids = previous._table["sid"].to_numpy()
            with previous._lock:
                earlier = list(previous._grouped.items())
            for b, matrix in earlier:
                if b not in ("child_age", "zip3"):
                    self._earlier[b] = (sids, matrix, previous._listed.get(b))
        self._is_open = is_open
        self._programs: list[int | None] = [None, *range(max(n_programs, 1))]
        chosen, halves = spans(horizon)
        self._spans = chosen + halves
        self._chosen = len(chosen)
        self._band_columns = tuple(band_columns)
        # the equity outcomes' tables (the most published counts), in a fixed order: a share
        # is estimated in the first that has both its counts
        self._first: list[tuple[str, ...]] = [("base", "band")]
        self._first += [("base", c) for c in sorted(table.columns) if c.startswith("bb_")]
        self._estimates: dict[tuple[str, ...], dict[tuple[int, int], float]] = {}
        self._open: BoolArray | None = None
        self._lock: threading.Lock = threading.Lock()
        self._coded: dict[str, tuple[IntArray, list[int]]] = {}
        #: every cell read, as (count, key sum): the tests check each is published as a number
        self.read: set[tuple[int, int]] = set()
        self._grouped: dict[str, BoolArray] = {}
        self._listed: dict[str, list[tuple[str, str]]] = {}
        n = len(table)
        self._columns: tuple[IntArray, IntArray, IntArray] = (
            table["program"].to_numpy(dtype=np.int64) if n else np.zeros(0, np.int64),
            table["quarter"].to_numpy(dtype=np.int64) if n else np.zeros(0, np.int64),
            table["key"].to_numpy(dtype=np.int64) if n else np.zeros(0, np.int64),
        )

    # -- what protection.shares asks ------------------------------------------------------------

    def estimate(self, space: tuple[str, ...], cell: Tally) -> float | None:
        """The cell's smoothed count in table ``space`` (None: not one of its cells, or not
        estimable from what is published)."""
        if not space or cell.n == 0:
            return None
        with self._lock:
            found = self._estimates.get(space)
            if found is None:
                token = protection.LEDGER.set(None)  # nothing here is published
                try:
                    found = self._build(space)
                finally:
                    protection.LEDGER.reset(token)
                self._estimates[space] = found
        return found.get((cell.n, cell.key))

    def estimate_share(
        self, space: tuple[str, ...], yes: Tally, n: Tally
    ) -> tuple[float, float] | None:
        """A share's two counts as table ``space`` estimates them (None: not both estimated).
        The same records are always estimated in the same table, the first of the equity
        outcomes' (the bands', then each building block's) that has both counts, else its
        own: a rate that means being in the top group, an item that is a building block on
        its own, or a group that is everyone (every respondent of the view in one group) each
        shows one number wherever it appears."""
        for table in self._first:
            if table != space and (found := self._pair(table, yes, n)) is not None:
                return found
        return self._pair(space, yes, n)

    def _pair(self, space: tuple[str, ...], yes: Tally, n: Tally) -> tuple[float, float] | None:
        total = self.estimate(space, n)
        y = 0.0 if yes.n == 0 else self.estimate(space, yes)
        return None if total is None or y is None else (y, total)

    # -- building a table -----------------------------------------------------------------------

    def _view_open(self) -> BoolArray:
        """Which program x period views open (their cells are published)."""
        if self._open is None:
            self._open = np.array(
                [
                    [i < self._chosen and self._is_open(p, s) for i, s in enumerate(self._spans)]
                    for p in self._programs
                ],
                dtype=bool,
            )
        return self._open

    def _codes(self, variable: str) -> tuple[IntArray, list[int]]:
        """Each row's value code (-1: no answer) and the codes published as counts."""
        found = self._coded.get(variable)
        if found is not None:
            return found
        table = self._table
        codes = np.full(len(table), -1, dtype=np.int64)
        parts: list[int] = []
        if variable == "band":
            columns = [c for c in self._band_columns if c in table.columns]
            if columns:
                matrix = table[columns].to_numpy(dtype=np.float64)
                answered = ~np.isnan(matrix).any(axis=1)
                codes = np.where(answered, np.nan_to_num(matrix).argmax(axis=1), -1)
                parts = list(range(len(columns)))
        elif variable in table.columns:
            values = table[variable].to_numpy(dtype=np.float64)
            codes = np.where(np.isnan(values), -1, (np.nan_to_num(values) == 1) * 1)
            parts = [1]
        self._coded[variable] = (codes.astype(np.int64), parts)
        return self._coded[variable]

    def _groups(self, breakdown: str) -> BoolArray:
        """Rows x (each group, "not answered") of a breakdown (:func:`equity.group_matrix`)."""
        found = self._grouped.get(breakdown)
        if found is not None:
            return found
        table = self._table
        kept, old, listed_before = self._earlier.pop(breakdown, (None, None, None))
        if kept is not None and old is not None and listed_before is not None:
            new = table["sid"].to_numpy()
            if len(kept) <= len(new) and np.array_equal(kept, new[: len(kept)]):
                listed, fresh = equity.group_matrix(breakdown, table.iloc[len(kept) :])
                if listed == listed_before:
                    found = np.vstack([old, fresh])
                    self._listed[breakdown] = listed
        if found is None:
            listed, found = equity.group_matrix(breakdown, table)
            self._listed[breakdown] = listed
        self._grouped[breakdown] = found
        return found

    def _build(self, space: tuple[str, ...]) -> dict[tuple[int, int], float]:
        if space[0] == "base":
            variable, breakdown = space[1], None
        else:
            breakdown, variable = space[1], space[2]
        if breakdown is not None and breakdown not in equity.BREAKDOWNS:
            return {}
        codes, parts = self._codes(variable)
        n = len(self._table)
        if not parts or n == 0:
            return {}
        if breakdown is None:
            groups = np.ones((n, 1), dtype=bool)
            rest = np.zeros((n, 0), dtype=bool)
        else:
            member = self._groups(breakdown)
            groups = np.column_stack([np.ones(n, dtype=bool), member])
            rest = (
                np.column_stack([equity.rest_of(member, j) for j in range(member.shape[1] - 1)])
                if member.shape[1] > 1
                else np.zeros((n, 0), dtype=bool)
            )
        cells = _Cells(self._columns, codes, parts, groups, rest, self._programs, self._spans)
        published = protection.perturbed(cells.counts, cells.keys, shown=False)
        threshold = protection.small_cell_threshold()
        # A group's counts are published for the equity outcome only (the top group, or the
        # building block, and those who answered); everyone's for every band too.
        group_parts = _group_parts(parts)
        observed = (
            (cells.counts > 0)
            & (published >= threshold)
            & ~cells.is_rest
            & ((cells.group == 0) | np.isin(cells.part, group_parts))
            & self._view_open()[cells.program, cells.span]
            # one program's groups are published over all years only
            & ((cells.group == 0) | (cells.program == 0) | (cells.span == 0))
        )
        # every published cell, and the rests and half-years (estimated, never read)
        pooled = cells.span >= self._chosen
        targets = np.flatnonzero(observed | ((cells.is_rest | pooled) & (cells.counts > 0)))
        if cells.atoms * len(targets) > _LIMIT:
            # Too large to solve exactly per view (many group patterns in a large
            # organization, where the perturbation moves shares least): the counts' own shares.
            return {}
        self.read.update(
            zip(cells.counts[observed].tolist(), cells.keys[observed].tolist(), strict=True)
        )
        rows: list[npt.NDArray[np.float64]] = [
            cells.membership(np.flatnonzero(observed)).astype(np.float64)
        ]
        values = [published[observed].astype(np.float64)]
        variances = [np.ones(int(observed.sum()))]
        # Each other single-choice breakdown's groups add up to everyone: one more observation
        # of everyone's cells, with the groups' summed noise.
        equity_outcome = variable == "band" or variable.startswith("bb_")
        for other in SINGLE_CHOICE if equity_outcome else ():
            if other != breakdown:
                found = self._sums(other, codes, cells)
                if found is not None:
                    rows.append(found[0])
                    values.append(found[1])
                    variances.append(found[2])
        result = smoothed_counts(
            np.vstack(rows),
            np.concatenate(values),
            cells.membership(targets),
            variances=np.concatenate(variances),
        )
        out: dict[tuple[int, int], float] = {}
        for count, key, value, ok in zip(
            cells.counts[targets].tolist(),
            cells.keys[targets].tolist(),
            result.estimates.tolist(),
            result.estimable.tolist(),
            strict=True,
        ):
            if ok:
                out[(int(count), int(key))] = max(float(value), 0.0)
        return out

    def _sums(
        self, breakdown: str, codes: IntArray, target: _Cells
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]] | None:
        """Rows over ``target``'s atoms observing everyone's cells by ``breakdown``'s groups
        added up (when every group with anyone in it is published as a number)."""
        member = self._groups(breakdown)
        counts, keys = _tallies(
            self._columns,
            codes,
            target.parts,
            member.argmax(axis=1),
            member.shape[1],
            self._programs,
            self._spans,
        )
        published = protection.perturbed(counts.ravel(), keys.ravel(), shown=False).reshape(
            counts.shape
        )
        threshold = protection.small_cell_threshold()
        present = counts > 0
        complete = ((~present) | (published >= threshold)).all(axis=2) & present.any(axis=2)
        complete &= self._view_open()[:, :, None]
        # one program's groups are published over all years only (programs[0] is all of
        # them, spans[0] all years)
        complete[1:, 1:] = False
        # the same everyone (the same rows: the same count and key sum) in both
        mine = (slice(None), slice(None), 0, slice(None))
        same = complete & (counts.sum(axis=2) == target.counts.reshape(target.shape)[mine])
        same &= keys.sum(axis=2) == target.keys.reshape(target.shape)[mine]
        # groups publish only the equity outcome's parts
        same &= np.isin(np.arange(same.shape[2]), _group_parts(target.parts))[None, None, :]
        if not same.any():
            return None
        used = same[:, :, None, :] & present
        self.read.update(zip(counts[used].tolist(), keys[used].tolist(), strict=True))
        p, s, c = np.nonzero(same)
        everyone = np.ravel_multi_index((p, s, np.zeros_like(p), c), target.shape)
        return (
            target.membership(everyone).astype(np.float64),
            np.where(present, published, 0).sum(axis=2)[same].astype(np.float64),
            present.sum(axis=2)[same].astype(np.float64),
        )


def _group_parts(parts: list[int]) -> IntArray:
    """The parts (positions) a group publishes: the equity outcome's ("yes": the top band, or
    the building block met) and "answered" (the last)."""
    return np.array([len(parts) - 1, len(parts)], dtype=np.int64)


def _tallies(
    columns: tuple[IntArray, IntArray, IntArray],
    codes: IntArray,
    parts: list[int],
    group: IntArray,
    n_groups: int,
    programs: list[int | None],
    periods: list[range],
) -> tuple[IntArray, IntArray]:
    """Counts and key sums of program x period x group x part (each row in one ``group``)."""
    program, quarter, keys = columns
    quarters = max([s.stop for s in periods] + [int(quarter.max(initial=-1)) + 1]) + 1
    shape = (max(len(programs) - 1, 1), quarters, n_groups, len(parts) + 1)
    answered = codes >= 0
    part = np.full(len(codes), -1, dtype=np.int64)
    for i, code in enumerate(parts):
        part[codes == code] = i
    out = []
    for weight in (None, keys):
        grid = np.zeros(int(np.prod(shape)), dtype=np.int64)
        # each answer in its part's cell, and in the "answered" part
        for which, at in ((part, part >= 0), (np.full(len(codes), len(parts)), answered)):
            flat = np.ravel_multi_index((program[at], quarter[at] + 1, group[at], which[at]), shape)
            w = None if weight is None else weight[at].astype(np.float64)
            grid += np.rint(np.bincount(flat, weights=w, minlength=grid.size)).astype(np.int64)
        running = np.cumsum(grid.reshape(shape), axis=1)  # quarter q: running[q + 1] - running[q]
        by_program = np.concatenate([running.sum(axis=0, keepdims=True), running], axis=0)
        chosen = by_program[[0 if p is None else p + 1 for p in programs]]
        out.append(np.stack([chosen[:, s.stop] - chosen[:, s.start] for s in periods], axis=1))
    return out[0], out[1]


class _Cells:
    """Every cell of a table (program x span x group x part) over its atoms (the non-empty
    program x quarter x group pattern x value combinations)."""

    def __init__(
        self,
        columns: tuple[IntArray, IntArray, IntArray],
        codes: IntArray,
        parts: list[int],
        groups: BoolArray,
        rest: BoolArray,
        programs: list[int | None],
        periods: list[range],
    ) -> None:
        self.parts = parts
        answered = codes >= 0
        program, quarter, keys = (c[answered] for c in columns)
        code = codes[answered]
        member = groups[answered]
        # atoms: rows alike in program, quarter, value and groups (the rests follow from them)
        _patterns, pattern = np.unique(
            np.ascontiguousarray(np.packbits(member, axis=1))
            .view(np.dtype((np.void, max((member.shape[1] + 7) // 8, 1))))
            .ravel()
            if len(member)
            else np.zeros(0, dtype=np.int64),
            return_inverse=True,
        )
        pattern = np.ravel(pattern).astype(np.int64)
        width = int(pattern.max(initial=0)) + 1
        signature = (
            (program * (int(quarter.max(initial=0)) + 1) + quarter) * (int(code.max(initial=0)) + 1)
            + code
        ) * width + pattern
        _signatures, first, inverse = np.unique(signature, return_index=True, return_inverse=True)
        inverse = np.ravel(inverse)
        self.atoms = len(first)
        atom_count = np.bincount(inverse, minlength=self.atoms).astype(np.int64)
        atom_keys = np.zeros(self.atoms, dtype=np.int64)
        np.add.at(atom_keys, inverse, keys)
        a_program, a_quarter, a_code = program[first], quarter[first], code[first]
        every = np.ones(self.atoms, dtype=bool)
        self.by = (
            np.array([every if p is None else a_program == p for p in programs]),
            np.array([(a_quarter >= s.start) & (a_quarter < s.stop) for s in periods]),
            np.column_stack([member, rest[answered]])[first].T,  # groups, then the rests
            np.array([a_code == c for c in parts] + [every]),
        )
        self.shape: tuple[int, int, int, int] = (
            len(programs),
            len(periods),
            groups.shape[1] + rest.shape[1],
            len(parts) + 1,
        )
        ints = [b.astype(np.int64) for b in self.by]
        self.counts = np.einsum("pa,sa,ga,ca,a->psgc", *ints, atom_count, optimize=True).ravel()
        self.keys = np.einsum("pa,sa,ga,ca,a->psgc", *ints, atom_keys, optimize=True).ravel()
        index = np.indices(self.shape).reshape(4, -1)
        self.index = index
        self.program, self.span, self.group, self.part = index[0], index[1], index[2], index[3]
        self.is_rest = index[2] >= groups.shape[1]

    def membership(self, which: IntArray) -> BoolArray:
        """The atoms of cells ``which`` (positions in the flattened cells), one row each."""
        p, s, g, c = self.index[:, which]
        member: BoolArray = self.by[0][p] & self.by[1][s] & self.by[2][g] & self.by[3][c]
        return member
