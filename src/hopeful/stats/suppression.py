"""Complementary suppression for a rule perturbation does not cover, certified by witnesses.

Counts are protected by perturbation (:mod:`hopeful.stats.perturbation`): a small count can
be published, blurred. A cell with only one or two *contributors* (organizations) is
different: each of its numbers is one organization's, and a blur of a few counts does not
hide it. Such a cell is hidden, and its numbers must not be worked out, to within a width,
from everything else published, even by an attacker who knew every other published number's
true value. This module chooses what else to hide (the complementary suppressions) so that
they cannot be.

* A **witness** is another table of base counts, >= 0, that agrees with every number still
  shown (taken as exact: the rule must hold even were every perturbation known), but differs
  in hidden cells. Hiding more cells only removes equations, so a witness stays a witness.
  Any mix of witnesses is one too, so an attacker solving the linear program can only
  conclude that a hidden cell lies somewhere between its smallest and its largest value over
  the witnesses (or wider).
* A hidden cell is **safe** when the witnesses show it can be 0 or at least ``threshold``
  (so it is not pinned inside ``1..threshold-1``), and, where a width is asked for, when its
  witnessed values span at least that width.
* First a few *batch* programs look for witnesses that make many hidden cells safe at once
  without hiding anything more (all of them pulled down to 0 together, or up to their goal).
  For each cell still unsafe, one program finds the witness that is cheapest to make true
  (the cell at its goal): it minimises the weighted shown cells it must change, and those
  cells are hidden (the complementary suppressions). That is the single-cell protection
  problem of Fischetti and Salazar, solved as a linear program, instead of pairing
  cells one at a time and checking everything again.

Callers verify the result independently with an attacker's linear program over everything
they publish (the network view's tests do, under all its filters).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import linprog

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Below this a witness value counts as 0; a cell change above it must be hidden.
EPS = 1e-6


@dataclass
class Suppression:
    hidden: BoolArray
    """The cells to hide (the given ones and the complementary suppressions)."""
    programs: int = 0
    """How many linear programs were solved (for the benchmark)."""
    failed: bool = False
    """True when some cell could not be made safe: then every cell is hidden."""
    low: FloatArray = field(default_factory=lambda: np.zeros(0))
    high: FloatArray = field(default_factory=lambda: np.zeros(0))
    """The smallest and largest witnessed value of each cell."""


class SuppressionProblem:
    """Cells over base counts, with what an attacker also knows.

    Parameters
    ----------
    values
        The true base counts.
    cells
        Sparse 0/1 matrix, one row per publishable cell, one column per base cell.
    weights
        The cost of hiding each cell (> 0).
    fixed
        Base cells an attacker knows to be 0 (for example in a row shown with no
        organization).
    floors
        (cell, value) pairs: the cell is at least ``value`` (a row shown with ``value``
        contributing organizations has at least that many submissions).
    """

    def __init__(
        self,
        values: FloatArray,
        cells: sparse.csr_matrix,
        weights: FloatArray,
        *,
        fixed: BoolArray | None = None,
        floors: list[tuple[int, float]] | None = None,
    ) -> None:
        self.x = np.asarray(values, dtype=np.float64)
        self.cells = sparse.csr_matrix(cells, dtype=np.float64)
        self.weights = np.asarray(weights, dtype=np.float64)
        self.value = self.cells @ self.x
        n_base = self.x.size
        self.fixed = fixed if fixed is not None else np.zeros(n_base, dtype=bool)
        self.floors = list(floors or [])
        low = -self.x.copy()
        high = np.full(n_base, np.inf)
        low[self.fixed] = 0.0
        high[self.fixed] = 0.0
        self.bounds = np.column_stack([low, high])
        self.programs = 0

    # -- the linear programs -------------------------------------------------------------------

    def _floor_rows(self) -> tuple[sparse.csr_matrix | None, FloatArray | None]:
        """-A_r delta <= A_r x - floor: the floors as upper-bound rows over delta."""
        if not self.floors:
            return None, None
        rows = [c for c, _v in self.floors]
        a = -self.cells[rows]
        b = np.array([self.value[c] - v for c, v in self.floors], dtype=np.float64)
        return sparse.csr_matrix(a), b

    def _solve(self, c: FloatArray, **kwargs: Any) -> Any:
        self.programs += 1
        options = {"presolve": False}  # these programs are small and sparse: faster without
        return linprog(c, method="highs", options=options, **kwargs)

    def batch(
        self,
        targets: npt.NDArray[np.int64],
        goal: FloatArray,
        hidden: BoolArray,
        *,
        up: bool,
    ) -> FloatArray | None:
        """A witness (base table) pushing the ``targets`` down to 0 together (``up=False``),
        or up towards ``goal`` (capped, so the program is bounded), hiding nothing more."""
        n_base = self.x.size
        shown = np.flatnonzero(~hidden)
        a_eq = self.cells[shown]
        b_eq = np.zeros(shown.size)
        f_a, f_b = self._floor_rows()
        t = self.cells[targets]
        if not up:
            objective = np.asarray(t.sum(axis=0)).ravel()
            result = self._solve(
                objective,
                A_eq=a_eq if shown.size else None,
                b_eq=b_eq if shown.size else None,
                A_ub=f_a,
                b_ub=f_b,
                bounds=self.bounds,
            )
            if result.status != 0:
                return None
            return self.x + np.asarray(result.x, dtype=np.float64)
        # maximise sum z, z_i <= (t_i (x + delta)), z_i <= goal_i
        k = targets.size
        objective = np.concatenate([np.zeros(n_base), -np.ones(k)])
        eq = sparse.hstack([a_eq, sparse.csr_matrix((shown.size, k))]) if shown.size else None
        ub_rows = [sparse.hstack([-t, sparse.identity(k, format="csr")])]
        ub_rhs = [t @ self.x]
        if f_a is not None and f_b is not None:
            ub_rows.append(sparse.hstack([f_a, sparse.csr_matrix((f_a.shape[0], k))]))
            ub_rhs.append(f_b)
        bounds = np.vstack([self.bounds, np.column_stack([np.full(k, -np.inf), goal])])
        result = self._solve(
            objective,
            A_eq=eq,
            b_eq=b_eq if shown.size else None,
            A_ub=sparse.vstack(ub_rows, format="csr"),
            b_ub=np.concatenate(ub_rhs),
            bounds=bounds,
        )
        if result.status != 0:
            return None
        return self.x + np.asarray(result.x, dtype=np.float64)[:n_base]

    def witness(
        self,
        target: int,
        value: float,
        hidden: BoolArray,
        others: npt.NDArray[np.int64] | None = None,
    ) -> tuple[float, FloatArray] | None:
        """The cheapest witness in which cell ``target`` equals ``value``: (cost, base table).

        Variables: the change of each base cell, and for each shown cell the size of its
        change (what hiding it costs)."""
        n_base = self.x.size
        shown = np.flatnonzero(~hidden)
        k = shown.size
        a = self.cells[shown]
        ident = sparse.identity(k, format="csr")
        ub_rows = [sparse.hstack([a, -ident]), sparse.hstack([-a, -ident])]
        ub_rhs = [np.zeros(k), np.zeros(k)]
        f_a, f_b = self._floor_rows()
        if f_a is not None and f_b is not None:
            ub_rows.append(sparse.hstack([f_a, sparse.csr_matrix((f_a.shape[0], k))]))
            ub_rhs.append(f_b)
        eq = sparse.hstack([self.cells[[target]], sparse.csr_matrix((1, k))])
        objective = np.concatenate([np.zeros(n_base), self.weights[shown]])
        bounds = np.vstack([self.bounds, np.column_stack([np.zeros(k), np.full(k, np.inf)])])
        result = self._solve(
            objective,
            A_ub=sparse.vstack(ub_rows, format="csr"),
            b_ub=np.concatenate(ub_rhs),
            A_eq=eq,
            b_eq=np.array([value - self.value[target]]),
            bounds=bounds,
        )
        if result.status != 0:
            return None
        delta = np.asarray(result.x)[:n_base]
        cost = float(self.weights[shown] @ np.asarray(result.x)[n_base:])
        return cost, self.x + delta

    # -- the search ----------------------------------------------------------------------------

    def protect(
        self,
        hidden: BoolArray,
        *,
        threshold: int,
        width: FloatArray | None = None,
        max_programs: int | None = None,
    ) -> Suppression:
        """Hide more cells until every hidden cell is safe.

        A hidden cell with a value in ``1..threshold-1`` must not be pinned inside that range;
        a cell with ``width[c] > 0`` must be witnessed across at least that width. Should
        ``max_programs`` be reached, every cell is hidden."""
        hidden = np.asarray(hidden, dtype=bool).copy()
        value = self.value
        if max_programs is None:
            max_programs = 100 + 2 * value.size  # a safety stop: a cell needs one or two
        width = np.zeros(value.size) if width is None else np.asarray(width, dtype=np.float64)
        low, high = value.copy(), value.copy()

        def record(table: FloatArray) -> None:
            witnessed = self.cells @ table
            np.minimum(low, witnessed, out=low)
            np.maximum(high, witnessed, out=high)

        def unsafe() -> npt.NDArray[np.int64]:
            small = hidden & (value >= 1 - EPS) & (value <= threshold - 1 + EPS)
            small &= (low > EPS) & (high < threshold - EPS)
            wide = hidden & (width > 0) & (high - low < width - EPS)
            return np.flatnonzero(small | wide)

        def goals(cells: npt.NDArray[np.int64]) -> FloatArray:
            return np.where(width[cells] > 0, low[cells] + width[cells], float(threshold))

        # 1. witnesses that hide nothing more: several cells at once
        for _round in range(12):
            todo = unsafe()
            if todo.size == 0:
                break
            before = todo.size
            down = self.batch(todo, goals(todo), hidden, up=False)
            if down is not None:
                record(down)
            todo = unsafe()
            if todo.size:
                up = self.batch(todo, goals(todo), hidden, up=True)
                if up is not None:
                    record(up)
            if unsafe().size > before - 10:
                break

        # 2. the cheapest witness for each cell still unsafe; hide what it changes
        while (todo := unsafe()).size:
            if self.programs >= max_programs:
                hidden[:] = True
                return Suppression(hidden, self.programs, failed=True, low=low, high=high)
            cell = int(todo[0])
            if width[cell] > 0:
                targets = [high[cell] - width[cell], low[cell] + width[cell]]
            else:
                targets = [0.0, float(threshold)]
            best: tuple[float, FloatArray] | None = None
            for target in targets:  # down first; up only when down is impossible
                if target >= 0:
                    best = self.witness(cell, target, hidden)
                if best is not None:
                    break
            if best is None:
                hidden[:] = True
                return Suppression(hidden, self.programs, failed=True, low=low, high=high)
            table = best[1]
            # any change beyond the solver's noise is hidden (hiding too much is safe)
            changed = np.abs(self.cells @ table - value) > 1e-7 + 1e-9 * np.abs(value)
            hidden |= changed
            record(table)
        return Suppression(hidden, self.programs, low=low, high=high)
