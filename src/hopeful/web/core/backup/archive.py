"""Make a backup archive and restore one.

The archive is one tar file (optionally encrypted as a whole, :mod:`.crypto`) holding, in this
order: ``manifest.json`` (what is in it, every table's row count and checksum, the applied
migrations, each file's size and SHA-256), the database (``database.sqlite3``, a copy made
with SQLite's online backup API, or ``database.pgdump``, ``pg_dump``'s custom format), and the
files of the data directory that must survive (uploaded media, the credential signing keys),
under opaque member names the manifest maps back to paths.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import sqlite3
import stat
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

from hopeful import __version__
from hopeful.web.core.backup import checksums, crypto, postgres
from hopeful.web.core.backup.crypto import (
    MAGIC,
    CryptoError,
    DecryptingReader,
    EncryptingWriter,
    is_encrypted,
)
from hopeful.web.core.backup.errors import BackupError, RestoreMismatchError
from hopeful.web.core.backup.retention import parse_name

FORMAT = "hopeful-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_DUMP_NAME = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_VENDOR_NAME = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
_MANIFEST_MAX = 64 << 20
#: Files of the data directory never copied: the SQLite database (copied through its backup
#: API), collected static files (made again from the code), the demo's secret key (secrets
#: are kept apart from backups), and backups in the making.
_SKIP_NAMES = {"static", "demo-secret-key"}
_COPY = 1 << 20


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    files: list[Path]

    @property
    def rows(self) -> int:
        return sum(int(t["rows"]) for t in self.manifest["tables"].values())


def _vendor(connection: Any) -> str:
    vendor = str(connection.vendor)
    if vendor not in _DUMP_NAME:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


# -- the database ------------------------------------------------------------------------------


def _dump_sqlite(connection: Any, out: Path) -> dict[str, Any]:
    connection.ensure_connection()
    copy = sqlite3.connect(out)
    try:
        # One step: a consistent copy even while the application writes (WAL or not).
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        cursor = copy.cursor()
        tables = checksums.database_stats(copy.cursor, "sqlite")
        migrations = checksums.applied_migrations(cursor)
    finally:
        copy.close()
    return {
        "info": {"server_version": sqlite3.sqlite_version, "dump_tool": "sqlite3 backup API"},
        "tables": tables,
        "migrations": migrations,
    }


@contextmanager
def _read_only_snapshot(connection: Any) -> Iterator[None]:
    """A repeatable-read, read-only transaction on ``connection``, rolled back at the end."""
    if connection.in_atomic_block:
        raise BackupError("a backup cannot be made inside a database transaction")
    with connection.cursor() as cursor:  # any health check happens here, outside
        cursor.execute("SELECT 1")
    connection.set_autocommit(False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield
    finally:
        connection.rollback()
        connection.set_autocommit(True)


def _dump_postgresql(connection: Any, out: Path) -> dict[str, Any]:
    with _read_only_snapshot(connection), connection.cursor() as cursor:
        # pg_dump reads the same snapshot as the checksums below: they describe one state.
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        tool = postgres.dump(connection, out, snapshot)
        tables = checksums.database_stats(connection.chunked_cursor, "postgresql")
        migrations = checksums.applied_migrations(cursor)
    major = postgres.server_major(connection)
    return {
        "info": {
            "server_version": str(connection.pg_version),
            "server_major": major,
            "dump_tool": tool,
        },
        "tables": tables,
        "migrations": migrations,
    }


# -- files -------------------------------------------------------------------------------------


def _skipped(path: Path, data_dir: Path, skip: set[Path]) -> bool:
    rel = path.relative_to(data_dir)
    if rel.parts[0] in _SKIP_NAMES or path in skip:
        return True
    name = path.name
    # Backups in the making and finished ones (an --out-dir inside the data directory).
    return (
        name.startswith((".hopeful-backup-", "hopeful-restore-"))
        or name.endswith(".partial")
        or parse_name(name) is not None
    )


def _data_files(data_dir: Path, keys_file: Path, skip: set[Path]) -> list[tuple[str, str, Path]]:
    """(root, relative path, absolute path) of every regular file to back up."""
    found: list[tuple[str, str, Path]] = []
    data_dir = data_dir.resolve()
    if data_dir.is_dir():
        for root, dirs, files in os.walk(data_dir):
            here = Path(root)
            dirs[:] = sorted(d for d in dirs if not _skipped(here / d, data_dir, skip))
            for name in sorted(files):
                path = here / name
                if path.is_symlink() or not path.is_file() or _skipped(path, data_dir, skip):
                    continue
                found.append(("data", path.relative_to(data_dir).as_posix(), path))
    keys = keys_file.resolve()
    if keys.is_file() and data_dir not in keys.parents:
        found.append(("credential_keys", "", keys))
    return found


def _sqlite_files(connection: Any) -> set[Path]:
    if connection.vendor != "sqlite":
        return set()
    name = str(connection.settings_dict["NAME"])
    if name.startswith("file:") or name == ":memory:":
        return set()
    db = Path(name).resolve()
    return {db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal"))}


def _copy_hashed(source: IO[bytes], target: Path, limit: int | None = None) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(_COPY):
            size += len(chunk)
            if limit is not None and size > limit:
                raise BackupError("a file in the backup is larger than its manifest says")
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def _file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while chunk := source.read(_COPY):
            size += len(chunk)
            digest.update(chunk)
    return size, digest.hexdigest()


# -- backup ------------------------------------------------------------------------------------


def _add(tar: tarfile.TarFile, name: str, source: BinaryIO, size: int, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, mtime
    tar.addfile(info, source)


def create_backup(
    out: Path,
    *,
    connection: Any,
    data_dir: Path,
    keys_file: Path,
    passphrase: str | None = None,
    now: dt.datetime | None = None,
    log2_n: int | None = None,
) -> BackupResult:
    """Write a backup of ``connection``'s database and the data directory's files to ``out``
    (a new file, mode 0600, written under a temporary name and renamed when complete)."""
    vendor = _vendor(connection)
    now = now or dt.datetime.now(dt.UTC)
    if out.exists():
        raise BackupError(f"{out} already exists: a backup never replaces a file")
    if not out.parent.is_dir():
        raise BackupError(f"the directory {out.parent} does not exist")
    skip = _sqlite_files(connection)
    with tempfile.TemporaryDirectory(prefix=".hopeful-backup-", dir=out.parent) as tmp:
        work = Path(tmp)
        dump_path = work / _DUMP_NAME[vendor]
        dumper = _dump_sqlite if vendor == "sqlite" else _dump_postgresql
        dumped = dumper(connection, dump_path)
        size, digest = _file_digest(dump_path)
        files = []
        for index, (root, rel, path) in enumerate(_data_files(data_dir, keys_file, skip)):
            member = f"files/{index:06d}"
            with path.open("rb") as source:
                fsize, fdigest = _copy_hashed(source, work / f"f{index:06d}")
            mode = stat.S_IMODE(path.stat().st_mode)
            files.append(
                {
                    "member": member,
                    "root": root,
                    "path": rel,
                    "size": fsize,
                    "sha256": fdigest,
                    "mode": mode,
                }
            )
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "hopeful_version": __version__,
            "created_at": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "encrypted": passphrase is not None,
            "database": {
                "vendor": vendor,
                "member": _DUMP_NAME[vendor],
                "size": size,
                "sha256": digest,
                **dumped["info"],
            },
            "migrations": dumped["migrations"],
            "checksum_method": checksums.METHOD,
            "tables": {name: s.as_json() for name, s in dumped["tables"].items()},
            "files": files,
        }
        _write_archive(out, work, manifest, passphrase, log2_n, now.timestamp())
    return BackupResult(path=out, manifest=manifest)


def _write_archive(
    out: Path,
    work: Path,
    manifest: dict[str, Any],
    passphrase: str | None,
    log2_n: int | None,
    mtime: float,
) -> None:
    partial = out.with_name(out.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw:
            writer = (
                EncryptingWriter(raw, passphrase, log2_n=log2_n or crypto.DEFAULT_LOG2_N)
                if passphrase
                else None
            )
            sink: Any = writer if writer is not None else raw
            with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                text = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
                _add(tar, MANIFEST, io.BytesIO(text), len(text), mtime)
                database = manifest["database"]
                with (work / database["member"]).open("rb") as source:
                    _add(tar, database["member"], source, database["size"], mtime)
                for entry in manifest["files"]:
                    index = entry["member"].rsplit("/", 1)[1]
                    with (work / f"f{index}").open("rb") as source:
                        _add(tar, entry["member"], source, entry["size"], mtime)
            if writer is not None:
                writer.close()
            raw.flush()
            os.fsync(raw.fileno())
        partial.replace(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


# -- restore -----------------------------------------------------------------------------------


def _check_manifest(manifest: Any, vendor: str) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("this is not a HOPEful backup (its manifest is missing or foreign)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"this backup's format ({version}) is newer than this HOPEful ({__version__}) reads"
        )
    database, files, tables = manifest["database"], manifest["files"], manifest["tables"]
    entries = [database, *files]
    if not (
        isinstance(tables, dict)
        and isinstance(files, list)
        and all(isinstance(e, dict) for e in entries)
        and all(isinstance(e["member"], str) and isinstance(e["size"], int) for e in entries)
        and all(isinstance(e["sha256"], str) for e in entries)
        and all(isinstance(e["path"], str) and isinstance(e["mode"], int) for e in files)
    ):
        raise BackupError("the backup's manifest is damaged")
    theirs = database["vendor"]
    if theirs != vendor:
        raise BackupError(
            f"this is a backup of a {_VENDOR_NAME.get(theirs, theirs)} database; this "
            f"installation uses {_VENDOR_NAME[vendor]}: restore it into the same kind of "
            "database (nothing was changed)"
        )
    return manifest


def _read_archive(source: Any, work: Path, vendor: str) -> dict[str, Any]:
    """Read the whole archive into ``work``, checking every member against the manifest."""
    with tarfile.open(fileobj=source, mode="r|") as tar:
        first = tar.next()
        if first is None or first.name != MANIFEST or not first.isfile():
            raise BackupError("this is not a HOPEful backup (it does not start with a manifest)")
        if first.size > _MANIFEST_MAX:
            raise BackupError("the backup's manifest is too large")
        handle = tar.extractfile(first)
        assert handle is not None  # noqa: S101 - a regular file has contents
        try:
            manifest = _check_manifest(json.loads(handle.read()), vendor)
        except (ValueError, KeyError, TypeError):
            raise BackupError("the backup's manifest is damaged") from None
        expected = {manifest["database"]["member"]: manifest["database"]}
        expected.update({entry["member"]: entry for entry in manifest["files"]})
        seen: set[str] = set()
        while (member := tar.next()) is not None:
            entry = expected.get(member.name)
            if entry is None or member.name in seen or not member.isfile():
                raise BackupError(f"the backup holds an unexpected entry {member.name!r}")
            seen.add(member.name)
            handle = tar.extractfile(member)
            assert handle is not None  # noqa: S101
            target = work / f"m{len(seen):06d}"
            size, digest = _copy_hashed(handle, target, limit=int(entry["size"]))
            if size != entry["size"] or digest != entry["sha256"]:
                raise BackupError(f"the backup is damaged: {member.name} fails its checksum")
            entry["_extracted"] = target
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"the backup is incomplete (cut short?): {', '.join(missing)} missing")
    return manifest


def _file_targets(
    manifest: dict[str, Any], data_dir: Path, keys_file: Path
) -> list[tuple[Path, dict[str, Any]]]:
    targets = []
    for entry in manifest["files"]:
        if entry["root"] == "credential_keys":
            target = keys_file
        else:
            rel = PurePosixPath(entry["path"])
            if rel.is_absolute() or ".." in rel.parts or not rel.parts:
                raise BackupError(f"the backup names an unsafe path {entry['path']!r}")
            target = data_dir / Path(*rel.parts)
        if target.exists() or target.is_symlink():
            raise BackupError(
                f"{target} already exists: restore needs a data directory without the backup's "
                "files (nothing was changed)"
            )
        targets.append((target, entry))
    return targets


def _refuse_non_empty(connection: Any, vendor: str) -> None:
    name = str(connection.settings_dict["NAME"])
    if vendor == "sqlite" and not name.startswith("file:") and not Path(name).exists():
        return  # not created yet: connecting would make an empty file
    with connection.cursor() as cursor:
        tables = checksums.list_tables(cursor, vendor)
    if tables:
        raise BackupError(
            f"the database {connection.settings_dict['NAME']} is not empty ({len(tables)} tables, "
            f"such as {tables[0]}): restore only into a new, empty database (nothing was changed)"
        )


def _restore_database(connection: Any, manifest: dict[str, Any], dump_file: Path) -> None:
    if connection.vendor == "sqlite":
        connection.close()
        source = sqlite3.connect(f"file:{dump_file}?mode=ro", uri=True)
        target = sqlite3.connect(str(connection.settings_dict["NAME"]))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    dumped_by = re.search(r"\d+", str(manifest["database"].get("dump_tool", "")))
    postgres.restore(connection, dump_file, int(dumped_by.group()) if dumped_by else 0)


def _stats_of_copy(dump_file: Path) -> dict[str, checksums.TableStat]:
    """Stats of a SQLite file, read through a plain connection (as at backup time: no type
    conversions of Django's)."""
    copy = sqlite3.connect(f"file:{dump_file}?mode=ro", uri=True)
    try:
        return checksums.database_stats(copy.cursor, "sqlite")
    finally:
        copy.close()


def _place(target: Path, entry: dict[str, Any]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = target.with_name(f".{target.name}.restoring")
    temporary.unlink(missing_ok=True)
    with entry["_extracted"].open("rb") as source:
        _copy_hashed(source, temporary)
    temporary.chmod(int(entry["mode"]) & 0o777)
    temporary.replace(target)


def open_source(raw: BinaryIO, passphrase: str | None, name: str) -> Any:
    head = raw.read(len(MAGIC))
    raw.seek(0)
    if not is_encrypted(head):
        return raw
    if passphrase is None:
        raise BackupError(
            f"{name} is encrypted: give its passphrase in a file named by "
            "HOPEFUL_BACKUP_PASSPHRASE_FILE (or in HOPEFUL_BACKUP_PASSPHRASE)"
        )
    return DecryptingReader(raw, passphrase)


def restore_backup(
    archive: Path,
    *,
    connection: Any,
    data_dir: Path,
    keys_file: Path,
    passphrase: str | None = None,
) -> RestoreResult:
    """Restore ``archive`` into ``connection``'s empty database and the data directory, then
    check every table's row count and checksum against the manifest.

    Everything is read and checked before anything is written: a wrong passphrase, a damaged,
    cut short or foreign file, a non-empty database or existing files change nothing. Raises
    :class:`RestoreMismatchError` (naming the tables) if the restored database differs."""
    vendor = _vendor(connection)
    try:
        with (
            archive.open("rb") as raw,
            tempfile.TemporaryDirectory(prefix="hopeful-restore-") as tmp,
        ):
            source = open_source(raw, passphrase, archive.name)
            _refuse_non_empty(connection, vendor)
            manifest = _read_archive(source, Path(tmp), vendor)
            if isinstance(source, DecryptingReader):
                source.finish()
            targets = _file_targets(manifest, data_dir, keys_file)
            dump_file = manifest["database"]["_extracted"]
            if vendor == "sqlite":
                problems = checksums.differences(manifest["tables"], _stats_of_copy(dump_file))
                if problems:
                    raise BackupError(
                        "the backup's database differs from its manifest: " + "; ".join(problems)
                    )
            _refuse_non_empty(connection, vendor)
            _restore_database(connection, manifest, dump_file)
            if vendor == "sqlite":
                restored = _stats_of_copy(Path(connection.settings_dict["NAME"]))
            else:
                restored = checksums.database_stats(connection.chunked_cursor, vendor)
            problems = checksums.differences(manifest["tables"], restored)
            if problems:
                raise RestoreMismatchError(problems)
            for target, entry in targets:
                _place(target, entry)
    except CryptoError as exc:
        raise BackupError(str(exc)) from None
    except (tarfile.TarError, EOFError):
        raise BackupError(
            f"{archive.name} is not a HOPEful backup, or it is damaged or cut short (nothing was changed)"
        ) from None
    except OSError as exc:
        raise BackupError(f"restore of {archive} failed: {exc}") from None
    for entry in [manifest["database"], *manifest["files"]]:
        entry.pop("_extracted", None)
    return RestoreResult(manifest=manifest, files=[t for t, _ in targets])
