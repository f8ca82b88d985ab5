"""Writes for labelled data files: request one (queued with its task), make it (in the
worker), download it. Every request and download is audited with its counts, never with an
answer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hopeful.interop import statfiles
from hopeful.web.audit.services import audit_record
from hopeful.web.core.jobs import task_failed, update_unfinished
from hopeful.web.labelled import selectors
from hopeful.web.labelled.models import DataFile, DataFileStatus, FileFormat
from hopeful.web.organizations.access import Access, access_for
from hopeful.web.organizations.models import Program, Role

logger = logging.getLogger(__name__)

#: Who may ask for, follow and download files: the roles that see identifiable records.
DATAFILE_ROLES = (Role.ORG_ADMIN, Role.PRACTITIONER)


class DataFileError(Exception):
    """A file that cannot be made, with a reason in plain language (shown on its page)."""


def program_scope(access: Access) -> list[str] | None:
    """The public ids of the programs the access sees (sorted), or None for every program."""
    ids = access.program_ids()
    if ids is None:
        return None
    return sorted(
        str(p) for p in Program.objects.filter(id__in=ids).values_list("public_id", flat=True)
    )


def datafile_request(
    *, access: Access, actor: Any, instrument_id: str, file_format: str, language: str
) -> DataFile:
    """Record a request for a labelled file and queue its task, audited ``datafile.request``
    (format, instrument, programs and the number of rows it would hold now).

    The task row is written in the same transaction as the file: both exist or neither does.
    Files of the organization older than their keeping time lose their content here.
    """
    # Imported here: the task module imports this one.
    from hopeful.web.labelled.tasks import make_data_file

    access.require_own_access()
    if not selectors.instrument_versions(instrument_id):
        raise DataFileError(_("Unknown questionnaire."))
    fmt = FileFormat(file_format)
    with transaction.atomic():
        DataFile.objects.for_org(access.organization).expired().exclude(
            content__isnull=True
        ).update(content=None, sas_formats="")
        data_file = DataFile.objects.create(
            organization=access.organization,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            instrument_id=instrument_id,
            file_format=fmt,
            programs=program_scope(access),
            language=language,
        )
        result = make_data_file.enqueue(data_file_id=data_file.pk)
        data_file.task_id = str(result.id)
        data_file.save(update_fields=["task_id"])
        audit_record(
            verb="datafile.request",
            actor=actor,
            organization=access.organization,
            obj=data_file,
            extra={
                "format": data_file.file_format,
                "instrument": instrument_id,
                "programs": data_file.programs if data_file.programs is not None else "all",
                "rows": selectors.score_rows(access=access, instrument_id=instrument_id).count(),
            },
        )
    return data_file


# -- in the worker -----------------------------------------------------------------------------


def _set(data_file: DataFile, **fields: Any) -> bool:
    """Save at once, only while the file is unfinished; returns whether it was saved."""
    return update_unfinished(data_file, DataFile.objects.unfinished(), **fields)


def _requester_access(data_file: DataFile) -> Access:
    """The requester's access now: someone who lost the role since asking gets nothing."""
    user = data_file.requested_by
    access = access_for(user, data_file.organization) if user is not None else None
    if access is None or access.via_support or access.role not in DATAFILE_ROLES:
        raise DataFileError(
            _("The person who asked for this file can no longer see families' records.")
        )
    return access


def _make(data_file: DataFile, progress: Callable[[int], None]) -> tuple[bytes, str, int]:
    access = _requester_access(data_file)
    versions = selectors.instrument_versions(data_file.instrument_id)
    if not versions:
        raise DataFileError(_("This questionnaire is no longer available."))
    codebook = statfiles.codebook_for(versions)
    # The rows the requester sees now (programs narrowed if they lost one since asking).
    _set(data_file, programs=program_scope(access))
    scores = selectors.score_rows(access=access, instrument_id=data_file.instrument_id)
    total = scores.count()
    progress(10)
    rows: list[statfiles.Row] = []
    for row in selectors.file_rows(scores):
        rows.append(row)
        if total and len(rows) % 2000 == 0:
            progress(10 + 60 * len(rows) // total)
    progress(70)
    frame = statfiles.build_frame(codebook, rows)
    progress(80)
    body = statfiles.file_bytes(data_file.file_format, codebook, frame)
    formats = statfiles.sas_formats(codebook) if data_file.file_format == FileFormat.XPT else ""
    return body, formats, len(rows)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, DataFileError):
        return str(exc)
    return _(
        "The file could not be made (%(error)s). Try again; if it fails again, ask your "
        "administrator to look at the worker's log."
    ) % {"error": type(exc).__name__}


def datafile_run(*, data_file_id: int) -> None:
    """Make the file (the task body). Failures are recorded on the file, then raised again so
    the queue records them too. Idempotent: a finished file is left as it is, and only the
    first attempt to finish records its outcome."""
    found = (
        DataFile.objects.select_related("organization", "requested_by")
        .defer("content")
        .filter(pk=data_file_id)
        .first()
    )
    if found is None or found.finished:
        return
    if found.status == DataFileStatus.RUNNING:
        logger.warning("data file %s: running it again (an earlier attempt stopped)", found.pk)
    if not _set(
        found, status=DataFileStatus.RUNNING, progress=5, started_at=timezone.now(), error=""
    ):
        return

    def progress(value: int) -> None:
        _set(found, progress=max(found.progress, min(value, 99)))

    with translation.override(found.language):
        try:
            body, formats, rows = _make(found, progress)
        except Exception as exc:
            logger.exception("data file %s failed", found.public_id)
            _set(
                found,
                status=DataFileStatus.FAILED,
                error=_error_text(exc),
                finished_at=timezone.now(),
            )
            raise
    if not _set(
        found,
        content=body,
        sas_formats=formats,
        rows=rows,
        size=len(body),
        status=DataFileStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
    ):
        logger.warning("data file %s was finished by another attempt: kept", found.public_id)


# -- on the page -------------------------------------------------------------------------------


def datafile_sync(*, data_file: DataFile) -> DataFile:
    """Mark an unfinished file failed when its task failed before the file could say so."""
    if data_file.finished or not task_failed(data_file.task_id):
        return data_file
    _set(
        data_file,
        status=DataFileStatus.FAILED,
        error=_(
            "The file could not be made: its background task failed. Try again; if it fails "
            "again, ask your administrator to look at the worker's log."
        ),
        finished_at=timezone.now(),
    )
    return data_file


def datafile_download(*, access: Access, actor: Any, data_file: DataFile, part: str) -> bytes:
    """The file (``part`` "data") or its SAS value labels (``part`` "formats"), audited
    ``datafile.download`` with the format, instrument, row count and size."""
    access.require_own_access()
    body = bytes(data_file.content or b"") if part == "data" else data_file.sas_formats.encode()
    with transaction.atomic():
        audit_record(
            verb="datafile.download",
            actor=actor,
            organization=access.organization,
            obj=data_file,
            extra={
                "part": part,
                "format": data_file.file_format,
                "instrument": data_file.instrument_id,
                "rows": data_file.rows,
                "size": len(body),
            },
        )
    return body
