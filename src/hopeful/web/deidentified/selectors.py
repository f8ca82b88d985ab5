"""Reads for de-identified exports: the organization's exports, and the responses released
for research (the rows an export is made from, already reduced as Safe Harbor says)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils import timezone

from hopeful.web.deidentified import deidentify as deid
from hopeful.web.deidentified.models import DeidentifiedExport, DeidentifiedExportQuerySet
from hopeful.web.families.models import Child, ConsentPurpose, ResearchRecord, age_band
from hopeful.web.families.selectors import with_consent
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Organization, Program
from hopeful.web.surveys.demographics import (
    GENDER,
    INCOME,
    PREFER_NOT,
    RACE_ETHNICITY,
    RESTRICTED_ZIP3,
    ZIP3_KEY,
)
from hopeful.web.surveys.models import InstrumentScore, Submission

#: The list page shows the latest exports.
LIST_LIMIT = 50


def exports_for(*, access: Access) -> DeidentifiedExportQuerySet:
    """The organization's latest exports, without their files."""
    return (
        DeidentifiedExport.objects.for_org(access.organization)
        .select_related("requested_by")
        .defer("content")
        .order_by("-created_at", "-id")[:LIST_LIMIT]
    )


def export_for(*, access: Access, public_id: Any, with_content: bool = False) -> DeidentifiedExport:
    """One export of the organization; another organization's (or none) is 404."""
    exports = DeidentifiedExport.objects.for_org(access.organization).select_related("requested_by")
    if not with_content:
        exports = exports.defer("content")
    found = exports.filter(public_id=public_id).first()
    if found is None:
        raise Http404
    return found


# -- the rows an export is made from ------------------------------------------------------------


@dataclass
class Source:
    """The responses released for research, one dict per response (column -> value, the
    quasi-identifiers at their Safe Harbor level 0), and what they cover."""

    rows: list[dict[str, str]] = field(default_factory=list)
    instruments: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    """instrument id -> {"items": item ids seen, "outputs": score outputs seen}"""
    programs: list[tuple[str, str]] = field(default_factory=list)
    research_records: int = 0


def program_codes(organization: Organization) -> dict[int, tuple[str, str]]:
    """Program id -> (code, name). Codes follow the order programs were made (P01, P02 ...),
    so they are stable from one export to the next; names stay out of the file (a program's
    name can say a town or a street, a place smaller than a state)."""
    programs = Program.objects.filter(organization=organization).order_by("created_at", "id")
    return {p.pk: (f"P{i:02d}", p.name) for i, p in enumerate(programs, start=1)}


def _demographics(stored: Any) -> dict[str, str]:
    stored = stored if isinstance(stored, dict) else {}
    race = stored.get(RACE_ETHNICITY.key)
    race_text = (
        PREFER_NOT
        if race == [PREFER_NOT] or race == PREFER_NOT
        else deid.codes_label(race, RACE_ETHNICITY.codes - {PREFER_NOT})
    )
    return {
        "zip3": deid.zip3_label(stored.get(ZIP3_KEY), RESTRICTED_ZIP3),
        "race_ethnicity": race_text,
        "income": deid.choice_code(stored.get(INCOME.key), INCOME.codes),
        # the caregiver's own gender: never the child's gender, nor disability
        "gender": deid.choice_code(stored.get(GENDER.key), GENDER.codes),
    }


def _answers(
    source: Source, row: dict[str, str], answers: Any, scores: dict[str, tuple[str, Any]]
) -> None:
    for instrument_id, items in (answers if isinstance(answers, dict) else {}).items():
        if not deid.safe_key(instrument_id) or not isinstance(items, dict):
            continue
        seen = source.instruments.setdefault(instrument_id, {"items": set(), "outputs": set()})
        for item_id, value in items.items():
            if deid.safe_key(item_id):
                seen["items"].add(item_id)
                row[f"item.{instrument_id}.{item_id}"] = deid.answer_code(value)
    for instrument_id, (version, values) in scores.items():
        if not deid.safe_key(instrument_id) or not isinstance(values, dict):
            continue
        seen = source.instruments.setdefault(instrument_id, {"items": set(), "outputs": set()})
        row[f"version.{instrument_id}"] = deid.version_label(version)
        for output_id, value in values.items():
            if deid.safe_key(output_id):
                seen["outputs"].add(output_id)
                row[f"score.{instrument_id}.{output_id}"] = deid.score_value(value)


def _children_at(births: list[dt.date], on: dt.date) -> tuple[str, str]:
    """The children born by ``on``: their birth years and age bands, ``;``-joined."""
    born = sorted(b for b in births if b <= on)
    years = ";".join(deid.birth_year_label(b.year, on.year) for b in born)
    bands = ";".join(age_band(b, on) for b in born)
    return years, bands


def research_source(*, organization: Organization) -> Source:
    """Every response the organization may release for research: those of families whose
    current (latest) research consent is a grant, and the research records deleted families
    released. Nothing identifying is read into the rows: no name, contact, child nickname,
    exact date or full ZIP code, and no free text."""
    source = Source()
    codes = program_codes(organization)
    source.programs = list(codes.values())
    submissions = with_consent(
        Submission.objects.filter(organization=organization), ConsentPurpose.RESEARCH
    ).order_by("id")
    rows = list(
        submissions.values_list(
            "id", "family_id", "program_id", "language", "submitted_at", "answers", "demographics"
        )
    )
    family_ids = {r[1] for r in rows}
    births: dict[int, list[dt.date]] = defaultdict(list)
    for family_id, birth in Child.objects.filter(
        organization=organization, family_id__in=family_ids
    ).values_list("family_id", "birth_month"):
        births[family_id].append(birth)
    scores: dict[int, dict[str, tuple[str, Any]]] = defaultdict(dict)
    for submission_id, instrument_id, version, values in InstrumentScore.objects.filter(
        organization=organization, submission_id__in=[r[0] for r in rows]
    ).values_list("submission_id", "instrument_id", "instrument_version", "values"):
        scores[submission_id][instrument_id] = (version, values)
    for submission_id, family_id, program_id, language, submitted_at, answers, stored in rows:
        on = timezone.localtime(submitted_at).date()
        birth_years, bands = _children_at(births.get(family_id, []), on)
        row = {
            "family_key": f"family:{family_id}",
            "program": codes.get(program_id, ("", ""))[0],
            "year": deid.year_label(on.year),
            "language": str(language),
            "child_birth_years": birth_years,
            "child_age_bands": bands,
            **_demographics(stored),
        }
        _answers(source, row, answers, scores.get(submission_id, {}))
        source.rows.append(row)
    records = ResearchRecord.objects.filter(organization=organization).order_by("id")
    for record in records.values_list(
        "id", "program_id", "language", "month", "answers", "scores", "demographics"
    ):
        record_id, program_id, language, month, answers, record_scores, stored = record
        row = {
            # a deleted family's records cannot be linked to each other: one pseudonym each
            "family_key": f"record:{record_id}",
            "program": codes.get(program_id, ("", ""))[0],
            "year": deid.year_label(month.year),
            "language": str(language),
            "child_birth_years": "",
            "child_age_bands": "",
            **_demographics(stored),
        }
        score_map = {
            str(i): (str(s.get("version", "")), s.get("values", {}))
            for i, s in (record_scores if isinstance(record_scores, dict) else {}).items()
            if isinstance(s, dict)
        }
        _answers(source, row, answers, score_map)
        source.rows.append(row)
        source.research_records += 1
    return source
