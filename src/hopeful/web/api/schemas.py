"""The shapes of the API's requests and answers (they are the OpenAPI schema's components),
and how each stored object becomes one. Dates are ISO 8601; ids are the public UUIDs the web
pages use, never database ids. A family's contacts are never in the API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field

from hopeful.framework import Instrument, list_instruments


def _iso_only(value: Any) -> Any:
    """A date-time as ISO 8601 text only (pydantic alone would also take a number of seconds,
    which the schema does not allow)."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("must be an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z")


IsoDateTime = Annotated[dt.datetime, BeforeValidator(_iso_only)]


# -- problem details ---------------------------------------------------------------------------


class Problem(Schema):
    """An RFC 9457 problem: every error of the API has this shape."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


# -- instruments (public) ---------------------------------------------------------------------


class OptionOut(Schema):
    code: int
    label: dict[str, str] = Field(description="The option's words by language (en, es).")
    kind: str = Field(description="answer, dont_know or refused.")


class ItemOut(Schema):
    id: str
    text: dict[str, str]
    required: bool
    block: str | None = Field(description="The HOPE building block the item belongs to.")
    options: list[OptionOut]


class OutputOut(Schema):
    id: str
    label: dict[str, str] | None


class InstrumentOut(Schema):
    id: str
    version: str
    title: dict[str, str]
    audience: str
    languages: list[str]
    citation: str
    licence: str
    items: list[ItemOut]
    outputs: list[OutputOut]


def instrument_out(instrument: Instrument) -> dict[str, Any]:
    return {
        "id": instrument.id,
        "version": instrument.version,
        "title": dict(instrument.title),
        "audience": str(instrument.audience),
        "languages": ["en", *sorted(k for k in instrument.translations if k != "en")],
        "citation": instrument.citation,
        "licence": instrument.licence,
        "items": [
            {
                "id": item.id,
                "text": dict(item.text),
                "required": item.required,
                "block": item.block,
                "options": [
                    {"code": o.code, "label": dict(o.label), "kind": str(o.kind)}
                    for o in item.options
                ],
            }
            for item in instrument.items
        ],
        "outputs": [
            {"id": o.id, "label": dict(o.label) if o.label is not None else None}
            for o in instrument.all_outputs
        ],
    }


def all_instruments() -> list[Instrument]:
    return list(list_instruments())


# -- the organization's records ---------------------------------------------------------------


class ProgramRef(Schema):
    id: UUID
    name: str


class CampaignInstrument(Schema):
    id: str
    version: str | None


class CampaignOut(Schema):
    id: UUID
    name: str
    program: ProgramRef
    status: str
    instruments: list[CampaignInstrument]
    languages: list[str]
    created_at: dt.datetime
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None


class ChildOut(Schema):
    id: UUID
    nickname: str
    birth_month: str = Field(description="YYYY-MM")


class FamilyOut(Schema):
    id: UUID
    display_name: str
    program: ProgramRef
    preferred_language: str
    created_at: dt.datetime
    children: list[ChildOut]


class ScoreOut(Schema):
    instrument: str
    version: str
    values: dict[str, Any] = Field(description="Output id to value, as the framework scores.")
    reason: str


class SubmissionOut(Schema):
    id: UUID
    client_uuid: UUID
    family: UUID
    program: ProgramRef
    campaign: UUID
    language: str
    submitted_at: dt.datetime
    answers: dict[str, dict[str, int | None]]
    demographics: dict[str, Any]
    scores: list[ScoreOut]


class GoalUpdateOut(Schema):
    text: str
    status: str
    next_step: str
    due_on: dt.date | None
    created_at: dt.datetime


class GoalOut(Schema):
    id: UUID
    family: UUID
    block: str
    text: str
    next_step: str
    due_on: dt.date
    status: str
    created_at: dt.datetime
    updates: list[GoalUpdateOut]


class StrengthsMapOut(Schema):
    id: UUID
    family: UUID
    version: int
    content: dict[str, Any]
    created_at: dt.datetime


class Page(Schema):
    next: str | None = Field(description="The next page's URL; null on the last page.")


class CampaignPage(Page):
    items: list[CampaignOut]


class FamilyPage(Page):
    items: list[FamilyOut]


class SubmissionPage(Page):
    items: list[SubmissionOut]


class GoalPage(Page):
    items: list[GoalOut]


class StrengthsMapPage(Page):
    items: list[StrengthsMapOut]


def program_ref(program: Any) -> dict[str, Any]:
    return {"id": program.public_id, "name": program.name}


def campaign_out(campaign: Any) -> dict[str, Any]:
    return {
        "id": campaign.public_id,
        "name": campaign.name,
        "program": program_ref(campaign.program),
        "status": campaign.status,
        "instruments": [
            {"id": e["id"], "version": e.get("version")} for e in campaign.instruments or []
        ],
        "languages": list(campaign.languages or []),
        "created_at": campaign.created_at,
        "opened_at": campaign.opened_at,
        "closed_at": campaign.closed_at,
    }


def family_out(family: Any) -> dict[str, Any]:
    return {
        "id": family.public_id,
        "display_name": family.display_name,
        "program": program_ref(family.program),
        "preferred_language": family.preferred_language,
        "created_at": family.created_at,
        "children": [
            {"id": c.public_id, "nickname": c.nickname, "birth_month": f"{c.birth_month:%Y-%m}"}
            for c in family.children.all()
        ],
    }


def submission_out(submission: Any) -> dict[str, Any]:
    return {
        "id": submission.public_id,
        "client_uuid": submission.client_uuid,
        "family": submission.family.public_id,
        "program": program_ref(submission.program),
        "campaign": submission.campaign.public_id,
        "language": submission.language,
        "submitted_at": submission.submitted_at,
        "answers": submission.answers,
        "demographics": submission.demographics or {},
        "scores": [
            {
                "instrument": s.instrument_id,
                "version": s.instrument_version,
                "values": s.values,
                "reason": s.reason,
            }
            for s in submission.scores.all()
        ],
    }


def goal_out(goal: Any) -> dict[str, Any]:
    return {
        "id": goal.public_id,
        "family": goal.family.public_id,
        "block": goal.block,
        "text": goal.text,
        "next_step": goal.next_step,
        "due_on": goal.due_on,
        "status": goal.status,
        "created_at": goal.created_at,
        "updates": [
            {
                "text": u.text,
                "status": u.status,
                "next_step": u.next_step,
                "due_on": u.due_on,
                "created_at": u.created_at,
            }
            for u in goal.updates.all()
        ],
    }


def strengths_map_out(strengths_map: Any) -> dict[str, Any]:
    return {
        "id": strengths_map.public_id,
        "family": strengths_map.family.public_id,
        "version": strengths_map.version,
        "content": strengths_map.content,
        "created_at": strengths_map.created_at,
    }


# -- answers in --------------------------------------------------------------------------------


class SubmissionIn(Schema):
    """Answers for one open campaign of the token's organization. Stored once per
    ``client_uuid``: a replay of the same answers answers 200 with the stored submission; other
    answers under a used ``client_uuid`` answer 409."""

    model_config = ConfigDict(extra="forbid")

    campaign: UUID
    client_uuid: UUID
    language: str = Field(description="en or es, among the campaign's languages.")
    consent: dict[str, bool] = Field(
        description="care, program_improvement, research: at least one must be true."
    )
    answers: dict[str, dict[str, int | None]] = Field(
        description="{instrument id: {item id: code or null}}"
    )
    name: str = Field("", max_length=80, description="The family's name or code (optional).")
    family: UUID | None = Field(
        None, description="An existing family of the campaign's program; a new one if null."
    )
    child_birth_month: str | None = Field(None, description="YYYY-MM, for questions about a child.")
    child_nickname: str = ""
    demographics: dict[str, Any] | None = None
    answered_at: IsoDateTime | None = Field(
        None,
        description=(
            "When the family answered (ISO 8601 with a time zone; not in the future, not "
            "before 2000). The submission is dated by it, so the dashboard counts it in the "
            "period it was answered in; now if null."
        ),
    )


# -- aggregates --------------------------------------------------------------------------------


class AggregateRow(Schema):
    section: str
    measure: str
    group: str
    category: str
    period: str
    n: str = Field(description="The published count (perturbed; 'fewer than 11' for 1-10).")
    estimate: str
    ci_low: str
    ci_high: str
    flags: str
    shown: str
    reason: str


class Aggregates(Schema):
    organization: UUID
    program: UUID | None
    period: str
    instrument: str
    rows: list[AggregateRow]
