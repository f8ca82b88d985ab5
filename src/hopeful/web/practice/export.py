"""The organization's CSV export of submissions (``/orgs/<org_id>/export.csv``): one row per
submission and questionnaire, of families whose current consent covers ``care``, audited
before any row leaves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from hopeful.cells import safe_cell
from hopeful.framework import list_instruments as framework_instruments
from hopeful.web.audit.services import audit_record
from hopeful.web.families.models import ConsentPurpose
from hopeful.web.families.selectors import with_consent
from hopeful.web.organizations.access import Access, scope_to_programs
from hopeful.web.organizations.models import Program
from hopeful.web.surveys.models import InstrumentScore, Submission


def consented_submissions(access: Access) -> QuerySet[Submission]:
    """The organization's submissions the access sees, whose family consents to ``care``."""
    queryset = scope_to_programs(Submission.objects.all(), access)
    return with_consent(queryset, ConsentPurpose.CARE, family_field="family")


EXPORT_FIXED_COLUMNS = (
    "submission_id",
    "family_id",
    "program",
    "submitted_at",
    "language",
    "campaign",
    "instrument",
    "version",
)


def export_output_columns() -> list[str]:
    """Every output id of every registered instrument version, in registry order, once.

    The header is fixed before streaming starts; an instrument without an output leaves it
    blank."""
    columns: dict[str, None] = {}
    for instrument in framework_instruments(all_versions=True):
        for output in instrument.all_outputs:
            columns.setdefault(output.id, None)
    return list(columns)


def export_header() -> list[str]:
    return [*EXPORT_FIXED_COLUMNS, *export_output_columns(), "reason"]


def _export_scores(access: Access) -> QuerySet[InstrumentScore]:
    consented = consented_submissions(access).values("id")
    return (
        InstrumentScore.objects.filter(organization=access.organization, submission__in=consented)
        .select_related("submission__family", "submission__program", "submission__campaign")
        .order_by("-submission__submitted_at", "submission_id", "instrument_id")
    )


def export_scores(access: Access) -> QuerySet[InstrumentScore]:
    """The rows of the CSV export (one score per submission and instrument, consented
    families, the access's programs, newest first), for other exports of the same rows
    (the labelled SPSS/Stata/SAS files)."""
    return _export_scores(access)


def _csv_cell(value: Any) -> str:
    """A cell as text (empty for none, 1/0 for yes/no) that a spreadsheet will not run."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return safe_cell(str(value))


def _export_rows(scores: QuerySet[InstrumentScore], outputs: list[str]) -> Iterator[list[str]]:
    for score in scores.iterator(chunk_size=500):
        submission = score.submission
        yield [
            str(submission.public_id),
            str(submission.family.public_id),
            _csv_cell(submission.program.name),
            submission.submitted_at.isoformat(),
            submission.language,
            _csv_cell(submission.campaign.name),
            score.instrument_id,
            score.instrument_version,
            *(_csv_cell(score.values.get(column)) for column in outputs),
            _csv_cell(score.reason),
        ]


def export_submissions(*, access: Access, actor: Any) -> tuple[list[str], Iterator[list[str]]]:
    """The CSV header and a lazy iterator of rows (one per submission and instrument) of the
    submissions the access sees, of families whose current consent covers ``care``.

    The audit event ``export.csv`` (with the row count) is written before any row leaves,
    so an export that is cut off half-way is still on the record.
    """
    scores = _export_scores(access)
    with transaction.atomic():
        row_count = scores.count()
        audit_record(
            verb="export.csv",
            actor=actor,
            organization=access.organization,
            object_type="surveys.submission",
            extra={"rows": row_count, "programs": _program_scope(access)},
        )
    outputs = export_output_columns()
    return [*EXPORT_FIXED_COLUMNS, *outputs, "reason"], _export_rows(scores, outputs)


def _program_scope(access: Access) -> str | list[str]:
    ids = access.program_ids()
    if ids is None:
        return "all"
    return sorted(
        str(p) for p in Program.objects.filter(id__in=ids).values_list("public_id", flat=True)
    )
