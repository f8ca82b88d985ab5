"""Benchmark of HOPEful scoring: vectorized ``score_table`` and the ``hopeful score`` command.

A script, not a test. Run from the repository root::

    .venv/bin/python bench/score_bench.py [--rows 1000000] [--repeat 3] [--write-readme]

(a) Generates ``--rows`` synthetic pce7 and ace_brfss responses (seeded; integer codes, mostly
    valid, about 2% of 7/9 per item, about 0.1% invalid codes per item, pce4 with some 8) and
    times :func:`hopeful.framework.score_table` on one core (median of ``--repeat`` runs). It
    reports responses per second, the tracemalloc peak of one scoring call and the process max
    RSS, and, as a same-run baseline, the one-by-one path
    ``score_response(..., on_invalid="reason")`` on a 20,000-row sample.
(b) Writes a ``--rows``-row pce7 CSV (respondent id and ZIP as extra columns, the same mix
    plus about 0.1% non-numeric text and some blanks) in a temporary folder, runs
    ``hopeful score`` on it in a child process under ``/usr/bin/time -v`` (or
    ``getrusage(RUSAGE_CHILDREN)``) and reports its wall time and peak RSS. It checks the
    output's row count and that its scored/unscored counts equal ``score_table`` on the same
    text.

With ``--write-readme`` the measured numbers replace the section between
``<!-- score_bench:start -->`` and ``<!-- score_bench:end -->`` in ``bench/README.md``.
The exit status is 1 when a target is missed or a check fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _readme import write_section  # a sibling module: bench scripts run as scripts

# One core: set before numpy and pyarrow are imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402

pa.set_cpu_count(1)
pa.set_io_thread_count(1)

from hopeful.framework import Instrument, get_instrument, score_response, score_table  # noqa: E402

SEED = 20240517
SAMPLE_ROWS = 20_000
TARGET_RESPONSES_PER_S = 2_000_000
TARGET_CLI_SECONDS = 10.0
TARGET_CLI_RSS_BYTES = 1_000_000_000  # 1 GB
MISSING_RATE = 0.02  # 7 or 9, per item
INVALID_RATE = 0.001  # an integer code the item does not offer, per item
TEXT_RATE = 0.001  # CSV only: rows with one non-numeric answer
BLANK_RATE = 0.005  # CSV only: blank cells, per item
README = Path(__file__).resolve().parent / "README.md"

# -- synthetic data ----------------------------------------------------------------------------


def _codes(
    rng: np.random.Generator,
    n: int,
    codes: list[int],
    probs: list[float],
    invalid: list[int],
) -> np.ndarray[Any, np.dtype[np.int16]]:
    """Valid codes with ~2% of 7/9 and ~0.1% invalid codes laid over them."""
    weights = np.asarray(probs, dtype=np.float64)
    values = rng.choice(np.asarray(codes, dtype=np.int16), size=n, p=weights / weights.sum())
    u = rng.random(n)
    values[u < MISSING_RATE] = rng.choice(np.asarray([7, 9], dtype=np.int16), size=n)[
        u < MISSING_RATE
    ]
    bad = (u >= MISSING_RATE) & (u < MISSING_RATE + INVALID_RATE)
    values[bad] = rng.choice(np.asarray(invalid, dtype=np.int16), size=n)[bad]
    return values


def pce7_table(rng: np.random.Generator, n: int) -> dict[str, np.ndarray[Any, Any]]:
    # Skewed towards "usually"/"always", as in published PCE prevalences.
    freq = [0.05, 0.08, 0.17, 0.30, 0.40]
    table = {
        f"pce{k}": _codes(rng, n, [1, 2, 3, 4, 5], freq, [0, 6, 8, 10]) for k in (1, 2, 3, 5, 6)
    }
    table["pce4"] = _codes(rng, n, [1, 2, 3, 4, 5, 8], [*freq, 0.03], [0, 6, 10])
    table["pce7"] = _codes(rng, n, [1, 2, 3, 4, 5], [0.03, 0.04, 0.08, 0.25, 0.60], [0, 6, 8])
    return {item: table[item] for item in get_instrument("pce7").item_ids}


def ace_table(rng: np.random.Generator, n: int) -> dict[str, np.ndarray[Any, Any]]:
    yes_no = {"ACEDEPRS": 0.17, "ACEDRINK": 0.25, "ACEDRUGS": 0.10, "ACEPRISN": 0.08}
    table = {item: _codes(rng, n, [1, 2], [p, 1 - p], [0, 3, 4, 8]) for item, p in yes_no.items()}
    table["ACEDIVRC"] = _codes(rng, n, [1, 2, 8], [0.27, 0.65, 0.08], [0, 3, 4])
    frequency = {
        "ACEPUNCH": [0.82, 0.06, 0.12],
        "ACEHURT1": [0.80, 0.07, 0.13],
        "ACESWEAR": [0.68, 0.09, 0.23],
        "ACETOUCH": [0.90, 0.04, 0.06],
        "ACETTHEM": [0.92, 0.03, 0.05],
        "ACEHVSEX": [0.95, 0.02, 0.03],
    }
    for item, probs in frequency.items():
        table[item] = _codes(rng, n, [1, 2, 3], probs, [0, 4, 5, 8])
    for item in ("ACEADSAF", "ACEADNED"):
        table[item] = _codes(rng, n, [1, 2, 3, 4, 5], [0.03, 0.04, 0.08, 0.25, 0.60], [0, 6, 8])
    return {item: table[item] for item in get_instrument("ace_brfss").item_ids}


def pce7_csv_table(rng: np.random.Generator, n: int) -> pa.Table:
    """The pce7 mix as text, plus blanks, non-numeric text, a respondent id and a ZIP."""
    codes = pce7_table(rng, n)
    inst = get_instrument("pce7")
    columns: dict[str, pa.Array] = {}
    ids = pa.array(np.arange(1, n + 1, dtype=np.int64))
    columns["respondent_id"] = pc.binary_join_element_wise(
        "R", pc.utf8_lpad(pc.cast(ids, pa.string()), 7, "0"), ""
    )
    columns["zip"] = pc.utf8_lpad(
        pc.cast(pa.array(rng.integers(501, 99951, size=n)), pa.string()), 5, "0"
    )
    text_rows = rng.random(n) < TEXT_RATE
    text_item = rng.integers(0, len(inst.item_ids), size=n)
    words = np.array(["abc", "n/a", "four", "NA", "?", "Always"], dtype=object)
    for k, item in enumerate(inst.item_ids):
        cells = pc.cast(pa.array(codes[item]), pa.string())
        blank = pa.array(rng.random(n) < BLANK_RATE)
        cells = pc.if_else(blank, "", cells)
        put_text = text_rows & (text_item == k)
        text = pa.array(rng.choice(words, size=n), type=pa.string())
        columns[item] = pc.if_else(pa.array(put_text), text, cells)
    return pa.table(columns)


# -- measurements ------------------------------------------------------------------------------


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def traced_peak(run: Callable[[], object]) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def max_rss_bytes(who: int = resource.RUSAGE_SELF) -> int:
    return resource.getrusage(who).ru_maxrss * 1024  # KiB on Linux


@dataclass
class Vectorized:
    instrument: str
    rows: int
    seconds: float
    traced_peak: int
    sample_rows: int
    one_by_one_seconds: float
    agree: bool

    @property
    def per_second(self) -> float:
        return self.rows / self.seconds

    @property
    def one_by_one_per_second(self) -> float:
        return self.sample_rows / self.one_by_one_seconds

    @property
    def ok(self) -> bool:
        return self.per_second >= TARGET_RESPONSES_PER_S


def bench_vectorized(
    inst: Instrument, table: dict[str, np.ndarray[Any, Any]], repeat: int
) -> Vectorized:
    n = len(next(iter(table.values())))
    score_table(inst, table)  # warm-up (imports, caches)
    seconds = median_seconds(lambda: score_table(inst, table), repeat)
    peak = traced_peak(lambda: score_table(inst, table))

    m = min(SAMPLE_ROWS, n)
    columns = {item: values[:m].tolist() for item, values in table.items()}
    answers = [{item: columns[item][i] for item in columns} for i in range(m)]

    def one_by_one() -> list[Any]:
        return [score_response(inst, a, on_invalid="reason") for a in answers]

    one_seconds = median_seconds(one_by_one, repeat)
    singles = one_by_one()
    sample = score_table(inst, {item: values[:m] for item, values in table.items()})
    agree = all(sample.row(i) == s for i, s in enumerate(singles))
    return Vectorized(inst.id, n, seconds, peak, m, one_seconds, agree)


@dataclass
class Cli:
    rows: int
    csv_bytes: int
    seconds: float
    peak_rss: int
    rss_source: str
    cpu_seconds: float | None
    output_rows: int
    cli_scored: int
    cli_unscored: int
    table_scored: int
    table_unscored: int
    returncode: int
    stderr_tail: list[str] = field(default_factory=list)

    @property
    def counts_agree(self) -> bool:
        return (
            self.returncode == 0
            and self.output_rows == self.rows
            and (self.cli_scored, self.cli_unscored) == (self.table_scored, self.table_unscored)
        )

    @property
    def ok_time(self) -> bool:
        return self.returncode == 0 and self.seconds < TARGET_CLI_SECONDS

    @property
    def ok_rss(self) -> bool:
        return self.returncode == 0 and self.peak_rss < TARGET_CLI_RSS_BYTES


def hopeful_command() -> list[str]:
    script = Path(sys.executable).parent / "hopeful"
    return [str(script)] if script.exists() else [sys.executable, "-m", "hopeful.cli"]


def _time_v_value(text: str, label: str) -> str | None:
    match = re.search(rf"^\s*{re.escape(label)}: (.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else None


def bench_cli(rows: int, workdir: Path) -> Cli:
    inst = get_instrument("pce7")
    table = pce7_csv_table(np.random.default_rng(SEED + 2), rows)
    src = workdir / "pce7_responses.csv"
    dst = workdir / "pce7_scored.csv"
    pacsv.write_csv(table, src, write_options=pacsv.WriteOptions(quoting_style="none"))

    expected = score_table(inst, {item: table.column(item) for item in inst.item_ids})
    table_scored = int(expected.scored.sum())
    del expected

    command = [*hopeful_command(), "score", "--instrument", "pce7", "--no-progress"]
    command += [str(src), "-o", str(dst)]
    time_bin = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if time_bin is not None:
        command = [time_bin, "-v", *command]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    cpu: float | None = None
    if time_bin is not None:
        kib = _time_v_value(done.stderr, "Maximum resident set size (kbytes)")
        peak, source = int(kib or 0) * 1024, "/usr/bin/time -v"
        user = _time_v_value(done.stderr, "User time (seconds)")
        system = _time_v_value(done.stderr, "System time (seconds)")
        if user is not None and system is not None:
            cpu = float(user) + float(system)
    else:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak, source = usage.ru_maxrss * 1024, "getrusage(RUSAGE_CHILDREN)"
        cpu = usage.ru_utime + usage.ru_stime

    summary = re.search(r"scored ([\d,]+) of ([\d,]+) rows; ([\d,]+) not scored", done.stderr)
    cli_scored = int(summary.group(1).replace(",", "")) if summary else -1
    cli_unscored = int(summary.group(3).replace(",", "")) if summary else -1
    output_rows = -1
    if done.returncode == 0:
        out = pacsv.read_csv(
            dst,
            convert_options=pacsv.ConvertOptions(
                include_columns=["score"], column_types={"score": pa.string()}
            ),
        )
        output_rows = out.num_rows
        # the output itself must agree, not only the summary line
        written_scored = int(pc.sum(pc.not_equal(out.column("score"), "")).as_py() or 0)
        if written_scored != cli_scored:
            cli_scored = -written_scored
    return Cli(
        rows=rows,
        csv_bytes=src.stat().st_size,
        seconds=seconds,
        peak_rss=peak,
        rss_source=source,
        cpu_seconds=cpu,
        output_rows=output_rows,
        cli_scored=cli_scored,
        cli_unscored=cli_unscored,
        table_scored=table_scored,
        table_unscored=rows - table_scored,
        returncode=done.returncode,
        stderr_tail=[line for line in done.stderr.splitlines() if "\t" not in line][:8],
    )


# -- reporting ---------------------------------------------------------------------------------


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "CPU": cpu,
        "nproc": f"{usable} usable of {os.cpu_count()}",
        "memory": mem,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "numpy": np.__version__,
        "pyarrow": pa.__version__,
    }


def mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def table_rows(vec: list[Vectorized], cli: Cli | None, self_rss: int) -> list[list[str]]:
    rows: list[list[str]] = []
    for v in vec:
        rows.append(
            [
                f"`score_table` {v.instrument}, {v.rows:,} responses (int16 arrays, 1 core)",
                f"{v.seconds:.3f} s = {v.per_second / 1e6:.2f} M responses/s",
                f">= {TARGET_RESPONSES_PER_S / 1e6:.0f} M/s",
                verdict(v.ok),
            ]
        )
        rows.append(
            [
                f"tracemalloc peak of one `score_table` {v.instrument} call",
                mb(v.traced_peak),
                "",
                "",
            ]
        )
        rows.append(
            [
                f"`score_response(..., on_invalid='reason')` {v.instrument}, "
                f"{v.sample_rows:,}-row sample",
                f"{v.one_by_one_per_second:,.0f} responses/s; vectorized is "
                f"{v.per_second / v.one_by_one_per_second:,.0f}x faster",
                "baseline",
                "same results" if v.agree else "RESULTS DIFFER",
            ]
        )
    rows.append(["max RSS of the benchmark process (all of part a)", mb(self_rss), "", ""])
    if cli is not None:
        cpu = f"; CPU {cli.cpu_seconds:.2f} s" if cli.cpu_seconds is not None else ""
        rows.append(
            [
                f"`hopeful score` pce7, {cli.rows:,}-row CSV ({mb(cli.csv_bytes)}), "
                "child process wall time",
                f"{cli.seconds:.2f} s{cpu}",
                f"< {TARGET_CLI_SECONDS:.0f} s",
                verdict(cli.ok_time),
            ]
        )
        rows.append(
            [
                f"`hopeful score` peak RSS ({cli.rss_source})",
                mb(cli.peak_rss),
                f"< {mb(TARGET_CLI_RSS_BYTES)}",
                verdict(cli.ok_rss),
            ]
        )
        rows.append(
            [
                "output rows; scored / not scored, CLI vs `score_table` on the same text",
                f"{cli.output_rows:,} rows; {cli.cli_scored:,} / {cli.cli_unscored:,} vs "
                f"{cli.table_scored:,} / {cli.table_unscored:,}",
                "equal",
                verdict(cli.counts_agree),
            ]
        )
    return rows


def markdown_table(rows: list[list[str]]) -> str:
    out = ["| measurement | result | target | |", "|---|---|---|---|"]
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(out)


def write_readme(section: str) -> None:
    write_section("score_bench", section, README)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="responses per instrument")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (median is reported)")
    parser.add_argument("--write-readme", action="store_true", help="update bench/README.md")
    parser.add_argument("--skip-cli", action="store_true", help="skip part (b), the CLI run")
    args = parser.parse_args(argv)
    command = ".venv/bin/python bench/score_bench.py"
    command += f" --rows {args.rows} --repeat {args.repeat}"
    command += " --write-readme" if args.write_readme else ""
    command += " --skip-cli" if args.skip_cli else ""

    info = machine_info()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"score_bench  {when}")
    for key, value in info.items():
        print(f"  {key}: {value}")

    vec: list[Vectorized] = []
    for name, make in (("pce7", pce7_table), ("ace_brfss", ace_table)):
        data = make(np.random.default_rng(SEED), args.rows)
        print(f"\n[a] score_table {name}: {args.rows:,} rows, median of {args.repeat} ...")
        result = bench_vectorized(get_instrument(name), data, args.repeat)
        del data
        vec.append(result)
        print(
            f"    {result.seconds:.3f} s  {result.per_second:,.0f} responses/s  "
            f"[{verdict(result.ok)}: target >= {TARGET_RESPONSES_PER_S:,}/s]"
        )
        print(f"    tracemalloc peak {mb(result.traced_peak)}")
        print(
            f"    one-by-one score_response on {result.sample_rows:,} rows: "
            f"{result.one_by_one_per_second:,.0f} responses/s "
            f"(vectorized {result.per_second / result.one_by_one_per_second:,.0f}x faster; "
            f"{'same results' if result.agree else 'RESULTS DIFFER'})"
        )
    self_rss = max_rss_bytes()
    print(f"    benchmark process max RSS {mb(self_rss)}")

    cli: Cli | None = None
    if not args.skip_cli:
        print(f"\n[b] hopeful score on a {args.rows:,}-row pce7 CSV (child process) ...")
        with tempfile.TemporaryDirectory(prefix="hopeful-bench-") as tmp:
            cli = bench_cli(args.rows, Path(tmp))
        print(
            f"    exit {cli.returncode}, {cli.seconds:.2f} s wall"
            + (f", {cli.cpu_seconds:.2f} s CPU" if cli.cpu_seconds is not None else "")
            + f"  [{verdict(cli.ok_time)}: target < {TARGET_CLI_SECONDS:.0f} s]"
        )
        print(
            f"    peak RSS {mb(cli.peak_rss)} ({cli.rss_source})  "
            f"[{verdict(cli.ok_rss)}: target < {mb(TARGET_CLI_RSS_BYTES)}]"
        )
        print(
            f"    CSV {mb(cli.csv_bytes)}; output rows {cli.output_rows:,}; scored/unscored "
            f"{cli.cli_scored:,}/{cli.cli_unscored:,}, score_table "
            f"{cli.table_scored:,}/{cli.table_unscored:,}  [{verdict(cli.counts_agree)}]"
        )
        for line in cli.stderr_tail:
            print(f"    | {line}")

    ok = all(v.ok and v.agree for v in vec)
    if cli is not None:
        ok = ok and cli.ok_time and cli.ok_rss and cli.counts_agree
    print(f"\noverall: {verdict(ok)}")

    if args.write_readme:
        lines = [
            "## Scoring speed (`bench/score_bench.py`)",
            "",
            f"Measured {when} with:",
            "",
            "```",
            command,
            "```",
            "",
            markdown_table(table_rows(vec, cli, self_rss)),
            "",
            "Machine: " + "; ".join(f"{k} {v}" for k, v in info.items()) + ".",
            "",
            "Data: seeded synthetic responses, mostly valid codes, about 2% of 7/9 per item, "
            "about 0.1% invalid codes per item, pce4 with some 8 (did not attend); the CSV adds "
            "a respondent id and a ZIP column, about 0.5% blank cells per item and about 0.1% "
            "of rows with a non-numeric answer. `score_table` runs on one core "
            "(`OMP_NUM_THREADS=1`, `pa.set_cpu_count(1)`); times are the median of the runs. "
            "tracemalloc sees Python and numpy allocations, not Arrow's memory pool; the RSS "
            "figures include everything.",
        ]
        write_readme("\n".join(lines))
        print(f"wrote {README}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
