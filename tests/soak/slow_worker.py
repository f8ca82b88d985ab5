"""``hopeful worker`` whose first report attempt hangs, for the worker crash test.

Run as ``python -m tests.soak.slow_worker MARKER [worker options]``: the real command
(:func:`hopeful.cli.main`), with the report's making wrapped so that, while ``MARKER`` does
not exist, an attempt creates it and then waits for ever (to be SIGKILLed there, mid-task).
Once the marker exists, reports are made as usual. Test-only: nothing in the app changes.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> int:
    marker = Path(argv[0])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hopeful.web.config.settings")
    import django

    django.setup()
    from hopeful.cli import main as hopeful_main
    from hopeful.web.reports import services

    make = services._make

    def hanging(report: Any, progress: Any) -> bytes:
        progress(20)
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            while True:  # until killed
                time.sleep(0.1)
        return make(report, progress)

    services._make = hanging
    return hopeful_main(["worker", *argv[1:]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
