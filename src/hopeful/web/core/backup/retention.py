"""Backups named by time in one directory, and which of them to keep.

``hopeful-backup-20261207T020000Z.tar`` (``.tar.enc`` when encrypted). Keeping works like
restic's and borg's: ``keep_daily=7`` keeps the newest backup of each of the last 7 days that
have a backup, ``keep_weekly`` the same per ISO week, ``keep_monthly`` per month; a backup
kept by any rule stays, and the newest backup always stays. Other files are never touched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path

PREFIX = "hopeful-backup-"
_NAME = re.compile(r"^hopeful-backup-(\d{8}T\d{6}Z)\.tar(\.enc)?$")


def backup_name(now: dt.datetime, *, encrypted: bool) -> str:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{PREFIX}{stamp}.tar{'.enc' if encrypted else ''}"


def parse_name(name: str) -> dt.datetime | None:
    match = _NAME.match(name)
    if match is None:
        return None
    return dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


def _keep(
    backups: list[tuple[dt.datetime, str]], count: int, period: Callable[[dt.datetime], object]
) -> set[str]:
    kept: set[str] = set()
    seen: set[object] = set()
    for moment, name in backups:  # newest first
        if len(seen) >= count:
            break
        key = period(moment)
        if key not in seen:
            seen.add(key)
            kept.add(name)
    return kept


def plan(
    names: Iterable[str], *, keep_daily: int, keep_weekly: int, keep_monthly: int
) -> tuple[list[str], list[str]]:
    """Split the backup file names among ``names`` into (kept, to delete), newest first."""
    backups = sorted(
        ((moment, name) for name in names if (moment := parse_name(name)) is not None),
        reverse=True,
    )
    if not backups:
        return [], []
    kept = {backups[0][1]}
    kept |= _keep(backups, keep_daily, lambda m: m.date())
    kept |= _keep(backups, keep_weekly, lambda m: m.isocalendar()[:2])
    kept |= _keep(backups, keep_monthly, lambda m: (m.year, m.month))
    ordered = [name for _, name in backups]
    return [n for n in ordered if n in kept], [n for n in ordered if n not in kept]


def prune(directory: Path, *, keep_daily: int, keep_weekly: int, keep_monthly: int) -> list[Path]:
    """Delete the backups in ``directory`` that no rule keeps; return the deleted paths."""
    names = [p.name for p in directory.iterdir() if p.is_file() and not p.is_symlink()]
    _, delete = plan(
        names, keep_daily=keep_daily, keep_weekly=keep_weekly, keep_monthly=keep_monthly
    )
    deleted = []
    for name in delete:
        path = directory / name
        path.unlink(missing_ok=True)
        deleted.append(path)
    return deleted
