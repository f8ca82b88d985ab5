"""The dashboard's outcome sections: each experience, each building block met, the groups, the
rates, and the trend, all published through :mod:`hopeful.web.insights.protection`.

A :class:`View` is the rows of the chosen program and period. Every share is two cells (the
respondents with the outcome, the respondents with an answer), each the set of its rows, so
the same people counted through any filter get the same published number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.utils.translation import gettext as _

from hopeful.framework import BUILDING_BLOCKS, AllMet, Instrument
from hopeful.web.insights import benchmarks, protection
from hopeful.web.insights.benchmarks import Benchmark
from hopeful.web.insights.data import RATE_OUTPUTS, band_of
from hopeful.web.insights.model import Estimate, Trend, TrendPoint
from hopeful.web.insights.periods import Horizon, quarter_label
from hopeful.web.insights.protection import Share, Tally

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class View:
    """The respondent rows of one program (or all) over some quarters."""

    table: pd.DataFrame
    program: int | None
    quarters: range
    n_programs: int
    sizes: tuple[int, ...] = ()
    """Families each program serves: all-programs shares are weighted (programs as strata)."""

    @property
    def weighted(self) -> bool:
        return self.program is None and bool(self.sizes)

    @property
    def keys(self) -> npt.NDArray[np.int64]:
        return self.table["key"].to_numpy(dtype=np.int64)

    def rows(self, quarters: range | None = None, program: int | None = None) -> BoolArray:
        span = self.quarters if quarters is None else quarters
        quarter = self.table["quarter"].to_numpy(dtype=np.int64)
        keep = (quarter >= span.start) & (quarter < span.stop)
        which = self.program if program is None else program
        if which is not None:
            keep &= self.table["program"].to_numpy(dtype=np.int64) == which
        return np.asarray(keep, dtype=bool)

    def column(self, variable: str) -> npt.NDArray[np.float64]:
        if variable not in self.table.columns:
            return np.full(len(self.table), np.nan)
        return self.table[variable].to_numpy(dtype=np.float64)

    def cells_of(
        self,
        inside: BoolArray,
        values: npt.NDArray[np.float64],
        quarters: range | None = None,
        program: int | None = None,
    ) -> tuple[Tally, Tally]:
        keys = self.keys
        mask = inside & self.rows(quarters, program)
        answered = mask & ~np.isnan(values)
        return protection.tally(answered & (values == 1), keys), protection.tally(answered, keys)

    def share(
        self,
        *,
        key: str,
        label: str,
        variable: str | None = None,
        values: npt.NDArray[np.float64] | None = None,
        inside: BoolArray | None = None,
        quarters: range | None = None,
        benchmark: Benchmark | None = None,
        space: tuple[str, ...] | None = None,
    ) -> Share:
        """The share of ``variable`` (or ``values``) = 1 among the view's rows ``inside``,
        estimated in table ``space`` (default: the variable's own,
        :mod:`hopeful.web.insights.smoothing`)."""
        column = self.column(variable or "") if values is None else values
        within = np.ones(len(self.table), dtype=bool) if inside is None else inside
        yes, n = self.cells_of(within, column, quarters)
        strata: tuple[tuple[Tally, Tally], ...] = ()
        if self.weighted:
            strata = tuple(
                self.cells_of(within, column, quarters, p) for p in range(self.n_programs)
            )
        return Share(
            key=key,
            label=label,
            yes=yes,
            n=n,
            strata=strata,
            sizes=self.sizes if strata else (),
            benchmark=benchmark,
            space=space if space is not None else (("base", variable) if variable else ()),
        )


def output_label(definition: Instrument, output_id: str, language: str) -> str:
    try:
        label = definition.output(output_id).label
    except KeyError:
        return output_id
    return label.get_text(language) if label is not None else output_id


@dataclass(frozen=True)
class Profile:
    items: list[Estimate]
    blocks: list[Estimate]
    bands: list[Estimate]
    rates: list[Estimate]


def block_label(output_id: str, language: str) -> str:
    blocks = {b.id: b for b in BUILDING_BLOCKS}
    block = blocks.get(output_id.removeprefix("bb_"))
    return block.name.get_text(language) if block else output_id


def profile_shares(view: View, definition: Instrument, language: str) -> dict[str, list[Share]]:
    """Every share of the profile sections, by section."""
    items = [
        view.share(
            key=f"item:{item.id}",
            label=item.construct.get_text(language),
            variable=f"item_{item.id}",
            benchmark=benchmarks.for_item(definition.id, item.id),
        )
        for item in definition.items
        if item.block is not None
    ]
    blocks = [
        view.share(key=f"block:{o.id}", label=block_label(o.id, language), variable=o.id)
        for o in definition.block_count_outputs
    ]
    band = band_of(definition)
    bands = []
    if band is not None:
        bands = [
            view.share(
                key=f"band:{name}",
                label=name,
                variable=f"band_is_{b}",
                benchmark=benchmarks.for_band(definition.id, name),
                space=("base", "band"),
            )
            for b, (_low, _high, name) in enumerate(band.cuts)
        ]
    rates = []
    for rate in RATE_OUTPUTS:
        try:
            output = definition.output(rate)
        except KeyError:
            continue
        if isinstance(output, AllMet):
            rates.append(
                view.share(
                    key=f"rate:{rate}",
                    label=output_label(definition, rate, language),
                    variable=rate,
                )
            )
    return {"items": items, "blocks": blocks, "bands": bands, "rates": rates}


def profile(view: View, definition: Instrument, language: str, *, closed: bool) -> Profile:
    sections = profile_shares(view, definition, language)
    names = list(sections)
    flat = [s for name in names for s in sections[name]]
    published = protection.shares(flat, closed=closed)
    out: dict[str, list[Estimate]] = {}
    start = 0
    for name in names:
        out[name] = published[start : start + len(sections[name])]
        start += len(sections[name])
    return Profile(**out)


# -- the trend ---------------------------------------------------------------------------------

#: Pooling steps, finest first: quarters per point.
STEPS = (("quarter", 1), ("half", 2), ("year", 4))


def _spans(horizon: Horizon, quarters: range, size: int) -> list[range]:
    """``quarters`` cut into calendar-aligned spans of ``size`` quarters."""
    spans: list[range] = []
    q = quarters.start
    while q < quarters.stop:
        start = q - (q % size)
        stop = min(start + size, quarters.stop)
        spans.append(range(max(start, quarters.start), stop))
        q = stop
    return spans


def _span_key(horizon: Horizon, span: range, step: str) -> str:
    """The period's key, the same in every language: ``2026-Q3``, ``2026-H2`` or ``2026``."""
    year, quarter = horizon.quarter_of(span.start)
    if step == "quarter":
        return f"{year}-Q{quarter}"
    if step == "half":
        return f"{year}-H{(quarter + 1) // 2}"
    return str(year)


def _span_label(horizon: Horizon, span: range, step: str) -> str:
    year, quarter = horizon.quarter_of(span.start)
    if step == "quarter":
        return quarter_label(year, quarter)
    if step == "half":
        return _("%(year)d H%(half)d") % {"year": year, "half": (quarter + 1) // 2}
    return str(year)


def _with_data(view: View, quarters: range) -> range:
    """``quarters`` trimmed to the first and last quarter with respondents in the view."""
    present = view.table["quarter"].to_numpy(dtype=np.int64)[view.rows(quarters)]
    if present.size == 0:
        return range(quarters.start, quarters.start)
    return range(int(present.min()), int(present.max()) + 1)


def trend(
    view: View, definition: Instrument, horizon: Horizon, quarters: range, language: str
) -> Trend | None:
    """The share in the top group (or the mean score) over the quarters with data. When
    quarters are too small to show, they are pooled into half-years or years (the finest step
    at which every period with answers is shown but for the first and the last, which the
    data often cover only in part), and the trend says so."""
    span = _with_data(view, quarters)
    if len(span) == 0:
        return None
    band = band_of(definition)
    everyone = np.ones(len(view.table), dtype=bool)
    chosen: tuple[str, list[range], list[Estimate]] | None = None
    for step, size in STEPS:
        spans = _spans(horizon, span, size)
        if band is not None:
            top = view.column(f"band_is_{len(band.cuts) - 1}")
            requests = [
                view.share(
                    key=f"trend:{_span_key(horizon, s, step)}",
                    label=_span_label(horizon, s, step),
                    values=top,
                    inside=everyone,
                    quarters=s,
                    space=("base", "band"),
                )
                for s in spans
            ]
            points = protection.shares(requests)
        else:
            points = [
                _mean_point(
                    view,
                    s,
                    label=_span_label(horizon, s, step),
                    key=f"trend:{_span_key(horizon, s, step)}",
                )
                for s in spans
            ]
        chosen = (step, spans, points)
        # Fine enough when every period with answers is shown, but for the first and the
        # last (often only partly covered by the data).
        inner = [p for p in points[1:-1] if p.n.value != 0]
        answered = [p for p in points if p.n.value != 0]
        if all(p.shown for p in inner) and sum(p.shown for p in points) >= min(2, len(answered)):
            break
    if chosen is None:  # STEPS is never empty
        return None
    step, spans, points = chosen
    trend_points = []
    for s, point in zip(spans, points, strict=True):
        year, quarter = horizon.quarter_of(s.start)
        trend_points.append(TrendPoint(dt.date(year, quarter * 3 - 2, 1), point))
    note = ""
    if step == "half":
        note = _("Quarters have too few answers to show: shown by half-year.")
    elif step == "year":
        note = _("Quarters have too few answers to show: shown by year.")
    if band is not None:
        title = _("Share in the top group (%(band)s)") % {"band": band.cuts[-1][2]}
        return Trend(title, "proportion", trend_points, 1.0, step, note)
    score_max = float(len(definition.items_needed("score")) or 1)
    title = _("Mean %(score)s") % {"score": output_label(definition, "score", language)}
    return Trend(title, "mean", trend_points, score_max, step, note)


def _mean_point(view: View, span: range, label: str, key: str) -> Estimate:
    """The mean score over ``span`` from the perturbed count of each score value."""
    scores = view.column("score")
    inside = view.rows(span) & ~np.isnan(scores)
    keys = view.keys
    values = sorted({float(v) for v in scores[inside]})
    by_value = [protection.tally(inside & (scores == v), keys) for v in values]
    return protection.mean(
        key=key,
        label=label,
        by_value=by_value,
        values=values,
        n=protection.tally(inside, keys),
    )


def respondents_in(view: View) -> Tally:
    return protection.tally(view.rows(), view.keys)
