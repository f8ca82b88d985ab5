"""Reads for the organization dashboard: published aggregates only, never a family's row.

Only submissions of families whose current consent covers ``program_improvement`` are
counted (:func:`hopeful.web.families.selectors.with_consent`). Every count and share is
published through :mod:`hopeful.web.insights.protection` (the cell-key method: a count is
perturbed by the sum of its records' keys, the same records always give the same number, and
published counts from 1 to 10 are shown as "fewer than 11"). Shares and intervals come from
the published counts and are judged by the NCHS presentation standard.

The modules behind this one, each one concern: :mod:`~hopeful.web.insights.data` (the rows
and the reach's grouped counts, the data version and the caches),
:mod:`~hopeful.web.insights.outcomes` (the profile and the trend),
:mod:`~hopeful.web.insights.headline`, :mod:`~hopeful.web.insights.equity` and
:mod:`~hopeful.web.insights.protection`. ``docs/insights.md`` says more.
"""

from __future__ import annotations

from dataclasses import replace
from typing import cast

import numpy as np
from django.utils.translation import gettext as _

from hopeful.framework import Instrument
from hopeful.web.accounts.models import Language
from hopeful.web.insights import equity, headline, outcomes, protection, smoothing, store
from hopeful.web.insights.data import (
    ALL_DEMOGRAPHICS,
    RATE_OUTPUTS,
    band_of,
    data_version,
    instrument,
    respondent_table,
)
from hopeful.web.insights.model import (
    DEFAULT_INSTRUMENT,
    CountRow,
    Dashboard,
    Estimate,
    FilterOptions,
    Filters,
    InstrumentOption,
    ProgramOption,
    Reach,
    ShownCount,
    Trend,
    TrendPoint,
)
from hopeful.web.insights.periods import ALL, Period
from hopeful.web.insights.protection import plain_flags, plain_reason, small_cell_threshold
from hopeful.web.insights.store import OrgRows, cell, clear_caches
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Program
from hopeful.web.surveys.models import InstrumentScore

__all__ = [
    "DEFAULT_INSTRUMENT",
    "RATE_OUTPUTS",
    "CountRow",
    "Dashboard",
    "Estimate",
    "FilterOptions",
    "Filters",
    "InstrumentOption",
    "ProgramOption",
    "Reach",
    "ShownCount",
    "Trend",
    "TrendPoint",
    "clear_caches",
    "dashboard",
    "data_version",
    "filter_options",
    "plain_flags",
    "plain_reason",
    "program_sizes",
    "respondent_table",
    "small_cell_threshold",
]


#: The questionnaires each organization has answers for, per data version (scores come with
#: their submission, so a new one changes the version).
_ANSWERED: dict[tuple[int, tuple[int, ...]], list[str]] = {}


def filter_options(
    *, access: Access, language: str, version: tuple[int, ...] | None = None
) -> FilterOptions:
    """The organization's programs and the instruments it has submissions for (with the data
    ``version``, from :func:`data_version`, the latter is remembered for it)."""
    organization = access.organization
    programs = [
        ProgramOption(
            id=p.id, public_id=str(p.public_id), name=p.name, families_served=p.families_served
        )
        for p in Program.objects.filter(organization=organization).order_by("name", "id")
    ]
    key = (organization.pk, version) if version is not None else None
    ids = _ANSWERED.get(key) if key is not None else None
    if ids is None:
        ids = sorted(
            InstrumentScore.objects.filter(organization=organization)
            .values_list("instrument_id", flat=True)
            .distinct()
            .order_by()
        )
        if key is not None:
            if len(_ANSWERED) > 256:
                _ANSWERED.clear()
            _ANSWERED[key] = ids
    instruments = []
    for instrument_id in ids:
        definition = instrument(instrument_id)
        title = definition.short_title.get_text(language) if definition else instrument_id
        instruments.append(InstrumentOption(id=instrument_id, title=title))
    return FilterOptions(programs=programs, instruments=instruments)


def program_sizes(programs: list[ProgramOption]) -> list[int] | None:
    """The families each program serves, when an org admin entered it for every program."""
    sizes = [p.families_served for p in programs]
    if len(programs) < 2 or any(not size for size in sizes):
        return None
    return [int(size or 0) for size in sizes]


# -- reach --------------------------------------------------------------------------------------


def _reach(
    rows: OrgRows, programs: list[ProgramOption], program: int | None, quarters: range
) -> Reach:
    """Submissions counted (by program, by language, in all), those left out for want of
    consent, and the personal invitations sent and answered: each a cell of its own."""
    counted, counted_keys, every, every_keys = rows.reach()
    span = slice(quarters.start, quarters.stop)
    which = slice(None) if program is None else slice(program, program + 1)
    total = cell(counted, counted_keys, (which, span))
    # The submissions not counted: every submission minus the counted ones (a subset).
    left_out = cell(every, every_keys, (which, span)) - total
    if program is None:
        by_program = [
            CountRow(p.name, protection.count(cell(counted, counted_keys, (i, span))))
            for i, p in enumerate(programs)
        ]
        by_language = [
            CountRow(
                str(lang.label), protection.count(cell(counted, counted_keys, (which, span, i)))
            )
            for i, lang in enumerate(Language)
        ]
    else:
        by_program = [CountRow(programs[program].name, protection.count(total))]
        by_language = []
    invited, invited_keys = rows.invitations()
    sent = cell(invited, invited_keys, (which, span))
    answered = cell(invited, invited_keys, (which, span, 1))
    return Reach(
        by_program=by_program,
        by_language=by_language,
        total=protection.count(total),
        left_out=protection.count(left_out),
        invited=protection.count(sent),
        answered=protection.count(answered),
    )


# -- the dashboard -----------------------------------------------------------------------------


def dashboard(
    *,
    access: Access,
    filters: Filters,
    options: FilterOptions,
    language: str,
    version: tuple[int, ...] | None = None,
) -> Dashboard:
    """Everything the dashboard (and its CSV/XLSX export and PDF report) publishes for these
    filters. The result is remembered per data version: the same filters on the same data
    give the same page without computing it again (and, being perturbed by the records' keys,
    the same numbers even when computed again). ``version``: :func:`data_version`, when the
    caller has just read it."""
    version = data_version(access.organization) if version is None else version
    protected = (small_cell_threshold(), protection.ptable_parameters())
    estimated = smoothing.enabled()
    key = (
        access.organization.pk,
        filters,
        tuple(options.programs),
        language,
        *protected,
        estimated,
        version,
    )
    found = store.DASHBOARDS.get(key)
    if found is None:
        tables = _tables(access, filters, options, version, protected) if estimated else None
        token = protection.TABLES.set(tables)
        try:
            found = _dashboard(
                access=access, filters=filters, options=options, language=language, version=version
            )
        finally:
            protection.TABLES.reset(token)
        store.DASHBOARDS.put(key, found)
    return cast(Dashboard, found)


def _tables(
    access: Access,
    filters: Filters,
    options: FilterOptions,
    version: tuple[int, ...],
    settings_key: tuple[object, ...],
) -> smoothing.Tables:
    """The tables the dashboard's shares are estimated in (one set per questionnaire and data
    version, shared by every view of it)."""
    programs = options.programs
    horizon = filters.horizon
    key = (access.organization.pk, filters.instrument_id, tuple(programs), horizon, settings_key)
    found = store.TABLES.get(key)
    if found is not None and found[0] == version:
        return cast(smoothing.Tables, found[1])
    previous = cast(smoothing.Tables, found[1]) if found is not None else None
    rows = store.rows_for(access, programs, horizon, version)
    counted, counted_keys, _every, _every_keys = rows.reach()

    everyone = rows.table(access, filters.instrument_id, ALL_DEMOGRAPHICS)
    quarters = everyone["quarter"].to_numpy(dtype=np.int64) if len(everyone) else np.zeros(0)
    program_of = everyone["program"].to_numpy(dtype=np.int64) if len(everyone) else np.zeros(0)
    keys = everyone["key"].to_numpy(dtype=np.int64) if len(everyone) else np.zeros(0)

    def is_open(program: int | None, span: range) -> bool:
        """Whether the view opens: its totals (the reach's and the respondents') are shown as
        numbers, as :func:`_dashboard` decides."""
        which = slice(None) if program is None else slice(program, program + 1)
        total = cell(counted, counted_keys, (which, slice(span.start, span.stop)))
        inside = (quarters >= span.start) & (quarters < span.stop)
        if program is not None:
            inside &= program_of == program
        respondents = protection.Tally(int(inside.sum()), int(keys[inside].sum()))
        return not (protection.count(total).suppressed or protection.count(respondents).suppressed)

    definition = instrument(filters.instrument_id)
    band = band_of(definition) if definition else None
    tables = smoothing.Tables(
        table=everyone,
        is_open=is_open,
        n_programs=len(programs),
        horizon=horizon,
        band_columns=[f"band_is_{b}" for b in range(len(band.cuts))] if band else [],
        previous=previous,
    )
    store.TABLES.put(key, (version, tables))
    return tables


def _dashboard(
    *,
    access: Access,
    filters: Filters,
    options: FilterOptions,
    language: str,
    version: tuple[int, ...],
) -> Dashboard:
    threshold = small_cell_threshold()
    programs = options.programs
    horizon = filters.horizon
    program = (
        next((i for i, p in enumerate(programs) if p.id == filters.program.id), None)
        if filters.program is not None
        else None
    )
    quarters = horizon.quarters(filters.period)
    rows = store.rows_for(access, programs, horizon, version)
    table = rows.table(access, filters.instrument_id, equity.demographic_key(filters.breakdown))
    definition = instrument(filters.instrument_id)
    reach = _reach(rows, programs, program, quarters)
    sizes = program_sizes(programs)
    view = outcomes.View(
        table=table,
        program=program,
        quarters=quarters,
        n_programs=max(len(programs), 1),
        sizes=tuple(sizes) if sizes and program is None else (),
    )
    respondents = protection.count(
        outcomes.respondents_in(view), what=("respondents", filters.instrument_id)
    )
    # The view opens only when its totals are shown as numbers.
    closed = reach.total.suppressed or respondents.suppressed
    title = definition.short_title.get_text(language) if definition else filters.instrument_id
    result = Dashboard(
        organization=access.organization.name,
        filters=filters,
        instrument_title=title,
        threshold=threshold,
        reach=reach,
        respondents=respondents,
        max_noise=protection.ptable_parameters()[0],
    )
    if definition is None:
        return result
    profile = outcomes.profile(view, definition, language, closed=closed)
    top = profile.bands[-1] if profile.bands else None
    overall = top if not filters.outcome or filters.outcome == equity.TOP_BAND else None
    if filters.outcome.startswith("bb_"):
        overall = next((e for e in profile.blocks if e.key == f"block:{filters.outcome}"), None)
    return replace(
        result,
        items=profile.items,
        blocks=profile.blocks,
        bands=profile.bands,
        rates=profile.rates,
        trend=None
        if closed
        else outcomes.trend(
            view, definition, horizon, horizon.trend_quarters(filters.period), language
        ),
        weighted=view.weighted,
        has_benchmarks=definition.id == "pce7",
        headline=headline.headline(
            view=view,
            profile=profile,
            respondents=respondents,
            definition=definition,
            horizon=horizon,
            period=filters.period,
            language=language,
            closed=closed,
        ),
        equity=_equity(rows, view, definition, filters, language, closed=closed, overall=overall),
    )


def _equity(
    rows: OrgRows,
    view: outcomes.View,
    definition: Instrument,
    filters: Filters,
    language: str,
    *,
    closed: bool,
    overall: Estimate | None,
) -> equity.Equity | None:
    """The equity section. One program's groups are compared over all years, whichever
    period is chosen: split by year and quarter as well, a program's groups add differencing
    paths to its small groups (program x period x group) faster than they add groups large
    enough to compare (``bench/protection_bench.py``). All programs' groups follow the
    period."""
    if view.program is None or filters.period.level == ALL:
        return equity.equity_section(
            view=view,
            definition=definition,
            filters=filters,
            language=language,
            closed=closed,
            overall=overall,
        )
    horizon = filters.horizon
    everything = Period()
    pooled = replace(view, quarters=horizon.quarters(everything))
    counted, counted_keys, _every, _every_keys = rows.reach()
    span = slice(pooled.quarters.start, pooled.quarters.stop)
    total = cell(counted, counted_keys, (slice(view.program, view.program + 1), span))
    respondents = protection.count(
        outcomes.respondents_in(pooled), what=("respondents", filters.instrument_id)
    )
    section = equity.equity_section(
        view=pooled,
        definition=definition,
        filters=filters,
        language=language,
        closed=protection.count(total).suppressed or respondents.suppressed,
    )
    if section is None:
        return None
    return replace(
        section,
        period_label=horizon.label(everything),
        period_note=_(
            "One program's groups are compared over all years (%(first)d–%(last)d), whichever "
            "period is chosen: split by year or quarter as well, its groups would be too small "
            "to compare, and small groups easier to work out. All programs together follow the "
            "chosen period."
        )
        % {"first": horizon.first_year, "last": horizon.last_year},
    )
