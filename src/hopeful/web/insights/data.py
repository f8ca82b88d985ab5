"""The dashboard's data: one row per scored submission, the reach's grouped counts, and the
data version that says when any of it changed.

Rows leave this module only to be grouped into cells and published through
:mod:`hopeful.web.insights.protection`: never a family's row. Each row carries its
submission's record key (``key``), so any cell's key is the sum over its rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import Count as DbCount
from django.db.models import F, JSONField, OuterRef, Subquery, TextField, Value
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast
from django.utils import timezone

from hopeful.framework import Band, HopefulError, Instrument, get_instrument
from hopeful.web.families.models import Child, ConsentPurpose, ConsentRecord, FamilyErasure
from hopeful.web.families.selectors import with_consent
from hopeful.web.insights.model import ProgramOption
from hopeful.web.insights.periods import Horizon
from hopeful.web.organizations.access import Access
from hopeful.web.surveys.models import CampaignLink, InstrumentScore, LinkKind, Submission

#: Outputs shown as rates with their CIs when an instrument has them.
RATE_OUTPUTS = ("flourishing", "resilient")


def instrument(instrument_id: str, version: str | None = None) -> Instrument | None:
    try:
        return get_instrument(instrument_id, version or None)
    except HopefulError:
        return None


def band_of(definition: Instrument | None) -> Band | None:
    if definition is None:
        return None
    try:
        output = definition.output("band")
    except KeyError:
        return None
    return output if isinstance(output, Band) else None


def submissions_in(access: Access, horizon: Horizon) -> Any:
    """Submissions of the horizon (every program), consent or not."""
    start = timezone.make_aware(dt.datetime.combine(horizon.start, dt.time.min))
    stop = timezone.make_aware(dt.datetime.combine(horizon.stop, dt.time.min))
    return Submission.objects.filter(
        organization=access.organization, submitted_at__gte=start, submitted_at__lt=stop
    )


def _affirmative(definition: Instrument, item_id: str, code: Any) -> float:
    """1 affirmative, 0 answered otherwise, NaN missing (7, 9, blank or unknown code)."""
    if code is None or code == "":
        return np.nan
    try:
        value = int(code)
        item = definition.item(item_id)
    except (TypeError, ValueError, HopefulError):
        return np.nan
    if value in definition.affirmative_codes(item_id):
        return 1.0
    return 0.0 if value in item.answer_codes else np.nan


def _affirmative_reader(definition: Instrument, item_id: str) -> Callable[[Any], float]:
    """:func:`_affirmative` for one item, remembered per answer code (codes repeat)."""
    seen: dict[Any, float] = {}

    def read(code: Any) -> float:
        try:
            return seen[code]
        except KeyError:
            value = seen[code] = _affirmative(definition, item_id, code)
            return value
        except TypeError:  # an unhashable answer: never a code
            return _affirmative(definition, item_id, code)

    return read


def _flag(value: Any) -> float:
    if value is None:
        return np.nan
    return 1.0 if bool(value) else 0.0


#: ``respondent_table``'s ``demographic`` for every answer of the demographics (one read for
#: every breakdown: :mod:`hopeful.web.insights.smoothing`).
ALL_DEMOGRAPHICS = "*"


def respondent_table(
    access: Access,
    instrument_id: str,
    programs: list[ProgramOption],
    horizon: Horizon,
    demographic: str | None = None,
    *,
    counted_only: bool = True,
    after: int = 0,
    upto: int | None = None,
) -> pd.DataFrame:
    """One row per scored submission of the chosen instrument in the horizon, of families who
    agreed to be counted for program improvement (``counted_only``; else of every family, for
    :class:`hopeful.web.insights.store.OrgRows`, which applies consent itself), with a
    submission id above ``after`` (and at most ``upto``):
    program and quarter index, each item's affirmative flag, each block's "met" flag, band,
    rates and score, the submission's id (``sid``), family and record key.

    Only the parts of the JSON the dashboard reads are fetched: the chosen instrument's
    answers and, of the demographics, the ``demographic`` key (the equity breakdown's
    question; None: none), so the ``demographics`` column holds ``{demographic: value}``
    (``{}`` when the family did not answer it)."""
    submissions = submissions_in(access, horizon).filter(id__gt=after)
    if upto is not None:
        submissions = submissions.filter(id__lte=upto)
    if counted_only:
        submissions = with_consent(
            submissions, ConsentPurpose.PROGRAM_IMPROVEMENT, family_field="family"
        )
    rows = InstrumentScore.objects.filter(
        organization=access.organization,
        instrument_id=instrument_id,
        submission__in=submissions.values("id"),
    ).order_by("submission__submitted_at", "id")
    program_index = {p.id: i for i, p in enumerate(programs)}
    zone = timezone.get_current_timezone()
    fixed = (
        "program",
        "quarter",
        "band",
        "score",
        "demographics",
        "language",
        "family",
        "submitted",
        "key",
        "sid",
    )
    # One list per column; a row without a column (an unknown version, a rate the row does not
    # have) gets NaN there, as a frame built from one dict per row would.
    columns: dict[str, list[Any]] = {name: [] for name in fixed}
    (
        programs_,
        quarters_,
        bands,
        scores,
        demographics,
        languages,
        families,
        submitted,
        keys,
        sids,
    ) = (columns[name] for name in fixed)
    #: per version: (column, answer key, reader) for the items, (column, output) for the blocks
    slots: dict[str, tuple[list[tuple[list[Any], str, Callable[[Any], float]]], list[Any]]] = {}
    n = 0

    def column(name: str) -> list[Any]:
        return columns.setdefault(name, [])

    def pad(values: list[Any]) -> None:
        if len(values) < n:
            values.extend([np.nan] * (n - len(values)))

    demographic_value: Any = (
        Value(None, output_field=JSONField())
        if demographic is None
        else F("submission__demographics")
        if demographic == ALL_DEMOGRAPHICS
        else KeyTransform(demographic, "submission__demographics")
    )
    # The scores repeat (a handful of outputs with few values): each distinct text is decoded
    # and read once (the same json.loads the JSONField would run on each row).
    parsed: dict[tuple[str, str | None], tuple[Any, float, list[float], list[float | None]]] = {}
    fetched = rows.values_list(
        "instrument_version",
        Cast("values", TextField()),
        KeyTransform(instrument_id, "submission__answers"),
        "submission__program_id",
        "submission__submitted_at",
        demographic_value,
        "submission__language",
        "submission__family_id",
        "submission__record_key",
        "submission_id",
    )
    for row in fetched:
        (
            version,
            raw_values,
            answered,
            program_id,
            submitted_at,
            raw_demo,
            lang,
            family,
            record_key,
            sid,
        ) = row
        slot = slots.get(version)
        if slot is None:
            definition = instrument(instrument_id, version)
            items: list[tuple[list[Any], str, Callable[[Any], float]]] = []
            blocks: list[tuple[list[Any], str]] = []
            if definition is not None:
                items = [
                    (column(f"item_{item.id}"), item.id, _affirmative_reader(definition, item.id))
                    for item in definition.items
                    if item.block is not None
                ]
                blocks = [
                    (column(output.id), output.id) for output in definition.block_count_outputs
                ]
            slot = slots[version] = (items, blocks)
        read_values = parsed.get((version, raw_values))
        if read_values is None:
            decoded = None if raw_values is None else json.loads(raw_values)
            values = decoded if isinstance(decoded, dict) else {}
            score = values.get("score")
            read_values = parsed[(version, raw_values)] = (
                values.get("band"),
                np.nan if score is None else float(score),
                [
                    np.nan if values.get(output_id) is None else float(int(values[output_id]) >= 1)
                    for _target, output_id in slot[1]
                ],
                [_flag(values[rate]) if rate in values else None for rate in RATE_OUTPUTS],
            )
        band_value, score_value, block_values, rate_values = read_values
        answered = answered or {}
        local = submitted_at.astimezone(zone)  # timezone.localtime, without its lookups
        programs_.append(program_index.get(program_id, -1))
        quarters_.append(horizon.quarter_index(local.year, local.month))
        bands.append(band_value)
        scores.append(score_value)
        # for the equity breakdowns (never published: grouped and protected first)
        if demographic == ALL_DEMOGRAPHICS:
            demographics.append(raw_demo if isinstance(raw_demo, dict) else {})
        else:
            demographics.append({} if raw_demo is None else {demographic: raw_demo})
        languages.append(lang)
        families.append(family)
        submitted.append(local.date())
        keys.append(int(record_key or 0))
        sids.append(int(sid))
        for target, key, read in slot[0]:
            if len(target) < n:
                pad(target)
            target.append(read(answered.get(key)))
        for (target, _output_id), block_value in zip(slot[1], block_values, strict=True):
            if len(target) < n:
                pad(target)
            target.append(block_value)
        for rate, rate_value in zip(RATE_OUTPUTS, rate_values, strict=True):
            if rate_value is not None:
                target = column(rate)
                pad(target)
                target.append(rate_value)
        n += 1
    for values_ in columns.values():
        pad(values_)
    table = pd.DataFrame(columns)
    table = table[(table["program"] >= 0) & (table["quarter"] >= 0)].reset_index(drop=True)
    table["year"] = table["quarter"] // 4
    current = instrument(instrument_id)
    band = band_of(current)
    if band is not None:
        # One 0/1 column per band (and the top band), missing where the band is.
        missing = table["band"].isna()
        for b, (_low, _high, name) in enumerate(band.cuts):
            table[f"band_is_{b}"] = np.where(missing, np.nan, (table["band"] == name) * 1.0)
        table["top_band"] = table[f"band_is_{len(band.cuts) - 1}"]
    return table


# -- the rows the reach counts, fetched from an id on (for the store's incremental updates) ----


def submission_rows(access: Access, after: int = 0) -> list[tuple[Any, ...]]:
    """(id, family, program id, submitted at, language, link id, record key) of every
    submission of the organization with an id above ``after``, consent or not."""
    return list(
        Submission.objects.filter(organization=access.organization, id__gt=after)
        .order_by("id")
        .values_list(
            "id", "family_id", "program_id", "submitted_at", "language", "link_id", "record_key"
        )
    )


def link_rows(access: Access, after: int = 0) -> list[tuple[Any, ...]]:
    """(id, personal, the family's program id, created at, record key) of every invitation
    link of the organization with an id above ``after`` (``personal``: bound to a family)."""
    return [
        (lid, kind == LinkKind.PERSONAL and program is not None, program, when, key)
        for lid, kind, program, when, key in CampaignLink.objects.filter(
            organization=access.organization, id__gt=after
        )
        .order_by("id")
        .values_list("id", "kind", "family__program_id", "created_at", "record_key")
    ]


def consent_rows(organization: Any, after: int = 0) -> list[tuple[Any, ...]]:
    """(id, family, counts for program improvement, granted) of every consent record with an
    id above ``after``, in the order that makes the last one per family and purpose the
    current one."""
    return [
        (rid, family, purpose == ConsentPurpose.PROGRAM_IMPROVEMENT, granted)
        for rid, family, purpose, granted in ConsentRecord.objects.filter(
            organization=organization, id__gt=after
        )
        .order_by("recorded_at", "id")
        .values_list("id", "family_id", "purpose", "granted")
    ]


def latest_consent(families: list[int]) -> dict[int, bool]:
    """Each family's current program-improvement consent (its latest record), read whole."""
    state: dict[int, bool] = {}
    for family, granted in (
        ConsentRecord.objects.filter(
            family_id__in=families, purpose=ConsentPurpose.PROGRAM_IMPROVEMENT
        )
        .order_by("recorded_at", "id")
        .values_list("family_id", "granted")
    ):
        state[family] = bool(granted)
    return state


def child_rows(organization: Any, after: int = 0) -> list[tuple[Any, ...]]:
    """(id, family, birth month) of the children with an id above ``after``, oldest first
    (the last one per family is its most recently added child)."""
    return list(
        Child.objects.filter(organization=organization, id__gt=after)
        .order_by("family_id", "created_at", "id")
        .values_list("id", "family_id", "birth_month")
    )


def data_version(organization: Any) -> tuple[int, ...]:
    """Changes whenever anything a dashboard counts changes: a submission, a consent record,
    a child (for the age bands) or an invitation link. These rows are only ever added
    (consent is an append-only history; submissions, children and links are never deleted),
    so the highest ids say it: one query of four index lookups, whatever the number of rows.
    (A row committed late with an id below one already read shows with the next new row:
    :func:`row_counts`, read when the rows are, finds it.)"""
    return _per_model(
        organization,
        lambda rows: Subquery(rows.order_by("-id").values("id")[:1]),
    )


#: What the data version follows, by name. The last, a family deleted at its request (the one
#: time rows are removed), makes :class:`~hopeful.web.insights.store.OrgRows` start afresh.
VERSION_MODELS = (
    ("s", Submission),
    ("c", ConsentRecord),
    ("k", Child),
    ("l", CampaignLink),
    ("e", FamilyErasure),
)


def row_counts(organization: Any) -> tuple[int, ...]:
    """How many rows of each of :data:`VERSION_MODELS` the organization has (one query; read
    before the rows, so what is read afterwards can only be more)."""
    return _per_model(
        organization,
        lambda rows: Subquery(
            rows.order_by().values("organization").annotate(v=DbCount("id")).values("v")[:1]
        ),
    )


def _per_model(organization: Any, column: Any) -> tuple[int, ...]:
    """One number per model of :data:`VERSION_MODELS`, in one query: ``column`` turns the
    model's rows of the organization into a subquery."""
    columns = {
        name: column(model.objects.filter(organization=OuterRef("pk")))
        for name, model in VERSION_MODELS
    }
    found = (
        type(organization).objects.filter(pk=organization.pk).annotate(**columns).values(*columns)
    )
    row: dict[str, Any] = next(iter(found), {})
    return tuple(int(row.get(name) or 0) for name in columns)
