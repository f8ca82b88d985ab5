"""Background tasks of the imports app (run by ``hopeful worker``, the database queue's
``db_worker``). Task arguments are ids only: the worker reads everything else afresh."""

from __future__ import annotations

from django_tasks import task

from hopeful.web.imports import services


@task()
def run_import(batch_id: int) -> None:
    """Store the valid rows of one confirmed import."""
    services.import_run(batch_id=batch_id)
