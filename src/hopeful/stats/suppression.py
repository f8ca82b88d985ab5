"""Small-cell protection for published counts, with complementary suppression.

A view publishes several tables that are all sums of one *base* table of counts: for example a
dashboard's base table is program x group x outcome, and it shows the group x outcome table,
the outcome totals and the grand total. No published cell may show a count from 1 to
``threshold - 1`` (1-10 by default; 0 is allowed), and no such count may be recoverable from
everything else the view publishes.

:func:`protect` does both:

1. **Primary suppression**: every published cell with a count in 1..threshold-1.
2. **Complementary suppression**, verified by linear programming: for every suppressed cell
   it computes the smallest and largest value consistent with everything still published
   (the base cells are unknowns >= 0; every published, unsuppressed cell is an equation). A
   cell is *exposed* when the attacker can pin it inside 1..threshold-1 (``lo >= 1`` and
   ``hi <= threshold - 1``) or to an interval narrower than ``width``. An exposed cell gets a
   partner: the smallest positive published cell that shares one of its equations (the same
   table, differing in one coordinate), until no cell is exposed.

The LP is solved with SciPy's HiGHS. Tables of dashboard size (a few thousand base cells) take
milliseconds to a second.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import linprog

from hopeful.stats.errors import EstimationError

__all__ = ["Margin", "Protected", "cell_bounds", "protect", "table_shape"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

DEFAULT_THRESHOLD = 11


@dataclass
class Protected:
    """The outcome of :func:`protect` for each published table.

    Attributes
    ----------
    tables
        For each published table, its counts (the base summed over the other axes).
    suppressed
        For each published table, a boolean array: True where the cell must not be shown.
    primary
        For each published table, True where the cell was suppressed for its own count
        (the others are complementary suppressions).
    """

    axes: list[AxesSpec]
    tables: list[IntArray]
    suppressed: list[BoolArray]
    primary: list[BoolArray]
    threshold: int
    iterations: int = 0
    notes: list[str] = field(default_factory=list)

    def shown(self, index: int) -> npt.NDArray[np.float64]:
        """Table ``index`` with suppressed cells as NaN."""
        values = self.tables[index].astype(np.float64)
        values[self.suppressed[index]] = np.nan
        return values

    @property
    def any_suppressed(self) -> bool:
        return any(bool(s.any()) for s in self.suppressed)


@dataclass(frozen=True)
class Margin:
    """A published table that keeps ``keep`` (the other base axes are summed) and, for some
    kept axes, adds their positions up into coarser groups: ``coarsen={1: (0, 0, 0, 0, 1, 1,
    1, 1)}`` publishes axis 1 (eight quarters, say) as two groups (two years).

    A plain tuple of axes in :func:`protect` is a ``Margin`` without coarsening.
    """

    keep: tuple[int, ...]
    coarsen: tuple[tuple[int, tuple[int, ...]], ...] = ()
    """(axis, group of each position) pairs; each axis must be in ``keep``."""

    @classmethod
    def of(cls, keep: Sequence[int], coarsen: dict[int, Sequence[int]] | None = None) -> Margin:
        return cls(
            tuple(sorted(int(a) for a in keep)),
            tuple(
                sorted(
                    (int(a), tuple(int(g) for g in groups)) for a, groups in (coarsen or {}).items()
                )
            ),
        )


AxesSpec = tuple[int, ...] | Margin


def _groups(spec: AxesSpec) -> tuple[tuple[int, ...], dict[int, tuple[int, ...]]]:
    if isinstance(spec, Margin):
        return spec.keep, dict(spec.coarsen)
    return spec, {}


def _membership(shape: tuple[int, ...], spec: AxesSpec) -> tuple[IntArray, tuple[int, ...]]:
    """For each base cell (flattened), the flat index of the published cell it sums into."""
    keep, coarsen = _groups(spec)
    grids = np.indices(shape).reshape(len(shape), -1)
    if not keep:
        return np.zeros(grids.shape[1], dtype=np.int64), (1,)
    coords = []
    kept_shape = []
    for a in keep:
        if a in coarsen:
            labels = np.asarray(coarsen[a], dtype=np.int64)
            coords.append(labels[grids[a]])
            kept_shape.append(int(labels.max()) + 1 if labels.size else 1)
        else:
            coords.append(grids[a])
            kept_shape.append(shape[a])
    return np.ravel_multi_index(tuple(coords), tuple(kept_shape)).astype(np.int64), tuple(
        kept_shape
    )


def table_shape(base_shape: tuple[int, ...], spec: Sequence[int] | Margin) -> tuple[int, ...]:
    """The shape of the table ``spec`` publishes from a base of ``base_shape`` (the shape of
    a mask for ``known``, ``unshown`` or ``untargeted``)."""
    keep = spec if isinstance(spec, Margin) else tuple(sorted(int(a) for a in spec))
    return _membership(base_shape, keep)[1]


def _marginal(base: IntArray, spec: AxesSpec) -> IntArray:
    """The published table of ``spec`` (a grand total is a one-cell 1-D table)."""
    member, kept_shape = _membership(base.shape, spec)
    size = int(np.prod(kept_shape))
    table = np.bincount(member, weights=base.ravel().astype(np.float64), minlength=size)
    return np.rint(table).astype(np.int64).reshape(kept_shape)


class _Attack:
    """The attacker's linear program for one state of suppression.

    Unknowns are the base cells (>= 0); every shown published cell is an equation. Before
    solving, what is certain is taken out: base cells inside a shown 0 are 0 (their columns go),
    and equations that repeat another (the same base cells and count) are kept once. The
    program left is the same, only smaller."""

    def __init__(
        self,
        n_base: int,
        members: Sequence[IntArray],
        tables: Sequence[IntArray],
        suppressed: Sequence[BoolArray],
    ) -> None:
        self.members = members
        self.n_base = n_base
        zero = np.zeros(n_base, dtype=bool)
        for member, table, hidden in zip(members, tables, suppressed, strict=True):
            shown_zero = (~hidden.ravel()) & (table.ravel() == 0)
            zero |= shown_zero[member]
        self.alive = ~zero
        position = np.cumsum(self.alive) - 1
        n_alive = int(self.alive.sum())
        rows: list[sparse.csr_matrix] = []
        rhs: list[IntArray] = []
        seen: set[bytes] = set()
        for member, table, hidden in zip(members, tables, suppressed, strict=True):
            shown = np.flatnonzero(~hidden.ravel() & (table.ravel() > 0))
            if shown.size == 0:
                continue
            row_of = np.full(table.size, -1, dtype=np.int64)
            row_of[shown] = np.arange(shown.size)
            row = row_of[member]
            keep = (row >= 0) & self.alive
            block = sparse.csr_matrix(
                (np.ones(int(keep.sum())), (row[keep], position[keep])),
                shape=(shown.size, n_alive),
            )
            counts = table.ravel()[shown]
            unique = []
            for r in range(shown.size):
                signature = block.indices[block.indptr[r] : block.indptr[r + 1]].tobytes() + int(
                    counts[r]
                ).to_bytes(8, "little")
                if signature not in seen:
                    seen.add(signature)
                    unique.append(r)
            if unique:
                rows.append(block[unique])
                rhs.append(counts[unique])
        self.a_eq = sparse.vstack(rows, format="csr") if rows else None
        self.b_eq = np.concatenate(rhs).astype(np.float64) if rhs else None
        self.bounds = (0, None)

    def _run(self, objective: npt.NDArray[np.float64]) -> Any:
        # The program is already reduced (zeros and repeats out); HiGHS's presolve costs more
        # than it saves on these many small solves (2-3x slower on dashboard programs).
        return linprog(
            objective[self.alive],
            A_eq=self.a_eq,
            b_eq=self.b_eq,
            bounds=self.bounds,
            method="highs",
            options={"presolve": False},
        )

    def solve(self, objective: npt.NDArray[np.float64]) -> npt.NDArray[np.float64] | None:
        """A solution minimising ``objective`` (None when there is no bounded one)."""
        if not objective[self.alive].any():
            return np.zeros(self.n_base)
        found = self._run(objective)
        if found.status != 0:
            return None
        solution = np.zeros(self.n_base)
        solution[self.alive] = found.x
        return solution

    def lower(self, t_index: int, flat_cell: int) -> float:
        """The smallest value of the cell consistent with what is published."""
        objective = (self.members[t_index] == flat_cell).astype(np.float64)
        if not objective[self.alive].any():
            return 0.0
        low = self._run(objective)
        return float(low.fun) if low.status == 0 else 0.0

    def upper(self, t_index: int, flat_cell: int) -> float:
        """The largest value of the cell consistent with what is published."""
        objective = (self.members[t_index] == flat_cell).astype(np.float64)
        if not objective[self.alive].any():
            return 0.0
        high = self._run(-objective)
        return float(-high.fun) if high.status == 0 else float("inf")

    def bounds_of(self, t_index: int, flat_cell: int) -> tuple[float, float]:
        return self.lower(t_index, flat_cell), self.upper(t_index, flat_cell)


def cell_bounds(
    base_shape: tuple[int, ...],
    axes: Sequence[AxesSpec],
    tables: Sequence[IntArray],
    suppressed: Sequence[BoolArray],
) -> list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]:
    """What an attacker can infer: for every suppressed published cell, the smallest and
    largest value consistent with all published (unsuppressed) cells, base cells >= 0.

    Returns, per table, (lo, hi) arrays of the table's shape (NaN where the cell is shown).
    """
    members = [_membership(base_shape, k)[0] for k in axes]
    attack = _Attack(int(np.prod(base_shape)), members, tables, suppressed)
    out = []
    for t_index, (table, hidden) in enumerate(zip(tables, suppressed, strict=True)):
        lo = np.full(table.size, np.nan)
        hi = np.full(table.size, np.nan)
        for cell in np.flatnonzero(hidden.ravel()):
            lo[cell], hi[cell] = attack.bounds_of(t_index, int(cell))
        out.append((lo.reshape(table.shape), hi.reshape(table.shape)))
    return out


def _neighbours(shape: tuple[int, ...], cell: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Cells of the same table that differ from ``cell`` in exactly one coordinate."""
    out = []
    for axis, size in enumerate(shape):
        for v in range(size):
            if v != cell[axis]:
                other = list(cell)
                other[axis] = v
                out.append(tuple(other))
    return out


def protect(
    base: npt.ArrayLike,
    axes: Sequence[Sequence[int] | Margin],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    width: float = 0.0,
    max_iterations: int = 200,
    known: Sequence[int] | Mapping[int, npt.ArrayLike] = (),
    unshown: Mapping[int, npt.ArrayLike] | None = None,
    untargeted: Mapping[int, npt.ArrayLike] | None = None,
) -> Protected:
    """Decide which cells of the published tables must be hidden.

    Parameters
    ----------
    base
        The finest table of counts (non-negative integers), any number of dimensions.
    axes
        The published tables, each given by the base axes it keeps (the others are summed):
        ``[(0, 1), (1,), ()]`` publishes the full 2-D table, its column totals and the grand
        total. A :class:`Margin` also adds positions of a kept axis up into groups (months
        into quarters, quarters into years): hierarchies of periods are protected together.
    threshold
        Counts from 1 to ``threshold - 1`` are never shown (default 11: 1-10 hidden).
    width
        The narrowest interval an attacker may be left with for a suppressed cell (0: only
        the 1..threshold-1 rule).
    known
        Positions in ``axes`` of tables that other views publish too (shared totals): the
        attacker is taken to know them, so only their own small counts are hidden, never a
        complementary cell. When the rest cannot be protected around them, every cell is
        hidden (and ``notes`` says so). A mapping gives, for each such table, which of its
        cells the view that owns it hides (its decision, kept as is; its small counts are
        hidden whatever it says).
    unshown
        For some tables, cells the view never shows (hidden from the start): they are still
        protected like any hidden cell.
    untargeted
        For some tables, cells the view never shows and that need no protection of their own
        (an attacker may work them out; they only take part in the program as unknowns).

    Raises
    ------
    EstimationError
        Negative or non-integer counts, or axes that do not name the base's dimensions.
    """
    counts = np.asarray(base)
    if counts.dtype.kind == "f":
        if not np.all(np.isfinite(counts)) or not np.all(counts == np.floor(counts)):
            raise EstimationError("counts must be whole numbers")
    elif counts.dtype.kind not in "iu":
        raise EstimationError("counts must be numbers")
    counts = counts.astype(np.int64)
    if (counts < 0).any():
        raise EstimationError("counts cannot be negative")
    if threshold < 1:
        raise EstimationError("threshold must be at least 1")
    kept: list[AxesSpec] = []
    for spec in axes:
        if isinstance(spec, Margin):
            k = spec.keep
            for axis, labels in spec.coarsen:
                if axis not in k:
                    raise EstimationError(f"coarsened axis {axis} is not kept in {spec}")
                if 0 <= axis < counts.ndim and (
                    len(labels) != counts.shape[axis] or any(g < 0 for g in labels)
                ):
                    raise EstimationError(
                        f"axis {axis} has {counts.shape[axis]} positions: give each a group >= 0"
                    )
        else:
            k = tuple(sorted(int(a) for a in spec))
        if any(a < 0 or a >= counts.ndim for a in k) or len(set(k)) != len(k):
            raise EstimationError(f"axes {tuple(k)} do not fit a {counts.ndim}-D table")
        kept.append(Margin.of(k, dict(spec.coarsen)) if isinstance(spec, Margin) else k)
    fixed = frozenset(int(k) for k in known)
    if any(not 0 <= k < len(kept) for k in fixed):
        raise EstimationError("known names a table that is not published")
    given: dict[int, BoolArray] = {}
    free: set[tuple[int, int]] = set()

    def mask_of(position: int, mask: npt.ArrayLike, what: str) -> BoolArray:
        hidden = np.asarray(mask, dtype=bool)
        expected = _membership(counts.shape, kept[int(position)])[1]
        if hidden.shape != expected:
            raise EstimationError(
                f"{what} table {position} has shape {expected}, its cells {hidden.shape}"
            )
        previous = given.get(int(position), np.zeros(expected, dtype=bool))
        given[int(position)] = previous | hidden
        return hidden

    if isinstance(known, Mapping):
        for position, mask in known.items():
            mask_of(position, mask, "known")
    for position, mask in (unshown or {}).items():
        mask_of(position, mask, "unshown")
    for position, mask in (untargeted or {}).items():
        hidden = mask_of(position, mask, "untargeted")
        free.update((int(position), int(c)) for c in np.flatnonzero(hidden.ravel()))
    key = (
        counts.shape,
        counts.tobytes(),
        tuple(kept),
        threshold,
        width,
        max_iterations,
        fixed,
        tuple(sorted((k, v.tobytes()) for k, v in given.items())),
        tuple(sorted(free)),
    )
    cached = _CACHE.get(key)
    if cached is not None:
        return _copy(cached)
    result = _protect(counts, kept, threshold, width, max_iterations, fixed, given, free)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))  # the oldest entry
    _CACHE[key] = _copy(result)
    return result


#: Protection is a pure function of the counts and the view, and dashboards ask for the same
#: tables again and again: the last results are kept (copies, so callers cannot change them).
_CACHE: dict[tuple[object, ...], Protected] = {}
_CACHE_SIZE = 512


def _copy(result: Protected) -> Protected:
    return Protected(
        axes=list(result.axes),
        tables=[t.copy() for t in result.tables],
        suppressed=[s.copy() for s in result.suppressed],
        primary=[p.copy() for p in result.primary],
        threshold=result.threshold,
        iterations=result.iterations,
        notes=list(result.notes),
    )


def _protect(
    counts: IntArray,
    kept: list[AxesSpec],
    threshold: int,
    width: float,
    max_iterations: int,
    known: frozenset[int] = frozenset(),
    given: dict[int, BoolArray] | None = None,
    free: set[tuple[int, int]] | None = None,
) -> Protected:
    tables = [_marginal(counts, k) for k in kept]
    members = [_membership(counts.shape, k)[0] for k in kept]
    primary = [(t >= 1) & (t < threshold) for t in tables]
    suppressed = [p.copy() for p in primary]
    for index, hidden in (given or {}).items():
        suppressed[index] |= hidden
    result = Protected(kept, tables, suppressed, primary, threshold)
    n_base = int(counts.size)
    # Hiding more cells only removes equations, so a cell once shown to be safe stays safe.
    safe: set[tuple[int, int]] = set(free or ())
    for iteration in range(max_iterations):
        result.iterations = iteration + 1
        attack = _Attack(n_base, members, tables, suppressed)
        exposed = _exposed_cells(attack, tables, suppressed, safe, threshold, width)
        if not exposed:
            return result
        # Every exposed cell gets a partner before the program is solved again (one at a time
        # hides a little less, but dashboards have hundreds of small cells).
        stuck = False
        for t_index, cell in exposed:
            partner = (
                None if t_index in known else _partner(tables[t_index], suppressed[t_index], cell)
            )
            if partner is not None:
                suppressed[t_index][partner] = True
                continue
            # No cell of its own table is left to pair with: hide the smallest shown cell of
            # another table that sums over it (a margin that pins it).
            margin = _pinning_margin(members, tables, suppressed, t_index, cell, known)
            if margin is None:
                stuck = True
                break
            suppressed[margin[0]][margin[1]] = True
        if stuck:
            break
    result.notes.append("could not protect every cell by pairing; every cell was hidden")
    for hidden in suppressed:
        hidden[...] = True
    return result


def _objective(attack: _Attack, cells: Sequence[tuple[int, int]]) -> npt.NDArray[np.float64]:
    """The sum of these published cells, as a function of the base cells."""
    objective = np.zeros(attack.n_base)
    for t_index, flat in cells:
        objective += attack.members[t_index] == flat
    return objective


def _exposed_cells(
    attack: _Attack,
    tables: list[IntArray],
    suppressed: list[BoolArray],
    safe: set[tuple[int, int]],
    threshold: int,
    width: float,
) -> list[tuple[int, tuple[int, ...]]]:
    """Every suppressed cell an attacker can pin inside 1..threshold-1 (or too narrowly);
    cells found safe are remembered in ``safe``.

    Most hidden cells are cleared in a few joint programs before any is solved alone: a
    solution that minimises the sum of the candidates shows at once every candidate that can
    be 0 (it is 0 there), and one that maximises their sum every candidate that can reach the
    threshold. What is left is solved cell by cell."""
    candidates: list[tuple[int, int]] = []
    for t_index, hidden in enumerate(suppressed):
        values = tables[t_index].ravel()
        for position in np.flatnonzero(hidden.ravel()):
            key = (t_index, int(position))
            if key in safe:
                continue
            if width <= 0 and not 1 <= values[position] < threshold:
                # The true value is always consistent with what is published, so a cell of 0
                # or of threshold or more can never be pinned inside 1..threshold-1.
                safe.add(key)
                continue
            candidates.append(key)
    if width <= 0:
        candidates = _clear_jointly(attack, candidates, safe, threshold)
    exposed = []
    for key in candidates:
        t_index, flat = key
        low = attack.lower(t_index, flat)
        if width <= 0 and low < 1 - 1e-9:
            safe.add(key)  # it may be 0: not pinned inside 1..threshold-1
            continue
        high = attack.upper(t_index, flat)
        pinned = low >= 1 - 1e-9 and high <= threshold - 1 + 1e-9
        narrow = width > 0 and (high - low) < width
        if pinned or narrow:
            exposed.append(
                (t_index, tuple(int(c) for c in np.unravel_index(flat, tables[t_index].shape)))
            )
        else:
            safe.add(key)
    return exposed


def _clear_jointly(
    attack: _Attack, candidates: list[tuple[int, int]], safe: set[tuple[int, int]], threshold: int
) -> list[tuple[int, int]]:
    """The candidates no joint program clears (see :func:`_exposed_cells`)."""
    for sense in (1.0, -1.0):
        while len(candidates) > 1:
            solution = attack.solve(sense * _objective(attack, candidates))
            if solution is None:
                break
            cleared = []
            for key in candidates:
                value = float(solution[attack.members[key[0]] == key[1]].sum())
                if (sense > 0 and value < 1 - 1e-9) or (sense < 0 and value > threshold - 1 + 1e-9):
                    cleared.append(key)
            if not cleared:
                break
            safe.update(cleared)
            done = set(cleared)
            candidates = [key for key in candidates if key not in done]
    return candidates


def _pinning_margin(
    members: list[IntArray],
    tables: list[IntArray],
    suppressed: list[BoolArray],
    t_index: int,
    cell: tuple[int, ...],
    known: frozenset[int] = frozenset(),
) -> tuple[int, tuple[int, ...]] | None:
    flat = int(np.ravel_multi_index(cell, tables[t_index].shape))
    base_cells = np.flatnonzero(members[t_index] == flat)
    best: tuple[int, tuple[int, ...]] | None = None
    best_value = None
    for other, (member, table, hidden) in enumerate(zip(members, tables, suppressed, strict=True)):
        if other == t_index or other in known:
            continue
        for flat_other in np.unique(member[base_cells]):
            coords = tuple(int(c) for c in np.unravel_index(int(flat_other), table.shape))
            if hidden[coords]:
                continue
            value = int(table[coords])
            if best_value is None or value < best_value:
                best, best_value = (other, coords), value
    return best


def _partner(table: IntArray, hidden: BoolArray, cell: tuple[int, ...]) -> tuple[int, ...] | None:
    """A shown cell of the same table to hide because ``cell`` is still exposed.

    Candidates are shown cells one coordinate away from ``cell`` or from another hidden cell
    of the table. Preferred: positive values (a hidden zero protects little), then cells whose
    lines already hold the most hidden cells (completing a rectangle of suppressed cells is
    what protects a cell under both of its margins), then the smallest value.
    """
    sources = [cell, *(tuple(int(c) for c in h) for h in zip(*np.nonzero(hidden), strict=True))]
    candidates = {c for src in sources for c in _neighbours(table.shape, src) if not hidden[c]}
    if not candidates:
        return None

    def hidden_in_lines(c: tuple[int, ...]) -> int:
        count = 0
        for axis in range(table.ndim):
            line: list[int | slice] = list(c)
            line[axis] = slice(None)
            count += int(hidden[tuple(line)].sum())
        return count

    near = set(_neighbours(table.shape, cell))
    return min(
        candidates,
        key=lambda c: (
            0 if table[c] > 0 else 1,
            -hidden_in_lines(c),
            0 if c in near else 1,
            int(table[c]),
            c,
        ),
    )
