"""The restore drill: a populated database is backed up, restored into a new empty database,
and every table's row count and checksum compared; damaged and cut short archives, a wrong or
missing passphrase and a database that is not empty are refused with nothing changed; the
same state backed up encrypted restores to the same tables.

Runs in both CI passes: on SQLite the target is a new file; on PostgreSQL (``DATABASE_URL``)
a database the test creates and drops, restored with ``pg_restore``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.utils import load_backend
from django_otp.plugins.otp_totp.models import TOTPDevice

from hopeful.web.audit.services import audit_record
from hopeful.web.casework import services as casework
from hopeful.web.core.backup import (
    BackupError,
    create_backup,
    crypto,
    database_stats,
    restore_backup,
)
from tests.web import factories as f
from tests.web.practice.factories import make_submission

pytestmark = pytest.mark.django_db(transaction=True)

NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
PASSPHRASE = "drill passphrase, synthetic"  # noqa: S105


#: The tables _populate fills (others may hold rows made by migrations).
POPULATED = {
    "accounts_user",
    "audit_auditevent",
    "casework_goal",
    "django_migrations",
    "families_child",
    "families_consentrecord",
    "families_family",
    "organizations_membership",
    "organizations_organization",
    "organizations_program",
    "otp_totp_totpdevice",
    "surveys_campaign",
    "surveys_campaignlink",
    "surveys_instrumentscore",
    "surveys_submission",
}


@pytest.fixture
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt at N = 2**12 instead of 2**17: the format is the same, the test faster."""
    monkeypatch.setattr(crypto, "DEFAULT_LOG2_N", 12)


@pytest.fixture
def targets(tmp_path: Path) -> Iterator[Callable[[str], Any]]:
    """Makes connections to new, empty databases of the same kind as the test database."""
    made: list[Any] = []

    def make(name: str) -> Any:
        settings_dict = dict(connection.settings_dict)
        if connection.vendor == "sqlite":
            settings_dict["NAME"] = str(tmp_path / f"{name}.sqlite3")
        else:
            settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_{name}"
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')
                cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
        made.append(load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, name))
        return made[-1]

    yield make
    for wrapper in made:
        wrapper.close()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                name = wrapper.settings_dict["NAME"]
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _populate(data_dir: Path) -> None:
    """Two organizations with members in every role, families with children and consent,
    scored submissions, casework records, audit events, a second-factor device, and files:
    an uploaded image and the credential keys (mode 0600)."""
    today = dt.date(2026, 12, 7)
    for name in ("Sunrise Clinic", "Riverbend Home Visiting"):
        org = f.make_org(name)
        program = f.make_program(org, "Main site")
        members = {role: f.make_member(org, role) for role in f.ROLES}
        campaign = f.make_campaign(org, program, members["org_admin"])
        link, _ = f.make_link(campaign, members["org_admin"])
        practitioner = members["practitioner"]
        for number in range(3):
            family = f.make_family(org, program, f"{name} family {number}")
            f.make_child(family)
            f.grant_consent(family)
            make_submission(family, campaign, link)
            casework.goal_add(
                family=family,
                actor=practitioner,
                block="environment",
                text="A safe place to play",
                next_step="Visit the park",
                due_on=today + dt.timedelta(days=20),
                today=today,
            )
            audit_record(verb="family.view", actor=practitioner, organization=org, obj=family)
        TOTPDevice.objects.create(user=practitioner, name="phone", confirmed=True)
    (data_dir / "media" / "images").mkdir(parents=True)
    (data_dir / "media" / "images" / "poster.png").write_bytes(b"\x89PNG synthetic")
    keys = data_dir / "keys" / "credentials.jwks"
    keys.parent.mkdir()
    keys.write_text('{"keys": []}', encoding="utf-8")
    keys.chmod(0o600)


def _stats_of(wrapper: Any) -> dict[str, Any]:
    if wrapper.vendor == "sqlite":
        import sqlite3

        raw = sqlite3.connect(wrapper.settings_dict["NAME"])
        try:
            return database_stats(raw.cursor, "sqlite")
        finally:
            raw.close()
    return database_stats(wrapper.chunked_cursor, wrapper.vendor)


def _table_names(wrapper: Any) -> list[str]:
    if wrapper.vendor == "sqlite" and not Path(wrapper.settings_dict["NAME"]).exists():
        return []
    with wrapper.cursor() as cursor:
        return list(wrapper.introspection.table_names(cursor))


def _restore(archive: Path, target: Any, data_dir: Path, passphrase: str | None = None) -> Any:
    return restore_backup(
        archive,
        connection=target,
        data_dir=data_dir,
        keys_file=data_dir / "keys" / "credentials.jwks",
        passphrase=passphrase,
    )


def _backup(out: Path, data_dir: Path, passphrase: str | None = None) -> dict[str, Any]:
    return create_backup(
        out,
        connection=connection,
        data_dir=data_dir,
        keys_file=data_dir / "keys" / "credentials.jwks",
        passphrase=passphrase,
        now=NOW,
    ).manifest


def test_restore_drill(tmp_path: Path, targets: Callable[[str], Any], fast_kdf: None) -> None:
    target = targets("drill")
    source_dir, restored_dir = tmp_path / "data", tmp_path / "restored-data"
    source_dir.mkdir()
    _populate(source_dir)
    archive = tmp_path / "drill.tar"
    manifest = _backup(archive, source_dir)

    # The manifest counts what the ORM counts, for every model's table.
    for model in apps.get_models(include_auto_created=True):
        table = manifest["tables"][model._meta.db_table]
        assert table["rows"] == model._base_manager.count(), model._meta.db_table
    non_empty = {name for name, t in manifest["tables"].items() if t["rows"]}
    assert not POPULATED - non_empty
    assert manifest["database"]["vendor"] == connection.vendor
    assert ["surveys", "0001_initial"] in manifest["migrations"]

    # A damaged or cut short archive is refused before anything changes.
    data = archive.read_bytes()
    for broken in (data[: len(data) // 2], data[:-20_000] + bytes(20_000)):
        bad = tmp_path / "bad.tar"
        bad.write_bytes(broken)
        with pytest.raises(BackupError, match=r"damaged|cut short|incomplete"):
            _restore(bad, target, restored_dir)
        assert _table_names(target) == []
        assert not restored_dir.exists()

    result = _restore(archive, target, restored_dir)
    assert result.rows == sum(t["rows"] for t in manifest["tables"].values())
    restored = _stats_of(target)
    assert {name: s.as_json() for name, s in restored.items()} == manifest["tables"]
    # Checksums do not depend on how rows are read: the live database (through Django's own
    # cursor and its type conversions) gives the same as the restored copy.
    live_cursor = (
        connection.chunked_cursor if connection.vendor == "postgresql" else connection.cursor
    )
    assert database_stats(live_cursor, connection.vendor) == restored

    poster = restored_dir / "media" / "images" / "poster.png"
    assert poster.read_bytes() == b"\x89PNG synthetic"
    keys = restored_dir / "keys" / "credentials.jwks"
    assert keys.stat().st_mode & 0o777 == 0o600

    # A database that is not empty is refused, and left as it was.
    with pytest.raises(BackupError, match="not empty"):
        _restore(archive, target, tmp_path / "elsewhere")
    with target.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM surveys_submission")
        assert cursor.fetchone()[0] == manifest["tables"]["surveys_submission"]["rows"] == 6
    assert not (tmp_path / "elsewhere").exists()

    # The same state, encrypted: every kind of damage and a wrong or missing passphrase are
    # refused with nothing changed; then it restores to the same tables.
    encrypted = tmp_path / "drill.tar.enc"
    assert _backup(encrypted, source_dir, passphrase=PASSPHRASE)["tables"] == manifest["tables"]
    data = encrypted.read_bytes()
    assert data.startswith(crypto.MAGIC)
    assert encrypted.stat().st_mode & 0o777 == 0o600
    assert b"django_migrations" not in data
    tampered = bytearray(data)
    tampered[len(data) // 2] ^= 0x01
    cases = [
        (data, None, "is encrypted"),
        (data, "not the passphrase", "wrong passphrase"),
        (bytes(tampered), PASSPHRASE, "damaged, cut short or was altered"),
        (data[: len(data) - 1000], PASSPHRASE, "damaged, cut short or was altered"),
        (data + b"appended", PASSPHRASE, "altered"),
    ]
    second, second_dir = targets("encrypted"), tmp_path / "second-data"
    for content, passphrase, message in cases:
        bad = tmp_path / "bad.tar.enc"
        bad.write_bytes(content)
        with pytest.raises(BackupError, match=message):
            _restore(bad, second, second_dir, passphrase)
        assert _table_names(second) == []
        assert not second_dir.exists()
    result = _restore(encrypted, second, second_dir, PASSPHRASE)
    assert result.manifest["tables"] == manifest["tables"]
    assert (second_dir / "keys" / "credentials.jwks").stat().st_mode & 0o777 == 0o600
