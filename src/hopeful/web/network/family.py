"""The family of publishable cells of one year, and what each of its rows counts.

Everything the view can publish for a year, under every filter (the year's state x kind
cells, states, kinds and network; and the trend by month and by quarter of the network, of
each state and of each kind), is one family of cells over one base (state x kind pair x month
x outcome), protected together (:mod:`hopeful.web.network.plan`), so no filter, margin or
share can be set against another. A share is published with its count, so it publishes its
"yes" and "no" counts: they are cells too, shown together only when the share is.

The thresholds of the minimum-organizations rule live here too, as the trends and the plan
both judge rows by them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from hopeful.web.network.filters import MONTH, QUARTER, YEAR

#: A cell with fewer contributing organizations than this is hidden.
MIN_ORGANIZATIONS = 3
#: The numbers of such a cell may not be worked out to within this share of their value.
ORG_RULE_SHARE = 0.2

# Levels of a published row.
CELL, STATE, KIND, TOTAL = "cell", "state", "kind", "total"


def org_rule_width(value: float, threshold: int) -> float:
    """How wide an attacker's interval must stay for a count of a cell with one or two
    organizations: at least ``threshold`` and at least 20% of the count."""
    return float(max(threshold, math.ceil(ORG_RULE_SHARE * value)))


def small(values: np.ndarray[Any, Any], limit: int) -> np.ndarray[Any, Any]:
    """Which values are in ``1..limit-1`` (0 is no contribution, not a small one)."""
    return (values >= 1) & (values < limit)


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


def row_keys(
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


@dataclass
class Family:
    """Every row of one year's family with what it counts."""

    keys: list[RowKey]
    index: dict[RowKey, int]
    row_pairs: list[np.ndarray[Any, Any]]
    """Per row: the indexes of the pairs it sums over."""
    org_table: dict[str, np.ndarray[Any, Any]]
    """Per grain: contributing organizations per pair and period (one period for the year)."""
    orgs: np.ndarray[Any, Any]
    """Per row: contributing organizations."""
    matrix: sparse.csr_matrix
    """Row ``3r + i`` sums the base cells of count ``i`` (submissions, yes, no) of row ``r``."""
    x: np.ndarray[Any, Any]
    """The base, flattened, as floats."""
    counts: np.ndarray[Any, Any]
    """Per row: (submissions, yes, no)."""
    key_sums: np.ndarray[Any, Any]
    """Per row: the sums of the record keys of (submissions, yes, no)."""


def family(
    base: np.ndarray[Any, Any],
    key_base: np.ndarray[Any, Any],
    org_months: np.ndarray[Any, Any],
    org_quarters: np.ndarray[Any, Any],
    org_year: np.ndarray[Any, Any],
    pairs: list[tuple[int, int]],
    n_states: int,
    n_kinds: int,
) -> Family:
    """The family over ``base`` (pair x month x outcome; ``key_base``: the sums of their
    record keys); ``org_*`` are the distinct contributing organizations per pair and month,
    quarter and year."""
    n_pairs, n_months, _two = base.shape
    keys = row_keys(n_pairs, pairs, n_states, n_kinds, n_months)
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
    # exact in integers (a float sum of record keys could round)
    key_sums = (matrix.astype(np.int64) @ key_base.ravel().astype(np.int64)).reshape(n_rows, 3)
    return Family(
        keys=keys,
        index=index,
        row_pairs=row_pairs,
        org_table=org_table,
        orgs=orgs,
        matrix=matrix,
        x=x,
        counts=counts,
        key_sums=key_sums,
    )
