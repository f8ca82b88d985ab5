"""hopeful.stats.SuppressionProblem: complementary suppression checked by an independent
attacker's linear program over everything left shown."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import linprog

from hopeful.stats import SuppressionProblem


def table(values: np.ndarray) -> tuple[np.ndarray, sparse.csr_matrix]:
    """The cells of a two-way table over its interior: interior, row totals, column totals,
    grand total."""
    rows, cols = values.shape
    cells = [[(i, j)] for i in range(rows) for j in range(cols)]
    cells += [[(i, j) for j in range(cols)] for i in range(rows)]
    cells += [[(i, j) for i in range(rows)] for j in range(cols)]
    cells.append([(i, j) for i in range(rows) for j in range(cols)])
    matrix = np.zeros((len(cells), values.size))
    for c, members in enumerate(cells):
        for i, j in members:
            matrix[c, i * cols + j] = 1.0
    return values.ravel().astype(np.float64), sparse.csr_matrix(matrix)


def attacker(
    x: np.ndarray,
    cells: sparse.csr_matrix,
    hidden: np.ndarray,
    target: int,
    fixed: np.ndarray | None = None,
) -> tuple[float, float]:
    """The smallest and largest value of a cell given every shown cell exactly (and the base
    cells known to be 0)."""
    shown = np.flatnonzero(~hidden)
    a = cells[shown].toarray()
    b = a @ x
    c = cells[target].toarray().ravel()
    upper = [0.0 if fixed is not None and fixed[k] else None for k in range(x.size)]
    bounds = [(0.0, u) for u in upper]
    low = linprog(c, A_eq=a, b_eq=b, bounds=bounds, method="highs")
    high = linprog(-c, A_eq=a, b_eq=b, bounds=bounds, method="highs")
    assert low.status == 0
    return low.fun, (-high.fun if high.status == 0 else np.inf)


@pytest.mark.parametrize("seed", range(6))
def test_a_hidden_cell_keeps_its_width_against_every_shown_cell(seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = rng.integers(20, 60, size=(3, 4))
    x, cells = table(values)
    primary = np.zeros(cells.shape[0], dtype=bool)
    primary[0] = True  # one organization's cell: its 20-60 must stay 15 wide
    width = np.zeros(cells.shape[0])
    width[0] = 15.0
    result = SuppressionProblem(x, cells, np.ones(cells.shape[0])).protect(
        primary, threshold=1, width=width
    )
    assert not result.failed
    assert result.hidden[0]
    assert result.hidden.sum() > 1  # alone, the row and column totals would give it away
    assert not result.hidden.all()
    low, high = attacker(x, cells, result.hidden, 0)
    assert high - low >= 15 - 1e-6


@pytest.mark.parametrize("seed", range(6))
def test_a_small_count_is_not_pinned_inside_one_to_ten(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    values = rng.integers(15, 40, size=(3, 3))
    values[1, 2] = 3
    x, cells = table(values)
    primary = (cells @ x >= 1) & (cells @ x <= 10)
    result = SuppressionProblem(x, cells, np.ones(cells.shape[0])).protect(primary, threshold=11)
    assert not result.failed
    for target in np.flatnonzero(primary):
        low, high = attacker(x, cells, result.hidden, int(target))
        assert low <= 1e-6 or high >= 11 - 1e-6


def test_what_an_attacker_knows_to_be_zero_is_not_moved() -> None:
    values = np.array([[30, 0], [25, 40]])
    x, cells = table(values)
    fixed = np.array([False, True, False, False])  # the empty cell is known to be empty
    primary = np.zeros(cells.shape[0], dtype=bool)
    primary[0] = True
    width = np.zeros(cells.shape[0])
    width[0] = 12.0
    result = SuppressionProblem(x, cells, np.ones(cells.shape[0]), fixed=fixed).protect(
        primary, threshold=1, width=width
    )
    # with (0, 1) known to be 0, the first row's total is the cell itself: hidden too
    assert not result.failed
    assert result.hidden[4]
    low, high = attacker(x, cells, result.hidden, 0, fixed)
    assert high - low >= 12 - 1e-6
