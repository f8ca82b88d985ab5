"""Shared scaffolding for the spec tests: a synthetic BRFSS-like frame (seeded numpy), its
labelled table, the recodes done by hand, and spec texts built from one design header.

No real survey data: the codes follow BRFSS's (7/9 "don't know"/"refused", 1 yes / 2 no).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hopeful.research.io import LabelledTable
from hopeful.research.spec import Spec, parse_spec

ITEMS = [f"PCE{k}" for k in range(1, 8)]
VALUE_LABELS: dict[str, dict[float | int | str, str]] = {
    "SEXVAR": {1: "Male", 2: "Female"},
    "ADDEPEV3": {1: "Yes", 2: "No", 7: "Don't know", 9: "Refused"},
    "_AGEG5YR": {1: "18-29", 2: "30-44", 3: "45-64", 4: "65+"},
}


def brfss_frame(rows: int = 3000, seed: int = 18, strata: int = 30) -> pd.DataFrame:
    """BRFSS-shaped codes: 3 PSUs per stratum, PCE items 1 yes / 0 no / 7 / 9, depression
    1 yes / 2 no / 7 / 9, more likely with fewer PCEs; then body weight in kg (``WTKG3``,
    continuous, for quantiles), children and adults in the household (``CHILDREN``,
    ``NUMADULT``, for ratios)."""
    rng = np.random.default_rng(seed)
    stratum = rng.integers(1, strata + 1, size=rows)
    psu = stratum * 10 + rng.integers(1, 4, size=rows)
    sex = rng.integers(1, 3, size=rows)
    age = rng.integers(1, 5, size=rows)
    items = rng.random((rows, 7)) < 0.65
    score = items.sum(axis=1)
    p = 1 / (1 + np.exp(-(-0.4 - 0.25 * score + 0.4 * (sex == 2))))
    depressed = np.where(rng.random(rows) < p, 1, 2)
    depressed[rng.random(rows) < 0.03] = 7
    depressed[rng.random(rows) < 0.02] = 9
    frame = pd.DataFrame(
        {
            "_STSTR": stratum.astype(float),
            "_PSU": psu.astype(float),
            "_LLCPWT": rng.lognormal(5, 0.6, size=rows).round(3),
            "SEXVAR": sex.astype(float),
            "_AGEG5YR": age.astype(float),
            "ADDEPEV3": depressed.astype(float),
        }
    )
    codes = items.astype(float)
    codes[rng.random((rows, 7)) < 0.01] = 7
    for k, name in enumerate(ITEMS):
        frame[name] = codes[:, k]
    # Drawn after everything above, so the columns above do not change with these.
    frame["WTKG3"] = (rng.normal(78, 14, size=rows) + 6 * (sex == 1)).round(1)
    frame["CHILDREN"] = rng.integers(0, 4, size=rows).astype(float)
    frame["NUMADULT"] = rng.integers(1, 5, size=rows).astype(float)
    return frame


def labelled(frame: pd.DataFrame, path: Path = Path("/data/brfss.xpt")) -> LabelledTable:
    """``frame`` as if read from a labelled file (SEXVAR with a variable label)."""
    return LabelledTable(
        frame=frame,
        variable_labels=dict.fromkeys(frame.columns, "") | {"SEXVAR": "Sex of respondent"},
        value_labels={k: v for k, v in VALUE_LABELS.items() if k in frame.columns},
        path=path,
        sha256="ab" * 32,
        format="xpt",
    )


def expected_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The recodes of :data:`DESIGN` done by hand, independently of the spec code."""
    out = frame.copy()
    items = out[ITEMS].where(~out[ITEMS].isin([7, 9]))
    out["pce_score"] = items.sum(axis=1, skipna=False)
    out["pce_band"] = pd.cut(out["pce_score"], [0, 3, 6, 7.5], right=False, labels=False) + 1
    out["depressed"] = out["ADDEPEV3"].map({1.0: 1.0, 2.0: 0.0})
    return out


DATA = """\
[data]
path = "brfss.xpt"

[data.missing]
ADDEPEV3 = [7, 9]
"""

STRATA_PSU = """
[design]
weights = "_LLCPWT"
strata = "_STSTR"
psu = "_PSU"
lonely_psu = "adjust"
"""

RECODES = """
[recode.pce_score]
sum = ["PCE1", "PCE2", "PCE3", "PCE4", "PCE5", "PCE6", "PCE7"]
missing_codes = [7, 9]

[recode.pce_band]
cut = "pce_score"
breaks = [0, 3, 6, 7]
labels = ["0-2", "3-5", "6-7"]

[recode.depressed]
map = "ADDEPEV3"
values = { 1 = 1, 2 = 0 }
"""

#: The data, a stratified cluster design and three recodes; add estimates, models, tests.
DESIGN = DATA + STRATA_PSU + RECODES


def parse(text: str) -> Spec:
    """A spec's text parsed as if it were ``/data/spec.toml``."""
    return parse_spec(text, Path("/data/spec.toml"))


def line_of(text: str, needle: str, start: int = 1) -> int:
    """The 1-based number of the first line at or after ``start`` containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in the text")
