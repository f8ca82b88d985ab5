"""Replicate weights made from a design's strata and PSUs, as R ``survey``'s ``as.svrepdesign``.

Jackknife (``jk1weights``, ``jknweights``), balanced repeated replication and Fay's method
(``brrweights`` with R's ``hadamard`` matrices, including its precomputed 16, 28 and 36 row
matrices and its Paley construction) and the Rao-Wu bootstrap (``bootweights``). Each function
returns per-PSU multipliers (PSUs x replicates); a row's replicate weight is its sampling
weight times its PSU's multiplier. PSUs are taken in order of first appearance in the data, as
R does, so the replicate columns come in R's order. Also the table helpers of replicates.py
(domains, analysis columns, design effects), kept here so that both files stay short.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import linalg

from hopeful.stats._columns import factorize, get_column, weighted_counts
from hopeful.stats.design import Design
from hopeful.stats.errors import DesignError

__all__ = [
    "Multipliers",
    "bootstrap_multipliers",
    "brr_multipliers",
    "hadamard",
    "jk1_multipliers",
    "jkn_multipliers",
    "matrix_rank",
    "multipliers_for",
    "r_text",
    "srs_deff",
]
BoolArray = npt.NDArray[np.bool_]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Multipliers:
    """Per-PSU replicate multipliers with R's variance constants for them."""

    psu_weights: FloatArray  # PSUs (codes 0..n_psu-1) x replicates
    scale: float
    rscales: FloatArray


# -- R's Hadamard matrices (survey:::hadamard), 0/1 coded ----------------------------------------

_H4 = "f a c 9"
_H16 = (  # 16 rows of 16 bits, each row a hex number
    "ffff aaaa cccc 9999 f0f0 a5a5 c3c3 9696 ff00 aa55 cc33 9966 f00f a55a c33c 9669"
)

_H28 = (  # 28 rows of 28 bits, each row a hex number
    "fffffff 9c71c78 83cd378 83b2e66 9a0f8d6 952c5ae 8cd239e 58aa7f0 45b59d4 46cbcac "
    "561774a 4b64e9a 5959b26 2d1eae8 3666b34 2b3b51c 31d74b2 32f89ca 2ced646 ea545e4 "
    "f1632cc f09ce1c e54ad52 e6392b2 e8a792a dffe000 bf81f80 7f8007e"
)

_H36 = (  # 36 rows of 36 bits, each row a hex number
    "fffffffff 5c7dc8564 b8fb90ac8 71f721592 e3ee42b24 c7dc8564a 8fb90ac96 1f721592e "
    "3ee42b25c 7dc8564b8 fb90ac970 f721592e2 ee42b25c6 dc8564b8e b90ac971e 721592e3e "
    "e42b25c7c c8564b8fa 90ac971f6 21592e3ee 42b25c7dc 8564b8fb8 0ac971f72 1592e3ee4 "
    "2b25c7dc8 564b8fb90 ac971f720 592e3ee42 b25c7dc84 64b8fb90a c971f7214 92e3ee42a "
    "25c7dc856 4b8fb90ac 971f72158 2e3ee42b2"
)

_PRECOOKED = (_H4, _H16, _H28, _H36)
_SIZES = (4, 16, 28, 36)

_SMALL_PRIMES = (
    3,
    7,
    11,
    19,
    23,
    31,
    43,
    47,
    59,
    67,
    71,
    79,
    83,
    103,
    107,
    127,
    131,
    139,
    151,
    163,
    167,
    179,
    191,
    199,
    211,
    223,
    227,
    239,
    251,
    263,
    271,
    283,
    307,
    311,
    331,
    347,
    359,
    367,
    379,
    383,
    419,
    431,
    439,
    443,
    463,
    467,
    479,
    487,
    491,
    499,
    503,
    523,
    547,
    563,
    571,
    587,
    599,
    607,
    619,
    631,
    643,
    647,
    659,
    683,
    691,
    719,
    727,
    739,
    743,
    751,
    787,
    811,
    823,
    827,
    839,
    859,
    863,
    883,
    887,
    907,
    911,
    919,
    947,
    967,
    971,
    983,
    991,
    1019,
    1031,
    1039,
    1051,
    1063,
    1087,
    1091,
    1103,
    1123,
    1151,
    1163,
    1171,
    1187,
    1223,
    1231,
    1259,
    1279,
    1283,
    1291,
    1303,
    1307,
    1319,
    1327,
    1367,
    1399,
    1423,
    1427,
    1439,
    1447,
    1451,
    1459,
    1471,
    1483,
    1487,
    1499,
    1511,
    1523,
    1531,
    1543,
    1559,
    1567,
    1571,
    1579,
    1583,
    1607,
    1619,
    1627,
    1663,
    1667,
    1699,
    1723,
    1747,
    1759,
    1783,
    1787,
    1811,
    1823,
    1831,
    1847,
    1867,
    1871,
    1879,
    1907,
    1931,
    1951,
    1979,
    1987,
    1999,
)  # R's list goes on to 7919; past 1990 strata this module refuses (see _paley()).


def _precooked(index: int) -> IntArray:
    size = _SIZES[index]
    rows = [format(int(h, 16), f"0{size}b") for h in _PRECOOKED[index].split()]
    return np.array([[int(c) for c in row] for row in rows], dtype=np.int64)


def _double(h: IntArray) -> IntArray:
    """R's ``hadamard.doubler``: [[H, H], [H, 1-H]]."""
    return np.block([[h, h], [h, 1 - h]])


def _paley_prime(p: int) -> IntArray:
    residues = {0} | {(i * i) % p for i in range(1, (p - 1) // 2 + 1)}
    if p == 3:
        residues |= {1}
    m = np.add.outer(np.arange(p), np.arange(p)) % p
    core = np.where(np.isin(m, list(residues)), 0, 1)
    out = np.ones((p + 1, p + 1), dtype=np.int64)
    out[1:, 1:] = core
    return out


def _paley(n: int, nmax: int | None = None) -> IntArray | None:
    """R's ``survey:::paley(n, nmax)`` (the construction from a prime p = 3 mod 4)."""
    nmax = 2 * n if nmax is None else nmax
    nceil = nn = n + 4 - n % 4
    if n % 4 + 4 == n % 8:
        while nn % 8 == 0:
            nn //= 2
        if nn - 1 in _SMALL_PRIMES:
            m = _paley_prime(nn - 1)
            while nn < nceil:
                m = _double(m)
                nn *= 2
            return m
    if n > 1990:  # past here R may use primes beyond this list
        raise DesignError(
            f"BRR with {n} strata needs a Hadamard matrix this module does not build; "
            "use the jackknife or the bootstrap"
        )
    p = min(q for q in _SMALL_PRIMES if q >= n)
    if p + 1 > nceil + 4 and nceil + 4 < nmax:
        return _paley(nceil + 3)
    if p > nmax:
        return None
    return _paley_prime(p)


def hadamard(n: int) -> IntArray:
    """R's ``survey:::hadamard(n)``: a 0/1 Hadamard matrix with more than ``n`` rows.

    The size and the matrix are R's for every n (checked against R for n = 1..80): R's
    precomputed 4, 16, 28 and 36 row matrices, their doublings, or Paley's construction.
    """
    m = n - n % 4
    precooked = [i for i, s in enumerate(_SIZES) if m < s <= m + 4]
    if precooked:
        return _precooked(min(precooked))
    if all(m < s for s in _SIZES):
        return _precooked(0)
    sizes = [s * 2 ** max(0, math.ceil(math.log2((n + 1) / s))) for s in _SIZES]
    best = int(np.argmin([s - n for s in sizes]))
    h: IntArray | None = None
    if sizes[best] - n > 4:
        h = _paley(n, sizes[best])
    if h is None:
        h = _precooked(best)
        for _ in range(math.ceil(math.log2(sizes[best] / _SIZES[best]))):
            h = _double(h)
    return h


# -- multipliers ---------------------------------------------------------------------------------


def first_appearance(codes: IntArray, n_codes: int) -> IntArray:
    """Per code, the first row where it appears (codes never seen get len(codes))."""
    first = np.full(n_codes, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.int64))
    return first


def jk1_multipliers(psu: IntArray, n_psu: int) -> Multipliers:
    """Delete-one-PSU jackknife, R's ``jk1weights``: one replicate per PSU, in R's order."""
    if n_psu < 2:
        raise DesignError("the jackknife needs at least 2 PSUs")
    order = np.argsort(first_appearance(psu, n_psu), kind="stable")
    mult = np.full((n_psu, n_psu), n_psu / (n_psu - 1))
    mult[order, np.arange(n_psu)] = 0.0
    return Multipliers(mult, (n_psu - 1) / n_psu, np.ones(n_psu))


def jkn_multipliers(
    psu: IntArray, n_psu: int, stratum: IntArray, n_strata: int, lonely_psu: str
) -> Multipliers:
    """Stratified delete-one-PSU jackknife, R's ``jknweights`` (strata and their PSUs in order
    of first appearance; a stratum with one PSU follows ``lonely_psu`` as R)."""
    psu_first = first_appearance(psu, n_psu)
    psu_stratum = np.zeros(n_psu, dtype=np.int64)
    psu_stratum[psu] = stratum
    strata_order = np.argsort(first_appearance(stratum, n_strata), kind="stable")
    columns: list[FloatArray] = []
    rscales: list[float] = []
    for s in strata_order.tolist():
        members = np.flatnonzero(psu_stratum == s)
        members = members[np.argsort(psu_first[members], kind="stable")]
        n_h = len(members)
        if n_h == 1:
            if lonely_psu == "fail":
                raise DesignError(
                    "a stratum has only one PSU; choose lonely_psu 'adjust', 'average', "
                    "'certainty' or 'remove' for the design"
                )
            if lonely_psu == "adjust":
                col = np.full(n_psu, n_strata / (n_strata - 1))
                col[psu_stratum == s] = 0.0
                columns.append(col)
                rscales.append((n_strata - 1) / n_strata)
            continue
        block = np.ones((n_psu, n_h))
        block[members] = n_h / (n_h - 1)
        block[members, np.arange(n_h)] = 0.0
        columns.extend(block.T)
        rscales.extend([(n_h - 1) / n_h] * n_h)
    if not columns:
        raise DesignError("every stratum has a single PSU: there is nothing to replicate")
    scale = 1.0
    if len(columns) < n_psu and lonely_psu == "average":
        scale = n_psu / len(columns)
    return Multipliers(np.stack(columns, axis=1), scale, np.asarray(rscales))


def brr_multipliers(
    psu: IntArray, n_psu: int, stratum_labels: list[str], stratum: IntArray, rho: float
) -> Multipliers:
    """Balanced repeated replication (Fay's method when ``rho > 0``), R's ``brrweights``.

    Every stratum must have exactly 2 PSUs. Strata are ranked as R's ``table()`` of their
    labels as text (so "10" sorts before "2"); within a stratum the PSU seen first takes the
    Hadamard row's half-sample. Replicates: one per column of ``hadamard(n_strata)``.
    """
    psu_first = first_appearance(psu, n_psu)
    psu_stratum = np.zeros(n_psu, dtype=np.int64)
    psu_stratum[psu] = stratum
    sizes = np.bincount(psu_stratum, minlength=len(stratum_labels))
    if (sizes != 2).any():
        bad = [stratum_labels[i] for i in np.flatnonzero(sizes != 2)[:5].tolist()]
        raise DesignError(
            "BRR and Fay replicates need exactly 2 PSUs in every stratum; strata "
            f"{', '.join(bad)} differ (use the jackknife or the bootstrap)"
        )
    rank_of = np.empty(len(stratum_labels), dtype=np.int64)
    rank_of[sorted(range(len(stratum_labels)), key=lambda i: stratum_labels[i])] = np.arange(
        len(stratum_labels)
    )
    h = hadamard(len(stratum_labels))
    order = np.lexsort((psu_first, rank_of[psu_stratum]))
    first_in_pair = np.zeros(n_psu, dtype=bool)
    first_in_pair[order[0::2]] = True
    rows = h[1 + rank_of[psu_stratum]]  # PSUs x replicates, 0/1
    chosen = np.where(first_in_pair[:, None], rows == 1, rows == 0)
    mult = np.where(chosen, 1.0 * (2 - rho) + 0.0 * rho, 0.0 * (2 - rho) + 1.0 * rho)
    n_rep = h.shape[1]
    return Multipliers(mult, 1.0 / (n_rep * (1 - rho) ** 2), np.ones(n_rep))


def bootstrap_multipliers(
    psu: IntArray,
    n_psu: int,
    stratum: IntArray,
    n_strata: int,
    replicates: int,
    rng: np.random.Generator,
) -> Multipliers:
    """Rao-Wu / Canty-Davison bootstrap as R's ``bootweights``: in each stratum, draw its
    n_h PSUs with replacement; a PSU's multiplier is how often it was drawn. ``scale`` is R's
    ``m / ((m - 1) (R - 1))`` with m the harmonic mean of PSUs per stratum."""
    if replicates < 2:
        raise DesignError("the bootstrap needs at least 2 replicates")
    psu_stratum = np.zeros(n_psu, dtype=np.int64)
    psu_stratum[psu] = stratum
    mult = np.ones((n_psu, replicates))
    sizes = np.bincount(psu_stratum, minlength=n_strata)
    for s in np.flatnonzero(sizes > 1).tolist():
        members = np.flatnonzero(psu_stratum == s)
        n_h = len(members)
        mult[members] = rng.multinomial(n_h, np.full(n_h, 1.0 / n_h), size=replicates).T
    present = sizes[sizes > 0].astype(np.float64)
    per_stratum = 1.0 / float(np.mean(1.0 / present))
    if per_stratum <= 1:
        raise DesignError("the bootstrap needs strata with at least 2 PSUs")
    scale = per_stratum / ((per_stratum - 1) * (replicates - 1))
    return Multipliers(mult, scale, np.ones(replicates))


def matrix_rank(w: FloatArray, tol: float = 1e-5) -> int:
    """Rank as R's ``qr(w, tol=1e-5)$rank`` (LINPACK ``dqrdc2``): columns in order, a column
    counting when what is left of it after removing the columns kept so far has norm at least
    ``tol`` times its own norm (a negligible column is set aside, not used as a direction)."""
    if w.shape[0] == 0 or w.shape[1] == 0:
        return 0
    if w.shape[0] > w.shape[1]:
        # W = QR with Q orthonormal keeps every norm and inner product of the columns, so
        # the same greedy pass runs on the small R (a LAPACK QR does the long pass).
        # Only R's first n_cols rows are non-zero: the greedy pass runs on n_cols x n_cols.
        top = linalg.qr(w, mode="r", check_finite=False)[0][: w.shape[1]]
        w = np.asarray(top, dtype=np.float64)
    n_rows, n_cols = w.shape
    basis = np.empty((n_rows, min(n_rows, n_cols)))
    rank = 0
    for j in range(n_cols):  # a loop over replicates (columns), never over rows
        col = w[:, j]
        norm = float(np.sqrt(col @ col))
        if norm == 0.0:
            continue
        q = basis[:, :rank]
        res = col - q @ (q.T @ col)
        res = res - q @ (q.T @ res)  # re-orthogonalize: classical Gram-Schmidt twice
        res_norm = float(np.sqrt(res @ res))
        if res_norm >= tol * norm:
            basis[:, rank] = res / res_norm
            rank += 1
            if rank == basis.shape[1]:
                break
    return rank


def r_text(value: object) -> str:
    """A stratum label as R's ``as.character`` writes it (1.0 -> "1")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def multipliers_for(
    design: Design, type: str, *, rho: float | None, replicates: int, seed: int | None
) -> tuple[Multipliers, float | None]:
    """The multipliers of ``as_replicate`` (R's ``as.svrepdesign``) and the Fay rho in force.

    Uses only the design's public attributes; each row's stratum comes from its strata column.
    """
    psu, n_psu = design.psu_codes, design.n_psu
    strata = None
    if design.strata_column is not None:
        strata = factorize(get_column(design.table, design.strata_column), design.strata_column)
    if type == "JK1":
        if strata is not None:
            raise DesignError("JK1 is for unstratified designs; use type='JKn'")
        return jk1_multipliers(psu, n_psu), None
    if type == "bootstrap":
        codes = strata.codes if strata else np.zeros(design.n_rows, dtype=np.int64)
        n_strata = strata.n_levels if strata else 1
        rng = np.random.default_rng(seed)
        return bootstrap_multipliers(psu, n_psu, codes, n_strata, replicates, rng), None
    if type not in ("JKn", "BRR", "Fay"):
        raise DesignError(f"type must be 'JK1', 'JKn', 'BRR', 'Fay' or 'bootstrap', not {type!r}")
    if strata is None:
        raise DesignError(f"type={type!r} needs a stratified design; use 'JK1' or 'bootstrap'")
    if type == "JKn":
        return jkn_multipliers(psu, n_psu, strata.codes, strata.n_levels, design.lonely_psu), None
    if type == "BRR" and rho not in (None, 0):
        raise DesignError("rho is for type='Fay'; BRR is Fay's method with rho = 0")
    if type == "Fay" and (rho is None or not 0 < rho < 1):
        raise DesignError("type='Fay' needs rho, Fay's coefficient, between 0 and 1")
    fay = 0.0 if type == "BRR" else float(rho or 0.0)
    labels = [r_text(v) for v in strata.levels.tolist()]
    mult = brr_multipliers(psu, n_psu, labels, strata.codes, fay)
    return mult, (fay if type == "Fay" else None)


# -- table helpers of replicates.py --------------------------------------------------------------


def srs_deff(
    statistic: str,
    kind: str | None,
    weights: FloatArray,
    y: FloatArray,
    var: FloatArray,
    codes: IntArray,
    count: int,
    pop: FloatArray,
    n: IntArray,
) -> FloatArray:
    """Design effect as R's svymean/svytotal on a replicate design: the variance over the
    simple-random-sampling variance from ``svyvar`` (``kind="replace"``: without the
    ``(N - n) / N`` correction)."""
    used = codes >= 0
    idx = np.maximum(codes, 0)
    w = np.where(used, weights, 0.0)
    nf = n.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = weighted_counts(idx, w * y, count) / pop
        s2 = weighted_counts(idx, w * (y - mean[idx]) ** 2, count) / pop * nf / (nf - 1)
        srs = s2 / nf if statistic == "mean" else s2 * pop**2 / nf
        if kind != "replace":
            srs = srs * (pop - nf) / pop
        return np.asarray(var / srs, dtype=np.float64)
