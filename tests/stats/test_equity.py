"""The equity gap test and Holm's step-down, on hand-worked numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from hopeful.stats import Design, EstimationError
from hopeful.stats.equity import GroupShare, gap_test, gap_tests, holm


def test_the_z_statistic_by_hand() -> None:
    # 0.80 vs 0.50: difference 0.30, sqrt(0.04^2 + 0.03^2) = 0.05, z = 6
    difference, z, p = gap_test(GroupShare(0.80, 0.04, 0.50, 0.03))
    assert difference == pytest.approx(0.30)
    assert z == pytest.approx(6.0)
    assert p == pytest.approx(1.973175290e-09, rel=1e-6)
    # 0.60 vs 0.50 with se 0.03 and 0.04: z = 0.10 / 0.05 = 2, p = 2 * (1 - Phi(2)) = 0.0455
    difference, z, p = gap_test(GroupShare(0.60, 0.03, 0.50, 0.04))
    assert z == pytest.approx(2.0)
    assert p == pytest.approx(0.0455002639, rel=1e-8)
    # a lower share gives a negative z and the same two-sided p
    _d, z_low, p_low = gap_test(GroupShare(0.40, 0.03, 0.50, 0.04))
    assert z_low == pytest.approx(-2.0)
    assert p_low == pytest.approx(p)


def test_degenerate_standard_errors() -> None:
    assert gap_test(GroupShare(1.0, 0.0, 1.0, 0.0)) == (0.0, 0.0, 1.0)
    difference, z, p = gap_test(GroupShare(1.0, 0.0, 0.0, 0.0))
    assert (difference, z, p) == (1.0, math.inf, 0.0)
    with pytest.raises(EstimationError):
        gap_test(GroupShare(0.5, -0.1, 0.5, 0.1))
    with pytest.raises(EstimationError):
        gap_test(GroupShare(float("nan"), 0.1, 0.5, 0.1))


def test_holm_step_down_by_hand() -> None:
    # m = 4. Sorted: 0.005 x 4 = 0.02 (reject), 0.01 x 3 = 0.03 (reject),
    # 0.03 x 2 = 0.06 (stop), 0.04 x 1 = 0.04 -> max(0.06, 0.04) = 0.06 (kept monotone).
    result = holm([0.01, 0.04, 0.03, 0.005])
    assert [a for a, _s in result] == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert [s for _a, s in result] == [True, False, False, True]


def test_holm_rejects_more_than_bonferroni_and_stops_at_the_first_failure() -> None:
    # m = 3: 0.01 x 3 = 0.03, 0.02 x 2 = 0.04, 0.024 x 1 = 0.024 -> 0.04: all three.
    # Bonferroni (x 3) would keep only the first: 0.03, 0.06, 0.072.
    result = holm([0.024, 0.01, 0.02])
    assert [a for a, _s in result] == pytest.approx([0.04, 0.03, 0.04])
    assert all(s for _a, s in result)
    # once a step fails, every larger p-value fails, even one that alone would pass its bound
    # m = 3: 0.011 x 3 = 0.033 (reject), 0.03 x 2 = 0.06 (stop); 0.04 x 1 = 0.04 would pass
    # its own bound (0.05 / 1) but comes after the stop: adjusted max(0.06, 0.04) = 0.06.
    result = holm([0.04, 0.011, 0.03])
    assert [a for a, _s in result] == pytest.approx([0.06, 0.033, 0.06])
    assert [s for _a, s in result] == [False, True, False]
    assert holm([]) == []
    assert holm([0.05]) == [(0.05, True)]
    with pytest.raises(EstimationError):
        holm([0.5], alpha=0)


def test_gap_tests_combine_the_test_and_the_correction() -> None:
    shares = [
        GroupShare(0.80, 0.04, 0.50, 0.03),  # z = 6, p ~ 2e-9
        GroupShare(0.60, 0.03, 0.50, 0.04),  # z = 2, p = 0.0455
        GroupShare(0.52, 0.05, 0.55, 0.03),  # z = -0.514, p = 0.607
    ]
    result = gap_tests(shares)
    assert [r.significant for r in result] == [True, False, False]
    # 0.0455 alone is below 0.05, but Holm's second step needs p <= 0.05 / 2
    assert result[1].p_value < 0.05
    assert result[1].p_adjusted == pytest.approx(2 * 0.0455002639, rel=1e-8)
    assert result[2].p_adjusted == pytest.approx(max(2 * 0.0455002639, result[2].p_value))


def test_with_design_based_domain_estimates() -> None:
    # The dashboard's use: two disjoint domains of a simple random sample of respondents.
    y = np.r_[np.ones(30), np.zeros(10), np.ones(20), np.zeros(40)]
    group = np.r_[np.ones(40), np.zeros(60)]
    frame = Design(pd.DataFrame({"y": y, "g": group})).proportion("y", by="g", ci="beta")
    ones = frame[frame["level"] == 1].set_index("g")
    share = GroupShare(
        ones.loc[1, "estimate"], ones.loc[1, "se"], ones.loc[0, "estimate"], ones.loc[0, "se"]
    )
    assert share.estimate == pytest.approx(0.75)
    assert share.rest_estimate == pytest.approx(20 / 60)
    _d, z, p = gap_test(share)
    expected = (0.75 - 1 / 3) / math.sqrt(ones.loc[1, "se"] ** 2 + ones.loc[0, "se"] ** 2)
    assert z == pytest.approx(expected)
    assert p < 1e-4
