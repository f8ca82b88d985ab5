"""hopeful.stats.tables against R `survey` 4.1.1 ``svychisq`` (statistics F, Chisq, Wald,
adjWald; reference/estimators_reference.json), at 1e-8: the statistic, its degrees of
freedom, the p-value and R's method name."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from hopeful.stats import Design, EstimationError
from hopeful.stats.tables import chisq_test
from tests.stats.r_reference import dataset
from tests.stats.r_reference import design as r_design
from tests.stats.test_quantiles import _reference, assert_matches


def _cases() -> list[Any]:
    return [pytest.param(e, id=e["id"]) for e in _reference() if "svychisq" in e["call"]]


def test_the_reference_has_every_statistic() -> None:
    assert len(_cases()) == 32


@pytest.mark.parametrize("entry", _cases())
def test_it_matches_svychisq(entry: dict[str, Any]) -> None:
    found = re.search(r"~([\w.]+)\+([\w.]+), des, statistic='(\w+)'", entry["call"])
    assert found is not None
    row, col, statistic = found.groups()
    test = chisq_test(
        r_design(entry["design"], entry["options"]),
        row,
        col,
        statistic=statistic,  # type: ignore[arg-type]  # from R's call
    )
    res = entry["result"]
    assert test.method == res["method"]
    assert test.statistic_name == res["statistic_name"]
    assert_matches(test.statistic, res["statistic"], "statistic")
    assert_matches(test.p_value, res["p_value"], "p-value")
    parameter = np.atleast_1d(res["parameter"])
    if statistic == "Chisq":
        assert_matches(test.ndf, parameter, "df")
        assert np.isinf(test.ddf)
    else:
        assert_matches([test.ndf, test.ddf], parameter, "ndf, ddf")


def test_missing_values_are_left_out() -> None:
    data = dataset("apiclus1").copy()
    design = Design(data, psu="dnum", weights="pw", fpc="fpc")
    full = chisq_test(design, "sch.wide", "stype")
    data.loc[data.index[:5], "stype"] = None
    fewer = chisq_test(Design(data, psu="dnum", weights="pw", fpc="fpc"), "sch.wide", "stype")
    assert fewer.pearson != full.pearson
    assert 0 < fewer.p_value < 1


def test_it_refuses_a_constant_variable_and_unknown_statistics() -> None:
    data = dataset("apistrat").assign(one="x")
    design = Design(data, strata="stype", weights="pw")
    with pytest.raises(EstimationError, match="two observed categories"):
        chisq_test(design, "one", "stype")
    with pytest.raises(EstimationError, match="statistic"):
        chisq_test(design, "sch.wide", "stype", statistic="lincom")  # type: ignore[arg-type]  # on purpose
