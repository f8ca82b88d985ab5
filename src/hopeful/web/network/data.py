"""The network view's data: the consent-filtered grouped query, and the counts it gives laid
out as the base cells (state x kind pair x month x outcome) that protection works on.

What is counted. Scored submissions of the chosen questionnaire, in organizations that are
HOPE Innovation Network members, of families whose current consent covers
``program_improvement`` (:func:`hopeful.web.families.selectors.with_consent`), with an answer
for the chosen measure (the share in the top group, or one building block met), in the
chosen calendar year's complete months.

The data. The counts kept per organization, month and answer
(:mod:`hopeful.web.network.counts`, brought up to date first): a few thousand rows whatever
the number of submissions, and arrays of that size after.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from hopeful.framework import Instrument
from hopeful.web.insights.data import band_of
from hopeful.web.network import counts
from hopeful.web.network.counts import output_key
from hopeful.web.network.filters import (
    TOP_BAND,
    NetworkFilters,
    find_instrument,
    network_organizations,
)
from hopeful.web.network.models import NetworkCount
from hopeful.web.organizations.models import OrganizationKind


def _reader(definition: Instrument, measure: str) -> Any:
    """A function from one stored output value (as the database returns it) to 1.0, 0.0 or
    NaN (no answer)."""
    if measure == TOP_BAND:
        band = band_of(definition)
        top = band.cuts[-1][2] if band is not None else None

        def in_top(value: Any) -> float:
            if value is None or value == "null":  # SQLite returns a JSON null as 'null'
                return np.nan
            return float(value == top)

        return in_top

    def met(value: Any) -> float:
        try:
            return np.nan if value is None else float(int(value) >= 1)
        except (TypeError, ValueError):
            return np.nan

    return met


def network_members() -> tuple[dict[int, tuple[str, str]], tuple[int, ...]]:
    """The network organizations (pk -> state, kind) and the data version: the counts'
    (:func:`hopeful.web.network.counts.version`, which brings them up to date) and the
    members'."""
    data_version = counts.version()
    members = {
        row["pk"]: (row["state"], row["kind"])
        for row in network_organizations().order_by().values("pk", "state", "kind")
    }
    return members, (*sorted(members), *data_version)


#: Grouped counts per questionnaire, measure, months, network members and data version (a
#: process-local cache: the key says everything the result depends on).
_GROUPED: OrderedDict[tuple[object, ...], pd.DataFrame] = OrderedDict()
_GROUPED_SIZE = 64


def clear_cache() -> None:
    _GROUPED.clear()


def grouped_counts(
    filters: NetworkFilters, months: list[dt.date], version: tuple[int, ...]
) -> pd.DataFrame:
    """:func:`query_grouped_counts`, remembered per data version (``version``: from
    :func:`network_members`, the network's organizations included)."""
    key = (filters.instrument_id, filters.measure, tuple(months), version)
    found = _GROUPED.get(key)
    if found is None:
        found = _GROUPED[key] = query_grouped_counts(filters, months)
        while len(_GROUPED) > _GROUPED_SIZE:
            _GROUPED.popitem(last=False)
    _GROUPED.move_to_end(key)
    return found.copy()


def query_grouped_counts(filters: NetworkFilters, months: list[dt.date]) -> pd.DataFrame:
    """Submissions counted per organization, month (index into ``months``) and outcome, with
    the sum of their record keys (``key``, for the cell-key perturbation), read from the
    counts kept (:class:`~hopeful.web.network.models.NetworkCount`)."""
    columns = ["organization", "month", "outcome", "n", "key"]
    definition = find_instrument(filters.instrument_id)
    key = output_key(definition, filters.measure)
    if key is None or definition is None or not months:
        return pd.DataFrame({c: pd.Series([], dtype=np.int64) for c in columns})
    index = {m: i for i, m in enumerate(months)}
    rows = NetworkCount.objects.filter(
        organization__network_member=True,
        instrument_id=filters.instrument_id,
        output=key,
        month__gte=months[0],
        month__lte=months[-1],
    ).values_list("organization_id", "month", "value", "n", "key_sum")
    read = _reader(definition, filters.measure)
    seen: dict[Any, float] = {}
    records = []
    for org, month, raw, n, key_sum in rows:
        try:
            outcome = seen[raw]
        except KeyError:
            outcome = seen[raw] = read(raw)
        m = index.get(month, -1)
        if m < 0 or np.isnan(outcome):
            continue
        records.append((org, m, int(outcome), n, int(key_sum)))
    frame = pd.DataFrame.from_records(records, columns=columns)
    if frame.empty:
        return frame.astype(np.int64)
    return frame.groupby(["organization", "month", "outcome"], as_index=False)[["n", "key"]].sum()


# -- grouping into cells -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Axes:
    """The states, kinds and state x kind pairs that contribute, whatever the filters (so
    every filter reads the same protected family)."""

    states: list[str]
    kinds: list[str]
    """Kind codes, in the order of :class:`OrganizationKind`."""
    pairs: list[tuple[int, int]]
    """(state index, kind index), sorted."""
    state_index: dict[str, int]
    kind_index: dict[str, int]
    pair_index: dict[tuple[int, int], int]


def place(grouped: pd.DataFrame, network: dict[int, tuple[str, str]]) -> tuple[pd.DataFrame, Axes]:
    """The axes of the organizations that sent answers, and ``grouped`` (from
    :func:`grouped_counts`) kept to the network and placed on them: columns ``state``,
    ``kind``, ``pair`` (indexes), ``state_code``, ``kind_code`` and ``quarter`` added."""
    answered = set(grouped["organization"].tolist())
    members = {pk: where for pk, where in network.items() if pk in answered}
    grouped = grouped[grouped["organization"].isin(list(members))].reset_index(drop=True)
    states = sorted({s for s, _k in members.values()})
    kinds = [k for k, _label in OrganizationKind.choices if k in {k for _s, k in members.values()}]
    state_index = {s: i for i, s in enumerate(states)}
    kind_index = {k: i for i, k in enumerate(kinds)}
    org_state = {pk: state_index[s] for pk, (s, _k) in members.items()}
    org_kind = {pk: kind_index[k] for pk, (_s, k) in members.items()}
    pairs = sorted({(org_state[o], org_kind[o]) for o in members})
    pair_index = {p: i for i, p in enumerate(pairs)}

    orgs_col = grouped["organization"].to_numpy(dtype=np.int64)
    grouped["state"] = [org_state[o] for o in orgs_col]
    grouped["kind"] = [org_kind[o] for o in orgs_col]
    grouped["state_code"] = [states[s] for s in grouped["state"]]
    grouped["kind_code"] = [kinds[k] for k in grouped["kind"]]
    grouped["quarter"] = grouped["month"] // 3
    grouped["pair"] = [
        pair_index[(s, k)] for s, k in zip(grouped["state"], grouped["kind"], strict=True)
    ]
    axes = Axes(
        states=states,
        kinds=kinds,
        pairs=pairs,
        state_index=state_index,
        kind_index=kind_index,
        pair_index=pair_index,
    )
    return grouped, axes


@dataclass(frozen=True, slots=True)
class Base:
    """The base cells of a year and their contributing organizations."""

    counts: np.ndarray[Any, Any]
    """Submissions per pair x month x outcome."""
    keys: np.ndarray[Any, Any]
    """The sum of their record keys, per pair x month x outcome."""
    org_months: np.ndarray[Any, Any]
    """Distinct contributing organizations per pair and month."""
    org_quarters: np.ndarray[Any, Any]
    """... per pair and quarter."""
    org_year: np.ndarray[Any, Any]
    """... per pair over the year."""


def base_cells(grouped: pd.DataFrame, n_pairs: int, n_months: int) -> Base:
    """The base cells of a placed, non-empty ``grouped`` (from :func:`place`)."""
    base = np.zeros((n_pairs, n_months, 2), dtype=np.int64)
    keys = np.zeros((n_pairs, n_months, 2), dtype=np.int64)
    where = (
        grouped["pair"].to_numpy(dtype=np.int64),
        grouped["month"].to_numpy(dtype=np.int64),
        grouped["outcome"].to_numpy(dtype=np.int64),
    )
    np.add.at(base, where, grouped["n"].to_numpy(dtype=np.int64))
    np.add.at(keys, where, grouped["key"].to_numpy(dtype=np.int64))
    contributing = grouped.groupby(["pair", "organization"], as_index=False).agg(
        months=("month", lambda m: sorted(set(m)))
    )
    n_quarters = (n_months + 2) // 3
    org_months = np.zeros((n_pairs, n_months), dtype=np.int64)
    org_quarters = np.zeros((n_pairs, n_quarters), dtype=np.int64)
    org_year = np.zeros(n_pairs, dtype=np.int64)
    for pair, month_list in zip(contributing["pair"], contributing["months"], strict=True):
        org_months[pair, month_list] += 1
        org_quarters[pair, sorted({m // 3 for m in month_list})] += 1
        org_year[pair] += 1
    return Base(
        counts=base, keys=keys, org_months=org_months, org_quarters=org_quarters, org_year=org_year
    )
