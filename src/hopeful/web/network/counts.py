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
from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Subquery, Sum, Value
from django.db.models.fields.json import KT
from django.db.models.functions import TruncMonth

from hopeful.framework import HopefulError, get_instrument
from hopeful.web.families.models import ConsentPurpose, ConsentRecord
from hopeful.web.families.selectors import with_consent
from hopeful.web.insights.data import band_of
from hopeful.web.network.models import NetworkCount, NetworkCountState
from hopeful.web.surveys.models import InstrumentScore, Submission

#: The models whose rows the counts are made from: (name in the state, model).
SOURCES = (("submission", Submission), ("consent", ConsentRecord), ("score", InstrumentScore))
VALUE_LENGTH = NetworkCount._meta.get_field("value").max_length or 64


def outputs(instrument_id: str) -> list[str]:
    """The score outputs the network view can read for a questionnaire: its group (``band``)
    and each building block's count."""
    try:
        definition = get_instrument(instrument_id)
    except HopefulError:
        return []
    found = ["band"] if band_of(definition) is not None else []
    return found + [o.id for o in definition.block_count_outputs]


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
    number of count rows written."""
    if organizations is not None and not organizations:
        return 0
    scores = InstrumentScore.objects.all()
    submissions = Submission.objects.all()
    kept = NetworkCount.objects.all()
    if organizations is not None:
        ids = list(organizations)
        scores = scores.filter(organization_id__in=ids)
        submissions = submissions.filter(organization_id__in=ids)
        kept = kept.filter(organization_id__in=ids)
    counted = with_consent(submissions, ConsentPurpose.PROGRAM_IMPROVEMENT, family_field="family")
    rows: list[NetworkCount] = []
    for instrument_id in sorted(set(scores.values_list("instrument_id", flat=True).order_by())):
        for output in outputs(instrument_id):
            grouped = (
                scores.filter(instrument_id=instrument_id, submission__in=counted.values("id"))
                .annotate(month=TruncMonth("submission__submitted_at"), raw=KT(f"values__{output}"))
                .values_list("organization_id", "month", "raw")
                .annotate(n=Count("id"), key=Sum("submission__record_key"))
                .order_by()
            )
            rows.extend(
                NetworkCount(
                    organization_id=org,
                    instrument_id=instrument_id,
                    month=_first_day(month),
                    output=output,
                    value="null" if raw is None else str(raw),
                    n=n,
                    key_sum=int(key or 0),
                )
                for org, month, raw, n, key in grouped
                if len(str(raw)) <= VALUE_LENGTH  # longer: never an answer
            )
    with transaction.atomic():
        kept.delete()
        NetworkCount.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _first_day(month: Any) -> dt.date:
    day = month.date() if isinstance(month, dt.datetime) else month
    return dt.date(day.year, day.month, 1)
