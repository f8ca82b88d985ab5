"""HOPEful's survey statistics engine: design-based estimates that match R's ``survey``.

Pure numeric code (numpy, scipy, pandas for result tables, formulaic for model formulas); it
never imports Django or the web layer.

>>> import numpy as np
>>> from hopeful.stats import Design
>>> data = {"y": np.array([1.0, 0, 1, 1]), "w": np.array([1.0, 2, 1, 2]),
...         "psu": np.array([1, 2, 3, 4])}
>>> Design(data, weights="w", psu="psu").mean("y")["estimate"].round(4).tolist()
[0.6667]
"""

from __future__ import annotations

from hopeful.stats._ci import korn_graubard
from hopeful.stats.brightspots import BrightSpots, bright_spots, p_adjust
from hopeful.stats.calibration import CalibratedDesign, calibrate, poststratify, rake
from hopeful.stats.design import Design
from hopeful.stats.disclosure import blue_standard_errors, count_bounds
from hopeful.stats.errors import DesignError, EstimationError, StatsError
from hopeful.stats.glm import RegressionResult
from hopeful.stats.perturbation import (
    KEY_RANGE,
    PTable,
    cell_keys,
    make_ptable,
    new_record_key,
)
from hopeful.stats.proportions import proportions_from_counts
from hopeful.stats.quantiles import quantile
from hopeful.stats.ratios import ratio
from hopeful.stats.reliability import nchs_proportions
from hopeful.stats.replicates import ReplicateDesign, as_replicate
from hopeful.stats.smoothing import SmoothedCounts, smoothed_counts
from hopeful.stats.suppression import Suppression, SuppressionProblem
from hopeful.stats.tables import ChisqTest, chisq_test

__all__ = [
    "KEY_RANGE",
    "BrightSpots",
    "CalibratedDesign",
    "ChisqTest",
    "Design",
    "DesignError",
    "EstimationError",
    "PTable",
    "RegressionResult",
    "ReplicateDesign",
    "SmoothedCounts",
    "StatsError",
    "Suppression",
    "SuppressionProblem",
    "as_replicate",
    "blue_standard_errors",
    "bright_spots",
    "calibrate",
    "cell_keys",
    "chisq_test",
    "count_bounds",
    "korn_graubard",
    "make_ptable",
    "nchs_proportions",
    "new_record_key",
    "p_adjust",
    "poststratify",
    "proportions_from_counts",
    "quantile",
    "rake",
    "ratio",
    "smoothed_counts",
]
