"""The NCHS presentation standard for proportions and the small-count rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hopeful.stats import Design, EstimationError, nchs_proportions
from tests.stats.r_reference import dataset


def judge(p: float, se: float, n: int, df: float) -> pd.Series:
    table = pd.DataFrame({"estimate": [p], "se": [se], "n": [n], "df": [df]})
    return nchs_proportions(table).iloc[0]


def test_it_suppresses_an_effective_sample_size_below_30() -> None:
    # n_eff = 0.25 / 0.1^2 = 25, and it is capped at n = 20
    row = judge(0.5, 0.1, 20, 30)
    assert row["n_eff"] == pytest.approx(20)
    assert not row["present"]
    assert row["reason"] == "effective sample size 20 is below 30"


def test_it_presents_a_narrow_interval_without_footnotes() -> None:
    # n_eff = 2500: the Korn-Graubard width is about 2 * 1.98 * 0.01 = 0.04 <= 0.05
    row = judge(0.5, 0.01, 5000, 100)
    assert row["ci_width"] < 0.05
    assert row["present"]
    assert row["reason"] == ""
    assert row["flags"] == ""


def test_it_suppresses_an_interval_30_points_wide() -> None:
    # n_eff = 0.25 / 0.0064 = 39: the interval is about 0.5 +- 0.16
    row = judge(0.5, 0.08, 1000, 100)
    assert row["ci_width"] >= 0.30
    assert not row["present"]
    assert row["reason"].startswith("confidence interval width 0.3")


def test_it_suppresses_a_relative_width_above_130_percent() -> None:
    # n_eff = 0.0475 / 0.0009 = 53: about (0.01, 0.16) around 0.05, width / p near 3
    row = judge(0.05, 0.03, 1000, 100)
    assert 0.05 < row["ci_width"] < 0.30
    assert row["relative_width"] > 1.30
    assert not row["present"]
    assert row["reason"].startswith("relative confidence interval width")


def test_it_footnotes_an_unreliable_complement_and_few_degrees_of_freedom() -> None:
    row = judge(0.95, 0.03, 500, 5)
    assert row["present"]
    assert "complement unreliable" in row["flags"]
    assert "fewer than 8 degrees of freedom" in row["flags"]


def test_it_presents_zero_percent_with_a_review_flag_only_when_n_is_large() -> None:
    zero = judge(0.0, 0.0, 50, 20)
    assert zero["present"]
    assert zero["ci_width"] == 0
    assert zero["flags"] == "estimate is 0% or 100%: statistical review"
    small = judge(0.0, 0.0, 10, 20)
    assert not small["present"]
    assert small["reason"] == "effective sample size 10 is below 30"


def test_it_uses_r_korn_graubard_intervals_when_the_cap_does_not_bind() -> None:
    frame = dataset("synthetic_lonely")
    design = Design(frame, weights="w", strata="stratum", psu="psu", nest=True)
    props = design.proportion("dep", by="region", ci="beta")
    judged = nchs_proportions(props)
    uncapped = judged["n_eff"] < judged["n"] * 0.9
    assert uncapped.any()
    np.testing.assert_allclose(
        judged.loc[uncapped, "kg_low"], props.loc[uncapped, "ci_low"], rtol=1e-10
    )
    np.testing.assert_allclose(
        judged.loc[uncapped, "kg_high"], props.loc[uncapped, "ci_high"], rtol=1e-10
    )


def test_it_refuses_a_table_without_the_needed_columns() -> None:
    with pytest.raises(EstimationError, match="lacks column"):
        nchs_proportions(pd.DataFrame({"estimate": [0.5]}))
