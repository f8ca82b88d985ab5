"""``Design.mean``/``Design.total`` with several outcomes by domain against R `survey`
4.1.1 ``svyby(~a+b, ~g, des, svymean|svytotal)``, including a factor among the outcomes and
outcomes with missing values (``na.rm=TRUE``), at 1e-8 (reference/estimators_reference.json).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from hopeful.stats import Design
from tests.stats.r_reference import DESIGNS, dataset
from tests.stats.test_quantiles import _reference, assert_matches


def _cases() -> list[Any]:
    several = re.compile(r"svyby\(~[\w.()]+\+[\w.()]+, ~\w+, des, svy(mean|total)")
    return [pytest.param(e, id=e["id"]) for e in _reference() if several.match(e["call"])]


def test_the_reference_has_every_case() -> None:
    assert len(_cases()) == 18


@pytest.mark.parametrize("entry", _cases())
def test_it_matches_svyby_with_several_outcomes(entry: dict[str, Any]) -> None:
    found = re.search(
        r"svyby\(~([\w.()]+)\+([\w.()]+), ~(\w+), des, svy(mean|total)", entry["call"]
    )
    assert found is not None
    first, second, by, statistic = found.groups()
    name, kwargs = DESIGNS[entry["design"]]
    data = dataset(name)
    if second == "factor(race4)":  # R's factor(): a categorical column here
        data, second = data.assign(race4=data["race4"].astype(str)), "race4"
    design = Design(data, lonely_psu=entry["options"]["survey.lonely.psu"], **kwargs)
    frame = getattr(design, statistic)([first, second], by=by, deff=None)
    # Ours: domain, then variable; R's coef(): variable, then domain.
    order = {v: i for i, v in enumerate(dict.fromkeys(frame["variable"]))}
    frame = frame.assign(_k=frame["variable"].map(order)).sort_values(["_k", by], kind="stable")
    res = entry["result"]
    labels = [f"{g}:{v}" for g, v in zip(frame[by], frame["variable"], strict=True)]
    want = [n.replace("factor(race4)", "race4") for n in res["names"]]
    assert labels == want
    estimate, se = np.array(res["coef"], dtype=float), np.array(res["se"], dtype=float)
    # A domain where no row has every outcome (apiclus1's high schools lack acs.46): R's
    # svyby reports 0 with an SE of 0; we report NaN, as Design.mean does for any empty
    # domain, rather than a mean of 0 that no data support.
    empty = (frame["n"] == 0).to_numpy()
    assert np.isnan(frame["estimate"].to_numpy()[empty]).all()
    assert (estimate[empty] == 0).all()
    assert (se[empty] == 0).all()
    assert_matches(frame["estimate"][~empty], estimate[~empty], "estimate")
    assert_matches(frame["se"][~empty], se[~empty], "se")
