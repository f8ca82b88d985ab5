"""Reads for labelled data files: the files a member may see, one file by its public id
(else 404), the instruments a file can hold, and the rows that go in one (the CSV export's
rows, read through :func:`hopeful.web.practice.export.export_scores`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import ngettext

from hopeful.cells import safe_cell
from hopeful.framework import Instrument, UnknownInstrumentError, get_instrument, list_instruments
from hopeful.interop.statfiles import Row
from hopeful.web.labelled.models import DataFile, DataFileQuerySet
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Role
from hopeful.web.practice.export import export_scores
from hopeful.web.surveys.models import InstrumentScore

#: The list page shows the latest files.
LIST_LIMIT = 50


def instrument_versions(instrument_id: str) -> list[Instrument]:
    """Every registered version of an instrument, the newest first (empty if unknown)."""
    versions = [i for i in list_instruments(all_versions=True) if i.id == instrument_id]
    return list(reversed(versions))


def instrument_choices(language: str, access: Access) -> list[tuple[str, str]]:
    """(id, label) of every registered instrument for the request form: those the
    organization has answers for first, most answered first, each with its count, so the
    form starts on the questionnaire a file is most likely wanted for."""
    counts = dict(
        InstrumentScore.objects.filter(organization=access.organization)
        .values_list("instrument_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    ordered = sorted(list_instruments(), key=lambda i: (-counts.get(i.id, 0), i.id))
    return [(i.id, _choice_label(i, counts.get(i.id, 0), language)) for i in ordered]


def _choice_label(instrument: Instrument, answered: int, language: str) -> str:
    title = instrument.short_title.get_text(language)
    return ngettext(
        "%(title)s (%(n)d answer in all)", "%(title)s (%(n)d answers in all)", answered
    ) % {"title": title, "n": answered}


def instrument_title(instrument_id: str, language: str) -> str:
    """The questionnaire's short title (its id when it is no longer registered)."""
    try:
        return get_instrument(instrument_id).short_title.get_text(language)
    except UnknownInstrumentError:  # removed from the registry: the file keeps its id
        return instrument_id


def _visible(access: Access) -> DataFileQuerySet:
    """Org admins (and support access, which only looks) see every file of the organization;
    a practitioner sees the files they asked for (an admin's file covers programs they may
    not see)."""
    files = DataFile.objects.for_org(access.organization).select_related("requested_by")
    if access.role != Role.ORG_ADMIN:
        user_id = access.membership.user_id if access.membership is not None else None
        files = files.filter(requested_by_id=user_id) if user_id is not None else files.none()
    return files


def data_files_for(*, access: Access) -> QuerySet[DataFile]:
    """The latest files the access may see, without their content."""
    return (
        _visible(access).defer("content", "sas_formats").order_by("-created_at", "-id")[:LIST_LIMIT]
    )


def data_file_for(*, access: Access, public_id: Any, with_content: bool = False) -> DataFile:
    """One file the access may see; another organization's (or another practitioner's, or
    none) is 404."""
    files = _visible(access)
    if not with_content:
        files = files.defer("content")
    found = files.filter(public_id=public_id).first()
    if found is None:
        raise Http404
    return found


def covers(access: Access, data_file: DataFile) -> bool:
    """Whether the access sees every program the file's rows come from (a practitioner who
    lost a program since the file was made may not download it)."""
    seen = access.program_ids()
    if seen is None:
        return True
    if data_file.programs is None:
        return False
    from hopeful.web.organizations.models import Program

    wanted = set(
        Program.objects.filter(
            organization=access.organization, public_id__in=data_file.programs
        ).values_list("id", flat=True)
    )
    return len(wanted) == len(data_file.programs) and wanted <= seen


def score_rows(*, access: Access, instrument_id: str) -> QuerySet[InstrumentScore]:
    """The CSV export's rows of one instrument: consented families, the access's programs."""
    return export_scores(access).filter(instrument_id=instrument_id)


def _text(value: Any) -> str:
    # The same cell as the CSV export (a leading ' on text a spreadsheet would run).
    return "" if value is None else str(safe_cell(str(value)))


#: What a file's row reads from a score and its submission (values, not model instances:
#: a 20,000-row file is read four times faster).
ROW_FIELDS = (
    "submission__public_id",
    "submission__family__public_id",
    "submission__program__name",
    "submission__submitted_at",
    "submission__language",
    "submission__campaign__name",
    "instrument_id",
    "instrument_version",
    "submission__answers",
    "values",
    "reason",
)


def _code(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def file_rows(scores: QuerySet[InstrumentScore]) -> Iterator[Row]:
    """The rows of a file, one per score, with the submission's answers to the instrument."""
    for values in scores.values_list(*ROW_FIELDS).iterator(chunk_size=2000):
        (sub_id, family_id, program, when, language, campaign, inst, version) = values[:8]
        all_answers, outputs, reason = values[8:]
        answers = (all_answers or {}).get(inst) or {}
        yield Row(
            submission_id=str(sub_id),
            family_id=str(family_id),
            program=_text(program),
            submitted_at=when,
            language=language,
            campaign=_text(campaign),
            instrument=inst,
            version=version,
            answers={str(k): _code(v) for k, v in answers.items()},
            outputs=dict(outputs or {}),
            reason=_text(reason),
        )
