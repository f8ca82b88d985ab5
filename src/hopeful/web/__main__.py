"""``python -m hopeful.web <command>``: Django's manage.py for the installed package."""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hopeful.web.config.settings")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
