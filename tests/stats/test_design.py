"""The survey design: bad designs refused, the missing-value rule, inputs, engine paths."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from hopeful.stats import Design, DesignError, EstimationError, _variance
from tests.stats.r_reference import dataset


@pytest.fixture
def synthetic() -> pd.DataFrame:
    return dataset("synthetic_lonely").copy()


def brfss(frame: pd.DataFrame, **kw: Any) -> Design:
    return Design(frame, weights="w", strata="stratum", psu="psu", nest=True, **kw)


# -- bad designs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.assign(w=f["w"].where(f.index != 3, -1.0)), "negative"),
        (lambda f: f.assign(w=f["w"].where(f.index != 3, np.nan)), "missing values"),
        (lambda f: f.assign(stratum=f["stratum"].where(f.index != 3, np.nan)), "strata column"),
        (lambda f: f.assign(psu=f["psu"].where(f.index != 3, np.nan)), "psu column"),
    ],
)
def test_it_refuses_bad_weights_strata_and_psus(
    synthetic: pd.DataFrame, change: Any, message: str
) -> None:
    with pytest.raises(DesignError, match=message):
        brfss(change(synthetic))


def test_it_refuses_a_lonely_psu_under_fail(synthetic: pd.DataFrame) -> None:
    with pytest.raises(DesignError, match=r"only one PSU.*lonely_psu='fail'"):
        brfss(synthetic, lonely_psu="fail")


def test_it_accepts_fail_when_no_stratum_is_lonely() -> None:
    frame = dataset("apistrat")
    design = Design(frame, strata="stype", weights="pw", lonely_psu="fail")
    assert design.degf == 197


def test_it_refuses_psus_that_are_not_nested_without_nest(synthetic: pd.DataFrame) -> None:
    with pytest.raises(DesignError, match=r"not nested in strata.*nest=True"):
        Design(synthetic, weights="w", strata="stratum", psu="psu")


def test_it_refuses_an_fpc_above_full_sampling() -> None:
    frame = dataset("apistrat").assign(fpc=5.0)
    with pytest.raises(DesignError, match="more than 100% sampling"):
        Design(frame, strata="stype", weights="pw", fpc="fpc")


def test_it_refuses_an_fpc_mixing_fractions_and_sizes() -> None:
    frame = dataset("apistrat").astype({"fpc": float})
    frame.loc[0, "fpc"] = 0.5
    with pytest.raises(DesignError, match="mixes fractions and population sizes"):
        Design(frame, strata="stype", weights="pw", fpc="fpc")


def test_it_refuses_an_unknown_lonely_rule_or_column(synthetic: pd.DataFrame) -> None:
    with pytest.raises(DesignError, match="lonely_psu must be one of"):
        brfss(synthetic, lonely_psu="ignore")  # type: ignore[arg-type]
    with pytest.raises(DesignError, match="no column 'wt'"):
        Design(synthetic, weights="wt")


def test_it_refuses_a_non_binary_outcome_for_logistic(synthetic: pd.DataFrame) -> None:
    with pytest.raises(EstimationError, match=r"0/1 outcome.*'pce' has values 0, 1, 2"):
        brfss(synthetic).logistic("pce ~ age")


def test_it_refuses_an_unknown_reference_level_and_collinear_terms(synthetic: pd.DataFrame) -> None:
    design = brfss(synthetic.assign(age2=synthetic["age"] * 2.0))
    with pytest.raises(EstimationError, match="reference level 9 is not a level of 'pce_cat'"):
        design.logistic("dep ~ C(pce_cat) + age", reference={"pce_cat": 9})
    with pytest.raises(EstimationError, match="collinear"):
        design.logistic("dep ~ age + age2")


def test_it_refuses_bad_estimation_options(synthetic: pd.DataFrame) -> None:
    design = brfss(synthetic)
    with pytest.raises(EstimationError, match="level must be between 0 and 1"):
        design.mean("dep", level=95)
    with pytest.raises(EstimationError, match="ci must be"):
        design.proportion("dep", ci="wilson")  # type: ignore[arg-type]


# -- the missing-value rule ------------------------------------------------------------------------


def test_it_leaves_rows_with_a_missing_value_out_of_the_estimate_but_in_the_design(
    synthetic: pd.DataFrame,
) -> None:
    """A mean with missing values equals the domain estimate for the rows that have one.

    That is R's na.rm=TRUE: the rows are dropped from the estimate, the design keeps its PSU
    counts per stratum (so a stratum's absent PSUs count as zeros), and the design's degrees of
    freedom stay those of the whole design.
    """
    rng = np.random.default_rng(7)
    frame = synthetic.copy()
    gone = rng.random(len(frame)) < 0.2
    frame["pce_missing"] = frame["pce"].where(~gone, np.nan)
    frame["answered"] = np.where(gone, "no", "yes")
    design = brfss(frame)
    with_missing = design.mean("pce_missing", deff=None)
    as_domain = design.mean("pce", by="answered", deff=None)
    yes = as_domain[as_domain["answered"] == "yes"].iloc[0]
    row = with_missing.iloc[0]
    assert row["n"] == int((~gone).sum())
    assert row["df"] == design.degf
    np.testing.assert_allclose(
        [row["estimate"], row["se"], row["population"]],
        [yes["estimate"], yes["se"], yes["population"]],
        rtol=1e-12,
    )
    # and it differs from simply deleting the rows (which would shrink the PSU counts)
    deleted = brfss(frame[~gone]).mean("pce", deff=None).iloc[0]
    assert deleted["estimate"] == pytest.approx(row["estimate"], rel=1e-12)
    assert deleted["df"] <= row["df"]


def test_it_excludes_rows_missing_any_variable_from_a_joint_mean() -> None:
    frame = dataset("apiclus1")
    design = Design(frame, psu="dnum", weights="pw")
    both = design.mean(["api00", "enroll"], deff=None)
    assert list(both["variable"]) == ["api00", "enroll"]
    assert both["n"].tolist() == [int(frame["enroll"].notna().sum())] * 2
    assert both.attrs["vcov"].shape == (2, 2)


# -- inputs ------------------------------------------------------------------------------------------


def test_it_gives_the_same_numbers_for_every_table_type(synthetic: pd.DataFrame) -> None:
    tables: list[Any] = [
        synthetic,
        pa.Table.from_pandas(synthetic),
        pl.from_pandas(synthetic),
        {c: synthetic[c].to_numpy() for c in synthetic.columns},
    ]
    results = [brfss(t).mean("pce", by="region", deff="wor") for t in tables]
    for other in results[1:]:
        pd.testing.assert_frame_equal(results[0], other, rtol=1e-13)


def test_it_reads_pandas_nullable_columns_as_missing(synthetic: pd.DataFrame) -> None:
    frame = synthetic.copy()
    frame["pce"] = frame["pce"].astype("Int64")
    frame.loc[[1, 2, 3], "pce"] = pd.NA
    result = brfss(frame).mean("pce", deff=None).iloc[0]
    assert result["n"] == len(frame) - 3


# -- engine paths ------------------------------------------------------------------------------------


def test_it_gives_the_same_domain_variances_on_the_sparse_path(
    synthetic: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    design = brfss(synthetic)
    dense = design.mean("dep", by="dom60", deff=None)
    monkeypatch.setattr(_variance, "_DENSE_CELLS", 0)
    sparse = design.mean("dep", by="dom60", deff=None)
    np.testing.assert_allclose(sparse["se"], dense["se"], rtol=1e-10)


def test_it_fits_the_same_model_through_formulaic_and_the_fast_path(
    synthetic: pd.DataFrame,
) -> None:
    design = brfss(synthetic)
    fast = design.logistic("dep ~ C(pce_cat) + age + C(sex):age")
    # I(age) is not a plain column, so formulaic builds this model matrix.
    slow = design.logistic("dep ~ C(pce_cat) + I(age) + C(sex):I(age)")
    np.testing.assert_allclose(fast.coef, slow.coef, rtol=1e-9)
    np.testing.assert_allclose(fast.se, slow.se, rtol=1e-9)


def test_it_reparameterizes_with_a_chosen_reference_level(synthetic: pd.DataFrame) -> None:
    design = brfss(synthetic)
    first = design.logistic("dep ~ C(pce_cat) + age")
    last = design.logistic("dep ~ C(pce_cat) + age", reference={"pce_cat": 3})
    assert last.terms == ("Intercept", "C(pce_cat)[T.1]", "C(pce_cat)[T.2]", "age")
    b1 = dict(zip(first.terms, first.coef, strict=True))
    b3 = dict(zip(last.terms, last.coef, strict=True))
    assert b3["C(pce_cat)[T.1]"] == pytest.approx(-b1["C(pce_cat)[T.3]"], rel=1e-8)
    assert b3["age"] == pytest.approx(b1["age"], rel=1e-8)
    same = design.logistic("dep ~ C(pce_cat, contr.treatment(base=3)) + age")
    np.testing.assert_allclose(same.coef, last.coef, rtol=1e-12)


def test_it_reports_odds_ratios_with_intervals(synthetic: pd.DataFrame) -> None:
    fit = brfss(synthetic).logistic("dep ~ C(pce_cat) + age")
    table = fit.odds_ratios()
    row = table[table["term"] == "C(pce_cat)[T.3]"].iloc[0]
    assert row["or_ci_low"] < row["odds_ratio"] < row["or_ci_high"]
    assert row["odds_ratio"] < 1  # more PCEs, less depression in the synthetic data
    assert fit.df_residual == brfss(synthetic).degf + 1 - 4


def test_with_columns_keeps_the_design_and_refuses_a_column_of_another_length() -> None:
    data = {"y": np.array([1.0, 2, 3, 4]), "w": np.array([1.0, 2, 1, 2]), "psu": np.arange(4)}
    design = Design(data, weights="w", psu="psu")
    doubled = design.with_columns({"y": data["y"] * 2, "z": np.ones(4)})
    assert doubled.mean("y")["estimate"].iloc[0] == pytest.approx(2 * 16 / 6)
    assert doubled.mean("z")["se"].iloc[0] == pytest.approx(0.0)
    assert design.mean("y")["estimate"].iloc[0] == pytest.approx(16 / 6)  # unchanged
    with pytest.raises(DesignError, match="has 3 values; the design has 4 rows"):
        design.with_columns({"y": np.ones(3)})
