"""Typed readers for the environment variables that configure HOPEful.

Every reader takes the environment as an argument (``os.environ`` by default) so tests can
pass a plain dict. A value that cannot be parsed is an :class:`ImproperlyConfigured` error
naming the variable: a typo in ``HOPEFUL_DEBUG=ture`` must stop the server, not silently
switch production into debug mode or the other way round.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

__all__ = ["env_bool", "env_int", "env_list", "env_path", "env_secret", "env_str"]

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def env_str(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    """The variable's value with surrounding blanks removed, or ``default`` when unset/blank."""
    value = (os.environ if environ is None else environ).get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    """Parse ``1/0``, ``true/false``, ``yes/no`` or ``on/off`` (any case); anything else errs."""
    raw = env_str(name, environ=environ)
    if not raw:
        return default
    value = raw.lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of: true, false, 1, 0, yes, no, on, off"
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Parse a base-10 integer, optionally with a lower bound."""
    raw = env_str(name, environ=environ)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}")
    return value


def env_float(
    name: str,
    default: float,
    *,
    above: float | None = None,
    environ: Mapping[str, str] | None = None,
) -> float:
    """Parse a finite number, optionally greater than a bound."""
    raw = env_str(name, environ=environ)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a finite number")
    if above is not None and value <= above:
        raise ImproperlyConfigured(f"{name}={value} must be greater than {above}")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """Parse a comma-separated list; blank entries are dropped."""
    raw = env_str(name, environ=environ)
    if not raw:
        return list(default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_path(name: str, default: Path, environ: Mapping[str, str] | None = None) -> Path:
    """Parse a filesystem path (``~`` expanded), made absolute against the working directory."""
    raw = env_str(name, environ=environ)
    path = Path(raw).expanduser() if raw else default
    return path.absolute()


def env_secret(name: str, environ: Mapping[str, str] | None = None) -> str:
    """Read a secret from ``NAME`` or from the file named by ``NAME_FILE`` (Docker secrets).

    Setting both is an error, because which one wins would be a guess. Returns ``""`` when
    neither is set; the caller decides whether that is acceptable.
    """
    env = os.environ if environ is None else environ
    direct = env_str(name, environ=env)
    file_name = env_str(f"{name}_FILE", environ=env)
    if direct and file_name:
        raise ImproperlyConfigured(f"set {name} or {name}_FILE, not both")
    if not file_name:
        return direct
    try:
        return Path(file_name).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{name}_FILE={file_name!r} cannot be read: {exc.strerror or exc}"
        ) from None
