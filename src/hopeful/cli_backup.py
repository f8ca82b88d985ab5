"""``hopeful backup`` and ``hopeful restore``: the database and the data directory's files in
one archive (optionally encrypted), and a restore into an empty database checked table by
table against the archive's manifest (:mod:`hopeful.web.core.backup`, docs/backup.md).

The passphrase of an encrypted backup is never a command-line argument (it would show in the
process list and the shell history): it is read from the file ``HOPEFUL_BACKUP_PASSPHRASE_FILE``
names, or from ``HOPEFUL_BACKUP_PASSPHRASE``.

Exit status: 0 done; 1 restored, but the database differs from the backup (tables named);
2 nothing done (bad arguments, unreadable, damaged or foreign archive, wrong passphrase, a
database that is not empty, a missing ``pg_dump``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from hopeful.cli_common import EXIT_NOT_VALID, EXIT_OK, CommandError

PASSPHRASE_FILE_ENV = "HOPEFUL_BACKUP_PASSPHRASE_FILE"  # noqa: S105 - a variable's name
PASSPHRASE_ENV = "HOPEFUL_BACKUP_PASSPHRASE"  # noqa: S105 - a variable's name
#: Backups kept by default with ``--out-dir``: one a day for a week, one a week for a month.
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 0


def read_passphrase() -> str | None:
    """The passphrase from ``HOPEFUL_BACKUP_PASSPHRASE_FILE`` (first line) or
    ``HOPEFUL_BACKUP_PASSPHRASE``; None when neither is set."""
    path = os.environ.get(PASSPHRASE_FILE_ENV, "").strip()
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                f"cannot read the passphrase file {path} ({PASSPHRASE_FILE_ENV}): {exc}"
            ) from None
        lines = text.splitlines()
        passphrase = lines[0] if lines else ""
        if not passphrase:
            raise CommandError(f"the passphrase file {path} ({PASSPHRASE_FILE_ENV}) is empty")
        return passphrase
    return os.environ.get(PASSPHRASE_ENV) or None


def _count(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number (got {text!r})") from None
    if not 0 <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 10000 (got {value})")
    return value


def _setup(args: argparse.Namespace) -> None:
    if args.demo:
        args.demo_environment(Path(args.data_dir))
    args.django_setup()


def cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    keeps = (args.keep_daily, args.keep_weekly, args.keep_monthly)
    if args.out is not None and any(k is not None for k in keeps):
        raise CommandError("--keep-daily, --keep-weekly and --keep-monthly go with --out-dir")
    passphrase = read_passphrase() if args.encrypt else None
    if args.encrypt and passphrase is None:
        raise CommandError(
            f"--encrypt needs a passphrase: put it in a file (mode 0600) and set "
            f"{PASSPHRASE_FILE_ENV} to its path (or set {PASSPHRASE_ENV})"
        )
    _setup(args)
    from django.conf import settings
    from django.db import Error as DatabaseError
    from django.db import connection

    from hopeful.web.core import backup

    if passphrase is not None and len(passphrase) < backup.MIN_PASSPHRASE_LENGTH:
        raise CommandError(
            f"the passphrase is too short: use at least {backup.MIN_PASSPHRASE_LENGTH} "
            "characters (a few random words)"
        )
    now = dt.datetime.now(dt.UTC)
    if args.out_dir is not None:
        directory = Path(args.out_dir)
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise CommandError(f"cannot create --out-dir {directory}: {exc}") from None
        target = directory / backup.backup_name(now, encrypted=passphrase is not None)
    else:
        target = Path(args.out)
    try:
        result = backup.create_backup(
            target,
            connection=connection,
            data_dir=Path(settings.DATA_DIR),
            keys_file=Path(settings.HOPEFUL_CREDENTIAL_KEYS_FILE),
            passphrase=passphrase,
            now=now,
        )
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from None
    except DatabaseError as exc:
        raise CommandError(f"the database could not be read: {exc}") from None
    manifest = result.manifest
    rows = sum(t["rows"] for t in manifest["tables"].values())
    print(
        f"wrote {target} ({target.stat().st_size:,} bytes, "
        f"{'encrypted' if passphrase else 'not encrypted'}): {manifest['database']['vendor']} "
        f"database, {len(manifest['tables'])} tables, {rows:,} rows, "
        f"{len(manifest['files'])} files",
        file=out,
    )
    if args.out_dir is not None:
        deleted = backup.prune(
            Path(args.out_dir),
            keep_daily=KEEP_DAILY if args.keep_daily is None else args.keep_daily,
            keep_weekly=KEEP_WEEKLY if args.keep_weekly is None else args.keep_weekly,
            keep_monthly=KEEP_MONTHLY if args.keep_monthly is None else args.keep_monthly,
        )
        for path in deleted:
            print(f"deleted {path} (older than the retention keeps)", file=out)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    archive = Path(args.file)
    if not archive.is_file():
        raise CommandError(f"{archive} is not a file")
    passphrase = read_passphrase()
    _setup(args)
    from django.conf import settings
    from django.db import Error as DatabaseError
    from django.db import connection

    from hopeful import __version__
    from hopeful.web.core import backup

    try:
        result = backup.restore_backup(
            archive,
            connection=connection,
            data_dir=Path(settings.DATA_DIR),
            keys_file=Path(settings.HOPEFUL_CREDENTIAL_KEYS_FILE),
            passphrase=passphrase,
        )
    except backup.RestoreMismatchError as exc:
        print(f"hopeful: error: {exc}", file=sys.stderr)
        print(
            "hopeful: the database was restored but is not what was backed up: do not use "
            "it; drop it, create an empty one and restore again (or use another backup)",
            file=sys.stderr,
        )
        return EXIT_NOT_VALID
    except backup.BackupError as exc:
        raise CommandError(str(exc)) from None
    except DatabaseError as exc:
        raise CommandError(f"the database could not be used: {exc}") from None
    manifest = result.manifest
    print(
        f"restored {archive} (made {manifest['created_at']} by HOPEful "
        f"{manifest['hopeful_version']}): {len(manifest['tables'])} tables, {result.rows:,} "
        f"rows, {len(result.files)} files; every table's row count and checksum match the "
        "backup",
        file=out,
    )
    if manifest["hopeful_version"] != __version__:
        print(
            f"this is HOPEful {__version__}: run `hopeful manage migrate` before serving",
            file=out,
        )
    return EXIT_OK


def _common(parser: argparse.ArgumentParser, setup: dict[str, Any]) -> None:
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use the demo's environment (its database and secret key in --data-dir)",
    )
    parser.add_argument(
        "--data-dir", default="var", help="the demo's data directory with --demo (default: ./var)"
    )
    parser.set_defaults(**setup)


def add_backup_parsers(
    sub: Any, *, django_setup: Callable[[], None], demo_environment: Callable[[Path], None]
) -> None:
    """Add ``backup`` and ``restore`` to the ``hopeful`` command's subparsers. The two set-up
    functions come from :mod:`hopeful.cli` (this module does not import it)."""
    setup = {"django_setup": django_setup, "demo_environment": demo_environment}
    p_backup = sub.add_parser(
        "backup",
        help="back up the database and the data directory's files into one archive",
        description=(
            "Write one archive with the database (pg_dump on PostgreSQL, SQLite's online "
            "backup API), uploaded media and the credential signing keys, and a manifest of "
            f"every table's row count and checksum. --encrypt reads the passphrase from the "
            f"file {PASSPHRASE_FILE_ENV} names (or {PASSPHRASE_ENV}). With --out-dir the file "
            "is named by the time and older backups are pruned (see docs/backup.md)."
        ),
    )
    where = p_backup.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", metavar="FILE", help="the archive to write (a new file)")
    where.add_argument(
        "--out-dir",
        metavar="DIR",
        help="write hopeful-backup-<UTC time>.tar(.enc) here and prune old backups",
    )
    p_backup.add_argument(
        "--encrypt", action="store_true", help="encrypt the archive (AES-256-GCM, scrypt)"
    )
    for period, default in (
        ("daily", KEEP_DAILY),
        ("weekly", KEEP_WEEKLY),
        ("monthly", KEEP_MONTHLY),
    ):
        p_backup.add_argument(
            f"--keep-{period}",
            type=_count,
            default=None,
            metavar="N",
            help=f"with --out-dir: keep the newest backup of the last N {period.removesuffix('ly').replace('dai', 'day')}s that have one (default: {default})",
        )
    _common(p_backup, setup)
    p_backup.set_defaults(handler=cmd_backup)

    p_restore = sub.add_parser(
        "restore",
        help="restore a backup into an empty database, checking every table",
        description=(
            "Restore an archive made by `hopeful backup` into the configured database, which "
            "must be empty (a new database), and its files into the data directory, then "
            "check every table's row count and checksum against the archive. Nothing is "
            "changed when the archive is damaged, the passphrase wrong, or the database not "
            "empty. Exit status: 0 restored and checked, 1 restored but different (tables "
            "named), 2 nothing done."
        ),
    )
    p_restore.add_argument("file", metavar="FILE", help="the archive made by hopeful backup")
    _common(p_restore, setup)
    p_restore.set_defaults(handler=cmd_restore)
