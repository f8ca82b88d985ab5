"""The errors of backup and restore."""

from __future__ import annotations


class BackupError(Exception):
    """A backup or restore that could not be done; nothing was changed unless it says so."""


class RestoreMismatchError(BackupError):
    """The restored database differs from the backup's manifest (tables named)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("the restored database does not match the backup: " + "; ".join(problems))
