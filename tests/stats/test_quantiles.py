"""hopeful.stats.quantiles against R `survey` 4.1.1 ``svyquantile`` and
``svyby(..., svyquantile)`` (reference/estimators_reference.json, made by
reference/make_estimators_reference.R), at a relative tolerance of 1e-8.

The ``"score"`` interval repeats R's root finder (``uniroot``) step for step; its roots only
matter through which data values they fall between, so it matches exactly as well.
Quantiles and interval ends are data values (or R's interpolations between them), so they
match exactly; the SE is R's interval width over ``2 t_df``. A NaN in R (an interval end whose
proportion falls outside [0, 1], or the 0/0 of ``qrule="hf4"`` at a proportion of exactly 1)
must be NaN here too: proportions are summed as R's ``svymean`` does, in long double.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import numpy as np
import pytest

from hopeful.stats import Design, EstimationError
from hopeful.stats.quantiles import QRULES, quantile
from tests.stats.r_reference import REFERENCE, dataset
from tests.stats.r_reference import design as r_design

TOLERANCE = 1e-8


@cache
def _reference() -> list[dict[str, Any]]:
    doc = json.loads((REFERENCE / "estimators_reference.json").read_text(encoding="utf-8"))
    assert doc["versions"]["survey"] == "4.1.1"
    return list(doc["estimates"])


def _arr(values: Any) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in np.atleast_1d(values)], dtype=float)


def assert_matches(ours: Any, r: Any, what: str) -> None:
    ours, want = np.atleast_1d(np.asarray(ours, dtype=float)), _arr(r)
    assert ours.shape == want.shape, (what, ours, want)
    assert (np.isnan(ours) == np.isnan(want)).all(), (what, ours, want)
    ok = ~np.isnan(want)
    scale = np.where(np.abs(want[ok]) < 1e-12, 1.0, np.abs(want[ok]))
    err = np.abs(ours[ok] - want[ok]) / scale
    assert (err <= TOLERANCE).all(), f"{what}: ours {ours} R {want} (rel. {err.max():.2e})"


def _cases() -> list[Any]:
    return [pytest.param(e, id=e["id"]) for e in _reference() if "svyquantile" in e["call"]]


def test_the_reference_covers_every_interval_and_rule() -> None:
    calls = " ".join(e["call"] for e in _reference() if "svyquantile" in e["call"])
    for interval in ("beta", "xlogit", "asin", "score"):
        assert f"interval.type='{interval}'" in calls
    for rule in QRULES:
        assert f"qrule='{rule}'" in calls
    assert len(_cases()) == 80


@pytest.mark.parametrize("entry", _cases())
def test_it_matches_svyquantile(entry: dict[str, Any]) -> None:
    call = entry["call"]
    variables = re.search(r"~([\w.+]+),", call).group(1).split("+")  # type: ignore[union-attr]  # the calls are ours
    probs = [float(v) for v in re.search(r"quantiles=c\(([^)]*)\)", call).group(1).split(",")]  # type: ignore[union-attr]  # idem
    interval = re.search(r"interval.type='(\w+)'", call)
    rule = re.search(r"qrule='(\w+)'", call)
    by = re.search(r"svyby\(~[\w.]+, ~(\w+),", call)
    frame = quantile(
        r_design(entry["design"], entry["options"]),
        variables if len(variables) > 1 else variables[0],
        probs,
        by=by.group(1) if by else None,
        interval=interval.group(1) if interval else "mean",  # type: ignore[arg-type]  # from R's call
        qrule=rule.group(1) if rule else "math",  # type: ignore[arg-type]  # from R's call
    )
    res = entry["result"]
    if by:  # R orders svyby's coefficients by probability, then domain
        frame = frame.sort_values(["prob", by.group(1)], kind="stable")
        domain_df = frame.drop_duplicates(by.group(1))["df"]
        assert_matches(domain_df, res["domain_degf"], "domain df")
    elif "na.rm" not in call:  # with missing values, the df of the rows with a value
        assert (frame["df"] == entry["degf"]).all()
    assert_matches(frame["estimate"], res["coef"], "quantile")
    assert_matches(frame["se"], res["se"], "se")
    assert_matches(frame["ci_low"], res["ci_l"], "ci_low")
    assert_matches(frame["ci_high"], res["ci_u"], "ci_high")


def test_a_domain_is_the_quantile_of_its_rows_and_missing_values_are_left_out() -> None:
    data = dataset("apistrat").copy()
    data.loc[data.index[::7], "api00"] = np.nan
    design = Design(data, strata="stype", weights="pw", fpc="fpc")
    by = quantile(design, "api00", [0.5], by="stype")
    kept = data["api00"].notna()
    assert by["n"].tolist() == data[kept].groupby("stype").size().tolist()
    middle = by[by["stype"] == "M"]["estimate"].iloc[0]
    values = data[kept & (data["stype"] == "M")].sort_values("api00")
    cum = values["pw"].cumsum() / values["pw"].sum()
    assert middle == values["api00"].to_numpy()[np.searchsorted(cum.to_numpy(), 0.5)]


def test_the_score_interval_stops_where_r_does() -> None:
    # R: svyby(~api00, ~stype, dclus1, svyquantile, quantiles=c(0.25, 0.5, 0.75),
    # interval.type='score', qrule='hf7') stops with "f() values at end points not of
    # opposite sign" (make_estimators_reference.R leaves that call out).
    design = Design(dataset("apiclus1"), psu="dnum", weights="pw", fpc="fpc")
    with pytest.raises(EstimationError, match="no root"):
        quantile(design, "api00", [0.25, 0.5, 0.75], by="stype", interval="score", qrule="hf7")


def test_it_refuses_bad_arguments() -> None:
    design = Design(dataset("apistrat"), strata="stype", weights="pw")
    with pytest.raises(EstimationError, match="probs"):
        quantile(design, "api00", [1.5])
    with pytest.raises(EstimationError, match="interval"):
        quantile(design, "api00", 0.5, interval="quantile")  # type: ignore[arg-type]  # on purpose
    with pytest.raises(EstimationError, match="qrule"):
        quantile(design, "api00", 0.5, qrule="hf10")  # type: ignore[arg-type]  # on purpose
