"""hopeful.stats.ratios against R `survey` 4.1.1 ``svyratio`` and ``svyby(..., svyratio)``
with ``confint(x, df=degf(design))`` (reference/estimators_reference.json), at 1e-8."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from hopeful.stats import Design, EstimationError
from hopeful.stats.ratios import ratio
from tests.stats.r_reference import dataset
from tests.stats.r_reference import design as r_design
from tests.stats.test_quantiles import _reference, assert_matches


def _cases() -> list[Any]:
    return [pytest.param(e, id=e["id"]) for e in _reference() if "svyratio" in e["call"]]


def test_the_reference_has_every_ratio() -> None:
    assert len(_cases()) == 15


@pytest.mark.parametrize("entry", _cases())
def test_it_matches_svyratio(entry: dict[str, Any]) -> None:
    found = re.search(
        r"~([\w.]+), (?:~(\w+), des, svyratio, denominator=)?~([\w.]+)", entry["call"]
    )
    assert found is not None
    numerator, by, denominator = found.groups()
    frame = ratio(r_design(entry["design"], entry["options"]), numerator, denominator, by=by)
    res = entry["result"]
    if by:
        assert frame[by].astype(str).tolist() == [str(v) for v in res["by"][by]]
    assert (frame["df"] == entry["degf"]).all()
    assert_matches(frame["estimate"], res["coef"], "ratio")
    assert_matches(frame["se"], res["se"], "se")
    assert_matches(frame["ci_low"], res["ci_l"], "ci_low")
    assert_matches(frame["ci_high"], res["ci_u"], "ci_high")


def test_several_numerators_and_the_population_column() -> None:
    data = dataset("apistrat")
    design = Design(data, strata="stype", weights="pw", fpc="fpc")
    both = ratio(design, ["api00", "api99"], "enroll")
    assert both["variable"].tolist() == ["api00", "api99"]
    one = ratio(design, "api99", "enroll")
    assert both.iloc[1]["estimate"] == one.iloc[0]["estimate"]
    assert one["population"].iloc[0] == pytest.approx((data["pw"] * data["enroll"]).sum())
    normal = ratio(design, "api99", "enroll", ci_dist="normal")
    assert normal["ci_high"].iloc[0] < one["ci_high"].iloc[0]
    assert np.isinf(normal["df"].iloc[0])


def test_it_refuses_bad_arguments() -> None:
    design = Design(dataset("apistrat"), strata="stype", weights="pw")
    with pytest.raises(EstimationError, match="level"):
        ratio(design, "api00", "api99", level=95)
    with pytest.raises(EstimationError, match="numerator"):
        ratio(design, [], "api99")
