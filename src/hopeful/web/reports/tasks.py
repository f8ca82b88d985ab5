"""Background tasks of the reports app (run by ``hopeful worker``, the database queue's
``db_worker``). Task arguments are ids only: the worker reads everything else afresh."""

from __future__ import annotations

from django_tasks import task

from hopeful.web.reports import services


@task()
def make_report(report_id: int) -> None:
    """Make one report's file (PDF, CSV or XLSX) and record it on the report."""
    services.report_run(report_id=report_id)
