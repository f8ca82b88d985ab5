"""Background tasks of the research workspace (run by ``hopeful worker``, the database queue's
``db_worker``). Task arguments are ids only: the worker reads everything else afresh."""

from __future__ import annotations

from django_tasks import task

from hopeful.web.workspace import services, services_analysis


@task()
def import_file(file_id: int) -> None:
    """Read an uploaded survey file, record its summary and write its Parquet copy."""
    services.file_import(file_id=file_id)


@task()
def run_analysis(analysis_id: int) -> None:
    """Run an analysis spec on its file's Parquet copy and store the results."""
    services_analysis.analysis_run(analysis_id=analysis_id)


@task()
def purge_file(org_id: str, file_id: str, attempt: int) -> None:
    """Remove a deleted file's directory on disk (again later while it cannot be)."""
    services.file_purge(org_id=org_id, file_id=file_id, attempt=attempt)
