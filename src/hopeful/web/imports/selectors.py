"""Reads for imports: the campaigns a file may go into, the batches a member sees, one batch
(another organization's, or another program's for a practitioner, is 404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from hopeful.framework import get_instrument
from hopeful.web.core.jobs import task_failed
from hopeful.web.imports.models import ImportBatch, ImportStatus, RowState
from hopeful.web.organizations.access import Access, get_object_in_scope, scope_to_programs
from hopeful.web.surveys.models import Campaign, CampaignStatus

#: The list page shows the latest imports; the preview lists at most this many rows.
LIST_LIMIT = 50
ROWS_SHOWN = 200


def open_campaigns(*, access: Access) -> QuerySet[Campaign]:
    """Open campaigns of the programs the access sees (where a file may be imported)."""
    return (
        scope_to_programs(Campaign.objects.all(), access)
        .filter(status=CampaignStatus.OPEN)
        .select_related("program")
        .order_by("name", "id")
    )


def campaign_instrument_choices(
    campaigns: QuerySet[Campaign], language: str
) -> list[tuple[str, str]]:
    """``(instrument id, title and version)`` for every instrument of these campaigns."""
    seen: dict[str, str] = {}
    for campaign in campaigns:
        for entry in campaign.instruments:
            if entry["id"] in seen:
                continue
            instrument = get_instrument(entry["id"], entry.get("version"))
            seen[entry["id"]] = f"{instrument.title.get_text(language)} ({instrument.id})"
    return sorted(seen.items(), key=lambda pair: pair[1])


def batches_for(*, access: Access) -> QuerySet[ImportBatch]:
    """The latest imports of the programs the access sees, without their rows."""
    return (
        scope_to_programs(ImportBatch.objects.all(), access)
        .select_related("campaign", "uploaded_by")
        .defer("rows")
        .order_by("-created_at", "-id")[:LIST_LIMIT]
    )


def batch_for(*, access: Access, public_id: Any) -> ImportBatch:
    """One import the access sees, else 404."""
    return get_object_in_scope(
        ImportBatch.objects.select_related("campaign", "uploaded_by", "finished_by"),
        access,
        public_id,
    )


@dataclass(frozen=True)
class RowList:
    """The rows worth listing on a batch's page (at most :data:`ROWS_SHOWN`) and how many
    there are in all."""

    rows: list[dict[str, Any]]
    total: int

    @property
    def capped(self) -> bool:
        return self.total > len(self.rows)


def rows_to_show(batch: ImportBatch) -> RowList:
    """Rows with problems (before the import) or not imported (after it): invalid rows,
    conflicts and refusals, in file order."""
    shown = (RowState.INVALID, RowState.CONFLICT, RowState.FAILED)
    rows = [row for row in batch.rows if row.get("state") in shown]
    return RowList(rows=rows[:ROWS_SHOWN], total=len(rows))


@dataclass(frozen=True)
class AnswerDates:
    """When the rows to import (or imported) were answered: the first and last day (UTC) of
    those whose file says, and how many do not say (they are dated the day they are
    stored)."""

    first: dt.date | None
    last: dt.date | None
    undated: int


def answer_dates(batch: ImportBatch) -> AnswerDates | None:
    """The answer dates of the rows that will be (before the import) or were (after it)
    stored; None when there are none."""
    kept = (RowState.NEW, RowState.IMPORTED)
    rows = [row for row in batch.rows if row.get("state") in kept]
    if not rows:
        return None
    days = sorted(
        dt.datetime.fromisoformat(row["answered_at"]).date()
        for row in rows
        if row.get("answered_at")
    )
    return AnswerDates(
        first=days[0] if days else None,
        last=days[-1] if days else None,
        undated=len(rows) - len(days),
    )


def import_stopped(batch: ImportBatch) -> bool:
    """Whether the import's task failed part way (the rows stored until then stay stored;
    confirming the same file again in a new import stores the rest)."""
    return batch.status == ImportStatus.IMPORTING and task_failed(batch.task_id)
