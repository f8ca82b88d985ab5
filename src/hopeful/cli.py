"""The ``hopeful`` command.

``hopeful instruments`` lists the registered instruments and shows one; ``hopeful score``
scores a CSV or XLSX file of raw answers; ``hopeful demo`` and ``hopeful serve`` run the web
application; ``hopeful worker`` runs its background tasks (reports, long exports);
``hopeful manage`` runs a Django management command; ``hopeful verify`` checks a downloaded
certification credential offline (:mod:`hopeful.cli_verify`); ``hopeful analyze`` runs an
analysis spec on a survey file (:mod:`hopeful.cli_analyze`); ``hopeful export hsds`` writes
the public directory as Open Referral HSDS; ``hopeful backup`` and ``hopeful restore`` save and
restore the database and data files (:mod:`hopeful.cli_backup`).

Only ``demo``, ``serve``, ``worker``, ``manage`` and ``export`` import Django, so scoring,
verifying and analyzing work from a plain install without a database.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from hopeful import __version__
from hopeful.cli_analyze import add_analyze_parser
from hopeful.cli_backup import add_backup_parsers
from hopeful.cli_common import EXIT_OK, EXIT_USAGE, CommandError
from hopeful.cli_verify import add_verify_parser
from hopeful.framework import (
    BUILDING_BLOCKS,
    LANGUAGES,
    HopefulError,
    Instrument,
    get_instrument,
    list_instruments,
)
from hopeful.framework.text import Text

__all__ = ["main"]


def _block_name(block_id: str | None, lang: str) -> str:
    for block in BUILDING_BLOCKS:
        if block.id == block_id:
            return block.name.get_text(lang)
    return _w("no_block", lang)


#: The few words `instruments show` prints around the instrument's own texts. Notes, source,
#: citation and licence are kept in English in the definitions.
_CHROME = {
    "official": Text(en="official text", es="texto oficial"),
    "unofficial": Text(
        en="unofficial translation or adaptation", es="traducción o adaptación no oficial"
    ),
    "optional": Text(en="optional", es="opcional"),
    "no_block": Text(en="not a building block", es="sin bloque fundamental"),
    "legend": Text(
        en="* = counts toward the score. Codes 7 and 9, and blanks, are missing.",
        es=(
            "* = cuenta para el puntaje. Los códigos 7 y 9 y las respuestas en blanco se "
            "consideran datos faltantes."
        ),
    ),
    "outputs": Text(en="Outputs", es="Resultados"),
    "wording": Text(en="Wording", es="Redacción"),
    "source": Text(en="Source", es="Fuente"),
    "citation": Text(en="Citation", es="Cita"),
    "licence": Text(en="Licence", es="Licencia"),
}


def _w(key: str, lang: str) -> str:
    return _CHROME[key].get_text(lang)


def _t(text: Text | None, lang: str) -> str:
    return "" if text is None else text.get_text(lang)


# -- instruments -------------------------------------------------------------------------------


def _cmd_instruments_list(args: argparse.Namespace, out: TextIO) -> int:
    lang = args.lang
    rows = [("id", "version", "items", "languages", "title")]
    for inst in list_instruments(all_versions=args.all_versions):
        langs = ", ".join(f"{code} ({inst.translations[code].status})" for code in inst.languages)
        rows.append((inst.id, inst.version, str(len(inst.items)), langs, _t(inst.title, lang)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
        print("  ".join([*cells, row[4]]).rstrip(), file=out)
    return EXIT_OK


def _cmd_instruments_show(args: argparse.Namespace, out: TextIO) -> int:
    inst = get_instrument(args.instrument, args.version)
    lang = args.lang
    translation = inst.translation(lang)
    print(f"{_t(inst.title, lang)}  [{inst.id} {inst.version}]", file=out)
    print(
        f"{LANGUAGES.get(lang, lang)}: {_w(translation.status, lang)} ({translation.status}). "
        f"{translation.note}".rstrip(),
        file=out,
    )
    print(file=out)
    print(_t(inst.description, lang), file=out)
    if inst.content_note is not None:
        print(file=out)
        print(f"!! {_t(inst.content_note, lang)}", file=out)
    print(file=out)
    print(_t(inst.instructions, lang), file=out)
    for number, item in enumerate(inst.items, start=1):
        print(file=out)
        optional = "" if item.required else f", {_w('optional', lang)}"
        block = _block_name(item.block, lang)
        print(f"{number}. [{item.id}] {_t(item.text, lang)}  ({block}{optional})", file=out)
        if item.note is not None:
            print(f"   {_t(item.note, lang)}", file=out)
        for option in item.options:
            marker = "*" if option.code in item.affirmative else " "
            print(f"   {marker} {option.code}  {_t(option.label, lang)}", file=out)
    print(file=out)
    print(_w("legend", lang), file=out)
    print(f"{_w('outputs', lang)}: {', '.join(inst.output_ids)}", file=out)
    if inst.wording_note:
        print(f"{_w('wording', lang)}: {inst.wording_note}", file=out)
    print(f"{_w('source', lang)}: {inst.source}", file=out)
    print(f"{_w('citation', lang)}: {inst.citation}", file=out)
    print(f"{_w('licence', lang)}: {inst.licence}", file=out)
    return EXIT_OK


# -- score -------------------------------------------------------------------------------------


def _scoring_options(inst: Instrument, args: argparse.Namespace) -> dict[str, str]:
    options: dict[str, str] = {}
    if args.ace_emotional_abuse is not None:
        if not any(opt.id == "ace_emotional_abuse" for opt in inst.options):
            raise CommandError(f"--ace-emotional-abuse applies to ace_brfss, not {inst.id}")
        options["ace_emotional_abuse"] = args.ace_emotional_abuse
    return options


def _cmd_score(args: argparse.Namespace, out: TextIO) -> int:
    from hopeful.scorefile import ScoreFileError, score_file

    inst = get_instrument(args.instrument, args.version)
    try:
        summary = score_file(
            inst,
            Path(args.input),
            Path(args.output),
            options=_scoring_options(inst, args),
            encoding=args.encoding,
            sheet=args.sheet,
            progress=args.progress,
        )
    except ScoreFileError as exc:
        raise CommandError(str(exc)) from exc
    for line in summary.lines():
        print(line, file=sys.stderr)
    print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK


# -- web ---------------------------------------------------------------------------------------


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hopeful.web.config.settings")
    import django

    django.setup()


def _demo_environment(data_dir: Path) -> None:
    """Give the demo its own SQLite file, a persistent random secret key, and plain HTTP.

    The demo runs with production settings (DEBUG off) on the loopback address, so it shows
    what a deployment shows; only the HTTPS redirect is off, since it serves plain HTTP.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HOPEFUL_DATA_DIR", str(data_dir))
    os.environ.setdefault("HOPEFUL_HTTPS", "false")
    os.environ.setdefault("HOPEFUL_DEMO", "true")
    # A person reads the demo's terminal: readable log lines rather than JSON.
    os.environ.setdefault("HOPEFUL_LOG_FORMAT", "text")
    key_file = data_dir / "demo-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    if not os.environ.get("HOPEFUL_SECRET_KEY"):
        os.environ.setdefault("HOPEFUL_SECRET_KEY_FILE", str(key_file))


#: The demo's families per organization: the default and the most ``--families`` takes (the
#: same numbers as ``hopeful.web.core.demo``, which cannot be imported before Django is set up;
#: a test checks that they agree).
DEMO_FAMILIES = 400
DEMO_FAMILIES_MAX = 100_000


def _demo_families(text: str) -> int:
    """``--families``: a whole number from 1 to :data:`DEMO_FAMILIES_MAX`. Checked while the
    arguments are read, so a bad value stops the command before anything is set up."""
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the number of families must be a whole number, like 400 or 20000 (got {text!r})"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"the number of families per organization must be at least 1 (got {value})"
        )
    if value > DEMO_FAMILIES_MAX:
        raise argparse.ArgumentTypeError(
            f"at most {DEMO_FAMILIES_MAX:,} families per organization (got {value:,})"
        )
    return value


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    _demo_environment(Path(args.data_dir))
    _django_setup()
    from django.core.management import call_command

    print("Setting up the demo database ...", file=out)
    call_command("migrate", interactive=False, verbosity=0)
    # --force: the demo account's published password is the point of a demo.
    call_command("load_demo", force=True, families=args.families, stdout=out)
    base = f"http://{args.host}:{args.port}"
    print(f"Sign in at {base}/accounts/login/ with the account above.", file=out)
    print(
        f"The public site is {base}/ ({base}/es/ in Spanish); network@hopeful.example edits "
        f"it at {base}/cms/.",
        file=out,
    )
    if args.no_serve:
        return EXIT_OK
    # A background worker beside the server makes the PDF reports and long exports; it is
    # stopped with the demo (Ctrl+C or SIGTERM).
    worker = subprocess.Popen(  # noqa: S603 - our own command, no shell
        [sys.executable, "-m", "hopeful.cli", "worker", "--demo", "--data-dir", args.data_dir],
        stdout=subprocess.DEVNULL,
    )
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        print("A background worker makes reports (it stops with the demo).", file=out)
        return _serve(args.host, args.port, out)
    finally:
        signal.signal(signal.SIGTERM, previous)
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    _django_setup()
    return _serve(args.host, args.port, out)


def _serve(host: str, port: int, out: TextIO) -> int:
    from hopeful.web.server import serve

    print(f"HOPEful {__version__} is serving on http://{host}:{port}/ (Ctrl+C stops it)", file=out)
    out.flush()
    try:
        serve(host=host, port=port)
    except KeyboardInterrupt:
        print("stopped", file=out)
    return EXIT_OK


def _cmd_worker(args: argparse.Namespace, out: TextIO) -> int:
    """Run queued background tasks (the database queue's ``db_worker``) until stopped."""
    if args.demo:
        _demo_environment(Path(args.data_dir))
    _django_setup()
    from django.core.management import call_command

    from hopeful.web.operations.registry import schedule_all

    # Every periodic job (reminders, publishing, purges, expiries; docs/operations.md) gets
    # its first run queued, unless one is already waiting.
    schedule_all()
    # No autoreload, even with DEBUG on: a reload could stop a report half-way.
    options: dict[str, object] = {"interval": args.interval, "batch": args.batch, "reload": False}
    if args.max_tasks is not None:
        options["max_tasks"] = args.max_tasks
    if not args.batch:
        print("HOPEful worker: running background tasks (Ctrl+C stops it)", file=out)
        out.flush()
    # Crash recovery: a heartbeat, and tasks of workers whose heartbeat stopped run again.
    from hopeful.web.core.worker import Heartbeat, new_worker_id

    if not 0 < args.heartbeat < args.stale_after:
        raise CommandError("--stale-after must be longer than --heartbeat (both positive)")

    heartbeat = Heartbeat(
        new_worker_id(), interval=args.heartbeat, stale_after=args.stale_after
    ).begin()
    options["worker_id"] = heartbeat.worker_id
    try:
        call_command("db_worker", stdout=out, **options)
    except KeyboardInterrupt:
        print("stopped", file=out)
    finally:
        heartbeat.end()
    return EXIT_OK


def _cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    out_dir = Path(args.out)
    if not out_dir.is_dir():
        raise CommandError(f"--out {out_dir} is not a directory")
    _django_setup()
    from hopeful.web.directory.hsds import write_files

    for written in write_files(out_dir):
        print(written, file=out)
    return EXIT_OK


def _cmd_manage(args: argparse.Namespace, out: TextIO) -> int:
    _django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hopeful manage", *args.arguments])
    return EXIT_OK


# -- parser ------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hopeful",
        description="HOPEful: the HOPE framework (Healthy Outcomes from Positive Experiences) in practice.",
    )
    parser.add_argument("--version", action="version", version=f"hopeful {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    langs = list(LANGUAGES)
    p_inst = sub.add_parser("instruments", help="list the instruments, or show one")
    p_inst.add_argument("--lang", choices=langs, default="en", help="language (default: en)")
    p_inst.add_argument("--all-versions", action="store_true", help="list every version")
    p_inst.set_defaults(handler=_cmd_instruments_list)
    inst_sub = p_inst.add_subparsers(dest="instruments_command", metavar="show")
    p_show = inst_sub.add_parser("show", help="print one instrument: items and options")
    p_show.add_argument("instrument", help="instrument id, e.g. pce7")
    p_show.add_argument("--version", dest="version", default=None, help="version (default: latest)")
    p_show.add_argument("--lang", choices=langs, default="en", help="language (default: en)")
    p_show.set_defaults(handler=_cmd_instruments_show)

    p_score = sub.add_parser(
        "score",
        help="score a CSV or XLSX file of raw answers",
        description=(
            "Score a file whose columns are item ids with raw answer codes. Other columns pass "
            "through unchanged; score columns and a 'reason' column are added. Rows that "
            "cannot be scored get a reason; they never stop the file."
        ),
    )
    p_score.add_argument("input", help="input file (.csv or .xlsx)")
    p_score.add_argument("-o", "--output", required=True, help="output CSV file")
    p_score.add_argument("--instrument", required=True, help="instrument id, e.g. pce7")
    p_score.add_argument(
        "--instrument-version", dest="version", default=None, help="version (default: latest)"
    )
    p_score.add_argument(
        "--ace-emotional-abuse",
        choices=["once-or-more", "more-than-once"],
        default=None,
        help="ace_brfss: which ACESWEAR answers count as emotional abuse (default: once-or-more)",
    )
    p_score.add_argument("--encoding", default="utf-8", help="CSV text encoding (default: utf-8)")
    p_score.add_argument("--sheet", default=None, help="XLSX sheet name (default: the first)")
    progress = p_score.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="always show a progress bar",
    )
    progress.add_argument(
        "--no-progress", dest="progress", action="store_false", help="never show a progress bar"
    )
    p_score.set_defaults(handler=_cmd_score)

    p_demo = sub.add_parser("demo", help="set up the database, load demo data and serve the app")
    p_demo.add_argument("--host", default="127.0.0.1")
    p_demo.add_argument("--port", type=int, default=8000)
    p_demo.add_argument(
        "--data-dir", default="var", help="where the demo database lives (default: ./var)"
    )
    p_demo.add_argument("--no-serve", action="store_true", help="set up and load data, then exit")
    p_demo.add_argument(
        "--families",
        type=_demo_families,
        default=DEMO_FAMILIES,
        metavar="N",
        help=(
            f"synthetic families per organization, 1 to {DEMO_FAMILIES_MAX:,} (default: "
            f"{DEMO_FAMILIES}; 20000 take a minute or two). Only when the demo database "
            "is new: an existing demo keeps its families"
        ),
    )
    p_demo.set_defaults(handler=_cmd_demo)

    p_serve = sub.add_parser("serve", help="serve the web application")
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.set_defaults(handler=_cmd_serve)

    p_worker = sub.add_parser(
        "worker",
        help="run background tasks (PDF reports, long exports) from the database queue",
        description=(
            "Run the tasks the web application queues (PDF reports, long exports). Start one "
            "or more beside `hopeful serve`, with the same environment (database, data "
            "directory, secret key)."
        ),
    )
    p_worker.add_argument(
        "--batch", action="store_true", help="run every task waiting now, then exit"
    )
    p_worker.add_argument(
        "--interval",
        type=float,
        default=1.0,
        help="seconds between looks at the queue when it is empty (default: 1)",
    )
    p_worker.add_argument(
        "--max-tasks", type=int, default=None, help="exit after running this many tasks"
    )
    p_worker.add_argument(
        "--heartbeat",
        type=float,
        default=10.0,
        help="seconds between the worker's heartbeats (default: 10)",
    )
    p_worker.add_argument(
        "--stale-after",
        type=float,
        default=60.0,
        help="seconds without a heartbeat after which a worker is taken for dead and its "
        "running task is queued again (default: 60)",
    )
    p_worker.add_argument(
        "--demo",
        action="store_true",
        help="use the demo's environment (its database and secret key in --data-dir)",
    )
    p_worker.add_argument(
        "--data-dir", default="var", help="the demo's data directory with --demo (default: ./var)"
    )
    p_worker.set_defaults(handler=_cmd_worker)

    add_verify_parser(sub)
    add_analyze_parser(sub)
    add_backup_parsers(sub, django_setup=_django_setup, demo_environment=_demo_environment)

    p_export = sub.add_parser(
        "export",
        help="write the public directory as Open Referral HSDS 3.0 (JSON and a CSV datapackage)",
    )
    p_export.add_argument("format", choices=["hsds"], help="the export format")
    p_export.add_argument(
        "--out", default=".", help="the directory to write into (default: the current one)"
    )
    p_export.set_defaults(handler=_cmd_export)

    p_manage = sub.add_parser("manage", help="run a Django management command", add_help=False)
    p_manage.add_argument("arguments", nargs=argparse.REMAINDER)
    p_manage.set_defaults(handler=_cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``hopeful`` command; return the process exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args, sys.stdout))
    except (HopefulError, CommandError) as exc:
        print(f"hopeful: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`hopeful instruments show pce7 | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
