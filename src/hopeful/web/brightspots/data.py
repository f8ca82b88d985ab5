"""The families the bright-spots model compares: one row per family, from the dashboard's
rows (:mod:`hopeful.web.insights.store`, so the same consent rule and the same incremental
reading): only families whose current consent covers program improvement are counted.

A family counts once: its latest scored answer to the questionnaire in the period (by
submission time, then submission id), in the program (or organization) that answer was
given in. Rows never leave this package: they are fitted, then published through
:mod:`hopeful.web.insights.protection`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import Max

from hopeful.web.families.models import Child, ConsentRecord, FamilyErasure, age_band
from hopeful.web.insights.data import ALL_DEMOGRAPHICS, data_version, respondent_table
from hopeful.web.insights.model import ProgramOption
from hopeful.web.insights.periods import Horizon, Period
from hopeful.web.insights.store import rows_for
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Organization, Program
from hopeful.web.surveys import demographics as demo
from hopeful.web.surveys.models import InstrumentScore, Submission

from .model import TOP_BAND

NOT_ANSWERED = "not_answered"
OTHER = "other"
MULTIPLE = "multiple"
#: A level of a characteristic with fewer families than this is pooled into "other" (so that
#: no coefficient rests on a handful of families).
RARE_LEVEL = 5


def program_options(organization: Organization) -> list[ProgramOption]:
    """The organization's programs as the dashboard lists them (same order, same ids)."""
    return [
        ProgramOption(
            id=p.id, public_id=str(p.public_id), name=p.name, families_served=p.families_served
        )
        for p in Program.objects.filter(organization=organization).order_by("name", "id")
    ]


def org_rows(
    access: Access,
    programs: list[ProgramOption],
    horizon: Horizon,
    instrument_id: str,
    version: tuple[int, ...] | None = None,
) -> pd.DataFrame:
    """The dashboard's respondent rows of the organization (consent applied), with every
    answer of "About your family" and the child's age band; ``unit`` is the program's
    position in ``programs``."""
    version = data_version(access.organization) if version is None else version
    rows = rows_for(access, programs, horizon, version)
    table = rows.table(access, instrument_id, ALL_DEMOGRAPHICS)
    return table.assign(unit=table["program"]) if len(table) else table


def network_version() -> tuple[int, ...]:
    """Changes whenever any organization's counted rows may have: the highest id of the
    submissions, scores, consent records, children and erasures (rows only ever added, except
    at a family's erasure, which adds an erasure record). One index lookup each."""
    models: Sequence[Any] = (Submission, InstrumentScore, ConsentRecord, Child, FamilyErasure)
    return tuple(int(m.objects.aggregate(v=Max("id"))["v"] or 0) for m in models)


def network_rows(members: list[Organization], horizon: Horizon, instrument_id: str) -> pd.DataFrame:
    """Every member organization's rows (as :func:`org_rows`), ``unit`` the organization's
    position in ``members``: the dashboard's read of one organization's rows
    (:func:`hopeful.web.insights.data.respondent_table`, consent applied in the query), for
    each. Not through the dashboard's per-process store, which keeps a few organizations' rows
    (the network's result is remembered whole instead)."""
    frames = []
    for position, organization in enumerate(members):
        # Only the organization is read from the access: the rows are counted aggregates.
        access = Access(organization=organization, role="network")
        table = respondent_table(
            access, instrument_id, program_options(organization), horizon, ALL_DEMOGRAPHICS
        )
        if len(table):
            frames.append(table.assign(unit=position))
    if not frames:
        return pd.DataFrame()
    table = pd.concat(frames, ignore_index=True)
    table["child_band"] = child_bands(table)
    return table


def child_bands(table: pd.DataFrame) -> list[str | None]:
    """The age band, in the month of answering, of each row's family's most recently added
    child (as the dashboard's :meth:`hopeful.web.insights.store.OrgRows.child_bands`)."""
    families = sorted({int(f) for f in table["family"] if f == f})  # NaN
    born = dict(
        Child.objects.filter(family_id__in=families)
        .order_by("family_id", "created_at", "id")
        .values_list("family_id", "birth_month")
    )
    out: list[str | None] = []
    for family, when in zip(table["family"], table["submitted"], strict=True):
        month = born.get(int(family)) if family == family else None  # NaN
        out.append(None if month is None else str(age_band(month, when)))
    return out


# -- one row per family ---------------------------------------------------------------------


def _answer(value: Any) -> str:
    if value in (None, "", demo.PREFER_NOT) or value != value:  # NaN
        return NOT_ANSWERED
    return str(value)


def _race(value: Any) -> str:
    codes = [c for c in (value or ()) if c != demo.PREFER_NOT] if isinstance(value, list) else []
    if not codes:
        return NOT_ANSWERED
    return str(codes[0]) if len(codes) == 1 else MULTIPLE


def covariate_values(table: pd.DataFrame, key: str) -> list[str]:
    """Each row's level of a characteristic; no answer (or "prefer not to say") is a level of
    its own, ``not_answered``, so no family is dropped. Race and ethnicity is multi-select:
    one group, or ``multiple``."""
    demographics = list(table["demographics"])
    if key == "income":
        return [_answer(d.get(demo.INCOME.key)) for d in demographics]
    if key == "race_ethnicity":
        return [_race(d.get(demo.RACE_ETHNICITY.key)) for d in demographics]
    if key == "language":
        return [_answer(v) for v in table["language"]]
    if key == "child_age":
        column = table["child_band"] if "child_band" in table.columns else [None] * len(table)
        return [_answer(v) for v in column]
    raise KeyError(key)


def _pool_rare(values: list[str]) -> list[str]:
    counts = pd.Series(values).value_counts()
    rare = set(counts[counts < RARE_LEVEL].index)
    return [OTHER if v in rare else v for v in values]


def family_frame(
    table: pd.DataFrame, horizon: Horizon, period: Period, outcome: str, adjust: Sequence[str]
) -> pd.DataFrame:
    """One row per family: ``unit``, ``y`` (the score, or 1/0 in the top group), ``key`` (the
    answer's record key, for the published count) and one column per characteristic of
    ``adjust`` (its level, rare levels pooled). Families without an answer for the outcome
    in their latest submission are left out."""
    columns = ["unit", "y", "key", *adjust]
    if not len(table):
        return pd.DataFrame({c: [] for c in columns})
    span = horizon.quarters(period)
    inside = table[(table["quarter"] >= span.start) & (table["quarter"] < span.stop)]
    latest = inside.sort_values(["submitted", "sid"], kind="stable").drop_duplicates(
        "family", keep="last"
    )
    source = TOP_BAND if outcome == TOP_BAND else "score"
    if source not in latest.columns:
        return pd.DataFrame({c: [] for c in columns})
    latest = latest[latest[source].notna()].reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "unit": latest["unit"].to_numpy(dtype=np.int64),
            "y": latest[source].to_numpy(dtype=np.float64),
            "key": latest["key"].to_numpy(dtype=np.int64),
        }
    )
    for key in adjust:
        frame[key] = _pool_rare(covariate_values(latest, key)) if len(latest) else []
    return frame
