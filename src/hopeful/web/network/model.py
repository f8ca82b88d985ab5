"""What the network view publishes: its rows (a state x kind cell, a state, a kind, the
network, or a period of the trend) and the view that holds them, read by the page and the
exports alike."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hopeful.web.insights.selectors import Estimate, ShownCount
from hopeful.web.network.family import MIN_ORGANIZATIONS
from hopeful.web.network.filters import QUARTER, NetworkFilters, Period


@dataclass(frozen=True, slots=True)
class Row:
    """One published row: a state x kind cell, a state, a kind, the network, or a period."""

    level: str
    """``cell``, ``state``, ``kind``, ``total`` or ``period``."""
    state: str
    kind: str
    """The kind's label ('' for a state or total row)."""
    label: str
    organizations: ShownCount
    submissions: ShownCount
    share: Estimate
    note: str = ""
    """Why the row's counts are hidden ('' when shown)."""
    org_rule: bool = False
    """Hidden (also) by the minimum-organizations rule."""


@dataclass
class NetworkView:
    filters: NetworkFilters
    instrument_title: str
    measure_label: str
    threshold: int
    min_organizations: int = MIN_ORGANIZATIONS
    periods: list[Period] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    trend: list[Row] = field(default_factory=list)
    trend_unit: str = ""
    """The trend's periods as published (``month`` or ``quarter``; '' without a trend)."""
    trend_note: str = ""
    """Why the trend is by quarter although months were asked for, or why there is none."""
    available: bool = True
    """False when the questionnaire has no such measure."""
    grouped: pd.DataFrame | None = None
    """Submissions counted per organization, state, kind, month and outcome (column ``n``):
    for tests, never rendered."""

    @property
    def table(self) -> pd.DataFrame | None:
        """One row per counted submission (organization, state, kind, period, outcome), made
        from :attr:`grouped`: for tests, never rendered."""
        if self.grouped is None:
            return None
        g = self.grouped
        repeat = g["n"].to_numpy(dtype=np.int64)
        period = g["quarter"] if self.filters.unit == QUARTER else g["month"]
        return pd.DataFrame(
            {
                "organization": np.repeat(g["organization"].to_numpy(dtype=np.int64), repeat),
                "state": np.repeat(g["state_code"].to_numpy(dtype=object), repeat),
                "kind": np.repeat(g["kind_code"].to_numpy(dtype=object), repeat),
                "period": np.repeat(period.to_numpy(dtype=np.int64), repeat),
                "outcome": np.repeat(g["outcome"].to_numpy(dtype=np.float64), repeat),
            }
        )

    @property
    def all_rows(self) -> list[Row]:
        return [*self.rows, *self.trend]

    @property
    def any_hidden(self) -> bool:
        return bool(self.trend_note) or any(
            r.note or r.share.protected or r.organizations.suppressed for r in self.all_rows
        )

    @property
    def any_org_rule(self) -> bool:
        return any(r.org_rule for r in self.all_rows)

    @property
    def any_unreliable(self) -> bool:
        return any(r.share.hidden and not r.share.protected for r in self.all_rows)
