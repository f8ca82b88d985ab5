"""The disclosure audit: differencing (best linear unbiased estimates) and interval attacks.

The small cases are worked by hand in the docstrings; the random ones are checked against a
dense pseudo-inverse.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from hopeful.stats import (
    KEY_RANGE,
    EstimationError,
    blue_standard_errors,
    count_bounds,
    make_ptable,
)

# Atoms of a 2x2 table, in the order t11, t12, t21, t22.
CELLS = np.eye(4)
ROWS = np.array([[1, 1, 0, 0], [0, 0, 1, 1]], dtype=float)
COLUMNS = np.array([[1, 0, 1, 0], [0, 1, 0, 1]], dtype=float)
TOTAL = np.ones((1, 4))


def reference(x: np.ndarray, c: np.ndarray, variance: float) -> np.ndarray:
    """sqrt(V c'(X'X)^+ c) from a dense pseudo-inverse; inf outside the row space."""
    x = np.unique(x[np.abs(x).sum(axis=1) > 0], axis=0)  # one row per distinct cell
    pinv = np.linalg.pinv(x.T @ x, rcond=1e-10, hermitian=True)
    projection = x.T @ x @ pinv
    out = []
    for target in c:
        if np.abs(projection @ target - target).max() > 1e-7:
            out.append(np.inf)
        else:
            out.append(float(np.sqrt(variance * target @ pinv @ target)))
    return np.array(out)


# -- best linear unbiased estimates -------------------------------------------------------------


def test_a_cell_published_directly_and_through_one_difference() -> None:
    """Atoms a, b; published a, b and a + b. Estimates of a: y_a (variance V) and
    y_(a+b) - y_b (variance 2V), independent; the best combination weighs them 2:1, with
    variance 1 / (1/V + 1/(2V)) = 2V/3. Check: X'X = [[2, 1], [1, 2]], its inverse is
    [[2, -1], [-1, 2]] / 3, and c = (1, 0) gives 2/3."""
    x = np.array([[1, 0], [0, 1], [1, 1]], dtype=float)
    se = blue_standard_errors(x, np.array([[1.0, 0.0], [1.0, 1.0]]), 3.0)
    assert se[0] == pytest.approx(np.sqrt(2.0))  # sqrt(3 * 2/3)
    assert se[1] == pytest.approx(np.sqrt(2.0))  # a + b likewise, by symmetry


def test_a_2x2_table_from_its_margins_and_total() -> None:
    """Published: row sums r1, r2, column sums c1, c2, total T (no inner cell). In the
    orthonormal basis mu = (1,1,1,1)/2, alpha = (1,1,-1,-1)/2, beta = (1,-1,1,-1)/2,
    gamma = (1,-1,-1,1)/2 the rows are r1 = mu + alpha, r2 = mu - alpha, c1 = mu + beta,
    c2 = mu - beta, T = 2 mu, so X'X = diag(2 + 2 + 4, 2, 2, 0) = diag(8, 2, 2, 0).
    - T = 2 mu: V * 4/8 = V/2 (T, r1 + r2 and c1 + c2 are independent estimates: 1/(1/V +
      1/2V + 1/2V) = V/2).
    - r1 = mu + alpha: V (1/8 + 1/2) = 5V/8.
    - t11 = (mu + alpha + beta + gamma)/2 has a gamma part, outside the row space: inf."""
    x = np.vstack([ROWS, COLUMNS, TOTAL])
    se = blue_standard_errors(x, np.vstack([TOTAL, ROWS[:1], CELLS[:1]]), 2.0)
    np.testing.assert_allclose(se[:2], [np.sqrt(2.0 / 2), np.sqrt(2.0 * 5 / 8)])
    assert se[2] == np.inf


def test_a_2x2_table_with_its_cells_margins_and_total() -> None:
    """Everything published: X'X = I + diag(8, 2, 2, 0) = diag(9, 3, 3, 1) in the basis
    above, and t11 = (1, 1, 1, 1)/2 there: V/4 (1/9 + 1/3 + 1/3 + 1) = V/4 * 16/9 = 4V/9,
    so the standard error is 2/3 sqrt(V), less than the sqrt(V) of the cell alone."""
    x = np.vstack([CELLS, ROWS, COLUMNS, TOTAL])
    se = blue_standard_errors(sparse.csr_matrix(x), CELLS, 9.0)
    np.testing.assert_allclose(se, [2.0, 2.0, 2.0, 2.0])


def test_rank_deficient_designs() -> None:
    """Atoms a and b are always published together (identical columns): a alone has no
    unbiased estimate, a + b has. The rows a + b, c and a + b + c are dependent (the third is
    the sum of the others): a + b has variance 2V/3 as in the first test."""
    x = np.array([[1, 1, 0], [0, 0, 1], [1, 1, 1]], dtype=float)
    targets = np.array([[1, 0, 0], [1, 1, 0], [0, 0, 1], [1, -1, 0], [2, 2, 1]], dtype=float)
    se = blue_standard_errors(x, targets, 1.0)
    assert se[0] == np.inf
    assert se[1] == pytest.approx(np.sqrt(2 / 3))
    assert se[2] == pytest.approx(np.sqrt(2 / 3))
    assert se[3] == np.inf
    np.testing.assert_allclose(se, reference(x, targets, 1.0))


def test_the_same_cell_published_twice_counts_once() -> None:
    """Cell-key noise is a function of the records: the same cell shows the same number in
    every view, so repeating it is no second observation."""
    x = np.array([[1, 0], [1, 0], [1, 0]], dtype=float)
    assert blue_standard_errors(x, [1.0, 0.0], 4.0)[0] == pytest.approx(2.0)


def test_known_zeros_and_empty_targets() -> None:
    """Published a + b with b known to be 0 (exact): a is estimated by y_(a+b), variance V.
    A target on known zeros only is known exactly (0); an atom in no cell cannot be
    estimated; a target over two separate components adds their variances."""
    x = np.array([[1, 1, 0, 0], [0, 0, 1, 0]], dtype=float)
    exact = np.array([False, True, False, False])
    targets = np.array(
        [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [1, 0, 1, 0], [0, 0, 0, 0]], dtype=float
    )
    se = blue_standard_errors(x, targets, 1.0, exact=exact)
    np.testing.assert_allclose(se, [1.0, 0.0, np.inf, np.sqrt(2.0), 0.0])
    assert blue_standard_errors(x, targets, 1.0)[0] == np.inf  # b unknown: a is not alone


@settings(derandomize=True, max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_designs_match_a_dense_pseudo_inverse(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(1, 25)), int(rng.integers(1, 25))
    x = (rng.random((m, n)) < rng.uniform(0.1, 0.6)).astype(float)
    if seed % 3 == 0:  # duplicated atoms
        x[:, : n // 3] = x[:, n // 3 : 2 * (n // 3)]
    if seed % 4 == 0 and m > 2:  # a dependent row
        x[-1] = x[0] + x[1]
    if seed % 5 == 0:  # small integer coefficients
        x = x * rng.integers(1, 3, x.shape)
    targets = np.vstack(
        [
            x[rng.integers(0, m, 3)],
            (rng.random((3, n)) < 0.3).astype(float),
            (x.T @ rng.integers(-2, 3, (m, 2))).T,  # in the row space by construction
        ]
    )
    got = blue_standard_errors(sparse.csr_matrix(x), targets, 2.5)
    want = reference(x, targets, 2.5)
    np.testing.assert_array_equal(np.isinf(got), np.isinf(want))
    finite = np.isfinite(want)
    np.testing.assert_allclose(got[finite], want[finite], rtol=1e-8, atol=1e-10)
    assert np.isfinite(got[6:]).all()


def test_a_table_with_all_its_margins() -> None:
    """A 6 x 5 x 4 table (120 atoms) published with every 2-way and 1-way margin and the
    total, plus 60 random filters: the published 2-way cells against the pseudo-inverse."""
    rng = np.random.default_rng(0)
    shape = (6, 5, 4)
    grid = np.indices(shape).reshape(3, -1)
    rows = []
    for keep in [(0, 1), (0, 2), (1, 2), (0,), (1,), (2,), ()]:
        code = np.zeros(grid.shape[1], dtype=np.int64)
        for axis in keep:
            code = code * shape[axis] + grid[axis]
        rows += [(code == value).astype(float) for value in np.unique(code)]
    rows += [(rng.random(grid.shape[1]) < 0.1).astype(float) for _ in range(60)]
    x = np.array(rows)
    targets = np.vstack([x[:40], np.eye(120)[:10]])
    se = blue_standard_errors(sparse.csr_matrix(x), targets, 1.0)
    np.testing.assert_allclose(se, reference(x, targets, 1.0), rtol=1e-8)
    assert (se[:40] < 1.0).all()  # every published cell is estimated better than alone


def test_bad_inputs_for_the_estimates() -> None:
    x = np.eye(2)
    with pytest.raises(EstimationError, match="variance"):
        blue_standard_errors(x, x, 0.0)
    with pytest.raises(EstimationError, match="atoms"):
        blue_standard_errors(x, np.ones((1, 3)), 1.0)
    with pytest.raises(EstimationError, match="exact"):
        blue_standard_errors(x, x, 1.0, exact=[1, 0])
    with pytest.raises(EstimationError, match="2-D"):
        blue_standard_errors(np.ones(3), x, 1.0)
    with pytest.raises(EstimationError, match="finite"):
        blue_standard_errors(np.array([[np.nan, 1.0]]), x, 1.0)


# -- interval attacks ---------------------------------------------------------------------------


def test_one_published_cell_gives_its_noise_interval() -> None:
    """A count published as 4 with maximum noise 2 lies in [2, 6]."""
    lo, hi = count_bounds(np.ones((1, 1)), [2], [6], np.ones((1, 1)))
    assert (lo[0], hi[0]) == pytest.approx((2.0, 6.0))


def test_a_difference_narrows_an_interval() -> None:
    """a in [3, 7], b in [5, 9], a + b in [8, 10]: a <= 10 - 5 = 5 and a >= 8 - 9 = -1,
    so a lies in [3, 5]; b in [5, 7]."""
    x = np.array([[1, 0], [0, 1], [1, 1]], dtype=float)
    lo, hi = count_bounds(x, [3, 5, 8], [7, 9, 10], np.eye(2))
    np.testing.assert_allclose(lo, [3, 5], atol=1e-7)
    np.testing.assert_allclose(hi, [5, 7], atol=1e-7)


def test_exact_margins_give_the_frechet_bounds() -> None:
    """Cells [[3, 5], [2, 8]], margins r = (8, 10), c = (5, 13), T = 18 published exactly:
    t11 in [max(0, 8 + 5 - 18), min(8, 5)] = [0, 5], t22 in [max(0, 10 + 13 - 18), 10]
    = [5, 10]."""
    x = np.vstack([ROWS, COLUMNS, TOTAL])
    y = np.array([8, 10, 5, 13, 18], dtype=float)
    lo, hi = count_bounds(sparse.csr_matrix(x), y, y, CELLS[[0, 3]])
    np.testing.assert_allclose(lo, [0, 5], atol=1e-7)
    np.testing.assert_allclose(hi, [5, 10], atol=1e-7)


def test_an_exactly_published_difference_is_recovered() -> None:
    """a + b = 5 and b = 3 published without noise: a = 2 exactly (lo == hi)."""
    x = np.array([[1, 1], [0, 1]], dtype=float)
    lo, hi = count_bounds(x, [5, 3], [5, 3], np.array([[1.0, 0.0]]))
    assert lo[0] == pytest.approx(2.0)
    assert hi[0] == pytest.approx(2.0)


def test_unbounded_and_known_zero_targets() -> None:
    """Atom c is in no cell: c can be anything >= 0 and a - c anything <= a."""
    x = np.array([[1, 1, 0]], dtype=float)
    targets = np.array([[0, 0, 1], [1, 0, -1], [1, 0, 0], [0, 0, 0]], dtype=float)
    lo, hi = count_bounds(x, [4], [6], targets)
    assert lo.tolist()[:1] == [0.0]
    assert hi[0] == np.inf
    assert lo[1] == -np.inf
    assert hi[1] == pytest.approx(6.0)
    assert (lo[2], hi[2]) == pytest.approx((0.0, 6.0))
    assert (lo[3], hi[3]) == (0.0, 0.0)
    # With b known to be 0, a is the published cell itself.
    lo, hi = count_bounds(x, [4], [6], targets[2:3], exact=np.array([False, True, False]))
    assert (lo[0], hi[0]) == pytest.approx((4.0, 6.0))


def test_repeated_cells_intersect_their_intervals() -> None:
    lo, hi = count_bounds(np.ones((2, 1)), [2, 4], [7, 9], np.ones((1, 1)))
    assert (lo[0], hi[0]) == pytest.approx((4.0, 7.0))
    lo, hi = count_bounds(np.ones((2, 1)), [2, -np.inf], [np.inf, 9], np.ones((1, 1)))
    assert (lo[0], hi[0]) == pytest.approx((2.0, 9.0))


def test_contradictions_are_refused() -> None:
    with pytest.raises(EstimationError, match="contradictory"):
        count_bounds(np.ones((2, 1)), [0, 5], [1, 6], np.ones((1, 1)))
    x = np.array([[1, 0], [0, 1], [1, 1]], dtype=float)
    with pytest.raises(EstimationError, match="contradict"):
        count_bounds(x, [0, 0, 5], [1, 1, 6], np.eye(2))
    with pytest.raises(EstimationError, match="exceeds"):
        count_bounds(np.ones((1, 1)), [3], [2], np.ones((1, 1)))
    with pytest.raises(EstimationError, match="no atoms"):
        count_bounds(np.zeros((1, 1)), [1], [2], np.ones((1, 1)))
    with pytest.raises(EstimationError, match="one bound per"):
        count_bounds(np.ones((2, 1)), [1], [2, 3], np.ones((1, 1)))


def test_perturbed_views_hold_the_true_counts_and_pin_no_small_count() -> None:
    """A 4 x 3 table of 150 records is published with its margins and total, every cell
    perturbed by its cell key (D = 3, V = 2, js = 2). The attacker knows each true count lies
    in [max(y - 3, 0), y + 3] (a published 0 may hide a 1-3). The true counts always lie
    within the bounds, and no count of 1-10 is pinned down."""
    rng = np.random.default_rng(12)
    group, outcome = rng.integers(0, 4, 150), rng.integers(0, 3, 150)
    outcome[group == 3] = rng.choice([0, 1, 1, 1, 2], int((group == 3).sum()))
    keys = rng.integers(0, KEY_RANGE, 150)
    counts = np.zeros((4, 3), dtype=np.int64)
    sums = np.zeros((4, 3), dtype=np.int64)
    np.add.at(counts, (group, outcome), 1)
    np.add.at(sums, (group, outcome), keys)
    atoms = np.arange(12).reshape(4, 3)
    published = [atoms[g : g + 1, k : k + 1] for g in range(4) for k in range(3)]
    published += [atoms[g : g + 1, :] for g in range(4)] + [atoms[:, k : k + 1] for k in range(3)]
    published.append(atoms)
    x = np.zeros((len(published), 12))
    for row, members in enumerate(published):
        x[row, members.ravel()] = 1
    table = make_ptable(3, 2.0, js=2)
    true = x @ counts.ravel()
    key = (x @ sums.ravel()).astype(np.int64) % KEY_RANGE
    y = table.perturb(true.astype(np.int64), key)
    lo, hi = count_bounds(x, np.maximum(y - 3, 0), y + 3, x)
    assert (lo <= true + 1e-6).all()
    assert (hi >= true - 1e-6).all()
    small = (true >= 1) & (true <= 10)
    assert small.any()
    assert (hi - lo > 1 - 1e-6)[small].all()
    se = blue_standard_errors(x, x, 2.0)
    assert (se[:12] > 0.8).all()
