"""``pg_dump`` and ``pg_restore``: finding a version that fits the server, and running them
with the connection settings of a Django database (the password in the environment, never on
the command line)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from hopeful.web.core.backup.errors import BackupError

#: Where Debian and Ubuntu install each PostgreSQL version's programs.
VERSIONED_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def server_major(connection: Any) -> int:
    return int(connection.pg_version) // 10_000


def _tool_major(path: str) -> int | None:
    try:
        out = subprocess.run(  # noqa: S603 - a PostgreSQL program found on disk, no shell
            [path, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\b(\d+)(?:\.\d+)*", out)
    return int(match.group(1)) if match else None


def _candidates(name: str) -> list[str]:
    found: list[str] = []
    custom = os.environ.get("HOPEFUL_PG_BIN_DIR", "").strip()
    if custom:
        found.append(str(Path(custom) / name))
    on_path = shutil.which(name)
    if on_path:
        found.append(on_path)
    versioned = Path(VERSIONED_BIN_GLOB.split("*", 1)[0])
    if versioned.is_dir():
        found.extend(str(d / "bin" / name) for d in sorted(versioned.iterdir()))
    return [p for p in dict.fromkeys(found) if os.access(p, os.X_OK)]


def find_tool(name: str, server: int) -> tuple[str, int]:
    """The ``name`` program (``pg_dump``, ``pg_restore``) of the server's major version if
    installed, else the oldest newer one. ``HOPEFUL_PG_BIN_DIR`` is looked at first."""
    versions = [(path, _tool_major(path)) for path in _candidates(name)]
    usable = [(path, major) for path, major in versions if major is not None]
    if not usable:
        raise BackupError(
            f"{name} was not found (looked on PATH, in HOPEFUL_PG_BIN_DIR and in "
            f"{VERSIONED_BIN_GLOB}): install the PostgreSQL {server} client programs "
            f"(Debian: apt-get install postgresql-client-{server})"
        )
    for path, major in usable:
        if major == server:
            return path, major
    newer = sorted((major, path) for path, major in usable if major > server)
    if newer:
        return newer[0][1], newer[0][0]
    have = ", ".join(f"{path} ({major})" for path, major in usable)
    raise BackupError(
        f"{name} is older than the database server (PostgreSQL {server}); found: {have}. "
        f"Install the PostgreSQL {server} client programs (Debian: apt-get install "
        f"postgresql-client-{server}) or point HOPEFUL_PG_BIN_DIR at them"
    )


def _environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    from django.db.backends.postgresql.client import DatabaseClient

    _, extra = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(extra or {})
    for key, setting in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings_dict.get(setting):
            env[key] = str(settings_dict[setting])
    env["PGDATABASE"] = str(settings_dict.get("NAME") or "postgres")
    env["PGCONNECT_TIMEOUT"] = env.get("PGCONNECT_TIMEOUT", "10")
    return env


def _run(args: list[str], settings_dict: dict[str, Any], what: str) -> None:
    try:
        done = subprocess.run(  # noqa: S603 - our arguments, no shell
            args, env=_environment(settings_dict), capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise BackupError(f"{what} could not run: {exc}") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{what} failed (exit status {done.returncode}): " + " / ".join(detail))


def dump(connection: Any, out: Path, snapshot: str) -> str:
    """Dump the database as of ``snapshot`` (custom format) into ``out``; return the tool's
    version string."""
    path, major = find_tool("pg_dump", server_major(connection))
    _run(
        [path, "--format=custom", f"--snapshot={snapshot}", f"--file={out}"],
        connection.settings_dict,
        "pg_dump",
    )
    return f"pg_dump {major}"


def restore(connection: Any, dump_file: Path, dumped_by_major: int) -> None:
    """Restore ``dump_file`` into the (empty) database of ``connection``, all or nothing."""
    path, major = find_tool("pg_restore", server_major(connection))
    if major < dumped_by_major:
        raise BackupError(
            f"the backup was made by pg_dump {dumped_by_major}; pg_restore {major} cannot read "
            f"it: install the PostgreSQL {dumped_by_major} client programs"
        )
    settings_dict = connection.settings_dict
    _run(
        [
            path,
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={settings_dict.get('NAME') or 'postgres'}",
            str(dump_file),
        ],
        settings_dict,
        "pg_restore",
    )
