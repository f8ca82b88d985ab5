"""Everything stored about one family, for the family itself (its right of access).

:func:`family_data` gathers, as plain JSON-ready values, the family record, its children, its
consent history, its personal links (never a token or a hash), every questionnaire response
with its answers, "About your family" answers and scores, the drafts saved on its personal
links, and what its care team recorded about it: the team, visits, strengths maps, goals with
their progress, celebrations, case reviews and reminders. No other family's row is read:
every query is filtered by this family (and its organization).

Staff appear by the name and role the records show (never an email address, a phone or an
account id). A **restricted** visit note is not included: its date and how the visit
happened are, with ``"note_withheld": true``. Casework keeps such notes to the author and the
program's supervisors and out of every export (:func:`hopeful.web.casework.access.
exportable_visits`, the one rule); a link can be forwarded or opened by someone else in the
household, so the family asks its organization for them instead (docs/family-data.md).

The readable copy (PDF) is made from the same data by
:mod:`hopeful.web.families.export_pdf`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from hopeful.web.audit.services import audit_record
from hopeful.web.casework.access import exportable_visits
from hopeful.web.casework.models import (
    Assignment,
    CaseReview,
    Celebration,
    Goal,
    GoalUpdate,
    Reminder,
    StrengthsMap,
    Visit,
)
from hopeful.web.families.models import Child, ConsentRecord, Family
from hopeful.web.families.selectors import consent_current
from hopeful.web.organizations.models import Membership
from hopeful.web.surveys.models import CampaignLink, Draft, FamilyCode, Submission

#: The version of the JSON's shape (raise it when a key changes meaning or goes away).
SCHEMA_VERSION = 1
SCHEMA = "hopeful.family-data"

EXPORT_JSON, EXPORT_PDF = "family.data_export_json", "family.data_export_pdf"


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return str(value.isoformat())


class _People:
    """Staff as the records show them: a name (their display name or full name, never their
    email address) and their role in the family's organization."""

    def __init__(self, family: Family) -> None:
        self.roles = dict(
            Membership.objects.filter(organization=family.organization_id).values_list(
                "user_id", "role"
            )
        )

    def __call__(self, user: Any) -> dict[str, str] | None:
        if user is None:
            return None
        name = user.display_name or " ".join(
            part for part in (user.first_name, user.last_name) if part
        )
        return {"name": name, "role": self.roles.get(user.pk, "")}


def _scoped(model: Any, family: Family) -> Any:
    return model.objects.filter(organization=family.organization_id, family=family)


def _survey_part(family: Family) -> dict[str, Any]:
    links = list(
        CampaignLink.objects.filter(organization=family.organization_id, family=family)
        .select_related("campaign")
        .order_by("created_at", "id")
    )
    submissions = (
        _scoped(Submission, family)
        .select_related("campaign", "link")
        .prefetch_related("scores")
        .order_by("submitted_at", "id")
    )
    drafts = (
        Draft.objects.filter(organization=family.organization_id, link__in=links)
        .select_related("link")
        .order_by("created_at", "id")
    )
    codes = _scoped(FamilyCode, family).select_related("link").order_by("created_at", "id")
    return {
        "personal_links": [
            {
                "id": str(link.public_id),
                "campaign": link.campaign.name,
                "created_at": _iso(link.created_at),
                "expires_at": _iso(link.expires_at),
                "revoked_at": _iso(link.revoked_at),
            }
            for link in links
        ],
        "submissions": [
            {
                "id": str(s.public_id),
                "campaign": s.campaign.name,
                "link": str(s.link.public_id),
                "language": s.language,
                "submitted_at": _iso(s.submitted_at),
                "answers": s.answers,
                "demographics": s.demographics,
                "scores": [
                    {
                        "instrument_id": score.instrument_id,
                        "instrument_version": score.instrument_version,
                        "values": score.values,
                        "reason": score.reason,
                    }
                    for score in sorted(s.scores.all(), key=lambda x: x.instrument_id)
                ],
            }
            for s in submissions
        ],
        "drafts": [
            {
                "id": str(d.public_id),
                "link": str(d.link.public_id),
                "language": d.language,
                "state": d.state,
                "created_at": _iso(d.created_at),
                "updated_at": _iso(d.updated_at),
                "expires_at": _iso(d.expires_at),
            }
            for d in drafts
        ],
        # the codes themselves are stored only as hashes: nothing readable to give back
        "family_codes": [
            {"link": str(c.link.public_id), "created_at": _iso(c.created_at)} for c in codes
        ],
    }


def _visits(family: Family, person: _People) -> list[dict[str, Any]]:
    visits = _scoped(Visit, family).select_related("author").order_by("visited_on", "created_at")
    shared = set(exportable_visits(visits).values_list("pk", flat=True))
    out = []
    for v in visits:
        row: dict[str, Any] = {
            "id": str(v.public_id),
            "visited_on": _iso(v.visited_on),
            "mode": v.mode,
            "author": person(v.author),
        }
        if v.pk in shared:
            row.update(
                guide_version=v.guide_version,
                prompts=v.prompts,
                family_said=v.family_said,
                note=v.note,
                note_withheld=False,
            )
        else:
            row["note_withheld"] = True
        out.append(row)
    return out


def _goals(family: Family, person: _People) -> list[dict[str, Any]]:
    goals = _scoped(Goal, family).select_related("created_by").order_by("created_at", "id")
    updates: dict[int, list[dict[str, Any]]] = {}
    for u in (
        GoalUpdate.objects.filter(organization=family.organization_id, goal__family=family)
        .select_related("created_by")
        .order_by("created_at", "id")
    ):
        updates.setdefault(u.goal_id, []).append(
            {
                "text": u.text,
                "status": u.status,
                "next_step": u.next_step,
                "due_on": _iso(u.due_on),
                "created_by": person(u.created_by),
                "created_at": _iso(u.created_at),
            }
        )
    return [
        {
            "id": str(g.public_id),
            "block": g.block,
            "text": g.text,
            "next_step": g.next_step,
            "due_on": _iso(g.due_on),
            "status": g.status,
            "created_by": person(g.created_by),
            "created_at": _iso(g.created_at),
            "updates": updates.get(g.pk, []),
        }
        for g in goals
    ]


def _casework_part(family: Family) -> dict[str, Any]:
    person = _People(family)
    team = _scoped(Assignment, family).select_related("membership__user").order_by("created_at")
    maps = _scoped(StrengthsMap, family).select_related("created_by").order_by("version")
    celebrations = (
        _scoped(Celebration, family)
        .select_related("created_by", "goal")
        .order_by("celebrated_on", "created_at")
    )
    reviews = (
        _scoped(CaseReview, family)
        .select_related("practitioner", "signed_off_by")
        .order_by("reviewed_on", "created_at")
    )
    reminders = _scoped(Reminder, family).select_related("user").order_by("due_on", "created_at")
    return {
        "care_team": [
            {**(person(a.membership.user) or {}), "assigned_at": _iso(a.created_at)} for a in team
        ],
        "visits": _visits(family, person),
        "strengths_maps": [
            {
                "version": m.version,
                "content": m.content,
                "created_by": person(m.created_by),
                "created_at": _iso(m.created_at),
            }
            for m in maps
        ],
        "goals": _goals(family, person),
        "celebrations": [
            {
                "block": c.block,
                "words": c.words,
                "celebrated_on": _iso(c.celebrated_on),
                "goal": str(c.goal.public_id) if c.goal else None,
                "created_by": person(c.created_by),
            }
            for c in celebrations
        ],
        "case_reviews": [
            {
                "id": str(r.public_id),
                "reviewed_on": _iso(r.reviewed_on),
                "strengths": r.strengths,
                "adversity": r.adversity,
                "distress": r.distress,
                "family_wants": r.family_wants,
                "plan": r.plan,
                "follow_up_on": _iso(r.follow_up_on),
                "practitioner": person(r.practitioner),
                "signed_off_by": person(r.signed_off_by),
                "signed_off_at": _iso(r.signed_off_at),
            }
            for r in reviews
        ],
        "reminders": [
            {
                "kind": r.kind,
                "due_on": _iso(r.due_on),
                "for": person(r.user),
                "done": r.done_at is not None,
            }
            for r in reminders
        ],
    }


def family_data(family: Family, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything stored about ``family`` (see the module docstring), JSON-ready."""
    today = timezone.localdate(now)
    children = _scoped(Child, family).order_by("birth_month", "id")
    consents = _scoped(ConsentRecord, family).order_by("recorded_at", "id")
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": _iso(now or timezone.now()),
        "organization": {"name": family.organization.name},
        "program": {"name": family.program.name},
        "family": {
            "id": str(family.public_id),
            "name": family.display_name,
            "preferred_language": family.preferred_language,
            "contact_email": family.contact_email,
            "contact_phone": family.contact_phone,
            "created_at": _iso(family.created_at),
        },
        "children": [
            {
                "id": str(c.public_id),
                "nickname": c.nickname,
                "birth_month": f"{c.birth_month:%Y-%m}",
                "age_band": c.age_band(today),
                "created_at": _iso(c.created_at),
            }
            for c in children
        ],
        "consent": {
            "current": consent_current(family),
            "history": [
                {
                    "purpose": r.purpose,
                    "granted": r.granted,
                    "text_version": r.text_version,
                    "language": r.language,
                    "recorded_at": _iso(r.recorded_at),
                }
                for r in consents
            ],
        },
        **_survey_part(family),
        **_casework_part(family),
        "not_included": [
            "restricted visit notes (ask your organization)",
            "link tokens and resume codes (stored only as one-way hashes)",
            "the audit trail (who opened or changed your records, kept by your organization)",
        ],
    }


def family_data_read(
    *, family: Family, verb: str, extra: dict[str, Any], now: dt.datetime | None = None
) -> dict[str, Any]:
    """:func:`family_data`, audited (``verb``: :data:`EXPORT_JSON` or :data:`EXPORT_PDF`) in
    the same transaction as the read; the family is the actor (no account)."""
    with transaction.atomic():
        data = family_data(family, now)
        audit_record(
            verb=verb, actor=None, organization=family.organization, obj=family, extra=extra
        )
    return data
