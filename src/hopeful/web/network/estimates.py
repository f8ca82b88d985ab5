"""The network view's estimates: the shares, their intervals and the NCHS judgement.

A share is published from the row's published (perturbed) counts, as the dashboard's are:
``p = yes / n``. Organizations are the clusters: the interval is Korn-Graubard's with the
design effect and degrees of freedom of ``Design(table, psu="organization")`` on the true
grouped table (weighted by the counts: the same as one row per submission), the design
effect rounded to one decimal and at least 1, so the interval tells nothing finer than the
published counts and how much organizations differ. Every share is judged by
``nchs_proportions``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
    """The design's share with outcome 1 by ``by`` (estimate, se, df, and ``n`` the number of
    submissions), from the true table: only its design effects and degrees of freedom are
    used (:func:`published`)."""
    if design is None:
        return None
    try:
        frame = design.proportion("outcome", by=list(by) or None, ci="beta", deff=None)
    except StatsError:
        return None
    frame["n"] = np.rint(frame["population"].to_numpy(dtype=np.float64)).astype(np.int64)
    return level_one(frame, by)


def design_effect(row: Any) -> tuple[float, float]:
    """(design effect, degrees of freedom) of a domain's share: its clustered variance over a
    simple random sample's, rounded to one decimal and at least 1 (1 and ``n - 1`` when the
    share is 0 or 1, or without a row)."""
    if row is None:
        return 1.0, np.nan
    p, se, n, df = (float(row[c]) for c in ("estimate", "se", "n", "df"))
    if not 0 < p < 1 or n < 2 or not se > 0:
        return 1.0, df
    return max(1.0, round(se**2 / (p * (1 - p) / (n - 1)), 1)), df


def lookup(judged: pd.DataFrame | None, cell: dict[str, int]) -> Any:
    """The row of ``judged`` (from :func:`shares`) for one domain, or None."""
    if judged is None:
        return None
    mask = np.ones(len(judged), dtype=bool)
    for column, value in cell.items():
        mask &= (judged[column] == value).to_numpy()
    selected = judged[mask]
    return selected.iloc[0] if len(selected) else None


@dataclass(frozen=True, slots=True)
class ShareRequest:
    """A row's share to publish: its published counts, its design row and what hides it."""

    key: str
    label: str
    n: ShownCount
    yes: ShownCount
    published_n: int
    published_yes: int
    row: Any
    """The design's row for the domain (:func:`shares`), or None."""
    hidden: str = ""
    """Why it is hidden whatever the numbers ('' when it may be shown)."""


def published(requests: Sequence[ShareRequest]) -> list[Estimate]:
    """Publish the shares: hidden with their reason, missing, judged unreliable by NCHS, or
    shown with their interval (vectorized over the shares with numbers)."""
    out: list[Estimate | None] = [None] * len(requests)
    todo: list[int] = []
    for i, r in enumerate(requests):
        blank: dict[str, Any] = {"key": r.key, "label": r.label, "n": r.n, "yes": r.yes}
        if r.hidden:
            out[i] = _hidden(r.hidden, protected=True, **blank)
        elif r.published_n == 0 or r.row is None:
            out[i] = _hidden(_("No answers in this view."), **blank)
        else:
            todo.append(i)
    if todo:
        n = np.array([requests[i].published_n for i in todo], dtype=np.float64)
        yes = np.array([requests[i].published_yes for i in todo], dtype=np.float64)
        p = np.clip(yes / n, 0.0, 1.0)
        effects = [design_effect(requests[i].row) for i in todo]
        deff = np.array([e[0] for e in effects])
        df = np.array([e[1] for e in effects])
        df = np.where(np.isnan(df), n - 1, df)
        var = deff * p * (1 - p) / np.maximum(n - 1, 1)
        low, high = korn_graubard(p, var, n, df, 0.95)
        frame = pd.DataFrame(
            {"estimate": p, "se": np.sqrt(var), "n": n, "df": df, "ci_low": low, "ci_high": high}
        )
        judged = nchs_proportions(frame)
        numbers = judged[["estimate", "ci_low", "ci_high", "se"]].to_numpy(dtype=np.float64)
        rows = zip(todo, judged.itertuples(index=False), numbers, strict=True)
        for i, row, (estimate, ci_low, ci_high, se) in rows:
            r = requests[i]
            blank = {"key": r.key, "label": r.label, "n": r.n, "yes": r.yes}
            if not bool(row.present):
                out[i] = _hidden(plain_reason(str(row.reason)), **blank)
                continue
            out[i] = Estimate(
                estimate=float(estimate),
                ci_low=float(ci_low),
                ci_high=float(ci_high),
                se=float(se),
                flags=plain_flags(str(row.flags)),
                **blank,
            )
    return [e for e in out if e is not None]


def _hidden(reason: str, *, protected: bool = False, **blank: Any) -> Estimate:
    return Estimate(
        estimate=None, ci_low=None, ci_high=None, hidden=reason, protected=protected, **blank
    )
