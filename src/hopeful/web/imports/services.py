"""Importing a file of answers from ODK/KoboToolbox or REDCap: read it and keep what would
happen (:func:`import_preview`), then store every valid row (:func:`import_confirm`) or
nothing (:func:`import_cancel`).

Every row is stored by :func:`~hopeful.web.surveys.services_integration.integration_submit`,
with the same checks, scoring, consent records and audit as a family's own answers. Its id in
the other system (ODK's instanceID, REDCap's record_id) becomes the submission's client UUID
(:func:`~hopeful.web.surveys.services_integration.external_client_uuid`), so importing the same
file twice stores nothing new, and a record sent again with other answers is a conflict.
The audit events hold counts, never answers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from hopeful.framework import get_instrument
from hopeful.interop.odk import parse_odk_csv
from hopeful.interop.redcap import parse_redcap_records
from hopeful.interop.rows import ParsedFile
from hopeful.web.audit.services import audit_record
from hopeful.web.imports.models import ImportBatch, ImportFormat, ImportStatus, RowState
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Role
from hopeful.web.surveys.errors import SurveyError
from hopeful.web.surveys.models import Campaign, CampaignLink, LinkKind, Submission
from hopeful.web.surveys.services import (
    SubmissionPayload,
    canonical_payload,
    payload_hash,
    pinned_instruments,
)
from hopeful.web.surveys.services_integration import external_client_uuid, integration_submit

__all__ = [
    "IMPORT_ROLES",
    "ImportFileError",
    "import_cancel",
    "import_confirm",
    "import_preview",
    "import_run",
]

#: Who imports: org admins, and practitioners into campaigns of the programs they see.
IMPORT_ROLES = (Role.ORG_ADMIN, Role.PRACTITIONER)

#: Client UUIDs looked up per query (SQLite's limit on query parameters).
_CHUNK = 500


class ImportFileError(Exception):
    """The file as a whole cannot be imported (nothing was kept); ``messages`` say why."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _parse(fmt: str, data: bytes, instrument: Any) -> ParsedFile:
    if fmt == ImportFormat.REDCAP:
        return parse_redcap_records(data, instrument)
    return parse_odk_csv(data, instrument)


def row_payload(row: dict[str, Any], batch: ImportBatch, instrument_id: str) -> SubmissionPayload:
    """The submission one valid parsed row makes."""
    return SubmissionPayload(
        client_uuid=external_client_uuid(
            organization=batch.organization, source=batch.source, external_id=row["external_id"]
        ),
        language=row["language"],
        consent=row["consent"],
        name=row["name"],
        answers={instrument_id: row["answers"]},
        child_birth_month=row["child_birth_month"],
        answered_at=(
            dt.datetime.fromisoformat(row["answered_at"]) if row.get("answered_at") else None
        ),
    )


def _classify(batch: ImportBatch, rows: list[dict[str, Any]]) -> None:
    """Mark each row new, replay, conflict or invalid (the campaign's languages are checked
    here: the file's reader knows the instrument, not the campaign)."""
    campaign = batch.campaign
    instruments = pinned_instruments(campaign)
    languages = campaign.languages or ["en", "es"]
    digests: dict[uuid.UUID, str] = {}
    for row in rows:
        if not row["errors"] and row["language"] not in languages:
            row["errors"].append(f"This survey is not offered in {row['language']!r}.")
        if row["errors"]:
            row["state"] = RowState.INVALID
            continue
        payload = row_payload(row, batch, batch.instrument_id)
        digests[payload.client_uuid] = payload_hash(canonical_payload(payload, instruments))
        row["client_uuid"] = str(payload.client_uuid)
    link = CampaignLink.objects.filter(campaign=campaign, kind=LinkKind.INTEGRATION).first()
    existing: dict[uuid.UUID, tuple[int, str]] = {}
    keys = list(digests)
    for start in range(0, len(keys), _CHUNK):
        found = Submission.objects.filter(client_uuid__in=keys[start : start + _CHUNK])
        for client_uuid, link_id, digest in found.values_list(
            "client_uuid", "link_id", "payload_hash"
        ):
            existing[client_uuid] = (link_id, digest)
    for row in rows:
        if row.get("state") == RowState.INVALID:
            continue
        key = uuid.UUID(row["client_uuid"])
        if key not in existing:
            row["state"] = RowState.NEW
        elif link is not None and existing[key] == (link.pk, digests[key]):
            row["state"] = RowState.REPLAY
        else:
            row["state"] = RowState.CONFLICT


def _count(batch: ImportBatch) -> None:
    states = [row["state"] for row in batch.rows]
    batch.total_count = len(states)
    batch.new_count = states.count(RowState.NEW)
    batch.replay_count = states.count(RowState.REPLAY)
    batch.conflict_count = states.count(RowState.CONFLICT)
    batch.invalid_count = states.count(RowState.INVALID)
    batch.imported_count = states.count(RowState.IMPORTED)
    batch.failed_count = states.count(RowState.FAILED)


def _counts(batch: ImportBatch) -> dict[str, Any]:
    return {
        "campaign": str(batch.campaign.public_id),
        "instrument": f"{batch.instrument_id}@{batch.instrument_version}",
        "format": batch.format,
        "rows": batch.total_count,
        "new": batch.new_count,
        "replays": batch.replay_count,
        "conflicts": batch.conflict_count,
        "invalid": batch.invalid_count,
        "imported": batch.imported_count,
        "refused": batch.failed_count,
    }


def import_preview(
    *,
    access: Access,
    actor: Any,
    campaign: Campaign,
    instrument_id: str,
    fmt: str,
    file_name: str,
    data: bytes,
) -> ImportBatch:
    """Read the file and keep it as a batch waiting for confirmation, with what importing it
    would do to each row. Stores no answers. Raises :class:`ImportFileError` (keeping
    nothing) when the file as a whole cannot be imported."""
    access.require_own_access()
    pinned = {e["id"]: e.get("version") for e in campaign.instruments}
    instrument = get_instrument(instrument_id, pinned[instrument_id])
    parsed = _parse(fmt, data, instrument)
    if parsed.errors:
        raise ImportFileError(parsed.errors)
    batch = ImportBatch(
        organization=access.organization,
        program=campaign.program,
        campaign=campaign,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        format=fmt,
        uploaded_by=actor,
        file_name=file_name[:200],
        notes=list(parsed.notes),
    )
    rows = [r.as_dict() for r in parsed.rows]
    _classify(batch, rows)
    batch.rows = rows
    _count(batch)
    with transaction.atomic():
        batch.save()
        audit_record(
            verb="import.preview",
            actor=actor,
            organization=access.organization,
            obj=batch,
            extra=_counts(batch),
        )
    return batch


#: The import task saves its progress (and what happened to each row so far) this often.
CHECKPOINT_ROWS = 100


def import_confirm(*, access: Access, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Queue the import of a batch waiting for confirmation, audited ``import.confirm``; the
    task (:func:`import_run`) stores every valid row. Only once: a second confirm, or one
    after a cancel, changes nothing. The task row is written in the same transaction as the
    batch's new status (the queue is in this database), so a confirmed import is never lost."""
    # Imported here: the task module imports this one.
    from hopeful.web.imports.tasks import run_import

    access.require_own_access()
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportStatus.PREVIEW:
            return locked
        locked.status = ImportStatus.IMPORTING
        locked.confirmed_at = timezone.now()
        locked.finished_by = actor
        result = run_import.enqueue(batch_id=locked.pk)
        locked.task_id = str(result.id)
        locked.save()
        audit_record(
            verb="import.confirm",
            actor=actor,
            organization=access.organization,
            obj=locked,
            extra=_counts(locked),
        )
    return locked


def _checkpoint(batch: ImportBatch, done: int) -> None:
    ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.IMPORTING).update(
        rows=batch.rows, progress=done
    )


def import_run(*, batch_id: int) -> None:
    """Store every valid row of a confirmed batch, one submission (and transaction) at a
    time, and record what happened to each row; audited ``import.finish`` with the counts.
    Run again after a crash, it goes on where it stopped (rows stored in between are
    replays: nothing is stored twice)."""
    batch = ImportBatch.objects.select_related("campaign", "organization", "finished_by").get(
        pk=batch_id
    )
    if batch.status != ImportStatus.IMPORTING:
        return
    campaign = batch.campaign
    actor = batch.finished_by
    done = 0
    for row in batch.rows:
        if row["state"] == RowState.INVALID:
            continue
        done += 1
        if row.get("done"):
            continue
        payload = row_payload(row, batch, batch.instrument_id)
        try:
            result = integration_submit(campaign=campaign, payload=payload, actor=actor)
        except SurveyError as exc:
            row["state"] = RowState.FAILED
            row["message"] = exc.message
        else:
            row["state"] = RowState.IMPORTED if result.created else RowState.REPLAY
            row["message"] = ""
        row["done"] = True
        if done % CHECKPOINT_ROWS == 0:
            _checkpoint(batch, done)
    _count(batch)
    with transaction.atomic():
        if not ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.IMPORTING).exists():
            return
        batch.status = ImportStatus.IMPORTED
        batch.progress = done
        batch.finished_at = timezone.now()
        # The answers now live in the submissions; the batch keeps what happened to each row.
        batch.rows = _without_answers(batch.rows)
        batch.save()
        audit_record(
            verb="import.finish",
            actor=actor,
            organization=batch.organization,
            obj=batch,
            extra=_counts(batch),
        )


def import_cancel(*, access: Access, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Cancel a batch waiting for confirmation: nothing of it is stored, and its parsed rows
    (answers) are dropped; the counts stay."""
    access.require_own_access()
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportStatus.PREVIEW:
            return locked
        locked.status = ImportStatus.CANCELLED
        locked.finished_at = timezone.now()
        locked.finished_by = actor
        locked.rows = _without_answers(locked.rows)
        locked.save()
        audit_record(
            verb="import.cancel",
            actor=actor,
            organization=access.organization,
            obj=locked,
            extra=_counts(locked),
        )
    return locked


def _without_answers(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    keep = ("row", "external_id", "state", "errors", "message", "answered_at")
    return [{k: row[k] for k in keep if k in row} for row in rows]
