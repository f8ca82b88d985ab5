"""The network view's counts, kept up to date in the database.

The network view counts, across every network organization, the scored submissions of
families whose current consent covers program improvement, per organization, month and
answer: over a million submissions that is a query of seconds, most of it the consent filter
(the latest consent record of each submission's family). So the counts are kept in
:class:`~hopeful.web.network.models.NetworkCount`, per organization, questionnaire, month
(local time), score output and value, with the sum of their record keys (for the cell-key
perturbation), and the view reads a few thousand of those rows instead.

:func:`bring_up_to_date` runs at the start of every network request. When nothing changed it
costs one query of three maximum ids. Submissions, scores and consent records are only ever
added, so the organizations with rows above the highest ids already read are the ones whose
counts changed, and each of them is recounted on its own (one query per questionnaire output
over its rows). When the numbers of rows do not add up (a row removed, or one committed late
with an id below those read), everything is recounted; such a late row is seen when the next
row arrives. A submission never waits for any of this: the next network view does it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.db.models import Max, Subquery, Value
from django.utils import timezone

from hopeful.framework import HopefulError, Instrument, get_instrument
from hopeful.web.families.models import ConsentPurpose, ConsentRecord, Family
from hopeful.web.families.selectors import families_with_consent
from hopeful.web.insights.data import band_of
from hopeful.web.network.models import NetworkCount, NetworkCountState
from hopeful.web.surveys.models import InstrumentScore, Submission

#: The models whose rows the counts are made from: (name in the state, model).
SOURCES = (("submission", Submission), ("consent", ConsentRecord), ("score", InstrumentScore))
VALUE_LENGTH = NetworkCount._meta.get_field("value").max_length or 64


#: The measure of the share in the questionnaire's top group (the others: building blocks).
TOP_BAND = "top_band"


def output_key(definition: Instrument | None, measure: str) -> str | None:
    """The score output a measure reads (the group, ``band``, or a building block's count),
    or None if the questionnaire has no such one."""
    if definition is None:
        return None
    if measure == TOP_BAND:
        return "band" if band_of(definition) is not None else None
    if measure in {o.id for o in definition.block_count_outputs}:
        return measure
    return None


def outputs(instrument_id: str) -> list[str]:
    """The score outputs the network view can read for a questionnaire: every measure's."""
    try:
        definition = get_instrument(instrument_id)
    except HopefulError:
        return []
    measures = [TOP_BAND, *(o.id for o in definition.block_count_outputs)]
    return [key for m in measures if (key := output_key(definition, m)) is not None]


def _highest(model: type[Any]) -> Subquery:
    """The highest id of a table, as a subquery (grouped by a constant: one row)."""
    rows = model.objects.order_by().annotate(one=Value(1)).values("one")
    return Subquery(rows.annotate(v=Max("id")).values("v")[:1])


def _state_and_highest_ids() -> tuple[NetworkCountState | None, dict[str, int]]:
    """The state and the highest id of each source table, in one query."""
    columns = {f"highest_{name}": _highest(model) for name, model in SOURCES}
    state = NetworkCountState.objects.annotate(**columns).order_by("pk").first()
    if state is None:
        return None, _highest_ids()
    return state, {name: int(getattr(state, f"highest_{name}") or 0) for name, _m in SOURCES}


def _highest_ids() -> dict[str, int]:
    return {name: int(model.objects.aggregate(v=Max("id"))["v"] or 0) for name, model in SOURCES}


def _unchanged(state: NetworkCountState | None, highest: dict[str, int]) -> bool:
    return state is not None and all(
        getattr(state, f"{name}_id") == highest[name] for name, _model in SOURCES
    )


def version() -> tuple[int, ...]:
    """Bring the counts up to date and say which state they are in (for caches)."""
    state = bring_up_to_date()
    return (
        state.generation,
        *(getattr(state, f"{name}_id") for name, _m in SOURCES),
        *(getattr(state, f"{name}s") for name, _m in SOURCES),
    )


def bring_up_to_date() -> NetworkCountState:
    """Recount the organizations whose rows changed since the last call (everything the first
    time, or when the numbers of rows do not add up). Returns the state the counts are in."""
    state, highest = _state_and_highest_ids()
    if state is not None and _unchanged(state, highest):
        return state
    with transaction.atomic():
        state = NetworkCountState.objects.select_for_update().order_by("pk").first()
        if state is None:
            state = NetworkCountState.objects.create()
        highest = _highest_ids()
        if _unchanged(state, highest):
            return state
        totals = {name: model.objects.count() for name, model in SOURCES}
        changed: set[int] = set()
        complete = state.generation > 0
        for name, model in SOURCES:
            newer = model.objects.filter(id__gt=getattr(state, f"{name}_id"), id__lte=highest[name])
            changed.update(newer.values_list("organization_id", flat=True).distinct().order_by())
            if getattr(state, f"{name}s") + newer.count() != totals[name]:
                complete = False  # a row removed, or committed late below the ids read
        recount(None if not complete else changed)
        for name, _model in SOURCES:
            setattr(state, f"{name}_id", highest[name])
            setattr(state, f"{name}s", totals[name])
        state.generation += 1
        state.save()
    return state


def recount(organizations: Collection[int] | None) -> int:
    """Count again the given organizations' rows (None: every organization's). Returns the
    number of count rows written.

    Two plain reads, no correlated subquery joined to another table (which a planner without
    statistics can run once per pair of rows): the families whose latest program-improvement
    consent is a grant, then every score with its submission's family, month and record key,
    added up here per organization, questionnaire, month, output and value."""
    if organizations is not None and not organizations:
        return 0
    scores = InstrumentScore.objects.all()
    families = Family.objects.all()
    kept = NetworkCount.objects.all()
    if organizations is not None:
        ids = list(organizations)
        scores = scores.filter(organization_id__in=ids)
        families = families.filter(organization_id__in=ids)
        kept = kept.filter(organization_id__in=ids)
    counted = set(
        families_with_consent(families, ConsentPurpose.PROGRAM_IMPROVEMENT).values_list(
            "id", flat=True
        )
    )
    wanted: dict[str, list[str]] = {}
    totals: dict[tuple[int, str, dt.date, str, str], list[int]] = {}
    rows = scores.values_list(
        "organization_id",
        "instrument_id",
        "submission__family_id",
        "submission__submitted_at",
        "submission__record_key",
        "values",
    ).order_by()
    for org, instrument_id, family, when, key, values in rows.iterator(chunk_size=5000):
        if family not in counted:
            continue
        if instrument_id not in wanted:
            wanted[instrument_id] = outputs(instrument_id)
        month = timezone.localtime(when).date().replace(day=1)
        for output in wanted[instrument_id]:
            value = _as_text(values.get(output) if isinstance(values, dict) else None)
            if len(value) > VALUE_LENGTH:
                continue  # never an answer
            total = totals.setdefault((org, instrument_id, month, output, value), [0, 0])
            total[0] += 1
            total[1] += int(key)
    made = [
        NetworkCount(
            organization_id=org,
            instrument_id=instrument_id,
            month=month,
            output=output,
            value=value,
            n=n,
            key_sum=key_sum,
        )
        for (org, instrument_id, month, output, value), (n, key_sum) in totals.items()
    ]
    with transaction.atomic():
        kept.delete()
        NetworkCount.objects.bulk_create(made, batch_size=2000)
    return len(made)


def _as_text(value: Any) -> str:
    """A stored output value as the database's JSON text operator gives it ("null" for
    none)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)
