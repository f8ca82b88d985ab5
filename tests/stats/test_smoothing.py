"""hopeful.stats.smoothed_counts: counts estimated from published counts that add up to one
another (generalized least squares over the atoms)."""

from __future__ import annotations

import numpy as np
import pytest

from hopeful.stats import KEY_RANGE, EstimationError, make_ptable, smoothed_counts
from hopeful.stats import smoothing as smoothing_module


def hierarchy(programs: int = 2, quarters: int = 4) -> np.ndarray:
    """Cells of a program x quarter table with every margin: each program's quarters, all
    programs' quarters, each program's year and all programs' year (atoms: program x
    quarter)."""
    rows = []
    for p in [None, *range(programs)]:
        for q in [None, *range(quarters)]:
            row = np.zeros((programs, quarters))
            row[slice(None) if p is None else p, slice(None) if q is None else q] = 1
            rows.append(row.ravel())
    return np.array(rows)


def test_the_textbook_case_of_two_cells_and_their_sum() -> None:
    x = np.array([[1, 0], [0, 1], [1, 1]])
    result = smoothed_counts(x, [10.0, 20.0, 33.0], x)
    # the residual 3 is shared equally by the three observations
    np.testing.assert_allclose(result.estimates, [11.0, 21.0, 32.0])
    assert result.estimable.all()


def test_it_is_the_generalized_least_squares_estimate() -> None:
    rng = np.random.default_rng(3)
    x = hierarchy()
    y = rng.normal(50, 10, size=len(x))
    variances = rng.uniform(0.5, 3.0, size=len(x))
    w = np.diag(1 / variances)
    atoms = np.linalg.solve(x.T @ w @ x, x.T @ w @ y)
    result = smoothed_counts(x, y, x, variances=variances)
    np.testing.assert_allclose(result.estimates, x @ atoms, rtol=1e-10)


def test_the_iterative_solver_agrees_with_the_dense_one(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(4)
    x = hierarchy(3, 6)
    y = x @ rng.integers(0, 30, size=x.shape[1]) + rng.normal(0, 2.6, size=len(x))
    dense = smoothed_counts(x[:-3], y[:-3], x)
    monkeypatch.setattr(smoothing_module, "_DENSE_LIMIT", 0)
    iterative = smoothed_counts(x[:-3], y[:-3], x)
    # the iterative path estimates the targets that are observations (the others: NaN)
    assert iterative.estimable.tolist() == [True] * (len(x) - 3) + [False] * 3
    assert dense.estimable.all()
    np.testing.assert_allclose(dense.estimates[:-3], iterative.estimates[:-3], rtol=1e-8)


def test_unbiased_and_less_noisy_than_each_count_alone() -> None:
    """Perturb a table's counts 2,000 times by a pTable of D = 6, V = 7, with new
    record keys each time: the estimates' mean is the true count, their variance well below
    the published counts' for every cell."""
    rng = np.random.default_rng(20261206)
    table = make_ptable(6, 7.0, positive=True)
    x = hierarchy(2, 4)
    truth = x @ rng.integers(20, 60, size=x.shape[1])
    published = np.array(
        [table.perturb(truth, rng.integers(0, KEY_RANGE, size=len(x))) for _ in range(2000)]
    )
    estimates = np.array([smoothed_counts(x, y, x).estimates for y in published])
    np.testing.assert_allclose(published.mean(axis=0), truth, atol=0.25)
    np.testing.assert_allclose(estimates.mean(axis=0), truth, atol=0.25)
    assert (published.var(axis=0) > 6.3).all()
    assert (estimates.var(axis=0) < 0.75 * published.var(axis=0)).all()


def test_a_cell_the_observations_do_not_determine_is_not_estimated() -> None:
    x = np.array([[1, 1, 0], [0, 0, 1]])  # atoms 0 and 1 only ever together
    targets = np.array([[1, 0, 0], [1, 1, 0], [1, 1, 1]])
    result = smoothed_counts(x, [12.0, 30.0], targets)
    assert result.estimable.tolist() == [False, True, True]
    assert np.isnan(result.estimates[0])
    np.testing.assert_allclose(result.estimates[1:], [12.0, 42.0])


def test_no_observations_estimate_nothing() -> None:
    result = smoothed_counts(np.zeros((0, 3)), [], np.eye(3))
    assert not result.estimable.any()
    assert np.isnan(result.estimates).all()


@pytest.mark.parametrize(
    ("observations", "values", "targets", "variances", "message"),
    [
        (np.eye(2), [1.0], np.eye(2), None, "2 observations but 1 values"),
        (np.eye(2), [1.0, 2.0], np.eye(3), None, "targets have 3 atoms"),
        (np.eye(2), [1.0, np.nan], np.eye(2), None, "values must be finite"),
        (np.eye(2), [1.0, 2.0], np.eye(2), [1.0, 0.0], "variances must be one positive"),
        (np.eye(2), [1.0, 2.0], np.eye(2), [1.0], "variances must be one positive"),
    ],
)
def test_bad_input_is_refused_clearly(
    observations: np.ndarray,
    values: list[float],
    targets: np.ndarray,
    variances: list[float] | None,
    message: str,
) -> None:
    with pytest.raises(EstimationError, match=message):
        smoothed_counts(observations, values, targets, variances=variances)
