"""Replicate-weight designs against R `survey` 4.1-1 (reference/replicates_reference.json,
made by reference/make_replicates_reference.R), at a relative tolerance of 1e-8.

R's own replicate weights are checked too: for JK1, JKn, BRR and Fay conversions the
replicate weight matrix (its column sums, index-weighted sums and sums of squares; the whole
matrix for the synthetic BRR data) and R's Hadamard matrices for 1..80 strata. The bootstrap
uses R's exported draws for equality and our seeded draws for a check against linearization.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from hopeful.stats import Design, DesignError, EstimationError
from hopeful.stats._replicate_weights import hadamard
from hopeful.stats.replicates import ReplicateDesign, as_replicate

REFERENCE = Path(__file__).resolve().parent / "reference"
TIGHT = 1e-8


@cache
def reference() -> dict[str, Any]:
    return json.loads((REFERENCE / "replicates_reference.json").read_text(encoding="utf-8"))


@cache
def dataset(name: str) -> pd.DataFrame:
    frame = pd.read_csv(REFERENCE / reference()["datasets"][name])
    if name == "apistrat":
        boot = pd.read_csv(REFERENCE / reference()["bootstrap_csv"])
        frame = pd.concat([frame, boot.filter(regex="^bw")], axis=1)
    if name == "apiclus1":
        jk = pd.read_csv(REFERENCE / reference()["jk1_cols_csv"])
        frame = pd.concat([frame, jk.filter(regex="^jk")], axis=1)
    return frame


def linearization(name: str) -> Design:
    return {
        "apistrat": lambda: Design(dataset("apistrat"), strata="stype", weights="pw"),
        "apiclus1": lambda: Design(dataset("apiclus1"), psu="dnum", weights="pw"),
        "apiclus2": lambda: Design(dataset("apiclus2"), psu=["dnum", "snum"], weights="pw"),
        "synthetic_brr": lambda: Design(
            dataset("synthetic_brr"), strata="stratum", psu="psu", weights="w", nest=True
        ),
    }[name]()


def lonely(rule: str) -> Design:
    return Design(
        dataset("synthetic_brr_lonely"),
        strata="stratum",
        psu="psu",
        weights="w",
        nest=True,
        lonely_psu=rule,  # type: ignore[arg-type]  # "adjust" or "average" from the id
    )


@cache
def design(design_id: str) -> ReplicateDesign:
    meta = reference()["designs"][design_id]
    if design_id == "strat_jkn":
        return as_replicate(linearization("apistrat"), "JKn")
    if design_id in ("clus1_jk1", "clus1_jk1_mse"):
        return as_replicate(linearization("apiclus1"), "JK1", mse=design_id.endswith("mse"))
    if design_id == "clus2_jk1":
        return as_replicate(linearization("apiclus2"), "JK1")
    if design_id == "syn_brr":
        return as_replicate(linearization("synthetic_brr"), "BRR")
    if design_id == "syn_fay":
        return as_replicate(linearization("synthetic_brr"), "Fay", rho=0.3)
    if design_id in ("strat_boot", "strat_boot_cols"):
        return ReplicateDesign(
            dataset("apistrat"),
            weights="pw",
            replicate_weights="^bw[0-9]+$",
            type="bootstrap",
            combined_weights=False,
            scale=meta["scale"] if design_id == "strat_boot" else None,
        )
    if design_id.startswith("syn_lonely_"):
        rule = design_id.removeprefix("syn_lonely_")
        assert meta["options"]["survey.lonely.psu"] == rule
        return as_replicate(lonely(rule), "JKn")
    if design_id in ("clus1_sdr_cols", "clus1_other_cols"):
        other = design_id == "clus1_other_cols"
        return ReplicateDesign(
            dataset("apiclus1"),
            weights="pw",
            replicate_weights="jk[0-9]+",
            type="other" if other else "successive-difference",
            scale=0.5 if other else None,
            rscales=0.9 if other else None,
        )
    if design_id == "clus1_jk1_cols":
        return ReplicateDesign(
            dataset("apiclus1"), weights="pw", replicate_weights="jk[0-9]+", type="JK1"
        )
    if design_id == "strat_jkn_cols":
        # R's JKn analysis weights as columns (their equality to R is checked by
        # test_design_constants["strat_jkn"]); rscales are R's.
        weights = design("strat_jkn").replicate_weights
        columns = pd.DataFrame(weights, columns=[f"jkn{i + 1}" for i in range(weights.shape[1])])
        table = pd.concat([dataset("apistrat"), columns], axis=1)
        return ReplicateDesign(
            table,
            weights="pw",
            replicate_weights="jkn[0-9]+",
            type="JKn",
            rscales=reference()["jkn_rscales"],
            mse=True,
        )
    raise KeyError(design_id)


def close(ours: Any, r: Any, what: str, tol: float = TIGHT, atol: float = 1e-12) -> None:
    """Relative tolerance ``tol``; differences below ``atol`` (rounding near 0) pass."""
    a = np.atleast_1d(np.asarray(ours, dtype=np.float64)).ravel()
    b = np.atleast_1d(np.asarray(r, dtype=np.float64)).ravel()
    assert a.shape == b.shape, f"{what}: shapes {a.shape} vs {b.shape}"
    error = np.abs(a - b) / np.maximum(np.abs(b), 1e-300)
    tiny = np.abs(a - b) <= atol
    worst = float(np.max(np.where(tiny, 0.0, error))) if len(a) else 0.0
    assert worst <= tol, f"{what}: ours {a} R {b} (rel. {worst:.2e})"


# -- designs and their replicate weights ---------------------------------------------------


@pytest.mark.parametrize("design_id", list(reference()["designs"]))
def test_design_constants(design_id: str) -> None:
    meta = reference()["designs"][design_id]
    d = design(design_id)
    assert d.degf == meta["degf"]
    assert d.n_replicates == meta["n_replicates"]
    assert d.mse == meta["mse"]
    close(d.scale, meta["scale"], "scale")
    close(np.broadcast_to(meta["rscales"], (d.n_replicates,)), d.rscales, "rscales")
    w = d.replicate_weights
    close(w.sum(axis=0), meta["colsums"], "column sums")
    close((w * np.arange(1, d.n_rows + 1)[:, None]).sum(axis=0), meta["index_sums"], "index")
    close((w**2).sum(axis=0), meta["sq_sums"], "squares")
    close(d.weights.sum(), meta["pweights_sum"], "weights")
    if meta.get("weights") is not None:
        r = np.asarray(meta["weights"]).reshape(d.n_replicates, d.n_rows).T
        close(w, r, "replicate weight matrix")


@pytest.mark.parametrize("n", range(1, 81))
def test_hadamard_is_rs(n: int) -> None:
    rows = reference()["hadamard"][n - 1]
    expected = np.array([[int(c) for c in row] for row in rows])
    assert np.array_equal(hadamard(n), expected)


# -- estimates -----------------------------------------------------------------------------


def _by_keys(frame: pd.DataFrame, by: list[str]) -> list[tuple[str, ...]]:
    return [tuple(str(v) for v in row) for row in frame[by].itertuples(index=False)]


def _estimate(d: ReplicateDesign, py: dict[str, Any]) -> Any:
    fn = py["fn"]
    if fn in ("linear", "logistic"):
        if fn == "logistic":
            table = d.table
            table["bin01"] = (table[py["bin"]] == "Yes").astype(float)
            return d.logistic(py["formula"])
        return d.linear(py["formula"])
    by = py.get("by")
    if fn == "proportion":
        frame = d.proportion(py["variable"], by=by, ci=py["ci"], deff=None)
        return frame[frame["level"] == py["level_value"]].reset_index(drop=True)
    deff = "wor" if py.get("deff") else None
    return getattr(d, fn)(py["variable"], by=by, deff=deff)


@pytest.mark.parametrize("entry", [pytest.param(e, id=e["id"]) for e in reference()["estimates"]])
def test_estimate_matches_r(entry: dict[str, Any]) -> None:
    d = design(entry["design"])
    res, py = entry["result"], entry["py"]
    out = _estimate(d, py)
    kind = res["kind"]
    if kind == "svyglm":
        close(out.coef, res["coef"], "coef")
        close(out.se, res["se"], "se")
        close(out.vcov.T, res["vcov"], "vcov")
        assert out.df_residual == res["df_residual"]
        close(np.concatenate([out.table["ci_low"], out.table["ci_high"]]), res["confint"], "ci")
        return
    if kind == "svyby":
        by = py["by"] if isinstance(py["by"], list) else [py["by"]]
        r_keys = list(zip(*[res["by"][b] for b in by], strict=True))
        ours = dict(zip(_by_keys(out, by), range(len(out)), strict=True))
        assert sorted(ours) == sorted(r_keys)
        rows = [ours[k] for k in r_keys]
        close(out["estimate"].to_numpy()[rows], res["coef"], "coef")
        atol = 1e-12 * float(np.max(np.abs(res["coef"])))  # an exact 0 is rounding noise
        close(out["se"].to_numpy()[rows], res["se"], "se", atol=atol)
        if "ci_l" in res:
            # A domain where the proportion is 1 (every school with awards met its target):
            # R's beta interval is NaN (0/0 effective size), its logit interval comes from
            # an unconverged glm. We keep Design's conventions there (NCHS n_eff = n for
            # beta, NaN for logit); every other domain must match.
            inner = np.abs(np.asarray(res["coef"]) - 0.5) < 0.5 - 1e-6
            sel = np.asarray(rows)[inner]
            close(out["ci_low"].to_numpy()[sel], np.asarray(res["ci_l"])[inner], "ci_low")
            close(out["ci_high"].to_numpy()[sel], np.asarray(res["ci_u"])[inner], "ci_high")
        return
    close(out["estimate"], res["coef"], "coef")
    # A standard error that is 0 in exact arithmetic (totals of the strata in a stratified
    # jackknife) is rounding noise in both programs: absolute 1e-12 of the estimate.
    close(out["se"], res["se"], "se", atol=1e-12 * float(np.max(np.abs(res["coef"]))))
    if kind == "svyciprop":
        close([out["ci_low"][0], out["ci_high"][0]], res["ci"], "ci")
        return
    if "deff" in res:
        close(out["deff"], res["deff"], "deff")
    if len(out) > 1:
        scale = float(np.max(np.abs(res["coef"]))) ** 2
        close(out.attrs["vcov"].T, res["vcov"], "vcov", atol=1e-12 * scale)


def test_it_covers_every_reference_estimate() -> None:
    estimates = reference()["estimates"]
    assert len(estimates) == 251
    assert {e["result"]["kind"] for e in estimates} == {"svrepstat", "svyby", "svyciprop", "svyglm"}


# -- the seeded bootstrap ------------------------------------------------------------------


def test_seeded_bootstrap_is_deterministic_and_close_to_linearization() -> None:
    lin = linearization("apistrat")
    a = as_replicate(lin, "bootstrap", replicates=1000, seed=20261207)
    b = as_replicate(lin, "bootstrap", replicates=1000, seed=20261207)
    assert np.array_equal(a.replicate_weights, b.replicate_weights)
    se_boot = float(a.mean("api00", deff=None)["se"][0])
    se_lin = float(lin.mean("api00", deff=None)["se"][0])
    assert abs(se_boot / se_lin - 1) < 0.03
    total_boot = float(a.total("enroll", deff=None)["se"][0])
    total_lin = float(lin.total("enroll", deff=None)["se"][0])
    assert abs(total_boot / total_lin - 1) < 0.05


# -- errors --------------------------------------------------------------------------------


def test_errors_are_clear() -> None:
    table = pd.DataFrame({"w": [1.0, 2.0, -1.0], "r1": [1.0, 2.0, 1.0], "y": [1.0, 2.0, 3.0]})
    with pytest.raises(DesignError, match="negative"):
        ReplicateDesign(table, weights="w", replicate_weights=["r1"], type="other")
    ok = table.assign(w=[1.0, 2.0, 3.0])
    with pytest.raises(DesignError, match="no column name matches"):
        ReplicateDesign(ok, weights="w", replicate_weights="^rep", type="JK1")
    with pytest.raises(DesignError, match="rscales"):
        ReplicateDesign(ok, weights="w", replicate_weights=["r1"], type="JKn")
    with pytest.raises(DesignError, match="rho"):
        ReplicateDesign(ok, weights="w", replicate_weights=["r1"], type="Fay", rho=1.5)
    missing = ok.assign(r1=[1.0, np.nan, 1.0])
    with pytest.raises(DesignError, match="missing"):
        ReplicateDesign(missing, weights="w", replicate_weights=["r1"], type="BRR")
    with pytest.raises(DesignError, match="JKn"):
        as_replicate(linearization("apistrat"), "JK1")
    with pytest.raises(DesignError, match="exactly 2 PSUs"):
        as_replicate(linearization("apistrat"), "BRR")
    with pytest.raises(DesignError, match="stratified"):
        as_replicate(linearization("apiclus1"), "BRR")
    with pytest.raises(EstimationError, match="0/1"):
        design("clus1_jk1").logistic("api00 ~ ell")
