"""What every ``hopeful`` subcommand shares: its exit statuses and its user error."""

from __future__ import annotations

EXIT_OK = 0
EXIT_NOT_VALID = 1
EXIT_USAGE = 2


class CommandError(Exception):
    """A user error: printed as one line on stderr, with exit status 2."""
