"""Cell-key perturbation of published counts.

The cell-key method (Thompson, Broadfoot and Elazar 2013; the ABS TableBuilder) adds noise to
every published count so that differencing views gains little, while the same set of records
always gets the same noise:

1. Every record gets a random **record key** once, when it is stored
   (:func:`new_record_key`, an integer in ``[0, KEY_RANGE)``).
2. A published cell's **cell key** is the sum of its records' keys modulo ``KEY_RANGE``
   (:func:`cell_keys`); an empty cell has key 0. The same records give the same key in
   every view.
3. A **perturbation table** (:class:`PTable`, built by :func:`make_ptable`) holds, for each
   true count ``i`` (``0, 1, ..., last_row``, the last row serving every larger count), a
   distribution of perturbations ``v`` in ``[-D, D]``, laid out as consecutive intervals of
   ``[0, 1)``. The cell key, scaled to ``[0, 1)``, picks the interval, hence ``v``; the
   published count is ``i + v`` (:meth:`PTable.perturb`).

Each row is the maximum-entropy distribution (Giessing 2016; the R package ``ptable``'s
``create_cnt_ptable``) with mean 0 (unbiased), variance ``V``, no negative result, no
positive result at or below ``js``, and optionally a fixed probability ``pstay`` of ``v = 0``.
Row 0 is all mass at 0: a true zero is published as 0, and a published cell never shows a
count where there are no records. Where a small row cannot have variance ``V`` (its support
is cut by 0 and by the blocked results ``1..js``), it gets the attainable variance nearest
``V``; see :func:`make_ptable`.

:func:`hopeful.stats.proportions_from_counts` (:mod:`hopeful.stats.proportions`) turns
perturbed numerators and denominators into shares with the same estimates and intervals
:meth:`hopeful.stats.Design.proportion` gives on the corresponding unit-level table, and
:func:`hopeful.stats.smoothed_counts` estimates counts from a whole table of them.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from scipy import optimize, special

from hopeful.stats.errors import EstimationError

__all__ = [
    "KEY_RANGE",
    "PTable",
    "cell_keys",
    "make_ptable",
    "new_record_key",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Record and cell keys are integers in ``[0, KEY_RANGE)``; 2**31 fits a PositiveIntegerField.
KEY_RANGE: Final = 2**31

#: A row whose target variance is this close (relatively) to the end of its attainable range
#: takes the limiting two-point distribution: the exponential family would need an infinite
#: parameter there.
_EDGE = 1e-12

#: Mean and variance of every solved row must be this exact (absolute, in count units).
_EXACT = 1e-10


def new_record_key(rng: random.Random | np.random.Generator | None = None) -> int:
    """A new record key: a uniform random integer in ``[0, KEY_RANGE)``.

    Parameters
    ----------
    rng
        A :class:`random.Random` or :class:`numpy.random.Generator` (for reproducible test
        data), or ``None`` for the operating system's cryptographic source
        (:func:`secrets.randbelow`), which is what stored records should use.
    """
    if rng is None:
        return secrets.randbelow(KEY_RANGE)
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(KEY_RANGE))
    if isinstance(rng, random.Random):
        return rng.randrange(KEY_RANGE)
    raise EstimationError("rng must be a random.Random, a numpy Generator or None")


def cell_keys(key_sums: npt.ArrayLike) -> IntArray:
    """Cell keys from sums of record keys: the sums modulo ``KEY_RANGE``.

    Parameters
    ----------
    key_sums
        Integer sums of the record keys of each cell (any shape), for example a table built
        with ``np.add.at`` over the records and then summed over margins. int64 holds the
        sum of 4 billion keys; Python integers of any size are accepted too. A cell with no
        records has sum 0, hence key 0.

    Returns
    -------
    numpy.ndarray
        int64 keys in ``[0, KEY_RANGE)``, of the input's shape.
    """
    sums = np.asarray(key_sums)
    if sums.dtype == object:
        # Python integers beyond int64: reduce each exactly before converting.
        flat = [_whole(x) % KEY_RANGE for x in sums.ravel().tolist()]
        return np.array(flat, dtype=np.int64).reshape(sums.shape)
    if sums.dtype.kind not in "iu":
        raise EstimationError("key sums must be integers (floats lose the low bits)")
    return np.asarray(np.mod(sums, KEY_RANGE), dtype=np.int64)


def _whole(x: Any) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise EstimationError("key sums must be integers (floats lose the low bits)")
    return int(x)


# -- the perturbation table ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PTable:
    """A count perturbation table (make one with :func:`make_ptable`).

    Attributes
    ----------
    max_noise
        ``D``: perturbations lie in ``[-D, D]``.
    variance
        ``V``: the variance asked for.
    js
        No perturbed count falls in ``1..js``.
    pstay
        The fixed probability of ``v = 0`` in rows that may stay, or ``None`` (maximum
        entropy decides).
    probabilities
        Rows ``i = 0..last_row`` by columns ``k = 0..2D``: the probability of the
        perturbation ``v = k - D`` for a true count ``i`` (the last row for every larger
        count). Read-only.
    cumulative
        The running sums of each row, with the last column of positive probability (and
        every later one) exactly 1: the right ends of the key intervals. Read-only.
    positive
        A positive count is never published as 0.
    """

    max_noise: int
    variance: float
    js: int
    pstay: float | None
    probabilities: FloatArray
    cumulative: FloatArray
    positive: bool = False

    @property
    def last_row(self) -> int:
        """The last row's count; it serves every count at or above it."""
        return int(self.probabilities.shape[0]) - 1

    @property
    def perturbations(self) -> IntArray:
        """The perturbation of each column: ``-D..D``."""
        return np.arange(-self.max_noise, self.max_noise + 1, dtype=np.int64)

    @property
    def row_means(self) -> FloatArray:
        """Per row, the mean perturbation (0 up to rounding)."""
        return np.asarray(self.probabilities @ self.perturbations, dtype=np.float64)

    @property
    def row_variances(self) -> FloatArray:
        """Per row, the variance of the perturbation: ``V`` unless the row cannot have it."""
        v = self.perturbations.astype(np.float64)
        return np.asarray(self.probabilities @ v**2 - self.row_means**2, dtype=np.float64)

    def perturbation(self, counts: npt.ArrayLike, cell_keys: npt.ArrayLike) -> IntArray:
        """The perturbation of each cell, from its true count and its cell key.

        Parameters
        ----------
        counts
            True counts (integers >= 0), any shape.
        cell_keys
            Cell keys in ``[0, KEY_RANGE)`` (see :func:`cell_keys`), broadcastable with
            ``counts``.

        Returns
        -------
        numpy.ndarray
            int64 perturbations in ``[-D, D]``, of the broadcast shape. The key scaled to
            ``u = key / KEY_RANGE`` selects the column whose interval ``[cumulative[k-1],
            cumulative[k])`` of the row ``min(count, last_row)`` contains ``u``. The
            comparison is exact (``key / 2**31`` is exact in floating point) and columns of
            zero probability have empty intervals, so only a perturbation of positive
            probability is ever chosen.
        """
        n = _counts(counts, "counts")
        keys = np.asarray(cell_keys)
        if keys.dtype.kind not in "iu":
            raise EstimationError("cell keys must be integers")
        if keys.size and (keys.min() < 0 or keys.max() >= KEY_RANGE):
            raise EstimationError(f"cell keys must lie in [0, {KEY_RANGE})")
        n, keys = np.broadcast_arrays(n, keys)
        row = np.minimum(n, self.last_row)
        u = keys.astype(np.float64) / KEY_RANGE
        column = np.empty(row.shape, dtype=np.int64)
        # A loop over the few rows keeps memory at one column index per cell.
        for r in np.unique(row).tolist():
            at = row == r
            column[at] = np.searchsorted(self.cumulative[r], u[at], side="right")
        return column - self.max_noise

    def perturb(self, counts: npt.ArrayLike, cell_keys: npt.ArrayLike) -> IntArray:
        """Published counts: ``counts + perturbation(counts, cell_keys)``.

        A count of 0 stays 0, no result is negative, and no result falls in ``1..js``. The
        same (count, key) always gives the same result.
        """
        n = _counts(counts, "counts")
        return np.asarray(n + self.perturbation(n, cell_keys), dtype=np.int64)

    def rows(self) -> list[dict[str, Any]]:
        """A plain description of the table, one dict per row, for documentation.

        Each dict has ``i`` (the true count; the last row also serves larger counts, marked
        by ``"and_above": True``), ``v`` and ``p`` (the perturbations of positive probability
        and their probabilities), ``mean``, ``variance`` and ``p_stay`` (the probability of
        ``v = 0``).
        """
        out = []
        for i, (p, mean, var) in enumerate(
            zip(self.probabilities, self.row_means, self.row_variances, strict=True)
        ):
            used = p > 0
            out.append(
                {
                    "i": i,
                    "and_above": i == self.last_row,
                    "v": self.perturbations[used].tolist(),
                    "p": p[used].tolist(),
                    "mean": float(mean),
                    "variance": float(var),
                    "p_stay": float(p[self.max_noise]),
                }
            )
        return out

    def __repr__(self) -> str:
        return (
            f"PTable(D={self.max_noise}, V={self.variance}, js={self.js}, "
            f"pstay={self.pstay}, positive={self.positive}, rows=0..{self.last_row})"
        )


def make_ptable(
    max_noise: int,
    variance: float,
    *,
    js: int = 0,
    pstay: float | None = None,
    positive: bool = False,
) -> PTable:
    """A maximum-entropy count perturbation table, as R's ``ptable::create_cnt_ptable``.

    Parameters
    ----------
    max_noise
        ``D >= 1``: the largest perturbation in absolute value.
    variance
        ``V > 0``: the variance of every perturbation distribution. At most ``D**2`` (the
        variance of +-D with probability 1/2 each); with ``pstay`` at most
        ``(1 - pstay) * D**2`` and at least ``1 - pstay``.
    js
        ``0 <= js < D``: no positive perturbed count is ``<= js`` (0 allowed: ``js = 2``
        means a published 1 or 2 never occurs). With ``js >= D`` a count of ``js + 1``
        could not go down, so it would never be perturbed; that is refused.
    pstay
        Optional, ``0 < pstay < 1``: the probability that a count stays unperturbed, in every
        row ``i >= 1`` that may stay (a count in ``1..js`` must move). ``None``: maximum
        entropy decides.
    positive
        When true, a positive count is never published as 0 (the support of row ``i >= 1``
        is ``i + v >= 1``), so a published 0 always means no records. The rows are then
        ``0 .. D + js + 1``; row 1 cannot move down, so with mean 0 it stays 1 (its variance
        is 0), and each small row takes the attainable variance nearest ``V`` as above.

    Returns
    -------
    PTable
        Rows ``i = 0, 1, ..., L`` with ``L = D`` when ``js = 0`` and ``L = D + js + 1``
        otherwise (as the R package): the first count whose possible results
        ``i - D .. i + D`` are all allowed. Row ``L`` serves every count ``>= L``; it is
        symmetric.

    Notes
    -----
    Row 0 is ``v = 0`` with probability 1. Row ``i >= 1`` is a distribution on the allowed
    perturbations ``S_i = {v in [-D, D] : i + v = 0 or i + v > js}`` with mean 0 and variance
    ``V``, of maximum entropy among those: ``p_v`` proportional to ``exp(a v + b v**2)`` on
    ``S_i`` (on ``S_i`` without 0 when ``pstay`` is set, the rest ``1 - pstay`` of the mass
    with conditional variance ``V / (1 - pstay)``), solved for ``(a, b)`` by minimising the
    convex dual with SciPy's trust-region Newton method, then polished by Newton steps to
    machine precision (mean and variance exact to about 1e-12).

    A mean-0 distribution on ``S_i`` has a variance between ``lo_i`` and ``hi_i``:
    ``hi_i = -min(S_i) * max(S_i)`` (all mass on the two ends: ``min(i, D) * D``), and
    ``lo_i = 0`` when 0 is in ``S_i``, else ``a * b`` for the nearest ``-a < 0 < b`` in
    ``S_i`` (for a blocked count ``i`` in ``1..js``, ``i * (js + 1 - i)``). Where ``V`` lies
    outside ``[lo_i, hi_i]`` the row takes the nearest end, whose only distribution is the
    two-point one at those ``v``. This happens only for small counts:

    - ``V > i * D`` (for example ``i = 1`` when ``V > D``): a 1 becomes 0 or ``1 + D``;
    - ``V < i * (js + 1 - i)`` for a blocked count (for example ``js = 2, V < 2``: a 1
      becomes 0 or 3, a 2 becomes 0 or 3).

    With ``pstay`` the same rule applies to the conditional variance on ``S_i`` without 0.
    :attr:`PTable.row_variances` shows every row's variance. The R package instead treats the
    variance as an upper bound (and adds a monotony constraint on the left tail by default),
    so its small rows may have less variance than ``V``; this table keeps ``V`` wherever it
    is attainable, since the small counts are the ones to protect.

    Raises
    ------
    EstimationError
        ``D < 1``, ``V <= 0``, ``js`` outside ``0..D-1``, ``pstay`` outside ``(0, 1)``, or a
        ``V`` the large counts cannot have (``V > D**2``; with ``pstay``, ``V`` outside
        ``[1 - pstay, (1 - pstay) * D**2]``).
    """
    d = _integer(max_noise, "max_noise")
    if d < 1:
        raise EstimationError(f"max_noise (D) must be at least 1, not {d}")
    v_target = float(variance)
    if not np.isfinite(v_target) or v_target <= 0:
        raise EstimationError(f"variance (V) must be positive, not {variance!r}")
    j = _integer(js, "js")
    if not 0 <= j < d:
        # With js >= D a count of js + 1 could not go down (0 is out of reach, js blocked), so
        # mean 0 would pin it: it would always be published exactly.
        raise EstimationError(f"js must lie between 0 and max_noise - 1 ({d - 1}), not {j}")
    stay: float | None = None
    if pstay is not None:
        stay = float(pstay)
        if not 0 < stay < 1:
            raise EstimationError(f"pstay must lie strictly between 0 and 1, not {pstay!r}")
        low, high = 1 - stay, (1 - stay) * d * d
        if not low * (1 - _EDGE) <= v_target <= high * (1 + _EDGE):
            raise EstimationError(
                f"with pstay={stay} the variance must lie in [{low:.6g}, {high:.6g}] "
                f"(1 - pstay to (1 - pstay) * D**2), not {v_target}"
            )
    elif v_target > d * d * (1 + _EDGE):
        raise EstimationError(
            f"variance {v_target} is more than D**2 = {d * d}: no perturbation within +-{d} has it"
        )

    last = d if j == 0 and not positive else d + j + 1
    width = 2 * d + 1
    probabilities = np.zeros((last + 1, width))
    probabilities[0, d] = 1.0
    for i in range(1, last + 1):
        support = np.array(
            [v for v in range(-min(i, d), d + 1) if (i + v == 0 and not positive) or i + v > j],
            dtype=np.int64,
        )
        if stay is not None and 0 in support:
            rest = support[support != 0]
            p_rest = _max_entropy(rest, v_target / (1 - stay))
            probabilities[i, rest + d] = (1 - stay) * p_rest
            probabilities[i, d] = stay
        else:
            probabilities[i, support + d] = _max_entropy(support, v_target)
    # The last row's support is symmetric, so its (unique) solution is too; averaging with
    # the mirror image removes the rounding, making its mean exactly 0.
    probabilities[last] = (probabilities[last] + probabilities[last, ::-1]) / 2
    probabilities.setflags(write=False)
    return PTable(
        max_noise=d,
        variance=v_target,
        js=j,
        pstay=stay,
        positive=bool(positive),
        probabilities=probabilities,
        cumulative=_cumulative(probabilities),
    )


def _integer(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise EstimationError(f"{name} must be an integer, not {value!r}")
    return int(value)


def _counts(counts: npt.ArrayLike, name: str) -> IntArray:
    values = np.asarray(counts)
    if values.dtype.kind == "f":
        if not np.isfinite(values).all() or (values != np.round(values)).any():
            raise EstimationError(f"{name} must be whole numbers")
    elif values.dtype.kind not in "iu":
        raise EstimationError(f"{name} must be whole numbers")
    if values.size and values.min() < 0:
        raise EstimationError(f"{name} cannot be negative")
    return values.astype(np.int64)


def _cumulative(probabilities: FloatArray) -> FloatArray:
    cumulative = np.cumsum(probabilities, axis=1)
    for r, row in enumerate(probabilities):
        # The last interval closes at exactly 1 so that every key in [0, 1) finds a column
        # of positive probability, whatever the rounding of the running sum.
        cumulative[r, int(np.flatnonzero(row > 0)[-1]) :] = 1.0
    cumulative.setflags(write=False)
    return np.asarray(cumulative, dtype=np.float64)


def _variance_range(support: IntArray) -> tuple[float, float]:
    """Smallest and largest variance of a mean-0 distribution on ``support`` (sorted)."""
    high = float(-support[0] * support[-1])
    if 0 in support:
        return 0.0, high
    negative, positive = support[support < 0], support[support > 0]
    return float(-negative[-1] * positive[0]), high


def _two_point(support: IntArray, a: int, b: int) -> FloatArray:
    """Mean 0 on the two values ``a < 0 < b``: ``P(a) = b / (b - a)``."""
    p = np.zeros(len(support))
    p[support == a] = b / (b - a)
    p[support == b] = -a / (b - a)
    return p


def _max_entropy(support: IntArray, variance: float) -> FloatArray:
    """The maximum-entropy distribution on ``support`` with mean 0 and the attainable
    variance nearest ``variance`` (see :func:`make_ptable`)."""
    if len(support) == 1:  # only {0}
        return np.ones(1)
    low, high = _variance_range(support)
    if variance >= high * (1 - _EDGE):
        return _two_point(support, int(support[0]), int(support[-1]))
    if low > 0 and variance <= low * (1 + _EDGE):
        negative, positive = support[support < 0], support[support > 0]
        return _two_point(support, int(negative[-1]), int(positive[0]))
    # Strictly inside the range with at least three support points: the dual below is
    # strictly convex with a finite minimiser (a, b), and p = exp(a v + b v^2) / Z there.
    scale = float(np.abs(support).max())
    features = np.stack([support / scale, (support / scale) ** 2])
    target = np.array([0.0, variance / scale**2])

    def moments(theta: FloatArray) -> tuple[float, FloatArray, FloatArray, FloatArray]:
        eta = theta @ features
        log_z = float(special.logsumexp(eta))
        p = np.exp(eta - log_z)
        mean = features @ p
        cov = (features * p) @ features.T - np.outer(mean, mean)
        return log_z - float(theta @ target), mean - target, cov, p

    found = optimize.minimize(
        lambda t: moments(t)[:2],
        np.zeros(2),
        jac=True,
        hess=lambda t: moments(t)[2],
        method="trust-exact",
        options={"gtol": 1e-13, "maxiter": 1000},
    )
    theta = np.asarray(found.x, dtype=np.float64)
    # trust-exact stops at its gradient tolerance; plain Newton steps from there converge
    # quadratically to machine precision.
    for _ in range(8):
        _, gradient, hessian, _ = moments(theta)
        if np.abs(gradient).max() < 1e-15:
            break
        theta = theta - np.linalg.solve(hessian, gradient)
    p = moments(theta)[3]
    mean = float(p @ support)
    var = float(p @ support.astype(np.float64) ** 2)
    if abs(mean) > _EXACT or abs(var - variance) > _EXACT * max(1.0, variance):
        raise EstimationError(
            f"the perturbation distribution on {support.tolist()} with variance {variance} "
            f"did not converge (mean {mean:.3g}, variance {var:.12g})"
        )
    return np.asarray(p, dtype=np.float64)
