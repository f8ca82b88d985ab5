"""Writes for de-identified exports: make one (audited with its purpose), download it
(audited), delete the files past their time.

An export is made at once, in the request (on the demo's organizations of 400 families,
about 250 of them with research consent: 0.3 s for CSV, 1.2 s for Excel): read
the responses released for research (:func:`~hopeful.web.deidentified.selectors.
research_source`), give each family a pseudonym drawn for this export, generalize the
quasi-identifiers until every combination is shared by at least k families
(:mod:`hopeful.web.deidentified.deidentify`), write the file through the project's one
export writer and keep it with its counts, its generalizations and its purpose.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful.framework import get_instrument
from hopeful.web.audit.services import audit_record
from hopeful.web.deidentified import deidentify as deid
from hopeful.web.deidentified.dictionary import data_dictionary
from hopeful.web.deidentified.models import (
    EXPORT_TTL,
    DeidentifiedExport,
    ExportFormat,
    ExportStatus,
)
from hopeful.web.deidentified.selectors import Source, research_source
from hopeful.web.insights.exports import csv_bytes, xlsx_bytes
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Role

#: Who may make, see and download de-identified exports.
EXPORT_ROLES = (Role.RESEARCHER, Role.ORG_ADMIN)

#: The share of records that may be left out (suppressed) instead of generalizing every
#: record further for them: a few unusual records should not blank a column for everyone.
SUPPRESSION_BUDGET = 0.02

CREATE, DOWNLOAD, EXPIRE = (
    "deidentified_export.create",
    "deidentified_export.download",
    "deidentified_export.expire",
)

ENTITY = "family_id"
#: The columns before the instruments' (every quasi-identifier).
FIRST_COLUMNS = (
    ENTITY,
    "program",
    "year",
    "language",
    "child_birth_years",
    "child_age_bands",
    "zip3",
    "race_ethnicity",
    "income",
    "gender",
)


class ExportRefusedError(Exception):
    """An export that cannot be made, with the reason in plain language."""


def export_k() -> int:
    """The k of k-anonymity: ``HOPEFUL_EXPORT_K`` (11 by default), never below 11."""
    value = getattr(settings, "HOPEFUL_EXPORT_K", deid.MIN_K)
    if isinstance(value, bool) or not isinstance(value, int) or value < deid.MIN_K:
        raise ExportRefusedError(
            _(
                "Exports are switched off: the setting HOPEFUL_EXPORT_K is %(k)s, and every "
                "combination of the quasi-identifiers must be shared by at least %(min)d "
                "families. Ask your administrator to set it to %(min)d or more."
            )
            % {"k": value, "min": deid.MIN_K}
        )
    return value


def _ordered(ids: set[str], registered: tuple[str, ...]) -> list[str]:
    return [i for i in registered if i in ids] + sorted(ids - set(registered))


def instrument_columns(source: Source) -> list[str]:
    """Per instrument (by id): its version, its items in the questionnaire's order, its
    scores in the instrument's order."""
    columns: list[str] = []
    for instrument_id in sorted(source.instruments):
        seen = source.instruments[instrument_id]
        try:
            instrument = get_instrument(instrument_id)
            items, outputs = instrument.item_ids, instrument.output_ids
        except Exception:
            items, outputs = (), ()
        columns.append(f"version.{instrument_id}")
        columns += [f"item.{instrument_id}.{i}" for i in _ordered(seen["items"], items)]
        columns += [f"score.{instrument_id}.{o}" for o in _ordered(seen["outputs"], outputs)]
    return columns


def _frame(source: Source, rng: random.Random) -> tuple[Any, set[str]]:
    """The rows as a frame of text, each family under its pseudonym; and the pseudonyms of
    the deleted families' research records."""
    import pandas as pd

    names = deid.pseudonyms((row["family_key"] for row in source.rows), rng)
    records = {name for key, name in names.items() if str(key).startswith("record:")}
    columns = [*FIRST_COLUMNS, *instrument_columns(source)]
    data = [
        {**{c: row.get(c, "") for c in columns}, ENTITY: names[row["family_key"]]}
        for row in source.rows
    ]
    frame = pd.DataFrame.from_records(data, columns=columns)
    return frame.astype(str), records


def _release(frame: Any, k: int, keep: Sequence[str]) -> deid.Result:
    result = deid.anonymize(
        frame,
        k=k,
        entity=ENTITY,
        dimensions=deid.chosen(keep),
        max_suppressed_share=SUPPRESSION_BUDGET,
    )
    # Rows in pseudonym order (random), a family's rows by year: the order says nothing.
    result.frame = result.frame.sort_values([ENTITY, "year"], kind="stable").reset_index(drop=True)
    smallest = deid.smallest_class(result.frame, deid.QUASI_IDENTIFIERS, ENTITY)
    if smallest is not None and smallest < k:  # pragma: no cover - anonymize guarantees it
        raise ExportRefusedError(
            _("The export failed its own k-anonymity check; nothing was made.")
        )
    return result


def _file(fmt: str, frame: Any, dictionary: list[list[str]]) -> bytes:
    header = [str(c) for c in frame.columns]
    rows = frame.to_numpy().tolist()
    if fmt == ExportFormat.CSV:
        return csv_bytes(header, rows)
    return xlsx_bytes(
        "data", header, rows, ("dictionary", ["name", "kind", "description"], dictionary)
    )


def exports_purge_expired(*, now: Any = None) -> int:
    """Delete the files of exports past their time (the rows stay, as the record of what
    was released), audited ``deidentified_export.expire``. Returns how many."""
    moment = now or timezone.now()
    done = 0
    for export in DeidentifiedExport.objects.past_expiry(moment).select_related("organization"):
        with transaction.atomic():
            if (
                not DeidentifiedExport.objects.past_expiry(moment)
                .filter(pk=export.pk)
                .update(content=None, size=0, status=ExportStatus.EXPIRED, deleted_at=moment)
            ):
                continue
            audit_record(
                verb=EXPIRE,
                actor=None,
                organization=export.organization,
                obj=export,
                extra={"rows": export.rows},
            )
            done += 1
    return done


def export_create(
    *,
    access: Access,
    actor: Any,
    purpose: str,
    fmt: str,
    confirmed: bool,
    keep: Sequence[str] | None = None,
    rng: random.Random | None = None,
) -> DeidentifiedExport:
    """Make, keep and audit (``deidentified_export.create``, with the purpose) one export of
    the organization's responses released for research. ``keep`` names the quasi-identifiers
    the study needs (dimension names of :data:`~hopeful.web.deidentified.deidentify.DIMENSIONS`;
    None: all); the others are left out from the start, so those kept lose less detail.
    Raises :class:`ExportRefusedError` (and makes nothing) when k is set below 11 or the
    data-use statement was not confirmed."""
    k = export_k()
    if not confirmed:
        raise ExportRefusedError(_("The data-use statement must be confirmed."))
    access.require_own_access()  # support access looks and helps; it does not take data
    started = time.perf_counter()
    exports_purge_expired()
    source = research_source(organization=access.organization)
    frame, record_names = _frame(source, rng or random.SystemRandom())
    kept = [d.name for d in deid.DIMENSIONS] if keep is None else list(keep)
    result = _release(frame, k, kept)
    dictionary = data_dictionary(result, source)
    body = _file(fmt, result.frame, dictionary)
    now = timezone.now()
    with transaction.atomic():
        export = DeidentifiedExport.objects.create(
            organization=access.organization,
            created_at=now,
            expires_at=now + EXPORT_TTL,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            purpose=purpose,
            data_use_confirmed=True,
            format=ExportFormat(fmt),
            k=k,
            rows=len(result.frame),
            families=result.entities,
            research_records=int(result.frame[ENTITY].isin(record_names).sum()),
            suppressed_rows=result.suppressed_rows,
            suppressed_families=result.suppressed_entities,
            candidate_rows=len(source.rows),
            generalized=result.generalized,
            levels=result.levels,
            dictionary=dictionary,
            programs=[list(p) for p in source.programs],
            content=body,
            size=len(body),
            seconds=round(time.perf_counter() - started, 3),
        )
        audit_record(
            verb=CREATE,
            actor=actor,
            organization=access.organization,
            obj=export,
            extra={
                "purpose": purpose,
                "format": export.format,
                "rows": export.rows,
                "families": export.families,
                "k": k,
                "kept": kept,
                "generalized": result.generalized,
                "suppressed": result.suppressed_rows,
                "suppressed_families": result.suppressed_entities,
                "research_records": export.research_records,
            },
        )
    return export


def export_download(
    *, access: Access, actor: Any, export: DeidentifiedExport, part: str = "data"
) -> bytes | None:
    """The export's file (``part="data"``) or its data dictionary as CSV
    (``part="dictionary"``), audited ``deidentified_export.download``; None once expired (its
    file is then deleted, if the periodic job has not done it yet)."""
    access.require_own_access()
    if not export.available():
        exports_purge_expired()
        return None
    if part == "dictionary":
        body = csv_bytes(["name", "kind", "description"], export.dictionary)
    else:
        body = bytes(export.content or b"")
    with transaction.atomic():
        audit_record(
            verb=DOWNLOAD,
            actor=actor,
            organization=access.organization,
            obj=export,
            extra={"part": part, "format": export.format, "rows": export.rows},
        )
    return body
