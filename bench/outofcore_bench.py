#!/usr/bin/env python3
"""Benchmark of streamed (out-of-core) domain estimates on a Parquet file of pooled years.

Not a test. Builds (once; cached in bench/data/) a Parquet file of ``--rows`` rows as ten
pooled BRFSS-like "years": each year is the shared generator's output for its own seed, with
its strata renumbered (``stratum + 100000 * year``) so years are distinct strata, as a pooled
analysis declares them; PSU codes are nested in strata (``nest=True``). Years are generated and
written one at a time, in row groups of ``--row-group`` rows, so all rows are never in memory.

Then each task runs in its own process under ``/usr/bin/time -v`` (peak RSS of the whole
process, interpreter and imports included) with ``hopeful.research.stream.stream_estimates``:

    T1  proportion of dep overall (Korn-Graubard CI)
    T2  proportion of dep by dom60 (60 domains, Korn-Graubard CIs with domain df)
    T3  mean pce by state
    ALL the three in one pass over the file

With ``--check`` (default up to 4,000,000 rows) the same tasks also run in memory with
``hopeful.stats.Design`` on the whole file, in another process, and the largest relative
difference of estimates, SEs and CIs is reported.

    .venv/bin/python bench/outofcore_bench.py --rows 1000000
    .venv/bin/python bench/outofcore_bench.py --rows 40000000 --write-readme
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _readme import write_section  # a sibling module: bench scripts run as scripts

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("HOPEFUL_SHARED", ROOT.parent / "shared"))
GENERATOR = SHARED / "bench" / "gen_brfss_like.py"
DATA = HERE / "data"
YEARS = 10
SEED = 20240601
DESIGN = {"weights": "w", "strata": "stratum", "psu": "psu", "nest": True, "lonely_psu": "adjust"}
TASKS: dict[str, list[tuple[str, str, list[str], str]]] = {
    "T1": [("proportion", "dep", [], "beta")],
    "T2": [("proportion", "dep", ["dom60"], "beta")],
    "T3": [("mean", "pce", ["state"], "beta")],
}
TASKS["ALL"] = [t for name in ("T1", "T2", "T3") for t in TASKS[name]]
COLUMNS = ["w", "stratum", "psu", "dep", "dom60", "pce", "state"]
MEMORY_TARGET_MB = 4096


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_brfss_like", GENERATOR)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the generator at {GENERATOR}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_file(rows: int, row_group: int) -> Path:
    """The pooled file (cached): ten years generated and written one at a time."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = DATA / f"pooled_{rows}.parquet"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    gen = _generator()
    sizes = [rows // YEARS + (1 if k < rows % YEARS else 0) for k in range(YEARS)]
    partial = path.with_suffix(".partial")
    writer = None
    for year, n in enumerate(sizes):
        start = time.perf_counter()
        cols = gen.generate(n, SEED + year)
        cols = {c: cols[c] for c in COLUMNS}
        cols["stratum"] = cols["stratum"] + 100_000 * year
        cols["year"] = np.full(n, 2015 + year, dtype=np.int64)
        table = pa.table(cols)
        del cols
        if writer is None:
            writer = pq.ParquetWriter(partial, table.schema, compression="zstd")
        writer.write_table(table, row_group_size=row_group)
        del table
        print(f"year {year + 1}/{YEARS}: {n:,} rows in {time.perf_counter() - start:.1f} s")
    assert writer is not None
    writer.close()
    partial.rename(path)
    return path


def worker(path: str, task: str, mode: str, batch_rows: int) -> None:
    """Run one task (streamed or in memory) and print its results and time as JSON."""
    import pyarrow.parquet as pq

    from hopeful.research.stream import stream_estimates
    from hopeful.stats import Design

    start = time.perf_counter()  # after the imports: the task's own time
    if mode == "stream":
        results = stream_estimates(path, **DESIGN, estimates=TASKS[task], batch_rows=batch_rows)
    else:
        table = pq.read_table(path, columns=COLUMNS)
        design = Design(table, **DESIGN)
        results = []
        for kind, variable, by, ci in TASKS[task]:
            if kind == "proportion":
                results.append(design.proportion(variable, by=by or None, ci=ci))
            else:
                results.append(getattr(design, kind)(variable, by=by or None))
    seconds = time.perf_counter() - start
    out = {
        "seconds": seconds,
        "results": [
            r[["estimate", "se", "ci_low", "ci_high", "n"]].to_dict("list") for r in results
        ],
        "cells": [r.attrs.get("cells") for r in results],
    }
    print(json.dumps(out))


def measured(path: Path, task: str, mode: str, batch_rows: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", str(path), "--task", task, "--mode", mode,
           "--batch-rows", str(batch_rows)]  # fmt: skip
    proc = subprocess.run(
        ["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{task} ({mode}) failed:\n{proc.stderr[-3000:]}")
    doc: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    doc["peak_mb"] = int(match.group(1)) / 1024 if match else float("nan")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    if wall:
        h, m, s = wall.groups()
        doc["wall"] = int(h or 0) * 3600 + int(m) * 60 + float(s)
    return doc


def largest_difference(a: dict[str, Any], b: dict[str, Any]) -> float:
    import numpy as np

    worst = 0.0
    for x, y in zip(a["results"], b["results"], strict=True):
        for column in ("estimate", "se", "ci_low", "ci_high"):
            u, v = np.asarray(x[column], float), np.asarray(y[column], float)
            with np.errstate(invalid="ignore", divide="ignore"):
                rel = np.abs(u - v) / np.maximum(np.abs(v), 1e-300)
            worst = max(worst, float(np.nanmax(rel)) if rel.size else 0.0)
        if x["n"] != y["n"]:
            return float("inf")
    return worst


def report(rows: int, path: Path, runs: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    size_mb = path.stat().st_size / 2**20
    lines = [
        "## Out-of-core estimates (`bench/outofcore_bench.py`)",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with:",
        "",
        "```",
        f"python bench/outofcore_bench.py --rows {rows} --batch-rows {args.batch_rows}"
        + (" --write-readme" if args.write_readme else ""),
        "```",
        "",
        f"Machine: {platform.machine()}; {os.cpu_count()} cores; Python "
        f"{platform.python_version()}. File: {rows:,} rows, ten pooled BRFSS-like years "
        f"({size_mb:,.0f} MB Parquet, zstd, row groups of {args.row_group:,}). Each task in its "
        "own process; peak memory is that process's maximum RSS (GNU time), interpreter and "
        "imports included (about 180 MB); time is the task's own, reading included, imports not.",
        "",
        "| task | mode | cells | time (s) | peak RSS (MB) | target | | max rel. diff vs in-memory |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for task in TASKS:
        s = runs[f"{task}/stream"]
        ok = "PASS" if s["peak_mb"] <= MEMORY_TARGET_MB else "FAIL"
        mem = runs.get(f"{task}/memory")
        diff = f"{largest_difference(s, mem):.1e}" if mem else "-"
        lines.append(
            f"| {task} | streamed | {'+'.join(f'{c:,}' for c in s['cells'])} | {s['seconds']:.2f} | {s['peak_mb']:,.0f} | "
            f"<= {MEMORY_TARGET_MB:,} MB | {ok} | {diff} |"
        )
        if mem:
            lines.append(
                f"| {task} | in memory | | {mem['seconds']:.2f} | {mem['peak_mb']:,.0f} | | | |"
            )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--row-group", type=int, default=250_000)
    ap.add_argument("--batch-rows", type=int, default=262_144)
    ap.add_argument("--check", choices=["auto", "yes", "no"], default="auto",
                    help="also run in memory (auto: up to 4,000,000 rows)")  # fmt: skip
    ap.add_argument("--write-readme", action="store_true")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--task", help=argparse.SUPPRESS)
    ap.add_argument("--mode", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.task, args.mode, args.batch_rows)
        return 0
    path = build_file(args.rows, args.row_group)
    check = args.check == "yes" or (args.check == "auto" and args.rows <= 4_000_000)
    runs: dict[str, dict[str, Any]] = {}
    for task in TASKS:
        for mode in ("stream", "memory") if check else ("stream",):
            runs[f"{task}/{mode}"] = r = measured(path, task, mode, args.batch_rows)
            print(f"{task} {mode}: {r['seconds']:.2f} s, peak {r['peak_mb']:,.0f} MB", flush=True)
    section = report(args.rows, path, runs, args)
    print(section)
    if args.write_readme:
        write_section("outofcore_bench", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
