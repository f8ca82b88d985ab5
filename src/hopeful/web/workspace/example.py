"""A small synthetic BRFSS-like file for trying the workspace (seeded numpy; no real survey
data): strata, PSUs and weights, sex, age group, general health, depression and a PCE score,
with BRFSS's codes (7/9 "don't know"/"refused") and labels, and a spec that runs on it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hopeful.research import LabelledTable

NAME = "example-brfss-like.parquet"

VARIABLE_LABELS = {
    "_STSTR": "Sample design stratification variable",
    "_PSU": "Primary sampling unit",
    "_LLCPWT": "Final weight",
    "SEXVAR": "Sex of respondent",
    "_AGEG5YR": "Age group",
    "GENHLTH": "General health",
    "ADDEPEV3": "Ever told you had a depressive disorder",
    "PCESCORE": "Positive childhood experiences (0-7)",
}
VALUE_LABELS: dict[str, dict[float | int | str, str]] = {
    "SEXVAR": {1: "Male", 2: "Female"},
    "_AGEG5YR": {1: "18-34", 2: "35-54", 3: "55-64", 4: "65+"},
    "GENHLTH": {
        1: "Excellent",
        2: "Very good",
        3: "Good",
        4: "Fair",
        5: "Poor",
        7: "Don't know/Not sure",
        9: "Refused",
    },
    "ADDEPEV3": {1: "Yes", 2: "No", 7: "Don't know/Not sure", 9: "Refused"},
}

SPEC = f"""\
# An example analysis of the synthetic BRFSS-like file: change it and run it again.
[data]
path = "{NAME}"

[data.missing]
ADDEPEV3 = [7, 9]
GENHLTH = [7, 9]

[design]
weights = "_LLCPWT"
strata = "_STSTR"
psu = "_PSU"
nest = true
lonely_psu = "adjust"

[recode.depressed]
map = "ADDEPEV3"
values = {{ 1 = 1, 2 = 0 }}

[recode.pce_band]
cut = "PCESCORE"
breaks = [0, 3, 6, 7]
labels = ["0-2", "3-5", "6-7"]

[[estimate]]
id = "depression"
kind = "proportion"
variable = "ADDEPEV3"
by = ["pce_band"]

[[estimate]]
id = "pce"
kind = "mean"
variable = "PCESCORE"
by = ["SEXVAR"]

[[model]]
id = "aor"
family = "binomial"
formula = "depressed ~ C(pce_band) + C(SEXVAR) + C(_AGEG5YR)"
reference = {{ pce_band = "6-7" }}
"""


def example_table(rows: int = 2000, seed: int = 2022) -> LabelledTable:
    rng = np.random.default_rng(seed)
    stratum = rng.integers(1, 21, size=rows)
    psu = stratum * 10 + rng.integers(1, 3, size=rows)
    sex = rng.integers(1, 3, size=rows)
    age = rng.integers(1, 5, size=rows)
    pce = rng.binomial(7, 0.65, size=rows)
    p = 1 / (1 + np.exp(-(-0.3 - 0.3 * pce + 0.4 * (sex == 2))))
    depressed = np.where(rng.random(rows) < p, 1, 2)
    depressed[rng.random(rows) < 0.03] = 7
    depressed[rng.random(rows) < 0.02] = 9
    health = np.clip(np.round(rng.normal(3.2 - 0.15 * pce + 0.1 * age, 0.9)), 1, 5)
    health[rng.random(rows) < 0.02] = 7
    frame = pd.DataFrame(
        {
            "_STSTR": stratum.astype(float),
            "_PSU": psu.astype(float),
            "_LLCPWT": rng.lognormal(5, 0.6, size=rows).round(3),
            "SEXVAR": sex.astype(float),
            "_AGEG5YR": age.astype(float),
            "GENHLTH": health.astype(float),
            "ADDEPEV3": depressed.astype(float),
            "PCESCORE": pce.astype(float),
        }
    )
    return LabelledTable(
        frame=frame,
        variable_labels=dict(VARIABLE_LABELS),
        value_labels={k: dict(v) for k, v in VALUE_LABELS.items()},
        path=Path(NAME),
        sha256="",
        format="parquet",
    )
