"""Run hopeful.stats on the R `survey` reference cases (../shared/reference) and pair each
number with R's. Used by test_r_reference.py; runnable as a script to print the worst
relative differences."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hopeful.stats import Design

REFERENCE = Path(__file__).resolve().parent / "reference"

DESIGNS: dict[str, tuple[str, dict[str, Any]]] = {
    "apisrs_wr": ("apisrs", {"weights": "pw"}),
    "apisrs_fpc": ("apisrs", {"fpc": "fpc"}),
    "apistrat_wr": ("apistrat", {"strata": "stype", "weights": "pw"}),
    "apistrat_fpc": ("apistrat", {"strata": "stype", "weights": "pw", "fpc": "fpc"}),
    "apiclus1_wr": ("apiclus1", {"psu": "dnum", "weights": "pw"}),
    "apiclus1_fpc": ("apiclus1", {"psu": "dnum", "weights": "pw", "fpc": "fpc"}),
    "apiclus2_wr": ("apiclus2", {"psu": "dnum", "weights": "pw"}),
    "apiclus2_2stage_fpc": ("apiclus2", {"psu": ["dnum", "snum"], "fpc": ["fpc1", "fpc2"]}),
    "synthetic_lonely": (
        "synthetic_lonely",
        {"psu": "psu", "strata": "stratum", "weights": "w", "nest": True},
    ),
}

GLM_SYNTHETIC = "dep ~ C(pce_cat) + age + C(sex) + C(race4) + C(income4) + ace"
GLM_API_LOGIT = "schwide_yes ~ ell + meals + mobility + stype"
GLM_API_GAUSS = "api00 ~ ell + meals + mobility"


@cache
def reference() -> dict[str, Any]:
    return json.loads((REFERENCE / "r_survey_reference.json").read_text(encoding="utf-8"))


@cache
def dataset(name: str) -> pd.DataFrame:
    meta = reference()["datasets"][name]
    frame = pd.read_csv(REFERENCE / meta["csv"], keep_default_na=True)
    if "sch.wide" in frame:
        frame["schwide_yes"] = (frame["sch.wide"] == "Yes").astype(float)
        frame["awards_yes"] = (frame["awards"] == "Yes").astype(float)
    return frame


def design(design_id: str, options: dict[str, Any]) -> Design:
    data_name, kwargs = DESIGNS[design_id]
    return Design(
        dataset(data_name),
        lonely_psu=options["survey.lonely.psu"],
        adjust_domain_lonely=options["survey.adjust.domain.lonely"],
        **kwargs,
    )


@dataclass
class Pair:
    """One number from us and the same number from R."""

    case: str
    what: str
    ours: np.ndarray
    r: np.ndarray


def _arr(x: Any) -> np.ndarray:
    return np.atleast_1d(np.asarray(x, dtype=np.float64))


def _svystat(
    case: str, frame: pd.DataFrame, res: dict[str, Any], extra: Callable[..., Any] | None = None
) -> Iterator[Pair]:
    yield Pair(case, "coef", frame["estimate"].to_numpy(), _arr(res["coef"]))
    yield Pair(case, "se", frame["se"].to_numpy(), _arr(res["se"]))
    if "deff" in res:
        yield Pair(case, "deff", frame["deff"].to_numpy(), _arr(res["deff"]))


def pairs_for(entry: dict[str, Any]) -> Iterator[Pair]:
    case, call, res = entry["id"], entry["call"], entry["result"]
    d = design(entry["design"], entry["options"])
    yield Pair(case, "degf", _arr(d.degf), _arr(entry["degf"]))
    name = case.split(":", 1)[1]
    synthetic = entry["design"] == "synthetic_lonely"

    def ci_pairs(frame: pd.DataFrame, normal: pd.DataFrame) -> Iterator[Pair]:
        k = len(frame)
        ci_n = _arr(res["ci_normal"]).reshape(2, k)
        ci_t = _arr(res["ci_t_degf"]).reshape(2, k)
        yield Pair(
            case, "ci_normal", np.concatenate([normal["ci_low"], normal["ci_high"]]), ci_n.ravel()
        )
        yield Pair(
            case, "ci_t_degf", np.concatenate([frame["ci_low"], frame["ci_high"]]), ci_t.ravel()
        )

    if name.startswith(("mean_api00_deff", "mean_dep", "mean_pce", "prop_schwide", "prop_stype")):
        variable = {
            "mean_api00_deff": "api00",
            "mean_api00_deff_replace": "api00",
            "mean_dep": "dep",
            "mean_pce": "pce",
            "prop_schwide": "schwide_yes",
            "prop_stype": "stype",
        }[name]
        kind = "replace" if name.endswith("replace") else "wor"
        frame = d.mean(variable, deff=kind)
        yield from _svystat(case, frame, res)
        yield from ci_pairs(frame, d.mean(variable, deff=None, ci_dist="normal"))
    elif name == "mean_api00_enroll":
        frame = d.mean(["api00", "enroll"], deff=None)
        yield from _svystat(case, frame, res)
        yield Pair(case, "vcov", frame.attrs["vcov"].ravel(), _arr(res["vcov"]))
    elif name in ("total_enroll_deff", "total_dep", "total_stype"):
        variable = {"total_enroll_deff": "enroll", "total_dep": "dep", "total_stype": "stype"}[name]
        frame = d.total(variable, deff="wor" if "deff" in call else None)
        yield from _svystat(case, frame, res)
        yield from ci_pairs(frame, d.total(variable, deff=None, ci_dist="normal"))
    elif name.startswith("ciprop_"):
        method = "beta" if "beta" in name else "logit"
        variable = {"schwide": "schwide_yes", "awards": "awards_yes", "dep": "dep"}[
            name.rsplit("_", 1)[1]
        ]
        frame = d.proportion(variable, ci=method)
        row = frame[frame["level"] == 1.0]
        yield Pair(case, "est", row["estimate"].to_numpy(), _arr(res["est"]))
        yield Pair(case, "se", row["se"].to_numpy(), _arr(res["se"]))
        yield Pair(case, "ci", np.concatenate([row["ci_low"], row["ci_high"]]), _arr(res["ci"]))
    elif name.startswith("by_"):
        _, by, stat, *_ = name.split("_", 3)
        by_col = {"stype": "stype", "region": "region", "pcecat": "pce_cat"}[by]
        variable = {
            "api00": "api00",
            "enroll": "enroll",
            "schwide": "schwide_yes",
            "awards": "awards_yes",
            "dep": "dep",
        }[name.rsplit("_", 1)[1]]
        if stat == "ciprop":
            method = "beta" if "beta" in name else "logit"
            frame = d.proportion(variable, by=by_col, ci=method)
            frame = frame[frame["level"] == 1.0]
        elif stat in ("mean", "prop"):
            frame = d.mean(variable, by=by_col, deff="wor" if "deff=TRUE" in call else None)
        else:
            frame = d.total(variable, by=by_col, deff=None)
        keys = [str(v) for v in frame[by_col].tolist()]
        want = [str(v) for v in res["by"][by_col]]
        assert keys == want, (case, keys, want)
        yield Pair(case, "coef", frame["estimate"].to_numpy(), _arr(res["coef"]))
        yield Pair(case, "se", frame["se"].to_numpy(), _arr(res["se"]))
        if "ci_l" in res:
            yield Pair(case, "ci_l", frame["ci_low"].to_numpy(), _arr(res["ci_l"]))
            yield Pair(case, "ci_u", frame["ci_high"].to_numpy(), _arr(res["ci_u"]))
        if "deff" in res:
            yield Pair(case, "deff", frame["deff"].to_numpy(), _arr(res["deff"]))
    elif name.startswith("glm_"):
        if synthetic:
            fit = d.logistic(GLM_SYNTHETIC)
        elif "gaussian" in name:
            fit = d.linear(GLM_API_GAUSS)
        else:
            fit = d.logistic(GLM_API_LOGIT)
        yield Pair(case, "coef", fit.coef, _arr(res["coef"]))
        yield Pair(case, "se", fit.se, _arr(res["se"]))
        yield Pair(case, "vcov", fit.vcov.ravel(), _arr(res["vcov"]))
        yield Pair(case, "df_residual", _arr(fit.df_residual), _arr(res["df_residual"]))
        ci = _arr(res["confint_t"]).reshape(2, -1)
        yield Pair(
            case, "confint", np.concatenate([fit.table["ci_low"], fit.table["ci_high"]]), ci.ravel()
        )
    else:
        raise AssertionError(f"no mapping for {case}")


def relative_error(pair: Pair) -> float:
    ours, r = pair.ours, pair.r
    if ours.shape != r.shape:
        return np.inf
    # Relative error, except for numbers that are 0 in R (a stratum-constant proportion has
    # an exact SE of 0): those must be 0 to within 1e-12 of the largest number compared.
    largest = max(float(np.max(np.abs(r))), 1.0)
    zero = r == 0
    err = np.where(zero, np.abs(ours) / largest, np.abs(ours - r) / np.where(zero, 1.0, np.abs(r)))
    return float(np.max(err))


if __name__ == "__main__":
    rows = []
    for entry in reference()["estimates"]:
        try:
            rows.extend((relative_error(pair), pair.case, pair.what) for pair in pairs_for(entry))
        except Exception as exc:
            rows.append((np.inf, entry["id"], f"ERROR {type(exc).__name__}: {exc}"))
    rows.sort(reverse=True)
    for err, case, what in rows[:40]:
        print(f"{err:10.3e}  {case}  {what}")
    print(len(rows), "pairs;", sum(e > 1e-8 for e, _, _ in rows), "above 1e-8")
