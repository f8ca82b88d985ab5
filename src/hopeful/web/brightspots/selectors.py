"""Reads for the bright-spots pages: which programs (or network organizations) have better
positive-experience outcomes than expected for the families they serve.

The model (:func:`hopeful.stats.bright_spots`): a survey-weighted regression of
the outcome (the score, linear; or being in the top group, logistic) on the unit and the
families' characteristics chosen, each family its own primary sampling unit with weight 1
(program data are not a probability sample; the dashboard's program sizes weight
all-programs shares, not comparisons between programs, so they are not used here). A unit's
*expected* outcome is what the model predicts for its own families had they been served like
the average unit; the *difference* is observed minus expected, with an interval and a p-value
adjusted across the units (Benjamini–Hochberg by default).

Small cells: a unit whose count of families the protection engine publishes as "fewer than
the threshold" (or 0) is not estimated, not given a number, and its families are left out of
the fit (so "the average unit" is an average of the units compared). With fewer than two
units left there is no model.

Results are remembered per data version (:func:`hopeful.web.insights.data.data_version`, or
:func:`hopeful.web.brightspots.data.network_version` for the network), filters and protection
settings: the same request on the same data is not fitted again.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from hopeful.stats import Design, StatsError, bright_spots
from hopeful.web.insights import protection
from hopeful.web.insights.data import band_of, data_version, instrument
from hopeful.web.insights.model import InstrumentOption, ProgramOption
from hopeful.web.insights.protection import Tally, small_cell_threshold
from hopeful.web.insights.selectors import filter_options
from hopeful.web.insights.store import Recent
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Organization
from hopeful.web.surveys.models import InstrumentScore

from . import data
from .model import AS_EXPECTED, TOP_BAND, BrightFilters, BrightResult, UnitRow

__all__ = [
    "clear_cache",
    "network_bright_spots",
    "network_instruments",
    "org_bright_spots",
    "org_instruments",
    "scored_instruments",
]

#: Results per (organization or network, data version, filters, protection settings).
RESULTS = Recent(128)
#: The adjusted p-value below which a difference is called better or worse (the false
#: discovery rate when the correction is Benjamini–Hochberg).
CORRECTION = "bh"
LEVEL = 0.95


def clear_cache() -> None:
    RESULTS.clear()


# -- choices ------------------------------------------------------------------------------------


#: Questionnaires whose score counts adversities, not strengths (a higher score is worse): not
#: offered, as "bright spots" compare positive experiences (a register of directions would
#: be needed to offer them the other way round).
ADVERSITY_SCORES = frozenset({"ace_brfss"})


def scored_instruments(ids: Sequence[str], language: str) -> list[InstrumentOption]:
    """The strengths questionnaires among ``ids`` that have a score (what the model
    compares)."""
    out = []
    for instrument_id in ids:
        definition = instrument(instrument_id)
        if definition is None or instrument_id in ADVERSITY_SCORES:
            continue
        if "score" not in {o.id for o in definition.outputs}:
            continue
        out.append(InstrumentOption(instrument_id, definition.short_title.get_text(language)))
    return out


def org_instruments(
    access: Access, language: str, version: tuple[int, ...]
) -> tuple[list[ProgramOption], list[InstrumentOption]]:
    """The organization's programs and the scored questionnaires it has answers for."""
    options = filter_options(access=access, language=language, version=version)
    ids = [i.id for i in options.instruments]
    return options.programs, scored_instruments(ids, language)


def network_members(instrument_id: str) -> list[Organization]:
    """The member organizations with answers to the questionnaire (one query)."""
    answered = InstrumentScore.objects.filter(instrument_id=instrument_id).values("organization")
    return list(
        Organization.objects.filter(network_member=True, pk__in=answered).order_by("name", "id")
    )


def network_instruments(language: str) -> list[InstrumentOption]:
    """The scored questionnaires network member organizations have answers for."""
    ids = sorted(
        InstrumentScore.objects.filter(organization__network_member=True)
        .values_list("instrument_id", flat=True)
        .distinct()
        .order_by()
    )
    return scored_instruments(ids, language)


def has_band(instrument_id: str) -> bool:
    return band_of(instrument(instrument_id)) is not None


def score_max(instrument_id: str) -> float:
    """The score's largest value (for the chart's scale): how many indicators it counts."""
    definition = instrument(instrument_id)
    if definition is None:
        return 1.0
    try:
        output = definition.output("score")
    except KeyError:
        return 1.0
    return float(max(len(getattr(output, "indicators", ()) or ()), 1))


# -- the pages ------------------------------------------------------------------------------------


def org_bright_spots(
    *,
    access: Access,
    filters: BrightFilters,
    programs: list[ProgramOption],
    version: tuple[int, ...] | None = None,
) -> BrightResult:
    """The organization's programs compared (remembered per data version)."""
    version = data_version(access.organization) if version is None else version
    key = ("org", access.organization.pk, tuple(programs), version, filters, _settings())
    found = RESULTS.get(key)
    if found is None:
        table = data.org_rows(access, programs, filters.horizon, filters.instrument_id, version)
        found = compare(table, [p.name for p in programs], filters)
        RESULTS.put(key, found)
    return found  # type: ignore[no-any-return]  # Recent holds Any


def network_bright_spots(*, filters: BrightFilters) -> BrightResult:
    """The network member organizations compared (remembered per network data version)."""
    members = network_members(filters.instrument_id)
    version = data.network_version()
    names = tuple((o.pk, o.name) for o in members)
    key = ("network", names, version, filters, _settings())
    found = RESULTS.get(key)
    if found is None:
        table = data.network_rows(members, filters.horizon, filters.instrument_id)
        found = compare(table, [o.name for o in members], filters)
        RESULTS.put(key, found)
    return found  # type: ignore[no-any-return]  # Recent holds Any


def _settings() -> tuple[object, ...]:
    return (small_cell_threshold(), protection.ptable_parameters())


# -- the comparison -----------------------------------------------------------------------------


def compare(table: pd.DataFrame, labels: list[str], filters: BrightFilters) -> BrightResult:
    """Fit and publish: ``table`` the respondent rows (column ``unit`` indexes ``labels``)."""
    threshold = small_cell_threshold()
    kind = "proportion" if filters.outcome == TOP_BAND else "mean"
    blank = BrightResult(
        filters=filters,
        kind=kind,
        threshold=threshold,
        scale_max=1.0 if kind == "proportion" else score_max(filters.instrument_id),
        level=LEVEL,
        correction=CORRECTION,
    )
    frame = data.family_frame(
        table, filters.horizon, filters.period, filters.outcome, filters.adjust
    )
    if not len(frame):
        return _replace(blank, reason="no_answers")
    units = frame["unit"].to_numpy(dtype=np.int64)
    keys = frame["key"].to_numpy(dtype=np.int64)
    total = protection.count(Tally(len(frame), int(keys.sum())))
    counts: dict[int, Any] = {}
    for u in sorted(set(units.tolist())):
        inside = units == u
        counts[u] = protection.count(Tally(int(inside.sum()), int(keys[inside].sum())))
    compared = [u for u, shown in counts.items() if shown.value is not None and shown.value > 0]
    too_few = [
        UnitRow(label=labels[u], families=counts[u], compared=False)
        for u in counts
        if u not in compared
    ]
    too_few.sort(key=lambda r: r.label)
    if len(compared) < 2:
        rows = [UnitRow(label=labels[u], families=counts[u], compared=False) for u in compared]
        return _replace(
            blank,
            rows=sorted(rows + too_few, key=lambda r: r.label),
            families=total,
            reason="too_few_units",
        )
    kept = frame[frame["unit"].isin(compared)].reset_index(drop=True)
    chosen = tuple(k for k in filters.adjust if kept[k].nunique() > 1)
    started = time.perf_counter()
    found, adjust = _fit(kept, chosen, binomial=kind == "proportion")
    elapsed = (time.perf_counter() - started) * 1000
    dropped = tuple(k for k in chosen if k not in adjust)
    if found is None:
        rows = [UnitRow(label=labels[u], families=counts[u], compared=False) for u in compared]
        return replace(
            blank,
            rows=sorted(rows + too_few, key=lambda r: r.label),
            families=total,
            reason="no_fit",
        )
    result_rows = [
        _unit_row(row, labels, counts, binomial=kind == "proportion")
        for row in found.itertuples(index=False)
    ]
    result_rows.sort(key=lambda r: (-(r.difference or 0.0), r.label))
    return replace(
        blank,
        rows=result_rows + too_few,
        families=total,
        adjusted_for=adjust,
        not_adjusted=dropped,
        fitted=True,
        elapsed_ms=elapsed,
    )


def _unit_row(row: Any, labels: list[str], counts: dict[int, Any], *, binomial: bool) -> UnitRow:
    """A unit of the model's table as published: the difference is observed minus expected
    (points of the score, or of the share); for a 0/1 outcome the model's interval, on the log
    odds scale, is carried to the share's scale at the unit's expected share (a monotone map,
    so the interval excludes 0 exactly when the odds ratio's excludes 1)."""
    u = int(str(row.unit)[1:])
    observed, expected = float(row.observed), float(row.expected)
    low, high = float(row.ci_low), float(row.ci_high)
    if binomial:
        base = float(special.logit(min(max(expected, 1e-9), 1 - 1e-9)))
        low = float(special.expit(base + low)) - expected
        high = float(special.expit(base + high)) - expected
    return UnitRow(
        label=labels[u],
        families=counts[u],
        compared=True,
        observed=observed,
        expected=expected,
        difference=observed - expected,
        ci_low=low,
        ci_high=high,
        p_adjusted=float(row.p_adjusted),
        verdict=str(row.verdict) or AS_EXPECTED,
        odds_ratio=_optional(row, "odds_ratio"),
        or_ci_low=_optional(row, "or_ci_low"),
        or_ci_high=_optional(row, "or_ci_high"),
    )


def _fit(
    kept: pd.DataFrame, chosen: tuple[str, ...], *, binomial: bool
) -> tuple[pd.DataFrame | None, tuple[str, ...]]:
    """The model's table and the characteristics it could adjust for. A characteristic that
    cannot be told apart from the units (say, only one organization has its answers) makes
    the model collinear: the last such one chosen is left out and the model fitted again."""
    columns: dict[str, Any] = {
        "y": kept["y"].to_numpy(dtype=np.float64),
        "unit": np.array([f"u{u}" for u in kept["unit"]], dtype=object),
    }
    for key in chosen:
        columns[key] = kept[key].to_numpy(dtype=object)
    design = Design(columns)
    candidates = [chosen]
    # then every subset one smaller, the last characteristics left out first, and so on
    for size in range(len(chosen) - 1, -1, -1):
        candidates += list(itertools.combinations(chosen, size))
    for adjust in candidates:
        try:
            result = bright_spots(
                design,
                "y",
                "unit",
                " + ".join(f"C({key})" for key in adjust),
                family="binomial" if binomial else "gaussian",
                correction=CORRECTION,
                level=LEVEL,
                higher_is_better=True,
            )
        except StatsError as error:
            if "collinear" in str(error) or "singular" in str(error):
                continue
            return None, ()
        return result.table, tuple(adjust)
    return None, ()


def _optional(row: Any, name: str) -> float | None:
    value = getattr(row, name, None)
    return None if value is None or value != value else float(value)


def _replace(result: BrightResult, **changes: Any) -> BrightResult:
    return replace(result, **changes)
