"""Writes for analyses: create one (checked, queued with its task), run it (in the worker),
download its results (audited).

The run reads the file's Parquet copy only (:func:`hopeful.web.workspace.specs.for_copy`) and
stores the results as the ``.json`` output of :mod:`hopeful.research.output`; every download
is made from them by the same export writer as ``hopeful analyze``
(:func:`hopeful.research.output.results_bytes`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hopeful.research import ReadError, Results, SpecError
from hopeful.research.output import results_bytes
from hopeful.research.prepare import load_data
from hopeful.research.run import (
    ESTIMATE_COLUMNS,
    MODEL_COLUMNS,
    TEST_COLUMNS,
    analyze,
    run_spec,
)
from hopeful.web.audit.services import audit_record
from hopeful.web.core.jobs import task_failed, update_unfinished
from hopeful.web.organizations.access import Access
from hopeful.web.workspace import specs, storage
from hopeful.web.workspace.models import Analysis, ResearchFile, Status

logger = logging.getLogger(__name__)

#: download name -> (results_bytes format or "toml", content type, file name suffix)
DOWNLOADS: dict[str, tuple[str, str, str]] = {
    "csv": ("csv", "text/csv; charset=utf-8", "estimates.csv"),
    "models-csv": ("models.csv", "text/csv; charset=utf-8", "models.csv"),
    "tests-csv": ("tests.csv", "text/csv; charset=utf-8", "tests.csv"),
    "xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "results.xlsx",
    ),
    "json": ("json", "application/json", "results.json"),
    "html": ("html", "text/html; charset=utf-8", "report.html"),
    "toml": ("toml", "application/toml; charset=utf-8", "spec.toml"),
}


def analysis_create(*, access: Access, actor: Any, file: ResearchFile, spec_text: str) -> Analysis:
    """Check the spec (a :class:`SpecError` naming the line: nothing saved), then save the
    analysis and queue its run in one transaction, audited ``research_analysis.run``."""
    from hopeful.web.workspace.tasks import run_analysis

    spec = specs.check_spec(spec_text, file_name=file.name, columns=file.column_names)
    with transaction.atomic():
        analysis = Analysis.objects.create(
            organization=access.organization,
            file=file,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            spec_text=spec_text,
            spec_sha256=hashlib.sha256(spec_text.encode("utf-8")).hexdigest(),
            counts=specs.counts(spec),
        )
        result = run_analysis.enqueue(analysis_id=analysis.pk)
        analysis.task_id = str(result.id)
        analysis.save(update_fields=["task_id"])
        audit_record(
            verb="research_analysis.run",
            actor=actor,
            organization=access.organization,
            obj=analysis,
            extra={"file": str(file.public_id), "spec_sha256": analysis.spec_sha256},
        )
    return analysis


# -- in the worker -----------------------------------------------------------------------------


def _set(analysis: Analysis, **fields: Any) -> bool:
    """Save at once, only while unfinished (an attempt never overwrites another's outcome)."""
    return update_unfinished(analysis, Analysis.objects.unfinished(), **fields)


def _run(analysis: Analysis) -> Results:
    file = analysis.file
    directory = storage.file_dir(analysis.organization.public_id, file.public_id)
    spec = specs.check_spec(analysis.spec_text, file_name=file.name, columns=file.column_names)
    spec = specs.for_copy(spec, directory / storage.PARQUET)
    if spec.data.stream:
        results = analyze(spec, progress=False)
    else:
        table = load_data(spec)
        _set(analysis, progress=40)
        results = run_spec(spec, table, progress=False)
    _set(analysis, progress=90)
    provenance = dict(results.provenance)
    provenance.update(
        {
            "spec": specs.SPEC_NAME,
            "spec_sha256": analysis.spec_sha256,
            "data": file.name,
            "data_sha256": file.sha256,
            "data_format": file.format,
            "analysis_copy_sha256": str(results.provenance.get("data_sha256", "")),
        }
    )
    return dataclasses.replace(results, provenance=provenance)


def _public(text: str, analysis: Analysis) -> str:
    directory = storage.file_dir(analysis.organization.public_id, analysis.file.public_id)
    return text.replace(str(directory / storage.PARQUET), analysis.file.name).replace(
        str(directory), ""
    )


def analysis_run(*, analysis_id: int) -> None:
    """Run the analysis and store its results (the task body). A spec the data refuses (an
    unknown column, a lonely PSU) is recorded as failed with the message naming its line.
    Idempotent: a finished analysis is left as it is."""
    analysis = (
        Analysis.objects.select_related("organization", "file").filter(pk=analysis_id).first()
    )
    if analysis is None or analysis.finished:
        return
    if not _set(analysis, status=Status.RUNNING, progress=5, started_at=timezone.now(), error=""):
        return
    try:
        if analysis.file.status != Status.DONE:
            raise SpecError(specs.SPEC_NAME, 1, "the data file is not imported")
        results = _run(analysis)
        stored = json.loads(results_bytes(results, "json"))
    except (SpecError, ReadError) as exc:
        _set(
            analysis,
            status=Status.FAILED,
            error=_public(str(exc), analysis),
            finished_at=timezone.now(),
        )
        return
    except Exception as exc:
        logger.exception("analysis %s failed", analysis.public_id)
        _set(
            analysis,
            status=Status.FAILED,
            error=_(
                "The analysis could not be run (%(error)s). Try again; if it fails again, ask "
                "your administrator to look at the worker's log."
            )
            % {"error": type(exc).__name__},
            finished_at=timezone.now(),
        )
        raise
    _set(
        analysis,
        status=Status.DONE,
        progress=100,
        results=stored,
        levels={str(k): float(v) for k, v in results.levels.items()},
        finished_at=timezone.now(),
    )


def analysis_sync(*, analysis: Analysis) -> Analysis:
    """Mark an unfinished analysis failed when its task failed before it could say so."""
    if analysis.finished or not analysis.task_id:
        return analysis
    if not task_failed(analysis.task_id):
        return analysis
    _set(
        analysis,
        status=Status.FAILED,
        error=_("The analysis could not be run: its background task failed. Run it again."),
        finished_at=timezone.now(),
    )
    return analysis


# -- results -----------------------------------------------------------------------------------


def stored_results(analysis: Analysis) -> Results:
    """The analysis's :class:`~hopeful.research.Results`, rebuilt from its stored JSON."""
    data = analysis.results or {}
    return Results(
        estimates=pd.DataFrame(data.get("estimates", []), columns=ESTIMATE_COLUMNS),
        models=pd.DataFrame(data.get("models", []), columns=MODEL_COLUMNS),
        tests=pd.DataFrame(data.get("tests", []), columns=TEST_COLUMNS),
        provenance=dict(data.get("provenance", {})),
        variable_labels=dict(data.get("variable_labels", {})),
        levels={str(k): float(v) for k, v in (analysis.levels or {}).items()},
    )


def analysis_download(*, access: Access, actor: Any, analysis: Analysis, kind: str) -> bytes:
    """One download of an analysis (``kind`` a key of :data:`DOWNLOADS`), audited
    ``research_analysis.download``."""
    fmt = DOWNLOADS[kind][0]
    body = (
        analysis.spec_text.encode("utf-8")
        if fmt == "toml"
        else results_bytes(stored_results(analysis), fmt)
    )
    with transaction.atomic():
        audit_record(
            verb="research_analysis.download",
            actor=actor,
            organization=access.organization,
            obj=analysis,
            extra={"format": kind, "size": len(body)},
        )
    return body
