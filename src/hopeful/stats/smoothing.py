"""Counts estimated from every published count of a table: least squares over its atoms.

A table of perturbed counts (:mod:`hopeful.stats.perturbation`) holds many cells that add up
to one another: each program's cell and all programs', quarters and their year, groups and
everyone. Each published count is its true count plus independent noise of variance ``V``
(independent because the cells' record keys differ), so a cell's count is estimated better
by all of the table's published counts together than by its own alone: the generalized least
squares estimate over the table's *atoms* (the finest cells the table's cells are made of),
the best linear unbiased estimate (Gauss-Markov). Shares computed from such estimates move
less under perturbation than shares of two perturbed counts.

This is post-processing: it reads published counts only (a count shown as "fewer than" is
not an observation) and the table's structure, so it tells no one more than the published
counts do to anyone who knows which atoms are not empty — the knowledge the averaging attack
of the protection benchmark already grants the attacker.

>>> import numpy as np
>>> from hopeful.stats import smoothed_counts
>>> atoms = np.array([[1, 0], [0, 1], [1, 1]])  # two cells and their sum
>>> result = smoothed_counts(atoms, [10.0, 20.0, 33.0], atoms)
>>> [round(float(v), 2) for v in result.estimates]
[11.0, 21.0, 32.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse.linalg import lsqr

from hopeful.stats.errors import EstimationError

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Above this many matrix entries (observations x atoms) the least squares are solved
#: iteratively (LSQR) rather than by a singular value decomposition.
_DENSE_LIMIT = 250_000


@dataclass(frozen=True)
class SmoothedCounts:
    """What :func:`smoothed_counts` returns, one value per target."""

    estimates: FloatArray
    """The best linear unbiased estimate of each target's count (NaN: not estimable)."""
    estimable: BoolArray
    """Whether the observations determine the target's count (it lies in their row space)."""


def _matrix(value: npt.ArrayLike | sparse.spmatrix, name: str) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix(value, dtype=np.float64)
    if matrix.ndim != 2:
        raise EstimationError(f"{name} must be a matrix (rows x atoms)")
    if matrix.nnz and not np.isfinite(matrix.data).all():
        raise EstimationError(f"{name} must be finite")
    return matrix


def smoothed_counts(
    observations: npt.ArrayLike | sparse.spmatrix,
    values: npt.ArrayLike,
    targets: npt.ArrayLike | sparse.spmatrix,
    *,
    variances: npt.ArrayLike | None = None,
) -> SmoothedCounts:
    """Estimate counts from published counts that add up to one another.

    Parameters
    ----------
    observations
        (observations x atoms): which atoms each published count adds up (0/1, or any
        coefficients).
    values
        The published value of each observation.
    targets
        (targets x atoms): the cells to estimate, over the same atoms.
    variances
        Each observation's noise variance, relative to the others (default: all equal). A
        sum of ``k`` published counts observes their union with variance ``k``.

    Returns
    -------
    SmoothedCounts
        Each target's estimate ``t' a``, with ``a`` the minimum-norm generalized least
        squares solution; a target outside the observations' row space is not estimable
        (NaN), since no unbiased estimate of it exists. Above ``_DENSE_LIMIT`` entries the
        solution is LSQR's and only targets equal to an observation are estimated (others
        may be estimable but are reported as not).
    """
    x = _matrix(observations, "observations")
    t = _matrix(targets, "targets")
    y = np.asarray(values, dtype=np.float64).ravel()
    if y.shape[0] != x.shape[0]:
        raise EstimationError(f"{x.shape[0]} observations but {y.shape[0]} values")
    if t.shape[1] != x.shape[1]:
        raise EstimationError(f"targets have {t.shape[1]} atoms, observations {x.shape[1]}")
    if not np.isfinite(y).all():
        raise EstimationError("values must be finite")
    if variances is None:
        w = np.ones(x.shape[0])
    else:
        v = np.asarray(variances, dtype=np.float64).ravel()
        if v.shape != y.shape or not np.isfinite(v).all() or (v <= 0).any():
            raise EstimationError("variances must be one positive number per observation")
        w = 1.0 / np.sqrt(v)
    if x.shape[0] == 0 or x.shape[1] == 0:
        return SmoothedCounts(np.full(t.shape[0], np.nan), np.zeros(t.shape[0], dtype=bool))
    wx = sparse.diags(w) @ x
    wy = w * y
    if x.shape[0] * x.shape[1] <= _DENSE_LIMIT:
        dense = wx.toarray()
        u, s, vt = np.linalg.svd(dense, full_matrices=False)
        tol = s.max(initial=0.0) * max(dense.shape) * np.finfo(np.float64).eps
        keep = s > tol
        basis = vt[keep]
        solution = basis.T @ ((u[:, keep].T @ wy) / s[keep])
        td = t.toarray()
        residual = td - (td @ basis.T) @ basis
        scale = np.maximum(np.abs(td).sum(axis=1), 1.0)
        estimable = np.abs(residual).sum(axis=1) <= 1e-7 * scale
    else:
        # Large tables: LSQR's minimum-norm solution, and only targets that are observations
        # themselves are said to be estimable (a conservative answer, without the SVD).
        # columns scaled to unit length (a diagonal preconditioner: far fewer iterations)
        norms = np.sqrt(np.asarray(wx.multiply(wx).sum(axis=0)).ravel())
        scale_columns = sparse.diags(np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1), 0))
        scaled = lsqr(wx @ scale_columns, wy, atol=1e-12, btol=1e-12, iter_lim=20_000)[0]
        solution = scale_columns @ scaled
        td = t.toarray()
        seen = {row.tobytes() for row in np.ascontiguousarray(x.toarray())}
        estimable = np.array([row.tobytes() in seen for row in td], dtype=bool)
    estimates = np.where(estimable, td @ solution, np.nan)
    return SmoothedCounts(np.asarray(estimates, dtype=np.float64), estimable)
