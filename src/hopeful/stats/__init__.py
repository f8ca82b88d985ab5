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

from hopeful.stats.design import Design
from hopeful.stats.errors import DesignError, EstimationError, StatsError
from hopeful.stats.glm import RegressionResult
from hopeful.stats.reliability import nchs_proportions, small_counts
from hopeful.stats.suppression import Protected, protect

__all__ = [
    "Design",
    "DesignError",
    "EstimationError",
    "Protected",
    "RegressionResult",
    "StatsError",
    "nchs_proportions",
    "protect",
    "small_counts",
]
