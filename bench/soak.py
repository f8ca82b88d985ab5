#!/usr/bin/env python3
"""Crash soak: concurrent families submitting while the server and the database are killed.

Not a test (the short version is tests/soak/test_soak.py; both use tests/soak/harness.py).
Starts a throwaway PostgreSQL 15 cluster (as the `postgres` system user when run as root;
set up with fsync off, then restarted with fsync on for the run), migrates, creates two
organizations with an open pce7 campaign and a public link each, serves the app with gunicorn
on loopback, then runs the same load twice, one organization each:

1. without faults: N clients for S seconds;
2. with faults: N clients for S seconds while the server is SIGKILLed K times (one worker
   each time; every 5th time the master with its workers, then a new master is started) and
   PostgreSQL is stopped with `pg_ctl -m immediate` P times and restarted.

Every 5th client goes through the no-JS HTML form (consent, name, questionnaire, review;
the review form's hidden client UUID identifies the submission); the others POST JSON to the
submission API with their own client UUID. Each retries the same submission after a dropped
connection, a timeout, a 5xx or a 429 (at most 15 attempts, exponential backoff up to 4 s). At the end
every acknowledged submission must exist exactly once with its answers and its score
(recomputed with hopeful.framework), and nothing else (tests/soak/verify.py).

    .venv/bin/python bench/soak.py --write-readme
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _readme import write_section  # a sibling module: bench scripts run as scripts

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.soak import clients, harness, verify  # noqa: E402


def run(args: argparse.Namespace) -> dict[str, Any]:
    missing = harness.pg_missing()
    if missing:
        raise SystemExit(f"soak: {missing}")
    result: dict[str, Any] = {"load_before": os.getloadavg()[0]}
    data_dir = Path(tempfile.mkdtemp(prefix="hopeful-soak-"))
    try:
        return _run(args, result, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _run(args: argparse.Namespace, result: dict[str, Any], data_dir: Path) -> dict[str, Any]:
    with harness.cluster() as pg:
        env = harness.app_env(pg.url, data_dir)
        start = time.monotonic()
        harness.migrate(env)
        pg.harden()
        calm, rough = harness.setup_survey(env, "calm"), harness.setup_survey(env, "faults")
        result["setup_s"] = time.monotonic() - start
        with harness.server(env, workers=args.workers, log=data_dir / "gunicorn.log") as srv:
            # warm-up (verified with the run without faults, not timed)
            warm, _ = clients.run_clients(srv.port, calm["token"], clients=args.workers * 2,
                                          seconds=5, html_every=2, seed=90_000)  # fmt: skip
            crowd, elapsed = clients.run_clients(
                srv.port, calm["token"], clients=args.clients, seconds=args.seconds,
                html_every=args.html_every, seed=args.seed,
            )  # fmt: skip
            result["calm"] = clients.phase_stats(crowd, elapsed)
            result["calm_check"] = verify.check_in_process(
                env, clients.sent_records([*warm, *crowd]), [calm["organization"]]
            )
            faults = harness.Faults(srv, pg, seconds=args.seconds, kills=args.kills,
                                    pg_stops=args.pg_stops, seed=args.seed)  # fmt: skip
            faults.start()
            crowd, elapsed = clients.run_clients(
                srv.port, rough["token"], clients=args.clients, seconds=args.seconds,
                html_every=args.html_every, seed=args.seed + 1000,
            )  # fmt: skip
            faults.join(timeout=300)
            if faults.error is not None:
                raise RuntimeError(f"fault injection failed: {faults.error!r}")
            result["faults"] = clients.phase_stats(crowd, elapsed)
            result["faults_done"] = faults.summary()
            result["fault_log"] = faults.log
        result["faults_check"] = verify.check_in_process(
            env, clients.sent_records(crowd), [rough["organization"]]
        )
    result["load_after"] = os.getloadavg()[0]
    return result


def _row(name: str, r: dict[str, Any]) -> str:
    errors = ", ".join(f"{k} {v}" for k, v in sorted(r["errors"].items())) or "none"
    return (
        f"| {name} | {r['acked']:,} ({r['acked_api']:,} API, {r['acked_html']:,} form) | "
        f"{r['rate']:.1f} | {r['p50_ms']:,.0f} / {r['p95_ms']:,.0f} / {r['max_ms']:,.0f} ms | "
        f"{r['request_p95_ms']:,.0f} ms | {r['retries']:,} | {r['unacked']} | {errors} |"
    )


def _check_row(name: str, c: dict[str, Any]) -> str:
    return (
        f"| {name} | {c['acked']:,} | {c['stored']:,} | {c['acked_missing']} | "
        f"{c['duplicates']} | {c['stored_never_sent']} | {c['stored_not_acked']} | "
        f"{c['answers_wrong']} / {c['scores_wrong']} | {c['families_without_submission']} | "
        f"{'PASS' if c['ok'] else 'FAIL'} |"
    )


def report(r: dict[str, Any], args: argparse.Namespace, command: str) -> tuple[str, bool]:
    done = r["faults_done"]
    planned_masters = args.kills // 5
    faults_ok = done == {
        "worker": args.kills - planned_masters,
        "master": planned_masters,
        "postgres": args.pg_stops,
    }
    ok = faults_ok and r["calm_check"]["ok"] and r["faults_check"]["ok"]
    slowdown = r["calm"]["rate"] / r["faults"]["rate"] if r["faults"]["rate"] else float("inf")
    text = "\n".join([
        "## Crash soak (`bench/soak.py`)",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with:",
        "",
        "```",
        command,
        "```",
        "",
        f"Machine: {os.cpu_count()} cores, shared (load average {r['load_before']:.1f} at the "
        f"start, {r['load_after']:.1f} at the end: other jobs ran beside it, so the times are "
        f"pessimistic). Set-up (cluster, migrations, data) {r['setup_s']:.0f} s. gunicorn "
        f"with {args.workers} sync workers and PostgreSQL 15 on loopback (fsync on, "
        f"synchronous_commit on), {args.clients} concurrent clients for {args.seconds:.0f} s "
        f"per run, every {args.html_every}th through the no-JS form, the others through the "
        "JSON API; each retries the same submission (same client UUID) after a dropped "
        "connection, a timeout, a 5xx or a 429.",
        "",
        f"With faults: gunicorn SIGKILLed {done['worker'] + done['master']} times "
        f"({done['worker']} times one worker, {done['master']} times the master with its "
        f"workers, restarted at once), PostgreSQL stopped {done['postgres']} times with "
        "`pg_ctl -m immediate` and started again after 1 s (crash recovery).",
        "",
        "| run | acknowledged | per second | acknowledgement p50 / p95 / max (first try to "
        "acknowledgement, retries included) | p95 of single requests | retries | sent, "
        "never acknowledged | errors seen by clients |",
        "|---|---|---|---|---|---|---|---|",
        _row("without faults", r["calm"]),
        _row("with faults", r["faults"]),
        "",
        f"Throughput with faults: {1 / slowdown:.0%} of the run without faults.",
        "",
        "Exactly once (each run's organization, read back after the run; scores recomputed "
        "with `hopeful.framework.score_response`):",
        "",
        "| run | acknowledged | stored | acknowledged, missing | duplicates | stored, never "
        "sent | stored, sent but not acknowledged | wrong answers / scores | families without "
        "their submission | |",
        "|---|---|---|---|---|---|---|---|---|---|",
        _check_row("without faults (with warm-up)", r["calm_check"]),
        _check_row("with faults", r["faults_check"]),
        "",
        "The HTML form's acknowledgement is its redirect to the strengths summary (303/302 "
        "after the POST); the API's is 200/201. \"Sent, never acknowledged\": a client that "
        "gave up after its last attempt; such a submission may be stored or not (counted as "
        "\"stored, sent but not acknowledged\"), which is allowed: the offline client keeps it "
        "and sends it again later under the same UUID.",
    ])  # fmt: skip
    return text, ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0, help="seconds per run")
    ap.add_argument("--kills", type=int, default=20, help="server SIGKILLs in the faults run")
    ap.add_argument("--pg-stops", type=int, default=3, help="pg_ctl -m immediate stops")
    ap.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    ap.add_argument("--html-every", type=int, default=5, help="every n-th client uses the form")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--write-readme", action="store_true")
    args = ap.parse_args()
    if args.clients < 1 or args.seconds <= 0 or args.seconds > 900 or args.kills > 200:
        ap.error("bounded: 1+ clients, 0-900 seconds, at most 200 kills")
    result = run(args)
    command = "python bench/soak.py " + " ".join(sys.argv[1:])
    section, ok = report(result, args, command.strip())
    print(section)
    print("\noverall:", "PASS" if ok else "FAIL")
    if args.write_readme:
        write_section("soak", section)
        print("wrote bench/README.md")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
