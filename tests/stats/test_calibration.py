"""Calibrated, raked and post-stratified designs against R `survey` 4.1.1.

`reference/calibration_reference.json` (made by `reference/make_calibration_reference.R`) holds
14 calibrated designs of the api data and 15 estimates on each (svymean, svytotal of numeric
and factor variables, svyby, svyciprop, svyglm gaussian and quasibinomial), each with its exact
R call. Estimates and standard errors are compared at a relative tolerance of 1e-8. Standard
errors that are zero in exact arithmetic (the total of a calibration variable) are noise in R
(about 1e-17 of the estimate) and must be below 1e-12 of the estimate here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from hopeful.stats import Design, DesignError
from hopeful.stats.calibration import CalibratedDesign, calibrate, poststratify, rake
from tests.stats.r_reference import dataset

REFERENCE = Path(__file__).resolve().parent / "reference" / "calibration_reference.json"
TIGHT = 1e-8

POP_TYPES = {"E": 4421, "H": 755, "M": 1018}
POP_SCHWIDE = {"No": 1072, "Yes": 5122}
POP_AWARDS = {"No": 2027, "Yes": 4167}
POP_CELLS = {
    ("E", "No"): 472,
    ("H", "No"): 334,
    ("M", "No"): 266,
    ("E", "Yes"): 3949,
    ("H", "Yes"): 421,
    ("M", "Yes"): 752,
}
API99 = 3914069
STYPE_API99 = {"stype": POP_TYPES, "api99": API99}


@cache
def reference() -> dict[str, Any]:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def dclus1() -> Design:
    return Design(dataset("apiclus1"), psu="dnum", weights="pw", fpc="fpc")


def dstrat() -> Design:
    return Design(dataset("apistrat"), strata="stype", weights="pw", fpc="fpc")


def dclus2() -> Design:
    return Design(dataset("apiclus2"), psu=["dnum", "snum"], fpc=["fpc1", "fpc2"])


# The same designs as make_calibration_reference.R's design_calls.
DESIGNS: dict[str, Callable[[], Design]] = {
    "clus1_cal_stype": lambda: calibrate(dclus1(), "~stype", {"stype": POP_TYPES}),
    "clus1_cal_linear": lambda: calibrate(dclus1(), "~stype + api99", STYPE_API99),
    "clus1_cal_linear_bounds": lambda: calibrate(
        dclus1(), ["stype", "api99"], STYPE_API99, bounds=(0.6, 1.6)
    ),
    "clus1_cal_raking": lambda: calibrate(
        dclus1(), ["stype", "api99"], STYPE_API99, calfun="raking"
    ),
    "clus1_cal_logit": lambda: calibrate(
        dclus1(), ["stype", "api99"], STYPE_API99, calfun="logit", bounds=(0.5, 2.5)
    ),
    "clus1_rake": lambda: rake(dclus1(), ["stype", "sch.wide"], [POP_TYPES, POP_SCHWIDE]),
    "clus1_rake_tight": lambda: rake(
        dclus1(), ["stype", "sch.wide"], [POP_TYPES, POP_SCHWIDE], max_iter=100, epsilon=1e-12
    ),
    "clus1_post": lambda: poststratify(dclus1(), "stype", POP_TYPES),
    "clus1_post_cells": lambda: poststratify(dclus1(), ["stype", "sch.wide"], POP_CELLS),
    "clus1_post_then_cal": lambda: calibrate(
        poststratify(dclus1(), "stype", POP_TYPES),
        ["api99"],
        {"api99": API99},
        population_size=6194,
    ),
    "strat_rake": lambda: rake(dstrat(), ["sch.wide", "awards"], [POP_SCHWIDE, POP_AWARDS]),
    "strat_cal_raking": lambda: calibrate(
        dstrat(),
        ["sch.wide", "awards"],
        {"sch.wide": POP_SCHWIDE, "awards": POP_AWARDS},
        calfun="raking",
    ),
    "clus2_cal_linear": lambda: calibrate(dclus2(), ["stype", "api99"], STYPE_API99),
    "clus2_post": lambda: poststratify(dclus2(), "stype", POP_TYPES),
    "unweighted_cal_logit": lambda: calibrate(
        Design(dataset("apiclus1"), psu="dnum"),
        ["stype", "api99"],
        STYPE_API99,
        calfun="logit",
        bounds=(0.5, 2.5),
    ),
}


@cache
def design(design_id: str) -> CalibratedDesign:
    made = DESIGNS[design_id]()
    assert isinstance(made, CalibratedDesign)
    return made


def _arr(x: Any) -> np.ndarray:
    return np.atleast_1d(np.asarray(x, dtype=np.float64))


def _check(what: str, ours: Any, r: Any, scale: float = 0.0, tolerance: float = TIGHT) -> None:
    """Relative 1e-8; numbers R gives as (near) zero noise must be below 1e-12 * scale."""
    ours, r = _arr(ours), _arr(r)
    assert ours.shape == r.shape, (what, ours, r)
    allowed = tolerance * np.abs(r) + 1e-12 * max(scale, 1.0)
    bad = np.abs(ours - r) > allowed
    assert not bad.any(), f"{what}: ours {ours} R {r} (diff {np.abs(ours - r)})"


def _arr_str(x: Any) -> list[str]:
    return [str(v) for v in (x if isinstance(x, list) else [x])]


def _estimate(d: CalibratedDesign, name: str) -> pd.DataFrame | Any:
    return {
        "mean_api00": lambda: d.mean("api00", deff="wor"),
        "mean_api00_enroll": lambda: d.mean(["api00", "enroll"], deff=None),
        "total_enroll": lambda: d.total("enroll", deff="wor"),
        "total_api99": lambda: d.total("api99", deff=None),
        "total_stype": lambda: d.total("stype", deff=None),
        "mean_schwide": lambda: d.mean("sch.wide", deff=None),
        "by_stype_mean_api00": lambda: d.mean("api00", by="stype", deff="wor"),
        "by_schwide_total_enroll": lambda: d.total("enroll", by="sch.wide", deff=None),
        "by_stype_schwide_mean_api00": lambda: d.mean("api00", by=["stype", "sch.wide"]),
        "ciprop_beta_awards": lambda: d.proportion("awards_yes", ci="beta"),
        "ciprop_logit_awards": lambda: d.proportion("awards_yes", ci="logit"),
        "by_stype_ciprop_beta_awards": lambda: d.proportion("awards_yes", by="stype", ci="beta"),
        "by_stype_ciprop_logit_awards": lambda: d.proportion("awards_yes", by="stype", ci="logit"),
        "glm_gaussian_api00": lambda: d.linear("api00 ~ ell + meals + mobility"),
        "glm_logit_awards_tight": lambda: d.logistic("awards_yes ~ ell + meals + mobility + stype"),
    }[name]()


def _estimates() -> list[Any]:
    return [pytest.param(e, id=e["id"]) for e in reference()["estimates"]]


def test_the_reference_covers_every_design_and_estimate() -> None:
    ref = reference()
    assert ref["versions"]["survey"] == "4.1.1"
    assert [d["id"] for d in ref["designs"]] == list(DESIGNS)
    assert len(ref["estimates"]) == 15 * 15


@pytest.mark.parametrize("entry", [pytest.param(e, id=e["id"]) for e in reference()["designs"]])
def test_calibrated_weights_match_r(entry: dict[str, Any]) -> None:
    d = design(entry["id"])
    _check("weights", d.weights, entry["weights"])
    assert d.degf == entry["degf"]


@pytest.mark.parametrize("entry", _estimates())
def test_it_matches_r_survey(entry: dict[str, Any]) -> None:
    d = design(entry["design"])
    name = entry["id"].split(":", 1)[1]
    res = entry["result"]
    out = _estimate(d, name)
    if res["kind"] == "svyglm":
        scale = float(np.max(np.abs(res["coef"])))
        _check("coef", out.coef, res["coef"])
        _check("se", out.se, res["se"])
        _check("vcov", out.vcov.ravel(), _arr(res["vcov"]).ravel(), scale**2)
        assert out.df_residual == res["df_residual"]
        ci = _arr(res["confint_t"]).reshape(2, -1)
        _check("ci", np.concatenate([out.table["ci_low"], out.table["ci_high"]]), ci.ravel())
        return
    frame = out
    if name.startswith(("ciprop", "by_stype_ciprop")):
        frame = frame[frame["level"] == 1.0]
    if res["kind"] == "svyby":
        by = list(res["by"])
        want = list(zip(*[_arr_str(res["by"][c]) for c in by], strict=True))
        got = list(zip(*[frame[c].astype(str).tolist() for c in by], strict=True))
        assert sorted(got) == sorted(want)
        frame = frame.iloc[[got.index(key) for key in want]]
    est = frame["estimate"].to_numpy()
    scale = float(np.max(np.abs(est)))
    # R's svyciprop(method="logit") takes p and its interval from an intercept-only svyglm
    # fitted with glm's default control (epsilon=1e-8 on the deviance), so they carry up to
    # ~1e-8 relative error (7.8e-9 on p and 1.8e-8 on the interval in clus2_post); ours is
    # the exact weighted mean. Its SE comes from svymean and is checked at 1e-8.
    loose = 1e-6 if "logit" in name else TIGHT
    if res["kind"] == "svyciprop":
        _check("estimate", est, res["est"], tolerance=loose)
        _check("se", frame["se"], res["se"], scale)
        if res["se"] > 1e-12 * scale:  # else a calibrated proportion: R's interval is noise
            ci = np.concatenate([frame["ci_low"], frame["ci_high"]])
            _check("ci", ci, res["ci"], tolerance=loose)
        return
    _check("estimate", est, res["coef"], tolerance=loose)
    _check("se", frame["se"], res["se"], scale)
    if "deff" in res:
        _check("deff", frame["deff"], res["deff"])
    if "ci_l" in res:
        _check("ci_low", frame["ci_low"], res["ci_l"], tolerance=loose)
        _check("ci_high", frame["ci_high"], res["ci_u"], tolerance=loose)
    if "ci_t_degf" in res:
        ci = _arr(res["ci_t_degf"]).reshape(2, -1)
        _check("ci", np.concatenate([frame["ci_low"], frame["ci_high"]]), ci.ravel(), scale)
    if "vcov" in res and "vcov" in frame.attrs:
        _check("vcov", frame.attrs["vcov"].ravel(), _arr(res["vcov"]).ravel(), scale**2)


# -- the calibrated weights ----------------------------------------------------------------


def _weighted(d: Design, column: str) -> dict[str, float]:
    values = d.table[column].astype(str).to_numpy()
    return {str(k): float(d.weights[values == k].sum()) for k in np.unique(values)}


def _close(got: dict[str, float], want: dict[str, float], rel: float) -> None:
    assert got.keys() == {str(k) for k in want}
    for k, v in want.items():
        assert abs(got[str(k)] - v) <= rel * (1 + v), (k, got[str(k)], v)


@pytest.mark.parametrize(
    ("design_id", "rel"),
    [
        ("clus1_cal_linear", 1e-12),
        ("clus2_cal_linear", 1e-12),
        ("clus1_cal_linear_bounds", 1e-7),
        ("clus1_cal_raking", 1e-7),
        ("clus1_cal_logit", 1e-7),
    ],
)
def test_calibrated_weights_reproduce_the_population_totals(design_id: str, rel: float) -> None:
    d = design(design_id)
    _close(_weighted(d, "stype"), POP_TYPES, rel)
    api99 = float((d.weights * d.table["api99"]).sum())
    assert abs(api99 - API99) <= rel * (1 + API99)


def test_bounds_hold_for_the_g_weights() -> None:
    assert design("clus1_cal_linear_bounds").g.min() >= 0.6 - 1e-12
    assert design("clus1_cal_linear_bounds").g.max() <= 1.6 + 1e-12
    g = design("clus1_cal_logit").g
    assert g.min() > 0.5
    assert g.max() < 2.5
    assert design("clus1_cal_logit").iterations == 4  # R's verbose run prints 4 misfits


def test_poststratified_and_raked_weights_reproduce_the_margins() -> None:
    _close(_weighted(design("clus1_post"), "stype"), POP_TYPES, 1e-12)
    cells = design("clus1_post_cells")
    key = cells.table["stype"] + "/" + cells.table["sch.wide"]
    for (s, w), n in POP_CELLS.items():
        assert abs(cells.weights[key == f"{s}/{w}"].sum() - n) <= 1e-12 * n
    tight = design("clus1_rake_tight")
    _close(_weighted(tight, "stype"), POP_TYPES, 1e-10)
    _close(_weighted(tight, "sch.wide"), POP_SCHWIDE, 1e-10)
    # R's default (epsilon=1 weighted unit): the last margin is exact, the first within 1.
    default = design("clus1_rake")
    _close(_weighted(default, "sch.wide"), POP_SCHWIDE, 1e-12)
    for level, n in _weighted(default, "stype").items():
        assert abs(n - POP_TYPES[level]) < 1.0


def test_population_can_be_a_series_or_an_r_style_table() -> None:
    want = design("clus1_post").weights
    series = poststratify(dclus1(), "stype", pd.Series(POP_TYPES))
    frame = pd.DataFrame({"stype": list(POP_TYPES), "Freq": list(POP_TYPES.values())})
    table = poststratify(dclus1(), "stype", frame)
    np.testing.assert_allclose(series.weights, want, rtol=1e-14)
    np.testing.assert_allclose(table.weights, want, rtol=1e-14)
    cal = calibrate(dclus1(), ["stype"], {"stype": pd.Series(POP_TYPES)})
    np.testing.assert_allclose(cal.weights, design("clus1_cal_stype").weights, rtol=1e-12)


def test_a_numeric_code_is_categorical_when_its_population_is_per_level() -> None:
    data = dataset("apiclus1").copy()
    data["stype_code"] = data["stype"].map({"E": 1, "H": 2, "M": 3})
    base = Design(data, psu="dnum", weights="pw", fpc="fpc")
    coded = calibrate(base, ["stype_code"], {"stype_code": {1: 4421, 2: 755, 3: 1018.0}})
    np.testing.assert_allclose(coded.weights, design("clus1_cal_stype").weights, rtol=1e-12)
    forced = calibrate(base, "~C(stype_code)", {"stype_code": {1: 4421, 2: 755, 3: 1018}})
    np.testing.assert_allclose(forced.weights, coded.weights, rtol=1e-14)


# -- new objects ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda d: calibrate(d, ["stype", "api99"], STYPE_API99),
        lambda d: calibrate(d, ["stype"], {"stype": POP_TYPES}, calfun="raking"),
        lambda d: rake(d, ["stype", "sch.wide"], [POP_TYPES, POP_SCHWIDE]),
        lambda d: poststratify(d, "stype", POP_TYPES),
    ],
    ids=["calibrate", "calibrate_raking", "rake", "poststratify"],
)
def test_the_original_design_is_unchanged(make: Callable[[Design], CalibratedDesign]) -> None:
    base = dclus1()
    weights = base.weights.copy()
    before = base.mean("api00")
    new = make(base)
    assert new is not base
    assert type(base) is Design
    assert isinstance(new, CalibratedDesign)
    np.testing.assert_array_equal(base.weights, weights)
    pd.testing.assert_frame_equal(base.mean("api00"), before)
    assert not np.allclose(new.weights, weights)
    np.testing.assert_allclose(new.g, new.weights / weights, rtol=1e-15)
    assert "CalibratedDesign(" in repr(new)


def test_calibrating_again_keeps_the_first_calibration() -> None:
    post = poststratify(dclus1(), "stype", POP_TYPES)
    again = calibrate(post, ["api99"], {"api99": API99}, population_size=6194)
    assert len(again._steps) == 2
    assert len(post._steps) == 1
    np.testing.assert_array_equal(post.weights, design("clus1_post").weights)


# -- errors --------------------------------------------------------------------------------


def test_a_population_level_absent_from_the_sample_is_an_error() -> None:
    pop = {**POP_TYPES, "K": 40}
    with pytest.raises(DesignError, match=r"names stype = K but no row of the sample"):
        calibrate(dclus1(), ["stype"], {"stype": pop})
    with pytest.raises(DesignError, match=r"names stype = K"):
        poststratify(dclus1(), "stype", pop)
    with pytest.raises(DesignError, match=r"names stype = K"):
        rake(dclus1(), ["stype", "sch.wide"], [pop, POP_SCHWIDE])


def test_a_sample_level_absent_from_the_population_is_an_error() -> None:
    pop = {"E": 4421, "H": 755}
    with pytest.raises(DesignError, match=r"the sample has stype = M but the population"):
        calibrate(dclus1(), ["stype"], {"stype": pop})
    with pytest.raises(DesignError, match=r"the sample has stype/sch.wide = E/No"):
        poststratify(dclus1(), ["stype", "sch.wide"], {("E", "Yes"): 3949})


@pytest.mark.parametrize("count", [0, -5, float("nan")])
def test_population_counts_must_be_positive(count: float) -> None:
    with pytest.raises(DesignError, match="must be positive"):
        poststratify(dclus1(), "stype", {**POP_TYPES, "H": count})
    with pytest.raises(DesignError, match="must be positive"):
        calibrate(dclus1(), ["stype"], {"stype": {**POP_TYPES, "M": count}})
    with pytest.raises(DesignError, match="population_size must be positive"):
        calibrate(dclus1(), ["api99"], {"api99": API99}, population_size=count)


def test_margins_that_disagree_on_the_population_size_are_an_error() -> None:
    pop = {"stype": POP_TYPES, "sch.wide": {"No": 1072, "Yes": 5000}}
    with pytest.raises(DesignError, match="disagree on the population size"):
        calibrate(dclus1(), ["stype", "sch.wide"], pop)
    with pytest.raises(DesignError, match="disagree on the population size"):
        calibrate(dclus1(), ["stype"], {"stype": POP_TYPES}, population_size=6000)


def test_raking_that_does_not_converge_says_after_how_many_passes() -> None:
    # R would rake margins that disagree and meet only the last one; we refuse them.
    contradictory = {"No": 1072, "Yes": 6122}  # sums to 7194, stype to 6194
    with pytest.raises(DesignError, match=r"stype gives 6194 but sch.wide sums to 7194"):
        rake(dclus1(), ["stype", "sch.wide"], [POP_TYPES, contradictory])
    with pytest.raises(DesignError, match=r"raking did not converge after 2 passes"):
        rake(dclus1(), ["stype", "sch.wide"], [POP_TYPES, POP_SCHWIDE], max_iter=2, epsilon=1e-12)
    with pytest.raises(DesignError, match=r"did not converge after 3 iterations"):
        calibrate(dclus1(), ["stype", "api99"], STYPE_API99, calfun="raking", max_iter=3)


def test_bounds_that_cannot_be_met_are_an_error() -> None:
    # stype H: weighted sample count 14 * 33.85 = 473.9, population 755: g must reach 1.59.
    with pytest.raises(DesignError, match=r"cannot be met: stype = H .* ratio of 1\.593"):
        calibrate(dclus1(), ["stype", "api99"], STYPE_API99, bounds=(0.8, 1.2))
    with pytest.raises(DesignError, match=r"did not converge .* bounds \(0\.5, 2\.5\) may be"):
        calibrate(
            dclus1(), ["stype", "api99"], STYPE_API99, calfun="logit", bounds=(0.5, 2.5), max_iter=2
        )
    with pytest.raises(DesignError, match="logit calibration needs finite bounds"):
        calibrate(dclus1(), ["stype"], {"stype": POP_TYPES}, calfun="logit")
    with pytest.raises(DesignError, match="bounds around 1"):
        calibrate(dclus1(), ["stype"], {"stype": POP_TYPES}, calfun="logit", bounds=(1.2, 3))
    with pytest.raises(DesignError, match="lower < upper"):
        calibrate(dclus1(), ["stype"], {"stype": POP_TYPES}, bounds=(2, 1))


def test_other_bad_input_is_a_clear_error() -> None:
    with pytest.raises(DesignError, match="'foo', which is not calibrated on"):
        calibrate(dclus1(), ["stype"], {"stype": POP_TYPES, "foo": 3})
    with pytest.raises(DesignError, match="no total for calibration variable 'api99'"):
        calibrate(dclus1(), "~stype + api99", {"stype": POP_TYPES})
    with pytest.raises(DesignError, match=r"'acs\.46' has missing values"):
        calibrate(dclus1(), ["acs.46"], {"acs.46": 1000.0})
    with pytest.raises(DesignError, match=r"'stype' is text: give its population as \{level"):
        calibrate(dclus1(), ["stype"], {"stype": 4421})
    with pytest.raises(DesignError, match="total of 'api99' must be a finite number"):
        calibrate(dclus1(), ["api99"], {"api99": "lots"})
    with pytest.raises(DesignError, match="calfun must be"):
        calibrate(dclus1(), ["stype"], {"stype": POP_TYPES}, calfun="cubic")  # type: ignore[arg-type]  # a bad value on purpose
    with pytest.raises(DesignError, match="2 margins but 1 population tables"):
        rake(dclus1(), ["stype", "sch.wide"], [POP_TYPES])
    data = dataset("apiclus1").copy()
    data["api99_twice"] = 2.0 * data["api99"]
    twice = Design(data, psu="dnum", weights="pw", fpc="fpc")
    with pytest.raises(DesignError, match="collinear"):
        calibrate(twice, ["api99", "api99_twice"], {"api99": API99, "api99_twice": 2 * API99})
