"""The readable copy of everything stored about a family: a PDF in the family's language.

It is made from :func:`hopeful.web.families.export.family_data` (the same data as the JSON
file, so the two never disagree), with the questionnaires' item texts and answer labels from
:mod:`hopeful.framework`, and the casework vocabularies' labels, laid out by WeasyPrint as the
take-home summary and the reports are (:func:`hopeful.web.reports.render.report_pdf`). Scores
worked out from the answers are in the JSON file; the PDF shows the answers themselves, in
plain words, and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from hopeful.framework import HopefulError, Instrument, get_instrument
from hopeful.web.accounts.models import Language
from hopeful.web.casework.blocks import block_names
from hopeful.web.casework.models import MAP_FIELDS, Barrier, GoalStatus, ReminderKind, VisitMode
from hopeful.web.families.models import AgeBand, ConsentPurpose
from hopeful.web.organizations.models import Role
from hopeful.web.reports.render import report_pdf
from hopeful.web.surveys.demographics import QUESTIONS_BY_KEY, ZIP3_KEY


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Questionnaire:
    title: str
    answers: list[Line]


@dataclass(slots=True)
class Response:
    submitted_on: dt.date | None
    campaign: str
    questionnaires: list[Questionnaire] = field(default_factory=list)
    about: list[Line] = field(default_factory=list)


def _instrument(instrument_id: str, version: str | None) -> Instrument | None:
    try:
        return get_instrument(instrument_id, version)
    except HopefulError:
        return None


def _questionnaire(
    instrument_id: str, version: str | None, given: dict[str, Any], language: str
) -> Questionnaire:
    inst = _instrument(instrument_id, version)
    if inst is None:
        lines = [Line(item, "" if code is None else str(code)) for item, code in given.items()]
        return Questionnaire(title=instrument_id, answers=lines)
    lines = []
    for item in inst.items:
        code = given.get(item.id)
        answer = _("Not answered")
        if code is not None:
            try:
                answer = item.option(int(code)).label.get_text(language)
            except (HopefulError, KeyError, ValueError, TypeError):
                answer = str(code)
        lines.append(Line(item.text.get_text(language), answer))
    return Questionnaire(title=inst.title.get_text(language), answers=lines)


def _about(demographics: dict[str, Any]) -> list[Line]:
    out = []
    for key, value in demographics.items():
        if key == ZIP3_KEY:
            out.append(Line(_("First 3 digits of your ZIP code"), str(value)))
            continue
        question = QUESTIONS_BY_KEY.get(key)
        if question is None:
            continue
        codes = value if isinstance(value, list) else [value]
        out.append(Line(str(question.text), ", ".join(question.label(str(c)) for c in codes)))
    return out


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _responses(data: dict[str, Any], language: str) -> list[Response]:
    out = []
    for s in data["submissions"]:
        versions = {x["instrument_id"]: x["instrument_version"] for x in s["scores"]}
        row = Response(submitted_on=_date(s["submitted_at"]), campaign=s["campaign"])
        for instrument_id, given in (s["answers"] or {}).items():
            row.questionnaires.append(
                _questionnaire(instrument_id, versions.get(instrument_id), given or {}, language)
            )
        row.about = _about(s["demographics"] or {})
        out.append(row)
    return out


def _person(person: dict[str, str] | None, roles: dict[str, str]) -> str:
    if not person:
        return ""
    role = roles.get(person.get("role", ""), "")
    name = person.get("name") or _("A member of the care team")
    return f"{name} ({role})" if role else name


def _map(content: Any, blocks: dict[str, str], barriers: dict[str, str]) -> list[dict[str, Any]]:
    squares = content if isinstance(content, dict) else {}
    parts = {
        "strengths": _("Strengths and positive experiences"),
        "people_places": _("People and places"),
        "barriers": _("What gets in the way"),
        "barriers_note": _("About what gets in the way"),
        "next_steps": _("Next steps"),
    }
    out = []
    for block, name in blocks.items():
        found = squares.get(block)
        square = found if isinstance(found, dict) else {}
        lines = []
        for part in MAP_FIELDS:
            value = square.get(part)
            if isinstance(value, list):
                value = ", ".join(barriers.get(str(v), str(v)) for v in value)
            if value:
                lines.append(Line(str(parts[part]), str(value)))
        if lines:
            out.append({"block": name, "lines": lines})
    return out


def readable(data: dict[str, Any], language: str) -> dict[str, Any]:
    """The PDF's context: ``data`` (:func:`~hopeful.web.families.export.family_data`) with
    every code given its label in ``language``."""
    with translation.override(language):
        roles = {str(k): str(v) for k, v in Role.choices}
        blocks = block_names(language)
        barriers = {str(k): str(v) for k, v in Barrier.choices}
        modes = {str(k): str(v) for k, v in VisitMode.choices}
        statuses = {str(k): str(v) for k, v in GoalStatus.choices}
        kinds = {str(k): str(v) for k, v in ReminderKind.choices}
        purposes = {str(k): str(v) for k, v in ConsentPurpose.choices}
        bands = {str(k): str(v) for k, v in AgeBand.choices}
        return {
            "data": data,
            "generated_on": _date(data["generated_at"]),
            "family_language": str(
                dict(Language.choices).get(data["family"]["preferred_language"], "")
            ),
            "children": [{**c, "band": bands.get(c["age_band"], "")} for c in data["children"]],
            "consent_now": [
                {"label": purposes.get(p, p), "granted": g}
                for p, g in data["consent"]["current"].items()
            ],
            "consent_history": [
                {
                    **r,
                    "label": purposes.get(r["purpose"], r["purpose"]),
                    "on": _date(r["recorded_at"]),
                }
                for r in data["consent"]["history"]
            ],
            "responses": _responses(data, language),
            "team": [_person(p, roles) for p in data["care_team"]],
            "visits": [
                {
                    **v,
                    "on": _date(v["visited_on"]),
                    "how": modes.get(v["mode"], v["mode"]),
                    "by": _person(v["author"], roles),
                }
                for v in data["visits"]
            ],
            "maps": [
                {
                    "version": m["version"],
                    "on": _date(m["created_at"]),
                    "by": _person(m["created_by"], roles),
                    "squares": _map(m["content"], blocks, barriers),
                }
                for m in data["strengths_maps"]
            ],
            "goals": [
                {
                    **g,
                    "block_name": blocks.get(g["block"], ""),
                    "status_label": statuses.get(g["status"], g["status"]),
                    "due": _date(g["due_on"]),
                    "progress": [
                        {
                            "text": u["text"],
                            "on": _date(u["created_at"]),
                            "status_label": statuses.get(u["status"], u["status"]),
                        }
                        for u in g["updates"]
                    ],
                }
                for g in data["goals"]
            ],
            "celebrations": [
                {**c, "block_name": blocks.get(c["block"], ""), "on": _date(c["celebrated_on"])}
                for c in data["celebrations"]
            ],
            "reviews": [
                {
                    **r,
                    "on": _date(r["reviewed_on"]),
                    "follow_up": _date(r["follow_up_on"]),
                    "by": _person(r["practitioner"], roles),
                    "signed_by": _person(r["signed_off_by"], roles),
                    "strength_lines": [
                        Line(blocks.get(b, b), str(text))
                        for b, text in (r["strengths"] or {}).items()
                        if text
                    ],
                }
                for r in data["case_reviews"]
            ],
            "reminders": [
                {"kind": kinds.get(r["kind"], r["kind"]), "due": _date(r["due_on"])}
                for r in data["reminders"]
            ],
        }


def data_pdf(data: dict[str, Any], language: str) -> bytes:
    """The PDF of ``data`` in ``language`` (WeasyPrint, fetching nothing)."""
    with translation.override(language):
        html = render_to_string("families/data_pdf.html", readable(data, language))
    return report_pdf(html)
