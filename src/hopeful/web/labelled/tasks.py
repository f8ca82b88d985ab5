"""Background tasks of the labelled data files (run by ``hopeful worker``, the database
queue's ``db_worker``). Task arguments are ids only: the worker reads everything else afresh."""

from __future__ import annotations

from django_tasks import task

from hopeful.web.labelled import services


@task()
def make_data_file(data_file_id: int) -> None:
    """Make one labelled file (SPSS, Stata or SAS) and record it."""
    services.datafile_run(data_file_id=data_file_id)
