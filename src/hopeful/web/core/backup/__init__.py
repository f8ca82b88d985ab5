"""Backup and restore of a HOPEful installation (``hopeful backup``, ``hopeful restore``):
the database and the data directory's files in one archive, optionally encrypted, with a
manifest of every table's row count and checksum that a restore is checked against.
docs/backup.md describes the schedule, retention and restore drills."""

from __future__ import annotations

from hopeful.web.core.backup.archive import (
    BackupResult,
    RestoreResult,
    create_backup,
    restore_backup,
)
from hopeful.web.core.backup.checksums import database_stats
from hopeful.web.core.backup.crypto import MIN_PASSPHRASE_LENGTH
from hopeful.web.core.backup.errors import BackupError, RestoreMismatchError
from hopeful.web.core.backup.retention import backup_name, plan, prune

__all__ = [
    "MIN_PASSPHRASE_LENGTH",
    "BackupError",
    "BackupResult",
    "RestoreMismatchError",
    "RestoreResult",
    "backup_name",
    "create_backup",
    "database_stats",
    "plan",
    "prune",
    "restore_backup",
]
