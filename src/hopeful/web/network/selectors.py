"""Reads for the network view: cross-organization aggregates, never a family's row and never
a single organization's numbers.

This module assembles the view; each part lives in a module of its own (lower modules never
import higher ones):

- :mod:`~hopeful.web.network.counts`: the counts kept in the database, brought up to date;
- :mod:`~hopeful.web.network.filters`: the filters, their options and the year's periods;
- :mod:`~hopeful.web.network.data`: what is counted (read from the kept counts) and the base
  cells it gives;
- :mod:`~hopeful.web.network.family`: the family of publishable cells of a year;
- :mod:`~hopeful.web.network.trends`: which trends are pooled, and the trend's grain;
- :mod:`~hopeful.web.network.plan`: the protection of the family (perturbed counts, the
  minimum-organizations rule and what :class:`hopeful.stats.SuppressionProblem` is asked)
  and what each row may show;
- :mod:`~hopeful.web.network.estimates`: the shares, their intervals and NCHS judgement;
- :mod:`~hopeful.web.network.model`: the published rows and view.

The names the views, forms, exports and tests use are importable from here.
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from hopeful.stats import Design
from hopeful.web.insights.selectors import small_cell_threshold
from hopeful.web.network import data, plan
from hopeful.web.network.counts import output_key
from hopeful.web.network.data import base_cells, grouped_counts, network_members, place
from hopeful.web.network.estimates import ShareRequest, level_one, lookup, published, shares
from hopeful.web.network.family import (
    CELL,
    KIND,
    MIN_ORGANIZATIONS,
    STATE,
    TOTAL,
    RowKey,
    org_rule_width,
)
from hopeful.web.network.filters import (
    MONTH,
    QUARTER,
    TOP_BAND,
    YEAR,
    NetworkFilters,
    NetworkOptions,
    filter_options,
    find_instrument,
    last_complete_month,
    measure_choices,
    periods,
    year_months,
)
from hopeful.web.network.model import NetworkView, Row
from hopeful.web.network.plan import decision, protection
from hopeful.web.network.trends import published_unit
from hopeful.web.organizations.models import OrganizationKind

__all__ = [
    "MIN_ORGANIZATIONS",
    "MONTH",
    "QUARTER",
    "TOP_BAND",
    "NetworkFilters",
    "NetworkOptions",
    "NetworkView",
    "Row",
    "clear_caches",
    "filter_options",
    "last_complete_month",
    "level_one",
    "measure_choices",
    "network_view",
    "org_rule_width",
]


def clear_caches() -> None:
    data.clear_cache()
    plan.clear_cache()


def network_view(*, filters: NetworkFilters, options: NetworkOptions, language: str) -> NetworkView:
    """Everything the network page (and its exports) publishes for these filters."""
    threshold = small_cell_threshold()
    definition = find_instrument(filters.instrument_id)
    title = definition.short_title.get_text(language) if definition else filters.instrument_id
    measure_label = dict(measure_choices(language)).get(filters.measure, filters.measure)
    months = year_months(filters.year)
    view = NetworkView(
        filters=filters,
        instrument_title=title,
        measure_label=measure_label,
        threshold=threshold,
        periods=periods(filters),
        available=output_key(definition, filters.measure) is not None,
    )
    if not view.available:
        return view
    network, version = network_members()
    grouped, axes = place(grouped_counts(filters, months, version), network)
    states, kinds, pair_index = axes.states, axes.kinds, axes.pair_index
    kind_labels = dict(OrganizationKind.choices)
    view.grouped = grouped
    if not len(grouped):
        return view

    base = base_cells(grouped, len(axes.pairs), len(months))
    result = protection(
        base.counts,
        base.keys,
        base.org_months,
        base.org_quarters,
        base.org_year,
        axes.pairs,
        len(states),
        len(kinds),
        threshold,
    )

    chosen_state = axes.state_index.get(filters.state) if filters.state else None
    chosen_kind = axes.kind_index.get(filters.kind) if filters.kind else None
    if (filters.state and chosen_state is None) or (filters.kind and chosen_kind is None):
        return view  # nothing counted for that state or kind

    design = Design(grouped, weights="n", psu="organization")
    judged_cache: dict[tuple[str, ...], pd.DataFrame | None] = {}

    def judged(by: tuple[str, ...]) -> pd.DataFrame | None:
        if by not in judged_cache:
            judged_cache[by] = shares(design, by)
        return judged_cache[by]

    wanted: list[tuple[RowKey, str, str]] = []  # (row, level, label) of the view's rows

    def request(key: RowKey, level: str, label: str) -> ShareRequest:
        shown = decision(result, key, threshold)
        # The row's domain among the estimates: its state, kind and period.
        by: list[str] = []
        where: dict[str, int] = {}
        if key.state is not None:
            by.append("state")
            where["state"] = key.state
        if key.kind is not None:
            by.append("kind")
            where["kind"] = key.kind
        if key.grain != YEAR:
            by.append(key.grain)
            where[key.grain] = key.period
        return ShareRequest(
            key=f"{level}:{label}",
            label=label,
            n=shown.submissions,
            yes=shown.yes,
            published_n=shown.published[0],
            published_yes=shown.published[1],
            row=None if shown.share_hidden else lookup(judged(tuple(by)), where),
            hidden=shown.share_hidden,
        )

    def rows(specs: list[tuple[RowKey, str, str]]) -> list[Row]:
        estimates = published([request(*spec) for spec in specs])
        out = []
        for (key, level, label), estimate in zip(specs, estimates, strict=True):
            shown = decision(result, key, threshold)
            out.append(
                Row(
                    level=level,
                    state=states[key.state] if key.state is not None else "",
                    kind=str(kind_labels[kinds[key.kind]]) if key.kind is not None else "",
                    label=label,
                    organizations=shown.organizations,
                    submissions=shown.submissions,
                    share=estimate,
                    note=shown.note,
                    org_rule=shown.org_rule,
                )
            )
        return out

    state_range = [chosen_state] if chosen_state is not None else range(len(states))
    kind_range = [chosen_kind] if chosen_kind is not None else range(len(kinds))
    for s in state_range:
        for k in kind_range:
            if (s, k) not in pair_index:
                continue  # no organization of this kind in this state sent answers
            label = f"{states[s]} · {kind_labels[kinds[k]]}"
            wanted.append((RowKey(CELL, s, k, YEAR, 0), CELL, label))
    if chosen_kind is None:
        wanted.extend((RowKey(STATE, s, None, YEAR, 0), STATE, states[s]) for s in state_range)
    if chosen_state is None:
        for k in kind_range:
            label = str(kind_labels[kinds[k]])
            wanted.append((RowKey(KIND, None, k, YEAR, 0), KIND, label))
    if chosen_state is None and chosen_kind is None:
        wanted.append((RowKey(TOTAL, None, None, YEAR, 0), TOTAL, _("All network organizations")))
    view.rows = rows(wanted)

    # The trend of the view's slice (not for one kind in one state), pooled when sparse.
    if chosen_state is not None and chosen_kind is not None:
        return view
    level = STATE if chosen_state is not None else KIND if chosen_kind is not None else TOTAL
    unit, view.trend_note = published_unit(
        filters.unit, level, chosen_state, chosen_kind, result.pooled, result.index
    )
    if not unit:
        return view
    view.trend_unit = unit
    view.periods = periods(filters, unit)
    view.trend = rows(
        [
            (RowKey(level, chosen_state, chosen_kind, unit, p), "period", period.label)
            for p, period in enumerate(view.periods)
        ]
    )
    return view
