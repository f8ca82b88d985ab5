"""A synthetic BRFSS-like survey in the design of Bethell et al. 2019, with known odds ratios.

Bethell C, Jones J, Gombojav N, Linkenbach J, Sege R. Positive Childhood Experiences and Adult
Mental and Relational Health in a Statewide Sample. JAMA Pediatr. 2019;173(11):e193007 used the
2015 Wisconsin Behavioral Risk Factor Survey (n = 6,188): seven positive childhood experience
(PCE) items, counted as "yes" when answered "always" or "most of the time", summed to 0-7 and
grouped 0-2 / 3-5 / 6-7, with depression and poor mental health as outcomes, modelled by
survey-weighted logistic regression adjusted for age, sex, income and race/ethnicity (and ACEs).

Every row here is made up by a seeded random number generator. Nothing comes from BRFSS
microdata; only the shape does: BRFSS variable names and codes (7/9 "don't know"/"refused",
77/99 and 88 "none" in day counts), strata, one PSU per respondent as in BRFSS, and weights
that sum to about Wisconsin's adult population. The outcomes follow logistic models whose
PCE-band odds ratios are :data:`TRUE_ODDS_RATIOS`, so an analysis can be checked against them.

Used by the worked reproduction (``docs/examples/bethell2019/make_data.py``,
``docs/bethell2019.md``) and by the research workspace's example file.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "ITEMS",
    "ROWS",
    "SEED",
    "TRUE_ODDS_RATIOS",
    "VARIABLE_LABELS",
    "make_frame",
    "write_xpt",
]

SEED = 2019  # the year the paper appeared
ROWS = 6188  # the paper's sample size
_CREATED = b"01JAN16:00:00:00"  # header date of the .xpt (the survey ran in 2015)

#: True adjusted odds ratios (versus 0-2 PCEs), by model id and band, built into the outcomes.
#: "depressed": the paper's adjusted ORs for its combined outcome (depression and/or >= 14
#: poor mental health days), 0.50 and 0.28, used here for depression alone; "poor_mh": 0.52
#: and 0.28, illustrative.
TRUE_ODDS_RATIOS: dict[str, dict[str, float]] = {
    "depressed": {"3-5": 0.50, "6-7": 0.28},
    "poor_mh": {"3-5": 0.52, "6-7": 0.28},
}

ITEMS = [f"PCE{k}" for k in range(1, 8)]

VARIABLE_LABELS = {
    "_STSTR": "Sample design stratification variable",
    "_PSU": "Primary sampling unit",
    "_LLCPWT": "Final weight",
    "SEXVAR": "Sex of respondent",
    "_AGE_G": "Imputed age in six groups",
    "_INCOMG": "Income categories",
    "_RACE": "Computed race-ethnicity grouping",
    "PCE1": "Able to talk to family about feelings",
    "PCE2": "Family stood by you in difficult times",
    "PCE3": "Enjoyed community traditions",
    "PCE4": "Felt you belonged in high school",
    "PCE5": "Felt supported by friends",
    "PCE6": "Two non-parent adults took interest",
    "PCE7": "Felt safe and protected by an adult",
    "ADDEPEV3": "Ever told you had a depressive disorder",
    "MENTHLTH": "Days mental health not good (30 days)",
}

# Item difficulty (logit of "yes" at the mean latent level), so item prevalences run from
# about 60% (community traditions) to about 90% (safe adult at home), as in MMWR 2024.
_ITEM_INTERCEPTS = np.array([1.0, 1.7, 0.6, 1.2, 1.5, 0.9, 2.7])
_LOADING = 1.6
# Covariate effects on the log odds of each outcome, per level (the first level is 0).
_AGE_EFFECT = np.array([0.0, 0.1, 0.1, 0.0, -0.2, -0.6])  # _AGE_G 1..6
_INCOME_EFFECT = np.array([0.0, -0.2, -0.4, -0.6, -0.8])  # _INCOMG 1..5
_RACE_EFFECT = {"white": 0.0, "black": -0.2, "hispanic": -0.1, "other": 0.2}
_INTERCEPT = {"depressed": -0.3, "poor_mh": -0.9}
_FEMALE = {"depressed": 0.5, "poor_mh": 0.3}


def _logistic(eta: np.ndarray) -> np.ndarray:
    p: np.ndarray = 1.0 / (1.0 + np.exp(-eta))
    return p


def make_frame(rows: int = ROWS, seed: int = SEED) -> pd.DataFrame:
    """The synthetic survey, as BRFSS codes it (floats, as SAS stores numbers)."""
    rng = np.random.default_rng(seed)
    # Design: 8 geographic/density strata, one PSU per respondent (BRFSS's _PSU is a record
    # number), weights that depend on the stratum, age and sex, and vary within cells.
    strata = np.array([55011, 55012, 55021, 55022, 55031, 55032, 55041, 55042])
    stratum = rng.choice(strata, size=rows, p=[0.2, 0.1, 0.15, 0.1, 0.15, 0.1, 0.12, 0.08])
    sex = rng.choice([1, 2], size=rows, p=[0.493, 0.507])
    age = rng.choice(np.arange(1, 7), size=rows, p=[0.07, 0.11, 0.13, 0.16, 0.21, 0.32])
    # Income rises with age up to 55-64; 9 = don't know / refused, more often among the old.
    income = np.clip(rng.integers(1, 6, size=rows) + (rng.random(rows) < 0.1 * age), 1, 5)
    income = np.where(rng.random(rows) < 0.06 + 0.015 * age, 9, income)
    race = rng.choice(
        [1, 2, 3, 4, 6, 7, 8, 9],
        size=rows,
        p=[0.849, 0.05, 0.01, 0.02, 0.006, 0.015, 0.04, 0.01],
    )
    group = np.select([race == 1, race == 2, race == 8], ["white", "black", "hispanic"], "other")

    # PCEs: a latent level that rises with income (confounding: income also lowers the odds of
    # both outcomes), items answered "yes" (always / most of the time) through a logistic model.
    income_level = np.where(income == 9, 3, income)
    latent = rng.normal(size=rows) + 0.3 * (income_level - 3) - 0.3 * (group != "white")
    yes = rng.random((rows, 7)) < _logistic(_ITEM_INTERCEPTS + _LOADING * latent[:, None])
    score = yes.sum(axis=1)
    band = np.digitize(score, [3, 6])  # 0: 0-2, 1: 3-5, 2: 6-7

    frame = pd.DataFrame(
        {
            "_STSTR": stratum,
            "_PSU": 2015000001 + np.arange(rows),
            "_LLCPWT": np.zeros(rows),
            "SEXVAR": sex,
            "_AGE_G": age,
            "_INCOMG": income,
            "_RACE": race,
        }
    ).astype(float)
    for k, item in enumerate(ITEMS):
        frame[item] = _item_codes(rng, yes[:, k], reverse=item == "PCE5")
    # PCE4: 8 = did not attend high school (scored "no" by the spec). Only among "no" answers,
    # so that the score stays what generated the outcomes.
    frame.loc[(~yes[:, 3]) & (rng.random(rows) < 0.08), "PCE4"] = 8.0

    # Outcomes: logistic in the PCE band and the covariates; the band effects are the truth.
    covariates = (
        _AGE_EFFECT[age - 1]
        + _INCOME_EFFECT[income_level - 1]
        + np.vectorize(_RACE_EFFECT.get)(group)
    )
    for outcome in ("depressed", "poor_mh"):
        truth = TRUE_ODDS_RATIOS[outcome]
        eta = (
            _INTERCEPT[outcome]
            + _FEMALE[outcome] * (sex == 2)
            + covariates
            + math.log(truth["3-5"]) * (band == 1)
            + math.log(truth["6-7"]) * (band == 2)
        )
        happened = rng.random(rows) < _logistic(eta)
        if outcome == "depressed":
            frame["ADDEPEV3"] = np.where(happened, 1.0, 2.0)
        else:
            frame["MENTHLTH"] = _days(rng, happened)
    frame.loc[rng.random(rows) < 0.008, "ADDEPEV3"] = 7.0
    frame.loc[rng.random(rows) < 0.004, "ADDEPEV3"] = 9.0
    frame.loc[rng.random(rows) < 0.012, "MENTHLTH"] = 77.0
    frame.loc[rng.random(rows) < 0.006, "MENTHLTH"] = 99.0

    # Weights: young adults and men answer less, so they weigh more; the total is about
    # Wisconsin's 4.45 million adults. They depend on design cells only, not on the outcomes.
    cell = np.exp(0.35 * (6 - age) / 5 + 0.15 * (sex == 1)) * (1 + (stratum % 10 == 2))
    raw = cell * rng.lognormal(0.0, 0.45, size=rows)
    frame["_LLCPWT"] = (raw * 4_450_000 / raw.sum()).round(4)
    return frame


def _item_codes(rng: np.random.Generator, yes: np.ndarray, *, reverse: bool) -> np.ndarray:
    """1 never, 2 rarely, 3 sometimes, 4 most of the time, 5 always; 7/9 don't know/refused.

    ``reverse``: the item is stored in the opposite order (1 always ... 5 never), as BRFSS
    stores its social-support item EMTSUPRT, so a spec must recode it differently.
    """
    n = len(yes)
    codes = np.where(
        yes,
        rng.choice([4.0, 5.0], size=n, p=[0.4, 0.6]),
        rng.choice([1.0, 2.0, 3.0], size=n, p=[0.25, 0.3, 0.45]),
    )
    if reverse:
        codes = 6.0 - codes
    codes[rng.random(n) < 0.006] = 7.0
    codes[rng.random(n) < 0.004] = 9.0
    return codes


def _days(rng: np.random.Generator, poor: np.ndarray) -> np.ndarray:
    """MENTHLTH: 14-30 days (heaped at 14, 15, 20, 30) when ``poor``, else 88 (none) or 1-13."""
    n = len(poor)
    many = rng.choice([14.0, 15.0, 20.0, 21.0, 25.0, 28.0, 30.0], size=n)
    few = np.where(rng.random(n) < 0.6, 88.0, rng.integers(1, 14, size=n).astype(float))
    return np.where(poor, many, few)


def write_xpt(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as a SAS transport file with variable labels (as BRFSS ships)."""
    import pyreadstat

    labels: dict[str, str | None] = {name: VARIABLE_LABELS.get(name) for name in frame.columns}
    pyreadstat.write_xport(
        frame, path, column_labels=labels, table_name="WI2015", file_format_version=5
    )
    # The header records carry the time of writing ("07DEC26:13:34:36"); pin them, so the same
    # seed gives the same bytes and the same sha256 in every output's provenance.
    data = path.read_bytes()
    start = data.index(b"HEADER RECORD*******OBS")
    header = re.sub(rb"\d\d[A-Z]{3}\d\d:\d\d:\d\d:\d\d", _CREATED, data[:start])
    path.write_bytes(header + data[start:])
    return path
