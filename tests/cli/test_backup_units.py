"""The parts of backups that need no database: the streaming encryption, the retention
plan, and the vendor-neutral value forms of the table checksums."""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import tarfile
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

from hopeful.web.core.backup import BackupError, plan, restore_backup
from hopeful.web.core.backup.checksums import canonical
from hopeful.web.core.backup.crypto import (
    HEADER_SIZE,
    TAG_SIZE,
    CryptoError,
    DecryptingReader,
    EncryptingWriter,
)

CHUNK = 1024
SECRET = "a long enough passphrase"  # noqa: S105 - synthetic


def encrypt(data: bytes, passphrase: str = SECRET) -> bytes:
    raw = io.BytesIO()
    writer = EncryptingWriter(raw, passphrase, log2_n=10, chunk_size=CHUNK)
    for start in range(0, len(data), 700):  # writes that straddle chunks
        writer.write(data[start : start + 700])
    writer.close()
    return raw.getvalue()


def decrypt(blob: bytes, passphrase: str = SECRET) -> bytes:
    reader = DecryptingReader(io.BytesIO(blob), passphrase)
    parts = []
    while part := reader.read(500):
        parts.append(part)
    reader.finish()
    return b"".join(parts)


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 5])
def test_encryption_round_trips_every_size(size: int) -> None:
    data = bytes(range(256)) * (size // 256 + 1)
    blob = encrypt(data[:size])
    assert decrypt(blob) == data[:size]
    chunks = max(1, -(-size // CHUNK))
    assert len(blob) == HEADER_SIZE + size + chunks * TAG_SIZE


def test_every_kind_of_damage_is_refused() -> None:
    blob = encrypt(bytes(3 * CHUNK + 10))
    step = CHUNK + TAG_SIZE
    first, second = (
        blob[HEADER_SIZE : HEADER_SIZE + step],
        blob[HEADER_SIZE + step : HEADER_SIZE + 2 * step],
    )
    damaged = {
        "cut at a chunk boundary": blob[: HEADER_SIZE + 2 * step],
        "cut inside a chunk": blob[:-5],
        "chunks swapped": blob[:HEADER_SIZE] + second + first + blob[HEADER_SIZE + 2 * step :],
        "chunk repeated": blob[: HEADER_SIZE + step] + first + blob[HEADER_SIZE + step :],
        "data appended": blob + b"x",
        "a bit flipped": blob[:-1] + bytes([blob[-1] ^ 1]),
    }
    for name, content in damaged.items():
        with pytest.raises(CryptoError, match=r"damaged|cut short") as refused:
            decrypt(content)
        assert refused.value, name
    header = bytearray(blob[:HEADER_SIZE])
    header[12] ^= 1  # the chunk size: the passphrase check still passes, the tags do not
    with pytest.raises(CryptoError):
        decrypt(bytes(header) + blob[HEADER_SIZE:])
    with pytest.raises(CryptoError, match="wrong passphrase"):
        decrypt(blob, "another passphrase here")
    with pytest.raises(CryptoError, match="not an encrypted HOPEful backup"):
        decrypt(b"plain tar data" * 10)


def test_retention_keeps_the_newest_per_day_week_and_month() -> None:
    start = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
    names = [
        f"hopeful-backup-{(start - dt.timedelta(hours=12 * i)):%Y%m%dT%H%M%SZ}.tar"
        for i in range(200)
    ]
    kept, deleted = plan([*names, "notes.txt"], keep_daily=7, keep_weekly=4, keep_monthly=3)
    assert "notes.txt" not in kept + deleted
    assert kept[0] == names[0]
    # 2026-12-07 is a Monday. Daily: Dec 7 back to Dec 1 (the newest of each day, 14:00).
    # Weekly: Dec 7's week and Nov 30-Dec 6's are kept already, then Nov 29 and Nov 22.
    # Monthly: Dec 7 (kept), Nov 30, Oct 31.
    assert [name[15:28] for name in kept] == [
        "20261207T0200", "20261206T1400", "20261205T1400", "20261204T1400", "20261203T1400",
        "20261202T1400", "20261201T1400", "20261130T1400", "20261129T1400", "20261122T1400",
        "20261031T1400",
    ]  # fmt: skip
    assert len(deleted) == 200 - 11
    assert plan([], keep_daily=1, keep_weekly=0, keep_monthly=0) == ([], [])
    only_newest = plan(names, keep_daily=0, keep_weekly=0, keep_monthly=0)[0]
    assert only_newest == [names[0]]


@pytest.mark.parametrize(
    ("kind", "sqlite", "postgresql"),
    [
        ("BooleanField", 1, True),
        ("DateTimeField", "2026-12-07 02:00:00.5", dt.datetime(2026, 12, 7, 2, 0, 0, 500_000, tzinfo=dt.UTC)),
        ("DateTimeField", "2026-12-07 02:00:00", dt.datetime(2026, 12, 6, 21, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))),
        ("DateField", "2026-12-07", dt.date(2026, 12, 7)),
        ("TimeField", "09:30:00", dt.time(9, 30)),
        ("DurationField", 90_000_000, dt.timedelta(seconds=90)),
        ("UUIDField", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", uuid.UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")),
        ("JSONField", '{"b": [1, 2], "a": "é"}', {"a": "é", "b": [1, 2]}),
        ("DecimalField", 12.5, decimal.Decimal("12.50")),
        ("BinaryField", b"\x00\x01", memoryview(b"\x00\x01")),
        (None, "text", "text"),
    ],
)  # fmt: skip
def test_values_read_from_either_database_have_one_form(
    kind: str | None, sqlite: object, postgresql: object
) -> None:
    assert canonical(sqlite, kind) == canonical(postgresql, kind)


def test_a_backup_of_another_kind_of_database_is_refused(tmp_path: Path) -> None:
    manifest = {
        "format": "hopeful-backup",
        "format_version": 1,
        "database": {"vendor": "postgresql", "member": "database.x", "size": 0, "sha256": ""},
        "files": [],
        "tables": {},
    }
    archive = tmp_path / "foreign.tar"
    with tarfile.open(archive, "w") as tar:
        text = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(text)
        tar.addfile(info, io.BytesIO(text))
    new_file = tmp_path / "new.sqlite3"
    sqlite = SimpleNamespace(vendor="sqlite", settings_dict={"NAME": str(new_file)})
    with pytest.raises(BackupError, match="restore it into the same kind of database"):
        restore_backup(
            archive, connection=sqlite, data_dir=tmp_path / "data", keys_file=tmp_path / "k"
        )
    assert not new_file.exists()
    assert not (tmp_path / "data").exists()


def _fake_tool(directory: Path, version: str) -> None:
    directory.mkdir(parents=True)
    tool = directory / "pg_dump"
    tool.write_text(f"#!/bin/sh\necho 'pg_dump (PostgreSQL) {version}'\n", encoding="utf-8")
    tool.chmod(0o755)


def test_pg_dump_of_the_servers_version_is_preferred_and_an_older_one_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hopeful.web.core.backup import postgres

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("HOPEFUL_PG_BIN_DIR", raising=False)
    monkeypatch.setattr(postgres, "VERSIONED_BIN_GLOB", f"{tmp_path}/pg/*/bin")
    with pytest.raises(BackupError, match=r"pg_dump was not found .* postgresql-client-15"):
        postgres.find_tool("pg_dump", 15)
    _fake_tool(tmp_path / "pg" / "13" / "bin", "13.2")
    with pytest.raises(BackupError, match=r"older than the database server \(PostgreSQL 15\)"):
        postgres.find_tool("pg_dump", 15)
    for major in ("17", "15", "16"):
        _fake_tool(tmp_path / "pg" / major / "bin", f"{major}.1")
    assert postgres.find_tool("pg_dump", 15) == (str(tmp_path / "pg/15/bin/pg_dump"), 15)
    assert postgres.find_tool("pg_dump", 14) == (str(tmp_path / "pg/15/bin/pg_dump"), 15)
    assert postgres.find_tool("pg_dump", 16)[1] == 16
