"""One writer at a time on SQLite, inside the process.

SQLite has one writer at a time. Serialising the app's hot writes (submissions, rate-limit
counters) inside the process keeps threaded servers from failing with "database is locked"
(the shared-cache in-memory test database fails at once instead of waiting). PostgreSQL needs
no such lock: row locks and unique constraints do the work across processes.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from django.db import connection

_SQLITE_LOCK = threading.RLock()


@contextlib.contextmanager
def sqlite_serialised() -> Iterator[None]:
    """Hold the in-process write lock when the database is SQLite (else do nothing). The lock
    is re-entrant: a submission that counts its link's volume holds it once."""
    if connection.vendor != "sqlite":
        yield
        return
    with _SQLITE_LOCK:
        yield
