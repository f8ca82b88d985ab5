#!/usr/bin/env python3
"""Load benchmark: concurrent families submitting answers through the real HTTP server.

Not a test. Starts a throwaway PostgreSQL 15 cluster (as .ci/run does; needs root to run it
as the `postgres` system user) unless DATABASE_URL is set, migrates, creates an organization
with an open pce7 campaign and a public link, serves the app with gunicorn on loopback, then
runs N simulated families for a bounded time. Each family POSTs JSON answers with its own
client UUID to the submission API and retries the same UUID after a dropped connection or a
5xx, as the offline client does. At the end it compares the server's rows with the client's
acknowledgements: they must be equal, with zero duplicates.

    .venv/bin/python bench/submit_load.py --clients 16 --seconds 20 --write-readme

Target on a 2-core machine: >= 100 submissions/s with p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from _readme import write_section  # a sibling module: bench scripts run as scripts

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")

SETUP = """
import django, json
django.setup()
from hopeful.web.accounts.models import User
from hopeful.web.organizations.models import Organization, Program, Membership
from hopeful.web.surveys.services_campaigns import campaign_create, campaign_open, link_create
admin = User.objects.create_user("bench-admin@bench.example", "bench-password-not-used")
org = Organization.objects.create(name="Bench clinic", kind="clinic", state="WI")
program = Program.objects.create(organization=org, name="Bench program")
Membership.objects.create(user=admin, organization=org, role="org_admin")
campaign = campaign_create(program=program, name="Bench", instrument_ids=["pce7"],
                           languages=["en", "es"], actor=admin)
campaign = campaign_open(campaign=campaign, actor=admin)
link, token = link_create(campaign=campaign, actor=admin, rate_limit_per_minute=1_000_000)
print(json.dumps({"token": token}))
"""

COUNT = """
import django, json
django.setup()
from hopeful.web.surveys.models import Submission
print(json.dumps([str(u) for u in Submission.objects.values_list("client_uuid", flat=True)]))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Postgres:
    """A throwaway PostgreSQL cluster owned by the postgres system user."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="hopeful-bench-pg-"))
        self.port = free_port()
        shutil.chown(self.root, "postgres")

    def _as_pg(self, *cmd: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip

    def start(self) -> str:
        data = str(self.root / "data")
        self._as_pg(str(PG_BIN / "initdb"), "-D", data, "--auth=trust", "--username=hopeful",
                    "--encoding=UTF8", "--locale=C.UTF-8")  # fmt: skip
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self._as_pg(str(PG_BIN / "pg_ctl"), "-D", data, "-l", str(self.root / "log"), "-w",
                    "-o", opts, "start")  # fmt: skip
        self._as_pg(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                    "-U", "hopeful", "hopeful")  # fmt: skip
        return f"postgres://hopeful@127.0.0.1:{self.port}/hopeful"

    def stop(self) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D",
                        str(self.root / "data"), "-m", "fast", "stop"],
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)


def answers(rng: random.Random) -> dict[str, dict[str, int | None]]:
    items = {f"pce{n}": rng.choice([1, 2, 3, 4, 5, 5, 4, 7]) for n in range(1, 8)}
    return {"pce7": items}


class Family(threading.Thread):
    """One simulated family after another: submit, retry the same UUID until acknowledged."""

    def __init__(self, port: int, path: str, deadline: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.port, self.path, self.deadline = port, path, deadline
        self.rng = random.Random(seed)
        self.latencies: list[float] = []
        self.acked: list[str] = []
        self.retries = 0
        self.failures: dict[str, int] = {}

    def _post(self, body: bytes) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("POST", self.path, body=body,
                         headers={"Content-Type": "application/json"})  # fmt: skip
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            client_uuid = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
            body = json.dumps({
                "client_uuid": client_uuid,
                "language": self.rng.choice(["en", "es"]),
                "consent": {"care": True, "program_improvement": True, "research": False},
                "name": f"Bench {client_uuid[:8]}",
                "answers": answers(self.rng),
            }).encode()  # fmt: skip
            for attempt in range(6):
                start = time.perf_counter()
                try:
                    status, _ = self._post(body)
                except OSError as exc:
                    status = -1
                    self.failures[type(exc).__name__] = self.failures.get(type(exc).__name__, 0) + 1
                elapsed = time.perf_counter() - start
                if status in (200, 201):
                    self.latencies.append(elapsed)
                    self.acked.append(client_uuid)
                    break
                if 400 <= status < 500:
                    self.failures[str(status)] = self.failures.get(str(status), 0) + 1
                    break
                self.retries += 1
                time.sleep(min(0.1 * 2**attempt, 2.0))


def run(args: argparse.Namespace) -> dict[str, Any]:
    pg = None
    url = os.environ.get("DATABASE_URL")
    if not url:
        pg = Postgres()
        url = pg.start()
    tmp = Path(tempfile.mkdtemp(prefix="hopeful-bench-"))
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "hopeful.web.config.settings",
        "HOPEFUL_DEBUG": "false",
        "HOPEFUL_HTTPS": "false",
        "HOPEFUL_SECRET_KEY": secrets.token_urlsafe(50),
        "HOPEFUL_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HOPEFUL_DATA_DIR": str(tmp),
        # Every client is 127.0.0.1 on one link: the abuse limits would answer the load 429.
        # This benchmark measures the submission path, not throttling.
        "HOPEFUL_LIMIT_SURVEY_IP": "0",
        "HOPEFUL_LIMIT_SURVEY_LINK": "0",
        "HOPEFUL_LINK_FLAG_PER_HOUR": "0",
    })  # fmt: skip
    server = None
    try:
        subprocess.run([str(BIN / "hopeful"), "manage", "migrate", "-v", "0"], env=env, check=True)
        token = json.loads(
            subprocess.run([str(BIN / "python"), "-c", SETUP], env=env, check=True,
                           capture_output=True, text=True).stdout.strip().splitlines()[-1]
        )["token"]  # fmt: skip
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "hopeful.web.config.wsgi:application", "-w",
             str(args.workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
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
        path = f"/s/{token}/api/submissions/"
        # warm-up: a few submissions so imports and connections are ready (counted too)
        warmup = [Family(port, path, time.monotonic() + 1.0, seed=10_000 + k) for k in range(2)]
        for f in warmup:
            f.run()
        start = time.monotonic()
        families = [Family(port, path, start + args.seconds, seed=k) for k in range(args.clients)]
        for f in families:
            f.start()
        for f in families:
            f.join()
        elapsed = time.monotonic() - start
        stored = json.loads(subprocess.run(
            [str(BIN / "python"), "-c", COUNT], env=env, check=True, capture_output=True,
            text=True).stdout.strip().splitlines()[-1])  # fmt: skip
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if pg is not None:
            pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    latencies = sorted(x for f in families for x in f.latencies)
    acked = [u for f in families for u in f.acked]
    all_acked = [u for f in (*warmup, *families) for u in f.acked]
    failures: dict[str, int] = {}
    for f in families:
        for k, v in f.failures.items():
            failures[k] = failures.get(k, 0) + v
    return {
        "clients": args.clients,
        "workers": args.workers,
        "seconds": elapsed,
        "acked": len(all_acked),
        "unique_acked": len(set(all_acked)),
        "rows": len(stored),
        "duplicates": len(stored) - len(set(stored)),
        "stored_not_acked": len(set(stored) - set(all_acked)),
        "acked_not_stored": len(set(all_acked) - set(stored)),
        "rate": len(acked) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan"),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan"),
        "retries": sum(f.retries for f in families),
        "failures": failures,
    }


def report(r: dict[str, Any], command: str) -> tuple[str, bool]:
    rate_ok = r["rate"] >= 100
    p95_ok = r["p95_ms"] <= 300
    integrity_ok = (
        r["acked"] == r["rows"] == r["unique_acked"]
        and r["duplicates"] == r["stored_not_acked"] == r["acked_not_stored"] == 0
    )
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    text = "\n".join([
        "## Submission load (`bench/submit_load.py`)",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with:",
        "",
        "```",
        command,
        "```",
        "",
        f"Machine: {cpu}; {os.cpu_count()} cores. gunicorn with {r['workers']} sync workers and "
        f"PostgreSQL 15 on loopback, {r['clients']} concurrent simulated families for "
        f"{r['seconds']:.0f} s, JSON submissions of pce7 answers, each with its own client UUID "
        "(retried with the same UUID after a dropped connection or a 5xx).",
        "",
        "| measurement | result | target | |",
        "|---|---|---|---|",
        f"| submissions per second | {r['rate']:.0f} | >= 100 | {'PASS' if rate_ok else 'FAIL'} |",
        f"| latency p50 / p95 / p99 | {r['p50_ms']:.0f} / {r['p95_ms']:.0f} / "
        f"{r['p99_ms']:.0f} ms | p95 <= 300 ms | {'PASS' if p95_ok else 'FAIL'} |",
        f"| acknowledged / stored / duplicates | {r['acked']:,} / {r['rows']:,} / "
        f"{r['duplicates']} | equal, 0 | {'PASS' if integrity_ok else 'FAIL'} |",
        f"| stored but not acknowledged / acknowledged but not stored | "
        f"{r['stored_not_acked']} / {r['acked_not_stored']} | 0 / 0 | |",
        f"| retries / failed requests | {r['retries']} / {r['failures'] or 0} | | |",
    ])  # fmt: skip
    return text, rate_ok and p95_ok and integrity_ok


def write_readme(section: str) -> None:
    write_section("submit_load", section)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--write-readme", action="store_true")
    args = ap.parse_args()
    result = run(args)
    command = "python bench/submit_load.py " + " ".join(sys.argv[1:])
    section, ok = report(result, command.strip())
    print(section)
    print("\noverall:", "PASS" if ok else "FAIL")
    if args.write_readme:
        write_readme(section)
        print("wrote bench/README.md")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
