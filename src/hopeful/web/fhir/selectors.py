"""What ``/fhir/`` reads: the instruments as Questionnaires, and the organization's answers as
QuestionnaireResponses (one per submission and questionnaire) of families whose CURRENT
consent covers ``care``, as the organization's CSV export (``practice.export``) decides."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import QueryDict

from hopeful.framework import get_instrument, list_instruments
from hopeful.interop.fhir import (
    instrument_for_canonical_name,
    questionnaire,
    questionnaire_id,
    questionnaire_response,
    questionnaire_url,
    split_response_id,
)
from hopeful.web.api.models import ApiToken
from hopeful.web.api.tokens import token_access
from hopeful.web.families.models import ConsentRecord, Family
from hopeful.web.fhir.search import SearchError, cursor_load, date_interval
from hopeful.web.practice.export import consented_submissions
from hopeful.web.surveys.models import InstrumentScore
from hopeful.web.surveys.services import CONSENT_PURPOSES

__all__ = [
    "questionnaire_search",
    "response_one",
    "response_page",
    "response_resource",
    "response_scores",
]


# -- Questionnaire -------------------------------------------------------------------------------


def questionnaire_search(params: QueryDict, *, base_url: str) -> list[dict[str, Any]]:
    """Every registered instrument version as a Questionnaire, filtered by ``url``
    (``<canonical>`` or ``<canonical>|<version>``) and ``name`` (starts with, any case;
    ``name:exact`` and ``name:contains`` as FHIR defines them)."""
    found = list(list_instruments(all_versions=True))
    for value in params.getlist("url"):
        wanted = set(value.split(","))
        found = [
            i
            for i in found
            if questionnaire_url(i, base_url=base_url) in wanted
            or f"{questionnaire_url(i, base_url=base_url)}|{i.version}" in wanted
        ]
    for key, test in (
        ("name", lambda name, v: name.lower().startswith(v.lower())),
        ("name:exact", lambda name, v: name == v),
        ("name:contains", lambda name, v: v.lower() in name.lower()),
    ):
        for value in params.getlist(key):
            options = value.split(",")
            found = [i for i in found if any(test(i.id.upper(), v) for v in options)]
    return [questionnaire(i, base_url=base_url) for i in found]


# -- QuestionnaireResponse -----------------------------------------------------------------------

_ORDER = ("-submission__submitted_at", "-submission__public_id", "instrument_id")


def response_scores(token: ApiToken) -> QuerySet[InstrumentScore]:
    """One row per QuestionnaireResponse the token may read, newest first."""
    consented = consented_submissions(token_access(token)).values("id")
    ordered_consents = ConsentRecord.objects.order_by("recorded_at", "id")
    return (
        InstrumentScore.objects.filter(organization=token.organization, submission__in=consented)
        .select_related("submission__campaign", "submission__family")
        .prefetch_related(Prefetch("submission__family__consents", queryset=ordered_consents))
        .order_by(*_ORDER)
    )


def _consent(family: Family) -> dict[str, bool]:
    """The family's current consent per purpose, from the prefetched records (oldest first)."""
    state = dict.fromkeys(CONSENT_PURPOSES, False)
    for record in family.consents.all():
        state[record.purpose] = record.granted
    return state


def response_resource(score: InstrumentScore, *, base_url: str) -> dict[str, Any]:
    submission = score.submission
    instrument = get_instrument(score.instrument_id, score.instrument_version)
    return questionnaire_response(
        instrument,
        base_url=base_url,
        submission_id=str(submission.public_id),
        answers=dict(submission.answers.get(instrument.id) or {}),
        authored=submission.submitted_at,
        language=submission.language,
        consent=_consent(submission.family),
        campaign_id=str(submission.campaign.public_id),
    )


def response_one(token: ApiToken, resource_id: str) -> InstrumentScore | None:
    """The score row behind a response id, if the token may read it (else None: 404)."""
    parts = split_response_id(resource_id)
    if parts is None:
        return None
    try:
        submission_id = uuid.UUID(parts[0])
    except ValueError:
        return None
    return (
        response_scores(token)
        .filter(submission__public_id=submission_id, instrument_id=parts[1])
        .first()
    )


def _questionnaire_filter(values: list[str], base_url: str) -> Q:
    """``questionnaire=<canonical>[|version]`` (or ``Questionnaire/<id>``, or the id), a
    comma-separated list meaning any of them; several parameters must all hold."""
    condition = Q()
    for value in values:
        either = Q(pk__in=[])
        for ref in value.split(","):
            url, _, version = ref.partition("|")
            name = url.rstrip("/").rsplit("/", 1)[-1]
            instrument = instrument_for_canonical_name(name, version or None)
            if instrument is None:
                raise SearchError(f"questionnaire {ref!r} is not a questionnaire of this server.")
            one = Q(instrument_id=instrument.id)
            if version or name != questionnaire_id(get_instrument(instrument.id)):
                one &= Q(instrument_version=instrument.version)
            either |= one
        condition &= either
    return condition


def _authored_filter(values: list[str]) -> Q:
    condition = Q()
    for value in values:
        start, end = date_interval(value)
        if start is not None:
            condition &= Q(submission__submitted_at__gte=start)
        if end is not None:
            condition &= Q(submission__submitted_at__lt=end)
    return condition


def _after(position: list[Any]) -> Q:
    """Rows after ``position`` (submitted_at, submission public id, instrument id) in list
    order."""
    try:
        moment = dt.datetime.fromisoformat(str(position[0]))
        submission_id, instrument_id = uuid.UUID(str(position[1])), str(position[2])
    except (IndexError, TypeError, ValueError):
        raise SearchError(
            "_cursor is not a cursor this server gave; follow the next link."
        ) from None
    return (
        Q(submission__submitted_at__lt=moment)
        | Q(submission__submitted_at=moment, submission__public_id__lt=submission_id)
        | Q(
            submission__submitted_at=moment,
            submission__public_id=submission_id,
            instrument_id__gt=instrument_id,
        )
    )


def response_page(
    token: ApiToken, params: QueryDict, *, count: int, base_url: str
) -> tuple[QuerySet[InstrumentScore], list[InstrumentScore], list[Any] | None]:
    """The filtered rows (for the total), this page's rows, and the position after the last
    row when there is a next page."""
    rows = response_scores(token).filter(
        _questionnaire_filter(params.getlist("questionnaire"), base_url),
        _authored_filter(params.getlist("authored")),
    )
    page_rows = rows
    cursor = params.get("_cursor")
    if cursor:
        page_rows = rows.filter(_after(cursor_load(cursor)))
    page = list(page_rows[: count + 1])
    position = None
    if len(page) > count and count > 0:
        last = page[count - 1]
        position = [
            last.submission.submitted_at.isoformat(),
            str(last.submission.public_id),
            last.instrument_id,
        ]
    return rows, page[:count], position
