"""A migrated SQLite test database, made once and copied into each test run.

Migrating an empty database takes about a minute (Django renders the models' history through
some 240 migrations, most of them Wagtail's). The test database of a SQLite run is in memory,
so every run (and each of CI's SQLite processes) paid that minute. Here the first run migrates
as usual and keeps a copy of the result, named by a hash of everything that can change it:
every Python file of ``hopeful`` (the migrations, and the code their data steps and the
post-migrate handlers call), the migration files of every installed app, and the versions of
Django and SQLite. Later runs copy it into the in-memory database with SQLite's backup API.

Processes that start together wait for the one that migrates (a file lock), so CI migrates
once for its SQLite processes. PostgreSQL test databases are created and migrated as before.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.backends.sqlite3.creation import DatabaseCreation

ROOT = Path(tempfile.gettempdir()) / "hopeful-test-db"
HOPEFUL_SOURCE = Path(__file__).resolve().parent.parent / "src" / "hopeful"
KEEP_DAYS = 7
#: ``HOPEFUL_TEST_DB_TEMPLATE=0`` migrates every run, as Django does without this module.
ENABLED = os.environ.get("HOPEFUL_TEST_DB_TEMPLATE", "1") != "0"


def fingerprint() -> str:
    """A hash of everything the migrated database depends on."""
    digest = hashlib.sha256()
    digest.update(f"django {django.get_version()} sqlite {sqlite3.sqlite_version}".encode())
    files = sorted(HOPEFUL_SOURCE.rglob("*.py"))
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        module = settings.MIGRATION_MODULES.get(config.label, f"{config.name}.migrations")
        spec = importlib.util.find_spec(module) if module else None
        if spec is not None and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                files.extend(sorted(Path(location).glob("*.py")))
    for path in files:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


@contextmanager
def locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _save(connection: Any, template: Path) -> None:
    partial = template.with_suffix(f".{os.getpid()}.partial")
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    partial.replace(template)
    cutoff = time.time() - KEEP_DAYS * 86400
    for old in template.parent.glob("*.sqlite3"):
        if old != template and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def _restore(creation: DatabaseCreation, template: Path, serialize: bool, keepdb: bool) -> str:
    """What ``create_test_db`` does, with a copy of the template instead of ``migrate``."""
    connection = creation.connection
    name = creation._get_test_db_name()
    creation._create_test_db(0, True, keepdb)
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()
    source = sqlite3.connect(template)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    if serialize:
        connection._test_serialized_contents = creation.serialize_db_to_string()
    call_command("createcachetable", database=connection.alias)
    return name


def install() -> None:
    """Make SQLite's in-memory test databases start from the template."""
    original = DatabaseCreation.create_test_db

    def create_test_db(
        self: DatabaseCreation,
        verbosity: int = 1,
        autoclobber: bool = False,
        serialize: bool = True,
        keepdb: bool = False,
    ) -> str:
        if not self.is_in_memory_db(self._get_test_db_name()) or not ENABLED:
            return original(self, verbosity, autoclobber, serialize, keepdb)
        template = ROOT / f"{fingerprint()}.sqlite3"
        with locked(template.with_suffix(".lock")):
            if not template.exists():
                name = original(self, verbosity, autoclobber, serialize, keepdb)
                _save(self.connection, template)
                return name
        return _restore(self, template, serialize, keepdb)

    DatabaseCreation.create_test_db = create_test_db  # type: ignore[method-assign]
