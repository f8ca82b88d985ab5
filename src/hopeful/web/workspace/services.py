"""Writes for uploaded survey files: upload (queued with its import), import (in the worker),
delete (rows in a transaction, then the files on disk, retried until gone).

Who may do what: every researcher and org admin of the organization sees its files and runs
analyses on them; a file is deleted by the person who uploaded it or by an org admin.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful.research import LabelledTable, ReadError, read_table
from hopeful.research.io import FORMATS, file_sha256
from hopeful.web.audit.services import audit_record
from hopeful.web.core.jobs import task_failed, update_unfinished
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Role
from hopeful.web.workspace import storage
from hopeful.web.workspace.models import ResearchFile, Status
from hopeful.web.workspace.storage import StagedUpload

logger = logging.getLogger(__name__)

#: Who uses the workspace.
WORKSPACE_ROLES = (Role.RESEARCHER, Role.ORG_ADMIN)
#: Longest display name kept (the rest is cut, keeping the suffix).
NAME_LENGTH = 120
#: Value labels shown per column in the summary.
EXAMPLES = 4
#: How often, and how long apart, removing a deleted file's directory is tried again.
PURGE_ATTEMPTS = 12
PURGE_DELAY = dt.timedelta(minutes=10)


class UploadError(ValueError):
    """An upload that is refused, with a reason in plain language."""


def display_name(name: str) -> str:
    """The uploader's file name as shown: its last path part, at most :data:`NAME_LENGTH`."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "upload"
    if len(name) <= NAME_LENGTH:
        return name
    suffix = Path(name).suffix[:16]
    return name[: NAME_LENGTH - len(suffix) - 1] + "…" + suffix


def suffix_of(name: str) -> str:
    """The suffix ``read_table`` would go by (lower case, no trailing space), or ``""``."""
    suffix = Path(name.strip()).suffix.lower()
    return suffix if suffix in FORMATS else ""


def can_delete(access: Access, file: ResearchFile) -> bool:
    """The uploader or an org admin (a colleague's file, and their analyses, stay theirs)."""
    if access.via_support:
        return False
    return access.is_admin or (
        file.uploaded_by_id is not None
        and access.membership is not None
        and file.uploaded_by_id == access.membership.user_id
    )


def file_upload(
    *, access: Access, actor: Any, data: StagedUpload, catalogue: StagedUpload | None
) -> ResearchFile:
    """Keep an uploaded file and queue its import, audited ``research_file.upload``.

    The bytes are renamed into the file's own directory first; then the row, its task and the
    audit event are written in one transaction (the queue is in this database): an upload the
    page acknowledges is never lost. When anything fails the directory is removed again.
    """
    suffix = suffix_of(data.name or "")
    if not suffix:
        raise UploadError(_("This is not a file type the workspace reads."))

    def place(directory: Path) -> None:
        Path(data.temporary_file_path()).replace(directory / f"{storage.UPLOAD_STEM}{suffix}")
        if catalogue is not None:
            Path(catalogue.temporary_file_path()).replace(directory / storage.CATALOGUE)

    file = ResearchFile(
        organization=access.organization,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        name=display_name(data.name or ""),
        format=FORMATS[suffix],
        suffix=suffix,
        catalogue_name=display_name(catalogue.name or "") if catalogue is not None else "",
        size=data.size or 0,
        sha256=data.sha256,
    )
    return _keep(access=access, actor=actor, file=file, place=place)


def file_example(*, access: Access, actor: Any) -> ResearchFile:
    """Add the synthetic BRFSS-like example file (:mod:`hopeful.web.workspace.example`), as
    an upload would (imported by the worker), audited ``research_file.upload``."""
    from hopeful.web.workspace import example

    file = ResearchFile(
        organization=access.organization,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        name=example.NAME,
        format="parquet",
        suffix=".parquet",
    )

    def place(directory: Path) -> None:
        target = directory / f"{storage.UPLOAD_STEM}.parquet"
        write_parquet(example.example_table(), target)
        file.size = target.stat().st_size
        file.sha256 = file_sha256(target)

    return _keep(access=access, actor=actor, file=file, place=place)


def _keep(
    *, access: Access, actor: Any, file: ResearchFile, place: Callable[[Path], None]
) -> ResearchFile:
    from hopeful.web.workspace.tasks import import_file  # the task module imports this one

    directory = storage.file_dir(access.organization.public_id, file.public_id)
    try:
        directory.mkdir(parents=True)
        place(directory)
        with transaction.atomic():
            file.save()
            result = import_file.enqueue(file_id=file.pk)
            file.task_id = str(result.id)
            file.save(update_fields=["task_id"])
            audit_record(
                verb="research_file.upload",
                actor=actor,
                organization=access.organization,
                obj=file,
                extra={
                    "name": file.name,
                    "size": file.size,
                    "sha256": file.sha256,
                    "catalogue": file.catalogue_name,
                },
            )
    except BaseException:
        storage.remove_dir(directory)
        raise
    return file


# -- the import, in the worker -----------------------------------------------------------------


def _set(file: ResearchFile, **fields: Any) -> bool:
    """Save at once, only while unfinished (an attempt never overwrites another's outcome)."""
    return update_unfinished(file, ResearchFile.objects.unfinished(), **fields)


def _code(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "item"):  # numpy scalars
        return _code(value.item())
    return value


def summarize(table: LabelledTable) -> list[dict[str, Any]]:
    """One object per column: name, variable label, numeric, missing values, value labels."""
    import pandas as pd

    out = []
    for name in table.frame.columns:
        column = table.frame[name]
        labels = table.value_labels.get(str(name), {})
        out.append(
            {
                "name": str(name),
                "label": table.variable_labels.get(str(name), ""),
                "numeric": bool(pd.api.types.is_numeric_dtype(column.dtype)),
                "missing": int(column.isna().sum()),
                "value_labels": len(labels),
                "examples": [[_code(c), str(t)] for c, t in list(labels.items())[:EXAMPLES]],
            }
        )
    return out


def write_parquet(table: LabelledTable, path: Path) -> None:
    """The table as Parquet with its labels in each field's metadata (``label`` and
    ``value_labels`` as ``[[code, label], ...]``, the keys ``read_table`` reads back);
    written to a temporary name and renamed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(table.frame, preserve_index=False)
    fields = []
    for field in arrow.schema:
        metadata: dict[bytes, bytes] = {}
        label = table.variable_labels.get(field.name, "")
        if label:
            metadata[b"label"] = label.encode("utf-8")
        labels = table.value_labels.get(field.name)
        if labels:
            pairs = [
                [_code(c), str(t)]
                for c, t in labels.items()
                if not (isinstance(c, float) and not math.isfinite(c))
            ]
            metadata[b"value_labels"] = json.dumps(pairs, ensure_ascii=False).encode("utf-8")
        fields.append(field.with_metadata(metadata) if metadata else field)
    arrow = pa.Table.from_arrays(arrow.columns, schema=pa.schema(fields))
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(handle)
    try:
        pq.write_table(arrow, temp, row_group_size=250_000)
        Path(temp).replace(path)
    finally:
        Path(temp).unlink(missing_ok=True)


def _public_message(exc: ReadError, file: ResearchFile, directory: Path) -> str:
    """The reader's message with our paths replaced by the names the user knows."""
    text = str(exc)
    text = text.replace(str(directory / f"{storage.UPLOAD_STEM}{file.suffix}"), file.name)
    text = text.replace(str(directory / storage.CATALOGUE), file.catalogue_name or "catalogue")
    return text.replace(str(directory), "")


def file_import(*, file_id: int) -> None:
    """Read the uploaded file, record its summary and write the Parquet copy (the task body).

    A file that cannot be read is marked failed with the reader's message and its bytes are
    removed (nothing else is kept). Idempotent: a finished file is left as it is; an unfinished
    one (a worker died half-way) is imported again from the start.
    """
    file = ResearchFile.objects.select_related("organization").filter(pk=file_id).first()
    if file is None or file.finished:
        return
    if not _set(file, status=Status.RUNNING, progress=5, started_at=timezone.now(), error=""):
        return
    directory = storage.file_dir(file.organization.public_id, file.public_id)
    upload = directory / f"{storage.UPLOAD_STEM}{file.suffix}"
    catalogue = directory / storage.CATALOGUE
    try:
        table = read_table(upload, labels=catalogue if file.has_catalogue else None)
        _set(file, progress=50)
        columns = summarize(table)
        _set(file, progress=60)
        write_parquet(table, directory / storage.PARQUET)
    except ReadError as exc:
        _fail(file, directory, _public_message(exc, file, directory))
        return
    except Exception as exc:
        logger.exception("research file %s: import failed", file.public_id)
        _fail(
            file,
            directory,
            _(
                "The file could not be imported (%(error)s). Try again; if it fails again, ask "
                "your administrator to look at the worker's log."
            )
            % {"error": type(exc).__name__},
        )
        raise
    with transaction.atomic():
        done = _set(
            file,
            status=Status.DONE,
            progress=100,
            rows=len(table.frame),
            columns=columns,
            finished_at=timezone.now(),
        )
        if done:
            audit_record(
                verb="research_file.import_done",
                actor=None,
                organization=file.organization,
                obj=file,
                extra={"rows": len(table.frame), "columns": len(columns)},
            )


def _fail(file: ResearchFile, directory: Path, message: str) -> None:
    with transaction.atomic():
        failed = _set(file, status=Status.FAILED, error=message, finished_at=timezone.now())
        if failed:
            audit_record(
                verb="research_file.import_failed",
                actor=None,
                organization=file.organization,
                obj=file,
                extra={"error": message[:500]},
            )
    if failed:
        storage.remove_dir(directory)  # nothing of a file that cannot be read is kept


def file_sync(*, file: ResearchFile) -> ResearchFile:
    """Mark an unfinished import failed when its task failed before the file could say so."""
    if file.finished or not file.task_id:
        return file
    if not task_failed(file.task_id):
        return file
    _set(
        file,
        status=Status.FAILED,
        error=_(
            "The file could not be imported: its background task failed. Upload it again; if "
            "it fails again, ask your administrator to look at the worker's log."
        ),
        finished_at=timezone.now(),
    )
    return file


# -- delete ------------------------------------------------------------------------------------


def file_delete(*, access: Access, actor: Any, file: ResearchFile) -> None:
    """Delete a file: its row and its analyses, then its bytes and Parquet copy on disk.

    The rows, the audit event ``research_file.delete`` and a purge task are written in one
    transaction, so a failure changes nothing. After the commit the directory is removed at
    once; the purge task removes it again in the worker (and retries, then reports) when it
    could not be: deleted means deleted.
    """
    from hopeful.web.workspace.tasks import purge_file

    org_id, file_id = str(access.organization.public_id), str(file.public_id)
    directory = storage.file_dir(org_id, file_id)
    with transaction.atomic():
        audit_record(
            verb="research_file.delete",
            actor=actor,
            organization=access.organization,
            obj=file,
            extra={
                "name": file.name,
                "sha256": file.sha256,
                "analyses": file.analyses.count(),
            },
        )
        purge_file.enqueue(org_id=org_id, file_id=file_id, attempt=1)
        file.delete()
        transaction.on_commit(lambda: storage.remove_dir(directory))


def file_purge(*, org_id: str, file_id: str, attempt: int) -> None:
    """Remove a deleted file's directory (the task body); try again later while it cannot be
    removed, and record ``research_file.purge_failed`` in the audit log each time."""
    from hopeful.web.organizations.models import Organization
    from hopeful.web.workspace.tasks import purge_file

    if ResearchFile.objects.filter(public_id=file_id).exists():
        return  # not deleted (the delete was rolled back): nothing to purge
    directory = storage.file_dir(org_id, file_id)
    if storage.remove_dir(directory):
        return
    organization = Organization.objects.filter(public_id=org_id).first()
    audit_record(
        verb="research_file.purge_failed",
        actor=None,
        organization=organization,
        object_type="workspace.researchfile",
        object_id=file_id,
        extra={"attempt": attempt},
    )
    if attempt < PURGE_ATTEMPTS:
        purge_file.using(run_after=timezone.now() + PURGE_DELAY).enqueue(
            org_id=org_id, file_id=file_id, attempt=attempt + 1
        )
    raise OSError(f"research file {file_id}: cannot remove {directory}")
