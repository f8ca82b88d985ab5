"""Is a group's share different from everyone else's? A gap test with Holm's correction.

For an equity breakdown (the share of respondents with an outcome, group by group), each
group's share is compared with the share among the *rest* of the respondents (everyone who
answered the breakdown question and is not in the group):

- **The test.** Two-sided, difference of two domain proportions. With ``p_g`` and ``se_g`` the
  group's design-based estimate and standard error and ``p_r``, ``se_r`` the rest's,
  ``z = (p_g - p_r) / sqrt(se_g**2 + se_r**2)`` and ``p = 2 * (1 - Phi(|z|))`` (standard
  normal). The two domains share no respondent, so under a simple random sample of
  respondents (one unit per PSU, no strata) their linearized estimates have zero covariance
  and the variance of the difference is the sum of the two variances. For a clustered design
  that is an approximation (the covariance is left out).
- **Several groups.** Holm's step-down procedure keeps the family-wise error rate at
  ``alpha`` (default 0.05) across the groups of one breakdown: sort the ``m`` p-values
  ascending; the ``i``-th smallest (``i = 1..m``) is significant while ``p_(i) <= alpha / (m -
  i + 1)`` holds for it and every smaller one; the first that fails stops the procedure. The
  adjusted p-values are ``max_{j <= i} min(1, (m - j + 1) p_(j))``; a group is flagged when its
  adjusted p-value is at most ``alpha``.

Pure numeric code: no Django, no pandas.

>>> result = gap_tests([GroupShare(0.80, 0.04, 0.50, 0.03), GroupShare(0.52, 0.05, 0.55, 0.03)])
>>> [round(r.z, 3) for r in result], [r.significant for r in result]
([6.0, -0.514], [True, False])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy.stats import norm

from hopeful.stats.errors import EstimationError

__all__ = ["GapTest", "GroupShare", "gap_test", "gap_tests", "holm"]

DEFAULT_ALPHA = 0.05


@dataclass(frozen=True, slots=True)
class GroupShare:
    """A group's estimated share and standard error, and the same for the rest."""

    estimate: float
    se: float
    rest_estimate: float
    rest_se: float


@dataclass(frozen=True, slots=True)
class GapTest:
    """One group's test: the difference (group minus rest), its z statistic, the two-sided
    normal p-value, Holm's adjusted p-value and whether the gap is larger than chance."""

    difference: float
    z: float
    p_value: float
    p_adjusted: float
    significant: bool


def _check(value: float, name: str) -> float:
    if not math.isfinite(value):
        raise EstimationError(f"{name} must be a finite number")
    return float(value)


def gap_test(share: GroupShare) -> tuple[float, float, float]:
    """``(difference, z, p)``: the group's share minus the rest's, its z statistic and its
    two-sided normal p-value.

    When both standard errors are 0 the test is degenerate: no difference gives ``z = 0``,
    ``p = 1``; a difference gives an infinite ``z`` and ``p = 0``.
    """
    estimate = _check(share.estimate, "estimate")
    rest = _check(share.rest_estimate, "rest_estimate")
    se = _check(share.se, "se")
    rest_se = _check(share.rest_se, "rest_se")
    if se < 0 or rest_se < 0:
        raise EstimationError("standard errors cannot be negative")
    difference = estimate - rest
    spread = math.sqrt(se**2 + rest_se**2)
    if spread == 0:
        if difference == 0:
            return 0.0, 0.0, 1.0
        return difference, math.copysign(math.inf, difference), 0.0
    z = difference / spread
    p = float(2.0 * norm.sf(abs(z)))
    return difference, z, min(1.0, p)


def holm(p_values: Sequence[float], alpha: float = DEFAULT_ALPHA) -> list[tuple[float, bool]]:
    """Holm's step-down adjustment: ``(adjusted p-value, significant)`` per p-value, in the
    order given. ``significant`` is ``adjusted <= alpha``, the same as the step-down rule."""
    if not 0 < alpha < 1:
        raise EstimationError("alpha must lie between 0 and 1")
    values = [_check(p, "p-value") for p in p_values]
    if any(p < 0 or p > 1 for p in values):
        raise EstimationError("p-values must lie between 0 and 1")
    m = len(values)
    order = sorted(range(m), key=lambda i: (values[i], i))
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * values[index]))
        adjusted[index] = running
    return [(a, a <= alpha) for a in adjusted]


def gap_tests(shares: Sequence[GroupShare], alpha: float = DEFAULT_ALPHA) -> list[GapTest]:
    """Each group against the rest, with Holm's correction across ``shares`` (one breakdown)."""
    tests = [gap_test(s) for s in shares]
    corrected = holm([p for _d, _z, p in tests], alpha)
    return [
        GapTest(difference=d, z=z, p_value=p, p_adjusted=a, significant=s)
        for (d, z, p), (a, s) in zip(tests, corrected, strict=True)
    ]
