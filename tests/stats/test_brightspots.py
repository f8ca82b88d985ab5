"""hopeful.stats.brightspots against R survey 4.1-1 (make_brightspots_reference.R): unit
effects under sum-to-zero coding, their design-based SEs, t p-values on the residual degrees of
freedom, p.adjust (bonferroni, holm, BH), multiplicity-adjusted intervals, observed and
expected outcomes; plus the identities and the errors."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from hopeful.stats.brightspots import BrightSpots, bright_spots, p_adjust
from hopeful.stats.design import Design
from hopeful.stats.errors import DesignError, EstimationError

REFERENCE = Path(__file__).resolve().parent / "reference"
RTOL, ATOL = 1e-8, 1e-12

# Python spelling of each R case: data, design arguments, adjust formula.
DESIGNS: dict[str, tuple[str, dict[str, Any]]] = {
    "apistrat_fpc": ("apistrat", {"strata": "stype", "weights": "pw", "fpc": "fpc"}),
    "apiclus1_fpc": ("apiclus1", {"psu": "dnum", "weights": "pw", "fpc": "fpc"}),
    "synthetic": (
        "synthetic_brightspots",
        {"psu": "psu", "strata": "stratum", "weights": "w", "nest": True},
    ),
}
ADJUST = {"meals + ell": "meals + ell", "x + income": "x + C(income)", "": ""}
UNIT = {"site_all": "site"}  # R's factor of every site (site_i included): no x in that model


@cache
def reference() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (REFERENCE / "brightspots_reference.json").read_text(encoding="utf-8")
    )
    return data


@cache
def frame(name: str) -> pd.DataFrame:
    data = pd.read_csv(REFERENCE / f"{name}.csv")
    if "sch.wide" in data:
        data["schwide_yes"] = (data["sch.wide"] == "Yes").astype(float)
    return data


def design(design_id: str) -> Design:
    name, kwargs = DESIGNS[design_id]
    return Design(frame(name), lonely_psu="adjust", **kwargs)


def case_ids() -> list[str]:
    return [case["id"] for case in reference()["cases"]]


def run(case: dict[str, Any], correction: str) -> BrightSpots:
    return bright_spots(
        design(case["design"]),
        case["outcome"],
        UNIT.get(case["unit"], case["unit"]),
        ADJUST[case["adjust"]],
        family=case["family"],
        correction=correction,
        level=case["level"],
    )


def close(actual: Any, expected: Any, what: str) -> None:
    np.testing.assert_allclose(
        np.asarray(actual, dtype=float),
        np.asarray(expected, dtype=float),
        rtol=RTOL,
        atol=ATOL,
        err_msg=what,
    )


@pytest.mark.parametrize("case_id", case_ids())
@pytest.mark.parametrize("correction", ["bonferroni", "holm", "bh"])
def test_matches_r(case_id: str, correction: str) -> None:
    case = next(c for c in reference()["cases"] if c["id"] == case_id)
    result = run(case, correction)
    table = result.table.set_index("unit").loc[case["units"]]  # R's level order
    assert result.df == case["df"]
    assert sorted(result.table["unit"]) == list(result.table["unit"])
    close(table["effect"], case["effect"], "effect")
    close(table["se"], case["se"], "se")
    close(table["p_value"], case["p_value"], "p_value")
    r_adjusted = {"bonferroni": "p_bonferroni", "holm": "p_holm", "bh": "p_bh"}[correction]
    close(table["p_adjusted"], case[r_adjusted], "p_adjusted")
    interval = "bh" if correction == "bh" else "bonferroni"
    close(table["ci_low"], case[f"ci_{interval}_low"], "ci_low")
    close(table["ci_high"], case[f"ci_{interval}_high"], "ci_high")
    close(table["observed"], case["observed"], "observed")
    close(table["expected"], case["expected"], "expected")
    assert table["n"].tolist() == case["n"]
    close(table["weight"], case["weight"], "weight")
    # the verdict follows R's adjusted p-values and the sign of R's effect
    alpha = 1 - case["level"]
    r_called = np.asarray(case[r_adjusted]) < alpha
    r_sign = np.sign(case["effect"])
    want = np.where(r_called & (r_sign > 0), "better", np.where(r_called, "worse", "as_expected"))
    assert table["verdict"].tolist() == want.tolist()
    if case["family"] == "binomial":
        close(table["odds_ratio"], np.exp(case["effect"]), "odds_ratio")
        close(table["or_ci_low"], np.exp(case[f"ci_{interval}_low"]), "or_ci_low")
    else:
        assert "odds_ratio" not in table


def test_reference_covers_selection_and_no_selection() -> None:
    selected = {c["id"]: c["n_selected_bh"] for c in reference()["cases"]}
    assert selected["synthetic_logit"] == 0
    assert selected["apistrat_gauss_cname"] > 1


def test_gaussian_observed_minus_expected_is_the_effect() -> None:
    result = bright_spots(design("synthetic"), "y", "site", "x + C(income)")
    table = result.table
    np.testing.assert_allclose(table["observed"] - table["expected"], table["effect"], atol=1e-10)


def test_binomial_columns_and_scale() -> None:
    result = bright_spots(design("synthetic"), "yb", "site", "x + C(income)", family="binomial")
    table = result.table
    assert list(table.columns[-3:]) == ["odds_ratio", "or_ci_low", "or_ci_high"]
    assert ((table["observed"] >= 0) & (table["observed"] <= 1)).all()
    assert ((table["expected"] > 0) & (table["expected"] < 1)).all()
    assert result.model.family == "binomial"


@pytest.mark.parametrize("case_id", case_ids())
def test_bh_intervals_agree_with_the_verdicts(case_id: str) -> None:
    case = next(c for c in reference()["cases"] if c["id"] == case_id)
    table = run(case, "bh").table
    called = table["p_adjusted"] < 1 - case["level"]
    excludes_zero = (table["ci_low"] > 0) | (table["ci_high"] < 0)
    assert (excludes_zero[called]).all()
    assert (called == (table["verdict"] != "as_expected")).all()


def test_higher_is_not_better_flips_the_verdict() -> None:
    up = bright_spots(design("synthetic"), "y", "site", "x + C(income)").table
    down = bright_spots(
        design("synthetic"), "y", "site", "x + C(income)", higher_is_better=False
    ).table
    flip = {"better": "worse", "worse": "better", "as_expected": "as_expected"}
    assert [flip[v] for v in up["verdict"]] == down["verdict"].tolist()
    assert {"better", "worse"} <= set(up["verdict"])


def test_unit_without_usable_rows_is_left_out() -> None:
    result = bright_spots(design("synthetic"), "y", "site", "x")
    assert "site_i" in set(frame("synthetic_brightspots")["site"])
    assert "site_i" not in set(result.table["unit"])
    assert result.table.attrs["excluded_units"] == ["site_i"]
    assert len(result.table) == 8


def test_numeric_units_sort_as_text_and_effects_sum_to_zero() -> None:
    data = frame("synthetic_brightspots").dropna(subset=["x"]).copy()
    codes = dict(zip(sorted(set(data["site"])), [1, 2, 3, 10, 11, 20, 30, 9], strict=True))
    data["program"] = data["site"].map(codes)
    d = Design(data, psu="psu", strata="stratum", weights="w", nest=True)
    numeric = bright_spots(d, "y", "program", "x").table
    text = bright_spots(d, "y", "site", "x").table
    assert numeric["unit"].tolist() == sorted(str(v) for v in codes.values())
    by_site = text.set_index("unit")["effect"]
    by_code = numeric.set_index("unit")["effect"]
    for site, code in codes.items():
        assert by_code[str(code)] == pytest.approx(by_site[site], rel=1e-10)
    assert abs(numeric["effect"].sum()) < 1e-9


def test_weights_and_design_matter() -> None:
    data = frame("synthetic_brightspots")
    weighted = bright_spots(Design(data, weights="w"), "y", "site", "x").table
    clustered = bright_spots(design("synthetic"), "y", "site", "x").table
    unweighted = bright_spots(Design(data), "y", "site", "x").table
    np.testing.assert_allclose(weighted["effect"], clustered["effect"], rtol=1e-12)
    assert not np.allclose(weighted["se"], clustered["se"])
    assert not np.allclose(weighted["effect"], unweighted["effect"])


def test_p_adjust_small_case() -> None:
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.2), "holm") and "BH"
    p = np.array([0.01, 0.04, 0.03, 0.2])
    np.testing.assert_allclose(p_adjust(p, "holm"), [0.04, 0.09, 0.09, 0.2])
    np.testing.assert_allclose(p_adjust(p, "bh"), [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.2])
    np.testing.assert_allclose(p_adjust(p, "bonferroni"), [0.04, 0.16, 0.12, 0.8])


def test_errors() -> None:
    d = design("synthetic")
    with pytest.raises(DesignError, match="no column 'nope'"):
        bright_spots(d, "nope", "site")
    with pytest.raises(DesignError, match="no column 'nope'"):
        bright_spots(d, "y", "nope")
    with pytest.raises(EstimationError, match="0/1 outcome"):
        bright_spots(d, "y", "site", family="binomial")
    with pytest.raises(EstimationError, match="correction must be one of"):
        bright_spots(d, "y", "site", correction="fdr")
    with pytest.raises(EstimationError, match="family must be one of"):
        bright_spots(d, "y", "site", family="poisson")
    with pytest.raises(EstimationError, match="level must be between"):
        bright_spots(d, "y", "site", level=95)
    one = frame("synthetic_brightspots").assign(one="only")
    with pytest.raises(EstimationError, match="1 unit"):
        bright_spots(Design(one, weights="w"), "y", "one")
    with pytest.raises(EstimationError, match="0 unit"):
        bright_spots(Design(one.assign(x=np.nan), weights="w"), "y", "site", "x")


def test_units_within_one_psu_are_flagged() -> None:
    case = next(c for c in reference()["cases"] if c["id"] == "apistrat_gauss_cname")
    table = run(case, "bh").table
    one_school = table.loc[table["n"] == 1, "unit"].tolist()
    assert len(one_school) > 5
    assert table.attrs["single_psu_units"] == one_school
    assert (
        run(
            next(c for c in reference()["cases"] if c["id"] == "synthetic_gauss"), "bh"
        ).table.attrs["single_psu_units"]
        == []
    )


def test_design_clustered_on_the_units_is_refused() -> None:
    data = frame("synthetic_brightspots")
    with pytest.raises(EstimationError, match="single sampling cluster"):
        bright_spots(Design(data, psu="site", weights="w"), "y", "site", "x")
