#!/usr/bin/env python3
"""Benchmark of the network view (``/network/``) on PostgreSQL with synthetic responses.

Not a test. Starts a throwaway PostgreSQL 15 cluster (as bench/dashboard_bench.py does), loads
N synthetic pce7 responses across K organizations with COPY (``bench/_dashboard_data.py
--network``: every organization a network member, states and kinds crossed, a network staff
user), serves the app with gunicorn on loopback, signs in as the network staff user through
the real sign-in form and times the view through HTTP, for every view of :data:`VIEWS`:

- **cold (fresh server)**: the view's first request on a freshly started server (workers
  booted and health-checked, nothing else requested), ``--cold-repeat`` servers per view;
- **warm**: on one more server, after untimed requests of every view on every worker,
  ``--repeat`` timed requests per view;
- **after a new submission**: on that warm server, ``--fresh-repeat`` rounds of: for each view,
  one new consenting submission stored (a copy of one of an organization's own, dated in the
  view's last month, through the ORM in another process), then the view requested once. The
  data version changes with any submission, so this request counts that organization again
  (``hopeful.web.network.counts``) and re-reads the counts; they change too, so the protection
  is solved again.

Last, where the time goes: in one more process (Django's test client, the same settings), the
view's phases are timed by wrapping the network modules' functions (as dashboard_bench's PDF
worker does): the first request in the process, a warm one, one per view after
``selectors.clear_caches()`` and one after a new submission. The page is not changed; the
wrappers only time calls. ``--explain`` adds the PostgreSQL plans of the view's queries (caches
cleared) on stderr. PostgreSQL's shared buffers and the OS page cache stay warm between
servers: "cold" is the application's cold, not the machine's.

    PYTHONPATH=src .venv/bin/python bench/network_bench.py --responses 1000000 --organizations 500 --write-readme

Quick run: ``--responses 20000 --organizations 150`` (at least 3 organizations per state x kind
pair, i.e. 150, or every cell is hidden by the minimum-organizations rule).

Target on a 2-core machine: every cold request (fresh server, or the first after a new
submission) <= 2 s at 1,000,000 responses across 500 organizations.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _readme import write_section  # a sibling module: bench scripts run as scripts
from dashboard_bench import Browser, Server, parallel, percentile
from submit_load import Postgres

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
COLD_TARGET_MS = 2000
PASSWORD = "bench-password"  # noqa: S105 - the loader's password for its users

#: The timed views: (name, query string of /network/). The view has no quarter filter: it
#: covers one calendar year's complete months, with a trend by quarter (the default) or by
#: month. ``?measure=`` reads another score output (another grouped query).
VIEWS: list[tuple[str, str]] = [
    ("default (this year, top group share, trend by quarter)", ""),
    ("one state (WI)", "?state=WI"),
    ("one kind (clinic)", "?kind=clinic"),
    ("one state and kind (WI, clinic)", "?state=WI&kind=clinic"),
    ("trend by month", "?unit=month"),
    ("building block: relationships", "?measure=bb_relationships"),
]

#: Defines ``new_submission(org_public_id)``: a copy of one of the organization's submissions
#: whose family consents to program improvement, dated the 15th of the view's last month
#: (inside the view, so the counts change), with new ids and its scores. Run after setup().
NEW_SUBMISSION = """
import datetime as dt, uuid
from django.db import transaction
from django.utils import timezone
from hopeful.web.families.selectors import with_consent
from hopeful.web.network.selectors import last_complete_month
from hopeful.web.organizations.models import Organization
from hopeful.web.surveys.models import Submission, draw_record_key

def new_submission(org_public_id):
    org = Organization.objects.get(public_id=org_public_id)
    day = last_complete_month().replace(day=15)
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    mine = with_consent(Submission.objects.filter(organization=org), "program_improvement")
    submission = mine.order_by("-id").first()
    scores = list(submission.scores.all())
    with transaction.atomic():
        submission.pk = None
        submission.public_id = uuid.uuid4()
        submission.client_uuid = uuid.uuid4()
        submission.record_key = draw_record_key()
        submission.submitted_at = when
        submission.save()
        for score in scores:
            score.pk = None
            score.submission = submission
            score.save()
"""
NEW_SUBMISSION_SCRIPT = (
    "import sys\nimport django\ndjango.setup()\n" + NEW_SUBMISSION + "new_submission(sys.argv[1])\n"
)

#: The phases worker: Django's test client in one process, the network modules' functions
#: wrapped to time them (a name the code no longer has is listed as missing, not timed).
PHASES_WORKER = r"""
import json, sys, time
import django
django.setup()
from django.test import Client
from hopeful.stats import SuppressionProblem
from hopeful.web.network import counts, data, plan, selectors, views

spec = json.loads(sys.argv[1])
exec(spec["new_submission"])
phases, facts, missing = {}, {}, []

def timing(owner, name, phase, note=None):
    inner = getattr(owner, name, None)
    if inner is None:
        missing.append(f"{getattr(owner, '__name__', owner)}.{name}")
        return
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            result = inner(*args, **kwargs)
        finally:
            phases[phase] = phases.get(phase, 0.0) + time.perf_counter() - start
        if note is not None:
            note(result)
        return result
    setattr(owner, name, wrapper)

def seen_view(view):
    rows = list(view.rows) + list(view.trend)
    facts["rows"] = len(view.rows)
    facts["trend"] = len(view.trend)
    facts["hidden"] = sum(1 for r in rows if r.note)

def seen_protection(result):
    facts["programs"] = facts.get("programs", 0) + int(getattr(result, "programs", 0))

def seen_grouped(frame):
    facts["grouped_rows"] = len(frame)

for owner, name, phase, note in [
    (selectors, "filter_options", "options", None),
    (selectors, "network_view", "network_view", seen_view),
    (selectors, "network_members", "members", None),
    (data, "query_grouped_counts", "grouped query", seen_grouped),
    (selectors, "place", "place", None),
    (selectors, "base_cells", "base cells", None),
    (plan, "_protect", "protection", seen_protection),
    (plan, "family", "family", None),
    (SuppressionProblem, "protect", "LPs", None),
    (counts, "bring_up_to_date", "counts up to date", None),
    (selectors, "shares", "estimates", None),
    (views, "render", "template", None),
]:
    timing(owner, name, phase, note)

client = Client(HTTP_HOST="localhost")
client.get("/health/")  # the URLconf and the views' modules: loaded, as on a checked server
done = client.post("/accounts/login/", {"username": spec["email"], "password": spec["password"]})
if done.status_code != 302:
    raise SystemExit(f"sign-in: {done.status_code}")

runs = []
def measure(scenario, query):
    phases.clear(); facts.clear()
    start = time.perf_counter()
    response = client.get("/network/" + query)
    seconds = time.perf_counter() - start
    runs.append({"scenario": scenario, "status": response.status_code, "seconds": seconds,
                 "phases": dict(phases), "facts": dict(facts)})

default = spec["views"][0]
measure(f"first request in the process: {default[0]}", default[1])
measure(f"warm: {default[0]}", default[1])
for name, query in spec["views"]:
    selectors.clear_caches()
    measure(f"caches cleared: {name}", query)
new_submission(spec["organization"])
measure(f"after a new submission: {default[0]}", default[1])
if spec["explain"]:  # the plans of the view's queries with the caches cleared, on stderr
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    selectors.clear_caches()
    with CaptureQueriesContext(connection) as queries:
        client.get("/network/")
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(line for (line,) in cursor.fetchall())
                print(f"{'=' * 80}\n{query['sql'][:300]}\n{plan}", file=sys.stderr)
print(json.dumps({"runs": runs, "missing": missing}))
"""

#: Phase columns of the report: (phase, heading). "other" is the request minus the phases
#: not in INNER (the rows' decisions and estimates, the form, charts, middleware, session).
PHASES = [
    ("options", "filter options"),
    ("members", "members + data version"),
    ("grouped query", "grouped query"),
    ("place", "place"),
    ("base cells", "base cells"),
    ("protection", "protection"),
    ("family", "of it: family"),
    ("LPs", "of it: LPs"),
    ("estimates", "estimates"),
    ("template", "template"),
]
INNER = {"family", "LPs"}  # inside "protection"


def view_path(query: str) -> str:
    return "/network/" + query


def page_check(name: str, body: bytes) -> None:
    """Warn when the page has no published rows (the timing would not be of the real work)."""
    if b'id="aggregates"' not in body:
        print(f"warning: {name}: no rows on the page", file=sys.stderr)


def cold_runs(server: Server, browser: Browser, repeat: int) -> dict[str, list[tuple]]:
    """Each view's first request on ``repeat`` freshly started servers."""
    cold: dict[str, list[tuple]] = {name: [] for name, _q in VIEWS}
    for _r in range(repeat):
        for name, query in VIEWS:
            server.start()
            try:
                status, body, seconds = browser.timed_get(view_path(query))
            finally:
                server.stop()
            cold[name].append((status, len(body), seconds))
            if status == 200:
                page_check(name, body)
            print(f"cold  {name}: {status}, {1000 * seconds:,.0f} ms", file=sys.stderr)
    return cold


def warm_and_fresh(
    server: Server,
    browser: Browser,
    env: dict[str, str],
    orgs: list[str],
    args: argparse.Namespace,
) -> tuple[dict[str, list[tuple]], dict[str, list[tuple]]]:
    """Warm requests, then the first request after each new submission, on one server."""
    warm: dict[str, list[tuple]] = {}
    fresh: dict[str, list[tuple]] = {name: [] for name, _q in VIEWS}
    server.start()
    try:
        for _name, query in VIEWS:
            path = view_path(query)
            parallel([lambda p=path: browser.get(p)] * args.workers)  # every worker: warm
        for name, query in VIEWS:
            times = []
            for _r in range(args.repeat):
                status, body, seconds = browser.timed_get(view_path(query))
                times.append((status, len(body), seconds))
            warm[name] = times
            ms = sorted(1000 * t for _s, _b, t in times)
            print(f"warm  {name}: p50 {statistics.median(ms):.0f} ms, max {ms[-1]:.0f} ms",
                  file=sys.stderr)  # fmt: skip
        k = 0
        for _r in range(args.fresh_repeat):
            for name, query in VIEWS:
                org = orgs[(k * 97) % len(orgs)]  # spread over the organizations
                k += 1
                subprocess.run(
                    [str(BIN / "python"), "-c", NEW_SUBMISSION_SCRIPT, org], env=env, check=True
                )
                status, body, seconds = browser.timed_get(view_path(query))
                fresh[name].append((status, len(body), seconds))
                print(f"fresh {name}: {status}, {1000 * seconds:,.0f} ms", file=sys.stderr)
    finally:
        server.stop()
    return warm, fresh


def time_phases(
    env: dict[str, str], email: str, organization: str, explain: bool
) -> dict[str, Any] | None:
    spec = {
        "explain": explain,
        "email": email,
        "password": PASSWORD,
        "views": VIEWS,
        "organization": organization,
        "new_submission": NEW_SUBMISSION,
    }
    done = subprocess.run(
        [str(BIN / "python"), "-c", PHASES_WORKER, json.dumps(spec)],
        env=env, check=False, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        print(f"phases worker failed:\n{done.stderr[-3000:]}", file=sys.stderr)
        return None
    if explain:
        print(done.stderr, file=sys.stderr)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    for run in result["runs"]:
        print(f"phases {run['scenario']}: {1000 * run['seconds']:,.0f} ms "
              f"{ {p: round(1000 * s) for p, s in run['phases'].items()} }",
              file=sys.stderr)  # fmt: skip
    return result


def run(args: argparse.Namespace) -> dict[str, Any]:
    pg = Postgres()
    url = pg.start()
    tmp = Path(tempfile.mkdtemp(prefix="hopeful-net-"))
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "hopeful.web.config.settings",
        "HOPEFUL_DEBUG": "false", "HOPEFUL_HTTPS": "false",
        "HOPEFUL_SECRET_KEY": secrets.token_urlsafe(50),
        "HOPEFUL_ALLOWED_HOSTS": "127.0.0.1,localhost", "HOPEFUL_DATA_DIR": str(tmp),
    })  # fmt: skip
    server = Server(env, args.workers)
    try:
        subprocess.run([str(BIN / "hopeful"), "manage", "migrate", "-v", "0"], env=env, check=True)
        start = time.monotonic()
        loaded = json.loads(
            subprocess.run(
                [str(BIN / "python"), str(HERE / "_dashboard_data.py"), "--responses",
                 str(args.responses), "--organizations", str(args.organizations), "--network",
                 "--check"],
                env=env, check=True, stdout=subprocess.PIPE, text=True,
            ).stdout.strip().splitlines()[-1]
        )  # fmt: skip
        load_wall = time.monotonic() - start
        email, orgs = loaded["network_staff"], loaded["organizations"]
        # The counts the view reads are kept in the database as data arrive; a bulk load
        # bypasses that, so they are made once here, as `hopeful manage network_counts` does.
        start = time.monotonic()
        subprocess.run([str(BIN / "hopeful"), "manage", "network_counts"], env=env, check=True)
        counts_wall = time.monotonic() - start

        server.start()
        browser = Browser(server.base)
        browser.sign_in(email, PASSWORD)  # the session lives in the database: it outlives servers
        server.stop()

        cold = cold_runs(server, browser, args.cold_repeat)
        warm, fresh = warm_and_fresh(server, browser, env, orgs, args)
        phases = (
            time_phases(env, email, orgs[len(orgs) // 2], args.explain)
            if not args.no_phases
            else None
        )
    finally:
        server.stop()
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "responses": loaded["responses"],
        "rows": loaded["rows"],
        "organizations": len(orgs),
        "per_org": loaded["responses"] // len(orgs),
        "load_seconds": loaded["load_seconds"],
        "load_parts": loaded.get("load_parts", {}),
        "load_wall_seconds": load_wall,
        "counts_seconds": counts_wall,
        "args": vars(args),
        "views": {name: summary(cold[name], warm[name], fresh[name]) for name, _q in VIEWS},
        "phases": phases,
    }


def summary(cold: list[tuple], warm: list[tuple], fresh: list[tuple]) -> dict[str, Any]:
    """Times ``(status, bytes, seconds)`` of one view, summarised in milliseconds."""

    def ms(runs: list[tuple]) -> list[float]:
        return sorted(1000 * t for _s, _b, t in runs)

    statuses = sorted({str(s) for s, _b, _t in cold + warm + fresh})
    c, w, f = ms(cold), ms(warm), ms(fresh)
    nan = float("nan")
    return {
        "status": "/".join(statuses),
        "ok": statuses == ["200"],
        "bytes": statistics.median(b for _s, b, _t in cold + warm + fresh),
        "cold_median": statistics.median(c) if c else nan,
        "cold_max": c[-1] if c else nan,
        "p50": statistics.median(w) if w else nan,
        "p95": percentile(w, 0.95) if w else nan,
        "fresh_median": statistics.median(f) if f else nan,
        "fresh_max": f[-1] if f else nan,
        "n": (len(c), len(w), len(f)),
    }


def _ms(value: float) -> str:
    return "-" if value != value else f"{value:,.0f} ms"  # NaN: not measured


def phases_table(phases: dict[str, Any]) -> list[str]:
    heads = [h for _p, h in PHASES]
    lines = [
        "| request (in-process test client) | status | total | " + " | ".join(heads) + " | other |",
        "|---|---|---|" + "---|" * (len(heads) + 1),
    ]
    for run in phases["runs"]:
        total = 1000 * run["seconds"]
        got = {p: 1000 * s for p, s in run["phases"].items()}
        other = total - sum(got.get(p, 0.0) for p, _h in PHASES if p not in INNER)
        cells = [_ms(got[p]) if p in got else "-" for p, _h in PHASES]
        lines.append(
            f"| {run['scenario']} | {run['status']} | {_ms(total)} | "
            + " | ".join(cells)
            + f" | {_ms(other)} |"
        )
    return lines


def report(r: dict[str, Any], command: str) -> tuple[str, bool]:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    a = r["args"]
    passed = {
        name: v["ok"] and v["cold_max"] <= COLD_TARGET_MS and v["fresh_max"] <= COLD_TARGET_MS
        for name, v in r["views"].items()
    }
    parts = r["load_parts"]
    load_detail = (
        f" (setup through the ORM {parts['setup']:.0f} s, COPY {parts['copy']:.0f} s, indexes "
        f"and constraints {parts['indexes']:.0f} s, VACUUM ANALYZE {parts['vacuum_analyze']:.0f} "
        f"s; {r['load_wall_seconds']:.0f} s with the loader's start and read-back check)"
        if parts
        else ""
    )
    lines = [
        "## Network view (`bench/network_bench.py`)",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with:",
        "",
        "```",
        command,
        "```",
        "",
        f"Machine: {cpu}; {os.cpu_count()} cores. PostgreSQL 15 with {r['responses']:,} "
        f"synthetic pce7 responses across {r['organizations']:,} network organizations "
        f"({r['per_org']:,} each; states and kinds crossed, up to 10 x 5), {r['rows']:,} rows loaded with COPY in "
        f"{r['load_seconds']:.0f} s{load_detail}. gunicorn with {a['workers']} workers on "
        "loopback, signed in as a network staff user. The view covers the current calendar "
        "year's complete months; the responses are spread over the last 12 months. The counts the "
        f"view reads (`hopeful.web.network.counts`) were made once after the load in "
        f"{r['counts_seconds']:.0f} s (`hopeful manage network_counts`); after that a new submission "
        "recounts only its organization, in the next view.",
        "",
        f"Cold: the view's first request on a freshly started server ({a['cold_repeat']} "
        f"servers per view). Warm: {a['repeat']} requests per view after untimed ones on every "
        f"worker. After a new submission: on the warm server, {a['fresh_repeat']} per view, each "
        "right after one new consenting submission dated inside the view (its organization is "
        "counted again, then the grouped read and the protection run again). Target: every cold request and every first request "
        f"after a new submission <= {COLD_TARGET_MS:,} ms.",
        "",
        "| view | status | size | cold median | cold max | warm p50 | warm p95 | after a new "
        "submission median | max | |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, v in r["views"].items():
        lines.append(
            f"| {name} | {v['status']} | {v['bytes'] / 1024:,.0f} KiB | {_ms(v['cold_median'])} | "
            f"{_ms(v['cold_max'])} | {_ms(v['p50'])} | {_ms(v['p95'])} | "
            f"{_ms(v['fresh_median'])} | {_ms(v['fresh_max'])} | "
            f"{'PASS' if passed[name] else 'FAIL'} |"
        )
    phases = r["phases"]
    if phases is not None:
        facts = next(
            (run["facts"] for run in phases["runs"] if run["scenario"].startswith("caches")), {}
        )
        lines += [
            "",
            "Where the time goes (one process, Django's test client, times of the network "
            "modules' functions; other: the rest of the request, e.g. each row's decision and "
            "estimate lookup, the form, the charts, the session):",
            "",
            *phases_table(phases),
        ]
        if facts:
            lines += [
                "",
                f"The default view: {facts.get('rows', 0)} rows and {facts.get('trend', 0)} "
                f"trend periods ({facts.get('hidden', 0)} hidden); the grouped query returned "
                f"{facts.get('grouped_rows', 0):,} rows (organization x month x outcome); the "
                f"protection solved {facts.get('programs', 0)} linear programs.",
            ]
        if phases["missing"]:
            lines += ["", f"Not timed (no longer in the code): {', '.join(phases['missing'])}."]
    return "\n".join(lines), all(passed.values())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--responses", type=int, default=1_000_000)
    ap.add_argument("--organizations", type=int, default=500)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cold-repeat", type=int, default=3, help="fresh servers per view")
    ap.add_argument("--repeat", type=int, default=20, help="warm requests per view")
    ap.add_argument("--fresh-repeat", type=int, default=3, help="new submissions per view")
    ap.add_argument("--no-phases", action="store_true", help="skip the in-process phase timing")
    ap.add_argument("--explain", action="store_true",
                    help="print EXPLAIN (ANALYZE, BUFFERS) of the view's queries on stderr")  # fmt: skip
    ap.add_argument("--write-readme", action="store_true")
    args = ap.parse_args()
    result = run(args)
    print("result:", json.dumps(result), file=sys.stderr)  # the raw numbers, kept in the log
    command = "python bench/network_bench.py " + " ".join(sys.argv[1:])
    section, ok = report(result, command.strip())
    print(section)
    print("\noverall:", "PASS" if ok else "FAIL")
    if args.write_readme:
        write_section("network_bench", section)
        print("wrote bench/README.md")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
