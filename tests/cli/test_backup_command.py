"""`hopeful backup` and `hopeful restore`: what they print, their exit statuses, the
passphrase from a file, and pruning by retention with --out-dir (the restore drill itself is
tests/web/core/test_backup_drill.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django.db
import pytest
from django.db import connection
from django.db.utils import load_backend

from hopeful.cli import main
from hopeful.web.core import backup
from hopeful.web.core.backup import crypto

PASSPHRASE = "cli test passphrase, synthetic"  # noqa: S105


@pytest.fixture
def data_dir(tmp_path: Path, settings: Any) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    settings.DATA_DIR = path
    settings.HOPEFUL_CREDENTIAL_KEYS_FILE = path / "keys" / "credentials.jwks"
    return path


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[Any]:
    """A new SQLite database to restore into (this file's tests run in the SQLite pass)."""
    if connection.vendor != "sqlite":
        pytest.skip("the command's restore is tested on SQLite; the drill covers PostgreSQL")
    settings_dict = {**connection.settings_dict, "NAME": str(tmp_path / "new.sqlite3")}
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "new")
    yield wrapper
    wrapper.close()


def restore(archive: Path, database: Any, monkeypatch: pytest.MonkeyPatch) -> int:
    with monkeypatch.context() as patch:
        patch.setattr(django.db, "connection", database)
        return main(["restore", str(archive)])


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_and_their_exit_statuses(
    tmp_path: Path,
    data_dir: Path,
    empty_database: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    archive = tmp_path / "site.tar"
    assert main(["backup", "--out", str(archive)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {archive}" in out
    assert "not encrypted" in out

    assert main(["backup", "--out", str(archive)]) == 2
    assert "already exists" in capsys.readouterr().err

    assert restore(archive, empty_database, monkeypatch) == 0
    assert "every table's row count and checksum match the backup" in capsys.readouterr().out

    assert restore(archive, empty_database, monkeypatch) == 2
    assert "is not empty" in capsys.readouterr().err

    def differs(*args: Any, **kwargs: Any) -> None:
        raise backup.RestoreMismatchError(["surveys_submission (3 rows in the backup, 2 restored)"])

    monkeypatch.setattr(backup, "restore_backup", differs)
    assert restore(archive, empty_database, monkeypatch) == 1
    err = capsys.readouterr().err
    assert "surveys_submission (3 rows in the backup, 2 restored)" in err
    assert "do not use it" in err


@pytest.mark.django_db(transaction=True)
def test_encrypted_backup_into_a_directory_prunes_old_ones(
    tmp_path: Path,
    data_dir: Path,
    empty_database: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(crypto, "DEFAULT_LOG2_N", 12)
    passphrase_file = tmp_path / "passphrase"
    passphrase_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    monkeypatch.setenv("HOPEFUL_BACKUP_PASSPHRASE_FILE", str(passphrase_file))
    backups = tmp_path / "backups"
    backups.mkdir()
    now = dt.datetime.now(dt.UTC)
    old = [backup.backup_name(now - dt.timedelta(days=d), encrypted=True) for d in range(1, 41)]
    for name in [*old, "notes.txt"]:
        (backups / name).write_bytes(b"")

    assert main(["backup", "--out-dir", str(backups), "--encrypt", "--keep-weekly", "2"]) == 0
    out = capsys.readouterr().out
    assert "(encrypted)" not in out
    assert "encrypted)" in out
    made = sorted(backups.glob("hopeful-backup-*"))
    # The new one, six more days, and the newest of two weeks (one already among the days).
    kept, deleted = backup.plan([*old, made[-1].name], keep_daily=7, keep_weekly=2, keep_monthly=0)
    assert sorted(p.name for p in made) == sorted(kept)
    assert len(deleted) == len(old) + 1 - len(kept)
    assert out.count("deleted ") == len(deleted)
    assert (backups / "notes.txt").exists()
    archive = backups / kept[0]

    monkeypatch.delenv("HOPEFUL_BACKUP_PASSPHRASE_FILE")
    assert restore(archive, empty_database, monkeypatch) == 2
    assert "is encrypted" in capsys.readouterr().err
    monkeypatch.setenv("HOPEFUL_BACKUP_PASSPHRASE", "another passphrase entirely")
    assert restore(archive, empty_database, monkeypatch) == 2
    assert "wrong passphrase" in capsys.readouterr().err
    monkeypatch.setenv("HOPEFUL_BACKUP_PASSPHRASE", PASSPHRASE)
    assert restore(archive, empty_database, monkeypatch) == 0


@pytest.mark.parametrize(
    ("arguments", "environment", "message"),
    [
        (["backup", "--out", "x.tar", "--keep-daily", "3"], {}, "go with --out-dir"),
        (["backup", "--out", "x.tar", "--encrypt"], {}, "--encrypt needs a passphrase"),
        (
            ["backup", "--out", "x.tar", "--encrypt"],
            {"HOPEFUL_BACKUP_PASSPHRASE_FILE": "missing-file"},
            "cannot read the passphrase file",
        ),
        (
            ["backup", "--out", "x.tar", "--encrypt"],
            {"HOPEFUL_BACKUP_PASSPHRASE": "short"},
            "too short",
        ),
        (["restore", "no-such-backup.tar"], {}, "is not a file"),
    ],
)
def test_bad_arguments_are_refused_with_status_2(
    arguments: list[str],
    environment: dict[str, str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HOPEFUL_BACKUP_PASSPHRASE_FILE", raising=False)
    monkeypatch.delenv("HOPEFUL_BACKUP_PASSPHRASE", raising=False)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    assert main(arguments) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.tar").exists()


def test_keep_counts_must_be_whole_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["backup", "--out-dir", "b", "--keep-daily", "many"])
    assert exit_.value.code == 2
    assert "expected a whole number" in capsys.readouterr().err
