"""The attacker's view of perturbed tables: how well can published cells be combined?

Every published cell is a set of records; the finest cells of the data (the *atoms*) have true
counts ``t >= 0``. A view publishes ``y = X t + e``, where row ``j`` of ``X`` (cells x atoms,
0/1 or small integers) says which atoms cell ``j`` adds up, and ``e`` is the perturbation.
Under the cell-key method the noise of different cells is independent-looking with variance
``V``, but a cell published twice (in two views, or twice in one) is the same set of records,
so it shows the same number: repeating it tells nothing new. Both functions here therefore
keep identical rows of ``X`` once.

:func:`blue_standard_errors` measures the differencing attack: for a target ``c`` (say a small
cell), the best linear unbiased estimate of ``c . t`` from all published cells, over every
differencing path they offer, and its standard error ``sqrt(V c' (X'X)^+ c)`` (``inf`` when no
unbiased estimate exists, that is ``c`` is outside the row space of ``X``).

:func:`count_bounds` measures the interval attack: the smallest and largest value of
``c . t`` over real ``t >= 0`` with each published cell's true count inside the interval the
attacker can deduce (``[y - D, y + D]`` for a perturbation table of maximum noise ``D``, and so
on), by linear programming. A target with ``lo == hi`` is exactly recoverable.

Both split the problem along the connected components of the cells-atoms graph (atoms linked
by a published cell): a target's estimate and bounds only involve the components its atoms
are in.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import linalg, sparse
from scipy.linalg import lapack
from scipy.optimize import linprog
from scipy.sparse import csgraph

from hopeful.stats.errors import EstimationError

__all__ = ["blue_standard_errors", "count_bounds"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: A pivot of the Gram matrix below this fraction of its largest diagonal entry counts as 0:
#: that column of atoms depends on those already chosen. Rounding leaves about
#: ``atoms * 2e-16`` of the largest entry on dependent columns, far below this; the true
#: pivots of count tables (squared distances between 0/1 columns and spans of others) are
#: far above it.
_RANK_TOLERANCE = 1e-9

#: A target is estimable when ``X' l`` reproduces it to this fraction of its size.
_ESTIMABLE_TOLERANCE = 1e-7

#: Columns of the Gram matrix formed at a time (bounds the dense temporary).
_CHUNK = 1024


def blue_standard_errors(
    published: Any,
    targets: Any,
    variance: float,
    *,
    exact: npt.ArrayLike | None = None,
) -> FloatArray:
    """Standard errors of the attacker's best linear unbiased estimates of the targets.

    Parameters
    ----------
    published
        ``X``, cells x atoms (a dense array or a SciPy sparse matrix): row ``j`` holds the
        coefficients of the atoms that cell ``j`` adds up. Identical rows are one cell (the
        same records, hence the same perturbed count) and count once; all-zero rows are
        ignored.
    targets
        Targets x atoms (or one target as a 1-D array): each row a linear combination of
        atoms whose estimate is measured, for example the row of a small cell.
    variance
        ``V > 0``: the variance of each published cell's independent noise.
    exact
        Optional boolean mask of the atoms the attacker knows to be 0 (for example those
        inside a published zero when zero stays zero): their columns are dropped.

    Returns
    -------
    numpy.ndarray
        Per target, ``sqrt(V * c' (X'X)^+ c)`` (the standard error of ``l' y`` for the
        minimum-norm ``l`` with ``X' l = c``), or ``inf`` when ``c`` is not in the row space
        of ``X`` (no unbiased linear estimate exists). A target published itself has a
        standard error of at most ``sqrt(V)``.

    Notes
    -----
    Per connected component, the Gram matrix ``G = X'X`` is factorised once by pivoted
    Cholesky (LAPACK ``dpstrf``), which picks a maximal independent set ``B`` of atom columns
    (pivots below 1e-9 of the largest diagonal entry count as dependent). Then for each
    target ``s = G_BB^{-1} c_B`` and ``l = X_B s`` (which lies in the column space of ``X``);
    the target is estimable exactly when ``X' l = c`` (checked to 1e-7 relative), and
    ``c' (X'X)^+ c = |l|^2``. Atoms with identical columns are merged first (a target must
    weigh them equally to be estimable). 5,000 cells x 5,000 atoms in one component take a
    few seconds, mostly the factorisation.
    """
    v = float(variance)
    if not np.isfinite(v) or v <= 0:
        raise EstimationError(f"variance must be positive, not {variance!r}")
    x, c = _problem(published, targets, exact)
    x = x[_distinct_rows(x)[0]]
    k = c.shape[0]
    result = np.zeros(k)
    for atoms, rows in _components(x, c):
        part = c[:, atoms]
        hit = np.flatnonzero(np.diff(part.indptr) > 0)
        if rows.size == 0:
            result[hit] = np.inf  # atoms in no published cell
            continue
        result[hit] += _component_variance(x[rows][:, atoms], part[hit].toarray())
    return np.asarray(np.sqrt(v * result), dtype=np.float64)


def count_bounds(
    published: Any,
    lower: npt.ArrayLike,
    upper: npt.ArrayLike,
    targets: Any,
    *,
    exact: npt.ArrayLike | None = None,
) -> tuple[FloatArray, FloatArray]:
    """The range of each target consistent with what the attacker knows of the cells.

    Parameters
    ----------
    published
        ``X``, cells x atoms (dense or SciPy sparse).
    lower, upper
        Per cell, what the attacker knows of its true count: ``lower <= (X t)_j <= upper``
        (``-inf``/``inf`` for no bound). With a perturbation of maximum noise ``D`` a
        published ``y`` gives ``[max(y - D, 0), y + D]``; a cell shown as "fewer than 11"
        gives ``[1, 10 + D]``, or ``[js + 1 - D, 10 + D]`` and so on. Identical rows are one
        cell: their intervals are intersected.
    targets
        Targets x atoms (or one target as a 1-D array).
    exact
        Optional boolean mask of atoms known to be 0.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Per target, the smallest and largest ``c . t`` over real ``t >= 0`` within the
        bounds (``-inf``/``inf`` when unbounded), by SciPy's HiGHS linear programming, so to
        its tolerance (about 1e-7 of the counts). ``lo == hi`` (to that tolerance) means the
        target is exactly recoverable; integer counts can only narrow the range further, so
        ``ceil(lo - 1e-6)..floor(hi + 1e-6)`` holds every integer value it can take.

    Raises
    ------
    EstimationError
        The bounds of the cells connected to a target contradict each other (no ``t``
        satisfies them).

    Notes
    -----
    Each target costs two linear programs over its components (rows: the distinct cells
    with a finite bound; columns: the atoms). Milliseconds for tables of tens to hundreds of
    atoms with sparse cells; a component of hundreds of atoms under thousands of cells that
    each cover a large part of it takes seconds per target, so audit the targets that
    matter (the small counts) rather than every cell.
    """
    x, c = _problem(published, targets, exact)
    m = x.shape[0]
    lo_cells = _bound_vector(lower, m, "lower")
    hi_cells = _bound_vector(upper, m, "upper")
    if (lo_cells > hi_cells).any():
        raise EstimationError("a cell's lower bound exceeds its upper bound")
    empty = np.diff(x.indptr) == 0
    if ((lo_cells > 0) | (hi_cells < 0))[empty].any():
        raise EstimationError("a cell with no atoms is bounded away from 0")
    keep, inverse = _distinct_rows(x)
    # Identical rows are one cell: intersect what is known of it.
    merged_lo = np.full(len(keep), -np.inf)
    merged_hi = np.full(len(keep), np.inf)
    np.maximum.at(merged_lo, inverse[~empty], lo_cells[~empty])
    np.minimum.at(merged_hi, inverse[~empty], hi_cells[~empty])
    if (merged_lo > merged_hi).any():
        raise EstimationError("a cell published twice has contradictory bounds")
    x = x[keep]
    k = c.shape[0]
    low, high = np.zeros(k), np.zeros(k)
    for atoms, rows in _components(x, c):
        part = c[:, atoms]
        hit = np.flatnonzero(np.diff(part.indptr) > 0)
        program = _Program(x[rows][:, atoms], merged_lo[rows], merged_hi[rows])
        for target in hit.tolist():
            objective = part[target].toarray().ravel()
            low[target] += program.minimum(objective)
            high[target] -= program.minimum(-objective)
    return low, high


# -- shared preparation -------------------------------------------------------------------------


def _problem(
    published: Any, targets: Any, exact: npt.ArrayLike | None
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """``X`` and the targets as CSR matrices without the columns of known-zero atoms."""
    x = _csr(published, "published")
    c = _csr(targets, "targets", one_row=True)
    if c.shape[1] != x.shape[1]:
        raise EstimationError(
            f"targets have {c.shape[1]} atoms but the published cells have {x.shape[1]}"
        )
    if exact is not None:
        known = np.asarray(exact)
        if known.dtype != np.bool_ or known.shape != (x.shape[1],):
            raise EstimationError(f"exact must be a boolean mask of the {x.shape[1]} atoms")
        kept = np.flatnonzero(~known)
        x, c = x[:, kept], c[:, kept]
    return sparse.csr_matrix(x), sparse.csr_matrix(c)


def _csr(value: Any, name: str, *, one_row: bool = False) -> sparse.csr_matrix:
    if sparse.issparse(value):
        matrix = sparse.csr_matrix(value, dtype=np.float64)
    else:
        dense = np.asarray(value, dtype=np.float64)
        if one_row and dense.ndim == 1:
            dense = dense[None, :]
        if dense.ndim != 2:
            raise EstimationError(f"{name} must be a 2-D matrix")
        matrix = sparse.csr_matrix(dense)
    if not np.isfinite(matrix.data).all():
        raise EstimationError(f"{name} must be finite")
    matrix.eliminate_zeros()
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix


def _bound_vector(values: npt.ArrayLike, m: int, name: str) -> FloatArray:
    bound = np.asarray(values, dtype=np.float64)
    if bound.shape != (m,):
        raise EstimationError(f"{name} must hold one bound per published cell ({m})")
    if np.isnan(bound).any():
        raise EstimationError(f"{name} has missing values")
    return bound


def _distinct_rows(x: sparse.csr_matrix) -> tuple[IntArray, IntArray]:
    """The first of each group of identical non-empty rows, and each row's group."""
    first: dict[bytes, int] = {}
    keep: list[int] = []
    inverse = np.zeros(x.shape[0], dtype=np.int64)
    for r in range(x.shape[0]):
        start, end = x.indptr[r], x.indptr[r + 1]
        if start == end:
            continue
        signature = x.indices[start:end].tobytes() + x.data[start:end].tobytes()
        group = first.setdefault(signature, len(keep))
        if group == len(keep):
            keep.append(r)
        inverse[r] = group
    return np.array(keep, dtype=np.int64), inverse


def _components(x: sparse.csr_matrix, c: sparse.csr_matrix) -> list[tuple[IntArray, IntArray]]:
    """(atoms, rows) of each connected component that some target touches."""
    m = x.shape[0]
    graph = sparse.bmat([[None, x], [x.T, None]], format="csr")
    _, labels = csgraph.connected_components(graph, directed=False)
    atom_label, row_label = labels[m:], labels[:m]
    touched = np.unique(atom_label[np.unique(c.indices)])
    atom_order = np.argsort(atom_label, kind="stable")
    row_order = np.argsort(row_label, kind="stable")
    sorted_atoms, sorted_rows = atom_label[atom_order], row_label[row_order]
    out = []
    for label in touched.tolist():
        a0, a1 = np.searchsorted(sorted_atoms, [label, label + 1])
        r0, r1 = np.searchsorted(sorted_rows, [label, label + 1])
        out.append((atom_order[a0:a1].astype(np.int64), row_order[r0:r1].astype(np.int64)))
    return out


# -- the best linear unbiased estimate ----------------------------------------------------------


def _component_variance(x: sparse.csr_matrix, c: FloatArray) -> FloatArray:
    """``c' (X'X)^+ c`` for each row of ``c`` (``inf`` where not estimable), one component."""
    groups, representative = _column_groups(x)
    # Atoms with identical columns are indistinguishable: a target is estimable only if it
    # weighs them alike, and then only their representative counts (see the module notes).
    alike = np.all(c == c[:, representative][:, groups], axis=1)
    x = sparse.csc_matrix(x[:, representative])
    u = c[:, representative]
    gram = _gram(x)
    scale = float(np.max(np.diag(gram)))
    factor, pivots, rank, _ = lapack.dpstrf(gram, tol=_RANK_TOLERANCE * scale, lower=0)
    basis = pivots[:rank] - 1
    # The solves read only the upper triangle of the factor (dpstrf leaves G below it).
    r11 = factor[:rank, :rank]
    s = linalg.solve_triangular(r11, u[:, basis].T, trans="T", lower=False, check_finite=False)
    s = linalg.solve_triangular(r11, s, lower=False, check_finite=False)
    weights = np.asarray(x[:, basis] @ s)  # l = X_B s, one column per target
    residual = np.asarray(x.T @ weights) - u.T
    size = np.abs(u).max(axis=1)
    estimable = alike & (np.abs(residual).max(axis=0) <= _ESTIMABLE_TOLERANCE * (1 + size))
    return np.where(estimable, (weights**2).sum(axis=0), np.inf)


def _column_groups(x: sparse.csr_matrix) -> tuple[IntArray, IntArray]:
    """Per column, its group of identical columns; per group, its first column."""
    columns = sparse.csc_matrix(x)
    columns.sort_indices()
    first: dict[bytes, int] = {}
    representative: list[int] = []
    groups = np.zeros(columns.shape[1], dtype=np.int64)
    for j in range(columns.shape[1]):
        start, end = columns.indptr[j], columns.indptr[j + 1]
        signature = columns.indices[start:end].tobytes() + columns.data[start:end].tobytes()
        group = first.setdefault(signature, len(representative))
        if group == len(representative):
            representative.append(j)
        groups[j] = group
    return groups, np.array(representative, dtype=np.int64)


def _gram(x: sparse.csc_matrix) -> FloatArray:
    """The upper triangle of ``X'X`` as a dense array (below it: zeros), which is all that
    dpstrf reads; sparse times dense blocks, since the product fills in."""
    n = x.shape[1]
    gram = np.zeros((n, n))
    xt = sparse.csr_matrix(x.T)
    for start in range(0, n, _CHUNK):
        end = min(start + _CHUNK, n)
        gram[:end, start:end] = xt[:end] @ x[:, start:end].toarray()
    return gram


# -- the linear programs ------------------------------------------------------------------------


class _Program:
    """``min c . t`` over ``t >= 0`` with ``lower <= X t <= upper``, one component."""

    def __init__(self, x: sparse.csr_matrix, lower: FloatArray, upper: FloatArray) -> None:
        equal = lower == upper
        below = np.isfinite(upper) & ~equal
        above = np.isfinite(lower) & ~equal
        blocks = [x[below], -x[above]]
        self.a_ub = sparse.vstack(blocks, format="csr") if below.any() or above.any() else None
        self.b_ub = np.concatenate([upper[below], -lower[above]])
        self.a_eq = x[equal] if equal.any() else None
        self.b_eq = lower[equal]

    def minimum(self, objective: FloatArray) -> float:
        found = linprog(
            objective,
            A_ub=self.a_ub,
            b_ub=self.b_ub if self.a_ub is not None else None,
            A_eq=self.a_eq,
            b_eq=self.b_eq if self.a_eq is not None else None,
            bounds=(0, None),
            method="highs",
        )
        if found.status == 2:
            raise EstimationError(
                "the published cells' bounds contradict each other: no counts fit them"
            )
        if found.status == 3:
            return -np.inf
        if found.status != 0:
            raise EstimationError(f"the linear program failed: {found.message}")
        return float(found.fun)
