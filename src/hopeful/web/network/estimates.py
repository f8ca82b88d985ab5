"""The network view's estimates: the shares and their intervals, judged by NCHS.

Every share is ``Design(table, psu="organization").proportion("outcome", ..., ci="beta")`` on
the grouped table weighted by the counts (the same estimate, standard error and degrees of
freedom as one row per submission), with the Korn-Graubard interval taken with the number of
submissions, as one row per submission gives it. Organizations are the clusters. Every share
is judged by ``nchs_proportions``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from hopeful.stats import Design, StatsError, korn_graubard, nchs_proportions
from hopeful.web.insights.selectors import Estimate, ShownCount, plain_flags, plain_reason


def level_one(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """The level-1 rows of a 0/1 proportion; a domain with only 0s gets the complement of its
    level-0 row (the engine computes a binary's second level as 1 - p with the same variance,
    and the beta interval is symmetric)."""
    ones = frame[frame["level"] == 1]
    zeros = frame[frame["level"] == 0]
    if by:
        have = set(map(tuple, ones[list(by)].to_numpy().tolist()))
        keep = [tuple(r) not in have for r in zeros[list(by)].to_numpy().tolist()]
        zeros = zeros[np.array(keep, dtype=bool)] if len(zeros) else zeros
    elif not ones.empty:
        zeros = zeros.iloc[0:0]
    if not zeros.empty:
        flipped = zeros.copy()
        flipped["level"] = 1
        flipped["estimate"] = 1.0 - zeros["estimate"]
        flipped["ci_low"] = 1.0 - zeros["ci_high"]
        flipped["ci_high"] = 1.0 - zeros["ci_low"]
        ones = pd.concat([ones, flipped], ignore_index=True)
    return ones.reset_index(drop=True)


def shares(design: Design | None, by: Sequence[str]) -> pd.DataFrame | None:
    """The share with outcome 1 by ``by``, judged by NCHS.

    ``design`` is weighted by the submission counts of the grouped table, which gives the
    estimate, standard error and degrees of freedom of one row per submission. The number of
    rows is the number of submissions (``population``), and the Korn-Graubard interval is
    taken with it, as it is for one row per submission."""
    if design is None:
        return None
    try:
        frame = design.proportion("outcome", by=list(by) or None, ci="beta", deff=None)
    except StatsError:
        return None
    frame["n"] = np.rint(frame["population"].to_numpy(dtype=np.float64)).astype(np.int64)
    p = frame["estimate"].to_numpy(dtype=np.float64)
    var = frame["se"].to_numpy(dtype=np.float64) ** 2
    low, high = korn_graubard(
        p, var, frame["n"].to_numpy(dtype=np.float64), frame["df"].to_numpy(dtype=np.float64), 0.95
    )
    frame["ci_low"], frame["ci_high"] = low, high
    return nchs_proportions(level_one(frame, by))


def lookup(judged: pd.DataFrame | None, cell: dict[str, int]) -> Any:
    """The row of ``judged`` (from :func:`shares`) for one domain, or None."""
    if judged is None:
        return None
    mask = np.ones(len(judged), dtype=bool)
    for column, value in cell.items():
        mask &= (judged[column] == value).to_numpy()
    selected = judged[mask]
    return selected.iloc[0] if len(selected) else None


def share_estimate(
    *,
    key: str,
    label: str,
    row: Any,
    n: ShownCount,
    revealed: Sequence[ShownCount],
    hidden: str,
) -> Estimate:
    """The share as published: hidden with its reason (``hidden``, or a count it reveals is
    hidden), missing, judged unreliable, or shown with its interval."""
    blank: dict[str, Any] = {"key": key, "label": label, "n": n}
    if hidden or n.suppressed or any(c.suppressed for c in revealed):
        reason = hidden or _("Hidden to protect small groups.")
        return Estimate(
            estimate=None, ci_low=None, ci_high=None, hidden=reason, protected=True, **blank
        )
    if row is None or n.value == 0:
        return Estimate(
            estimate=None, ci_low=None, ci_high=None, hidden=_("No answers in this view."), **blank
        )
    if not bool(row["present"]):
        return Estimate(
            estimate=None,
            ci_low=None,
            ci_high=None,
            hidden=plain_reason(str(row["reason"])),
            **blank,
        )
    return Estimate(
        estimate=float(row["estimate"]),
        ci_low=float(row["ci_low"]),
        ci_high=float(row["ci_high"]),
        flags=plain_flags(str(row["flags"])),
        **blank,
    )
