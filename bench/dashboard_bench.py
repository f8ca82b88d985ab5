#!/usr/bin/env python3
"""Benchmark of the organization dashboard on PostgreSQL with synthetic responses.

Not a test. Starts a throwaway PostgreSQL 15 cluster (as .ci/run does), loads N synthetic pce7
responses across M organizations (bench/_dashboard_data.py), serves the app with gunicorn on
loopback, signs in as an organization's analyst and requests the main dashboard views
`--repeat` times each, warm (after one untimed request). Reports p50/p95 per view.

    .venv/bin/python bench/dashboard_bench.py --responses 1000000 --organizations 50 --write-readme

Target on a 2-core machine: p95 <= 300 ms per dashboard request, warm.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from _readme import write_section  # a sibling module: bench scripts run as scripts
from submit_load import Postgres, free_port

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


class Browser:
    """A cookie-keeping HTTP client that signs in through the real sign-in form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=120) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def sign_in(self, email: str, password: str) -> None:
        _, page = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise RuntimeError("no CSRF token on the sign-in page")
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1).decode(), "username": email,
             "password": password}
        ).encode()  # fmt: skip
        request = urllib.request.Request(  # noqa: S310 - our own loopback server
            self.base + "/accounts/login/", data=data, headers={"Referer": self.base + "/"}
        )
        with self.opener.open(request, timeout=60) as response:
            response.read()


def timed(browser: Browser, path: str, repeat: int) -> dict[str, Any]:
    status, body = browser.get(path)  # warm-up, untimed
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        status, body = browser.get(path)
        times.append(time.perf_counter() - start)
    times.sort()
    return {
        "status": status,
        "bytes": len(body),
        "p50_ms": 1000 * statistics.median(times),
        "p95_ms": 1000 * times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    pg = Postgres()
    url = pg.start()
    tmp = Path(tempfile.mkdtemp(prefix="hopeful-dash-"))
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "hopeful.web.config.settings",
        "HOPEFUL_DEBUG": "false", "HOPEFUL_HTTPS": "false",
        "HOPEFUL_SECRET_KEY": secrets.token_urlsafe(50),
        "HOPEFUL_ALLOWED_HOSTS": "127.0.0.1,localhost", "HOPEFUL_DATA_DIR": str(tmp),
    })  # fmt: skip
    server = None
    try:
        subprocess.run([str(BIN / "hopeful"), "manage", "migrate", "-v", "0"], env=env, check=True)
        start = time.monotonic()
        loaded = json.loads(
            subprocess.run(
                [str(BIN / "python"), str(HERE / "_dashboard_data.py"), "--responses",
                 str(args.responses), "--organizations", str(args.organizations)],
                env=env, check=True, capture_output=True, text=True,
            ).stdout.strip().splitlines()[-1]
        )  # fmt: skip
        load_seconds = time.monotonic() - start
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "hopeful.web.config.wsgi:application", "-w",
             str(args.workers), "-b", f"127.0.0.1:{port}", "--timeout", "300",
             "--log-level", "warning"],
            env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.sign_in(loaded["analysts"][0], "bench-password")
        org = loaded["organizations"][0]
        base = f"/orgs/{org}/dashboard/"
        views = {
            "dashboard (all programs, 12 months)": base,
            "dashboard (all programs, breakdown by language)": base + "?breakdown=language",
            "dashboard CSV export": base + "?format=csv",
        }
        results = {name: timed(browser, path, args.repeat) for name, path in views.items()}
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "responses": loaded["responses"],
        "organizations": args.organizations,
        "per_org": loaded["responses"] // args.organizations,
        "load_seconds": load_seconds,
        "workers": args.workers,
        "repeat": args.repeat,
        "views": results,
    }


def report(r: dict[str, Any], command: str) -> tuple[str, bool]:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    ok = all(v["status"] == 200 and v["p95_ms"] <= 300 for v in r["views"].values())
    lines = [
        "## Organization dashboard (`bench/dashboard_bench.py`)",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with:",
        "",
        "```",
        command,
        "```",
        "",
        f"Machine: {cpu}; {os.cpu_count()} cores. PostgreSQL 15 with {r['responses']:,} synthetic "
        f"pce7 responses across {r['organizations']} organizations ({r['per_org']:,} each; "
        f"loaded in {r['load_seconds']:.0f} s), gunicorn with {r['workers']} workers on loopback; "
        f"an analyst's requests, warm, {r['repeat']} each.",
        "",
        "| view | status | p50 | p95 | target | |",
        "|---|---|---|---|---|---|",
    ]
    for name, v in r["views"].items():
        passed = v["status"] == 200 and v["p95_ms"] <= 300
        lines.append(
            f"| {name} | {v['status']} | {v['p50_ms']:.0f} ms | {v['p95_ms']:.0f} ms | "
            f"p95 <= 300 ms | {'PASS' if passed else 'FAIL'} |"
        )
    return "\n".join(lines), ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--responses", type=int, default=1_000_000)
    ap.add_argument("--organizations", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--write-readme", action="store_true")
    args = ap.parse_args()
    result = run(args)
    command = "python bench/dashboard_bench.py " + " ".join(sys.argv[1:])
    section, ok = report(result, command.strip())
    print(section)
    print("\noverall:", "PASS" if ok else "FAIL")
    if args.write_readme:
        write_section("dashboard_bench", section)
        print("wrote bench/README.md")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
