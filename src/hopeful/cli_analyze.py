"""``hopeful analyze SPEC -o OUT``: run an analysis spec on a survey file (no Django).

The spec is checked against its data before anything is written; a bad spec or data file is
one error line on stderr naming the spec line, exit status 2, and no output file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from hopeful.cli_common import EXIT_OK, CommandError

__all__ = ["add_analyze_parser", "cmd_analyze"]


def cmd_analyze(args: argparse.Namespace, out: TextIO) -> int:
    from hopeful.research.output import OutputError, output_paths, write_results
    from hopeful.research.run import analyze
    from hopeful.research.spec import SpecError, load_spec

    output = Path(args.output)
    try:
        output_paths(output)  # a wrong suffix stops the command before any work
        if not output.parent.is_dir():
            raise CommandError(f"-o {output}: the directory {output.parent} does not exist")
        results = analyze(load_spec(Path(args.spec)), progress=args.progress)
        written = write_results(results, output)
    except (SpecError, OutputError) as exc:
        raise CommandError(str(exc)) from None
    rows = (
        f"{len(results.estimates)} estimate row(s), {len(results.models)} model term(s), "
        f"{len(results.tests)} test(s)"
    )
    print(f"{rows}; wrote {', '.join(str(p) for p in written)}", file=sys.stderr)
    return EXIT_OK


def add_analyze_parser(sub: Any) -> None:
    """Add ``analyze`` to the ``hopeful`` command's subparsers."""
    p_analyze = sub.add_parser(
        "analyze",
        help="run an analysis spec (TOML) on a survey file: design-based tables and models",
        description=(
            "Run an analysis spec: read its data file (.xpt, .sas7bdat, .sav, .dta, .csv, "
            ".parquet), apply its missing codes and recodes, and compute its survey-weighted "
            "estimates, models and tests. The output format comes from OUT's suffix: .csv "
            "(estimates; models in NAME.models.csv, tests in NAME.tests.csv; provenance in "
            "NAME.csv.provenance.json), .xlsx, .json or .html (a readable report). Every "
            "output records the spec's and the data's sha256 and hopeful's version. A bad spec writes nothing and exits with status 2; "
            "the error names the spec line. See docs/research.md."
        ),
    )
    p_analyze.add_argument("spec", metavar="SPEC", help="the analysis spec (.toml)")
    p_analyze.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="output file (.csv .xlsx .json .html)"
    )
    progress = p_analyze.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="always show a progress bar (default: only on a terminal)",
    )
    progress.add_argument(
        "--no-progress", dest="progress", action="store_false", help="never show a progress bar"
    )
    p_analyze.set_defaults(handler=cmd_analyze)
