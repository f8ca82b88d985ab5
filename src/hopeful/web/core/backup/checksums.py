"""Row counts and checksums of every table, the same on SQLite and PostgreSQL.

Each row becomes canonical JSON: its columns sorted by name, each value normalised by the
column's Django field type (a datetime as UTC ISO 8601 with microseconds, a UUID as 32 hex
digits, JSON re-serialised with sorted keys, a boolean as true/false, a decimal without
trailing zeros, bytes as hex ...), so SQLite's text and integers and PostgreSQL's native types
give the same text. The table's checksum is SHA-256 over its column names and the sum, modulo
2**256, of the SHA-256 of every row: it does not depend on the order rows are read in (nor on
either database's collation), and it changes when any row is added, lost or altered.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model

METHOD = (
    "sha256 over the sorted column names and the sum mod 2**256 of sha256(canonical JSON of "
    "each row, values normalised by field type)"
)
_FETCH = 2000


@dataclass(frozen=True)
class TableStat:
    rows: int
    checksum: str

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "checksum": self.checksum}


def list_tables(cursor: Any, vendor: str) -> list[str]:
    """Every table of the database (not views; SQLite's own ``sqlite_*`` tables excluded)."""
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
            "ESCAPE '\\' ORDER BY name"
        )
        return [str(row[0]) for row in cursor.fetchall()]
    if vendor == "postgresql":
        cursor.execute(
            "SELECT n.nspname, c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' "
            "ORDER BY 1, 2"
        )
        return [
            str(name) if schema == "public" else f"{schema}.{name}"
            for schema, name in cursor.fetchall()
        ]
    raise ValueError(f"unsupported database: {vendor}")


def column_kinds() -> dict[str, dict[str, str]]:
    """Django's field type of every column of every model's table (foreign keys as the type
    of the column they point to)."""
    from django.db.migrations.recorder import MigrationRecorder

    kinds: dict[str, dict[str, str]] = {}
    all_models: list[type[Model]] = [
        *apps.get_models(include_auto_created=True),
        MigrationRecorder.Migration,
    ]
    for model in all_models:
        table = kinds.setdefault(model._meta.db_table, {})
        for field in model._meta.concrete_fields:
            target = field
            while (
                target.is_relation and (linked := getattr(target, "target_field", None)) is not None
            ):
                target = linked
            table[field.column] = target.get_internal_type()
    return kinds


def _datetime(value: Any) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return str(value.astimezone(dt.UTC).isoformat(timespec="microseconds"))


def _date(value: Any) -> str:
    return value if isinstance(value, str) else str(value.isoformat())


def _time(value: Any) -> str:
    if isinstance(value, str):
        value = dt.time.fromisoformat(value)
    return str(value.isoformat(timespec="microseconds"))


def _duration(value: Any) -> int:
    if isinstance(value, dt.timedelta):
        return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    return int(value)


def _json(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        value = bytes(value).decode("utf-8")
    if isinstance(value, str):
        value = json.loads(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _decimal(value: Any) -> str:
    number = decimal.Decimal(str(value))
    return format(number.normalize(), "f") if number.is_finite() else str(number)


def _bool(value: Any) -> bool:
    return bool(int(value)) if isinstance(value, str) else bool(value)


def _uuid(value: Any) -> str:
    return value.hex if isinstance(value, uuid.UUID) else uuid.UUID(str(value)).hex


_BY_KIND: dict[str, Callable[[Any], Any]] = {
    "BooleanField": _bool,
    "NullBooleanField": _bool,
    "DateTimeField": _datetime,
    "DateField": _date,
    "TimeField": _time,
    "DurationField": _duration,
    "JSONField": _json,
    "DecimalField": _decimal,
    "FloatField": float,
    "UUIDField": _uuid,
    "BinaryField": lambda v: bytes(v).hex(),
}


def canonical(value: Any, kind: str | None = None) -> Any:
    """``value`` as either database returns it, in one vendor-neutral JSON-ready form."""
    if value is None:
        return None
    convert = _BY_KIND.get(kind or "")
    if convert is not None:
        return convert(value)
    # A column no model describes: by the value's own type.
    if isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, dt.datetime):
        return _datetime(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return _duration(value)
    if isinstance(value, decimal.Decimal):
        return _decimal(value)
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return _json(value)
    return str(value)


def _quote(table: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in table.split("."))


def table_stat(
    cursor: Any, vendor: str, table: str, kinds: dict[str, str] | None = None
) -> TableStat:
    kinds = kinds or {}
    cursor.execute(f"SELECT * FROM {_quote(table)}")  # noqa: S608 - a listed table name
    columns = [str(col[0]) for col in cursor.description]
    order = sorted(range(len(columns)), key=lambda i: columns[i])
    column_kinds = [kinds.get(columns[i]) for i in order]
    total = 0
    rows = 0
    while batch := cursor.fetchmany(_FETCH):
        for row in batch:
            values = [canonical(row[i], kind) for i, kind in zip(order, column_kinds, strict=True)]
            text = json.dumps(values, ensure_ascii=False, separators=(",", ":"), default=str)
            total += int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")
        rows += len(batch)
    digest = hashlib.sha256()
    digest.update(json.dumps([columns[i] for i in order]).encode("utf-8"))
    digest.update((total % 2**256).to_bytes(32, "big"))
    return TableStat(rows=rows, checksum=digest.hexdigest())


def database_stats(new_cursor: Callable[[], Any], vendor: str) -> dict[str, TableStat]:
    """Row count and checksum of every table, by table name; ``new_cursor`` makes a cursor
    (on PostgreSQL a server-side one, so a large table is read in batches)."""
    kinds = column_kinds()
    cursor = new_cursor()
    try:
        tables = list_tables(cursor, vendor)
    finally:
        cursor.close()
    stats = {}
    for table in tables:
        cursor = new_cursor()
        try:
            stats[table] = table_stat(cursor, vendor, table, kinds.get(table))
        finally:
            cursor.close()
    return stats


def applied_migrations(cursor: Any) -> list[list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[str(app), str(name)] for app, name in cursor.fetchall()]


def differences(expected: dict[str, Any], actual: dict[str, TableStat]) -> list[str]:
    """The tables whose row count or checksum differ, missing, or not in the backup, each
    with what differs."""
    problems: list[str] = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        if got is None:
            problems.append(f"{table} (missing after restore)")
        elif want is None:
            problems.append(f"{table} (not in the backup)")
        elif int(want["rows"]) != got.rows:
            problems.append(f"{table} ({want['rows']} rows in the backup, {got.rows} restored)")
        elif want["checksum"] != got.checksum:
            problems.append(f"{table} (same row count, different content)")
    return problems
