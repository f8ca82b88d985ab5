"""The crash-soak harness, shared by ``bench/soak.py`` (the full run) and
``tests/soak/test_soak.py`` (the short one): a throwaway PostgreSQL 15 cluster that can be
crashed (``pg_ctl -m immediate``) and restarted, the app under gunicorn on loopback whose
processes can be SIGKILLed and restarted, and a fault schedule.

Only loopback addresses; every process started here is stopped and every directory removed
by the context managers, also when a run fails.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_USER = "postgres"  # initdb refuses root: as root, PostgreSQL runs as this system user


def pg_missing() -> str:
    """Why PostgreSQL 15 cannot be run here ("" when it can)."""
    for name in ("initdb", "pg_ctl", "postgres", "createdb"):
        if not (PG_BIN / name).exists():
            return f"{PG_BIN / name} is missing (apt-get install postgresql-15)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "runuser is missing"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam(PG_USER)
        except KeyError:
            return f"the {PG_USER} system user is missing"
    return ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on 127.0.0.1:{port}") from None
            time.sleep(0.1)


class Cluster:
    """A throwaway PostgreSQL 15 cluster in a temporary directory. It is set up (initdb,
    migrations) with ``fsync`` off, for speed, then :meth:`harden` restarts it with ``fsync``
    on (and ``synchronous_commit`` on, the default) for the run: the point is that what was
    committed survives a crash."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="hopeful-soak-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.fsync = False
        self.crashes = 0
        if os.geteuid() == 0:
            shutil.chown(self.root, PG_USER)

    def _pg(self, *cmd: str, check: bool = True) -> None:
        prefix = ["runuser", "-u", PG_USER, "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *cmd], check=check, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL if not check else None)  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgres://hopeful@127.0.0.1:{self.port}/hopeful"

    def start(self) -> str:
        self._pg(str(PG_BIN / "initdb"), "-D", str(self.data), "--auth=trust",
                 "--username=hopeful", "--encoding=UTF8", "--locale=C.UTF-8")  # fmt: skip
        self.up()
        self._pg(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                 "-U", "hopeful", "hopeful")  # fmt: skip
        return self.url

    def up(self) -> None:
        """Start the server (after a crash, PostgreSQL replays its write-ahead log first)."""
        opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                f"-c max_connections=200 -c fsync={'on' if self.fsync else 'off'}")  # fmt: skip
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
                 "-w", "-t", "60", "-o", opts, "start")  # fmt: skip

    def harden(self) -> None:
        """Restart with ``fsync`` on (a clean stop writes everything to disk first)."""
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        self.fsync = True
        self.up()

    def crash(self) -> None:
        """Stop at once, as a power cut would: no checkpoint, connections dropped."""
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        self.crashes += 1

    def destroy(self) -> None:
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop",
                 check=False)  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def cluster() -> Iterator[Cluster]:
    pg = Cluster()
    try:
        pg.start()
        yield pg
    finally:
        pg.destroy()


def app_env(database_url: str, data_dir: Path) -> dict[str, str]:
    """The environment of every app process of a run (server, worker, set-up scripts)."""
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update({
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "hopeful.web.config.settings",
        "HOPEFUL_DEBUG": "false",
        "HOPEFUL_HTTPS": "false",
        "HOPEFUL_SECRET_KEY": secrets.token_urlsafe(50),
        "HOPEFUL_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HOPEFUL_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        # Every client comes from 127.0.0.1 through one link: the abuse limits (per address,
        # per link, the hourly flag) would answer most of the load 429. They are off here;
        # this run is about crashes, not throttling.
        "HOPEFUL_LIMIT_SURVEY_IP": "0",
        "HOPEFUL_LIMIT_SURVEY_LINK": "0",
        "HOPEFUL_LINK_FLAG_PER_HOUR": "0",
    })  # fmt: skip
    return env


def django(script: str, env: dict[str, str], *args: str, timeout: float = 300) -> Any:
    """Run ``script`` (Python, Django set up first) in a fresh process against the run's
    database; return the JSON its last printed line holds."""
    code = "import django\ndjango.setup()\n" + script
    done = subprocess.run([str(BIN / "python"), "-c", code, *args], env=env, check=False,
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"script failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def migrate(env: dict[str, str]) -> None:
    command = [str(BIN / "hopeful"), "manage", "migrate", "-v", "0", "--skip-checks"]
    subprocess.run(command, env=env, check=True, cwd=ROOT)


#: An organization (``org``) with its admin (``admin``), an open pce7 campaign and a public
#: link (``token``; no per-link limit).
SURVEY_OBJECTS = """
import json, sys
from hopeful.web.accounts.models import User
from hopeful.web.organizations.models import Organization, Program, Membership
from hopeful.web.surveys.services_campaigns import campaign_create, campaign_open, link_create
tag = sys.argv[1]
admin = User.objects.create_user(f"soak-{tag}@soak.example", "soak-password-not-used")
org = Organization.objects.create(name=f"Soak clinic {tag}", kind="clinic", state="WI")
program = Program.objects.create(organization=org, name="Soak program")
Membership.objects.create(user=admin, organization=org, role="org_admin")
campaign = campaign_create(program=program, name="Soak", instrument_ids=["pce7"],
                           languages=["en", "es"], actor=admin)
campaign = campaign_open(campaign=campaign, actor=admin)
link, token = link_create(campaign=campaign, actor=admin, rate_limit_per_minute=1_000_000)
"""
SETUP_SURVEY = SURVEY_OBJECTS + 'print(json.dumps({"token": token, "organization": org.pk}))\n'


def setup_survey(env: dict[str, str], tag: str = "a") -> dict[str, Any]:
    return dict(django(SETUP_SURVEY, env, tag))


class Server:
    """gunicorn serving the app on loopback; its processes can be SIGKILLed. Not
    ``--preload``: a new master then listens at once (connections wait in its backlog while
    its workers load the app) instead of refusing them while it loads the app itself."""

    def __init__(self, env: dict[str, str], *, workers: int = 3, log: Path | None = None) -> None:
        self.env, self.workers, self.port = env, workers, free_port()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = {"worker": 0, "master": 0}
        self._out: Any = None

    def start(self, timeout: float = 60) -> None:
        if self._out is not None:
            self._out.close()
        self._out = self.log.open("ab") if self.log else None
        out = self._out or subprocess.DEVNULL
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "hopeful.web.config.wsgi:application", "-w",
             str(self.workers), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning",
             "--timeout", "30", "--graceful-timeout", "2"],
            env=self.env, cwd=ROOT, stdout=out, stderr=out,
        )  # fmt: skip
        wait_port(self.port, timeout)

    def children(self) -> list[int]:
        if self.process is None:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []

    def kill_worker(self, rng: random.Random) -> bool:
        """SIGKILL one worker (gunicorn's master starts a new one)."""
        pids = self.children()
        if not pids:
            return False
        with suppress(ProcessLookupError):
            os.kill(rng.choice(pids), signal.SIGKILL)
        self.kills["worker"] += 1
        return True

    def kill_master(self) -> None:
        """SIGKILL the master and its workers at once (the whole server dies), then start a
        new master on the same port, as a supervisor would."""
        assert self.process is not None
        pids = [self.process.pid, *self.children()]
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait()
        self.kills["master"] += 1
        self.start()

    def stop(self) -> None:
        if self.process is None:
            return
        pids = self.children()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process = None
        if self._out is not None:
            self._out.close()
            self._out = None


@contextmanager
def server(env: dict[str, str], *, workers: int = 3, log: Path | None = None) -> Iterator[Server]:
    srv = Server(env, workers=workers, log=log)
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()


@dataclass(eq=False)
class Faults(threading.Thread):
    """Kill the server ``kills`` times (every ``master_every``-th kill takes the master with
    its workers; the others one worker) and crash PostgreSQL ``pg_stops`` times (down for
    ``pg_down`` seconds, then restarted), spread evenly over ``seconds`` with seeded jitter."""

    srv: Server
    pg: Cluster
    seconds: float
    kills: int
    pg_stops: int
    seed: int = 17
    master_every: int = 5
    pg_down: float = 1.0
    log: list[tuple[float, str]] = field(default_factory=list)
    error: BaseException | None = None

    def __post_init__(self) -> None:
        threading.Thread.__init__(self, daemon=True, name="faults")
        self.rng = random.Random(self.seed)  # noqa: S311 - a reproducible schedule

    def schedule(self) -> list[tuple[float, str]]:
        span = 0.8 * self.seconds
        events = []
        for k in range(self.kills):
            at = 0.1 * self.seconds + span * (k + self.rng.uniform(0.2, 0.8)) / self.kills
            master = self.master_every > 0 and k % self.master_every == self.master_every - 1
            events.append((at, "master" if master else "worker"))
        events += [
            (0.1 * self.seconds + span * (k + 0.5) / self.pg_stops, "postgres")
            for k in range(self.pg_stops)
        ]
        return sorted(events)

    def run(self) -> None:
        start = time.monotonic()
        try:
            for at, kind in self.schedule():
                time.sleep(max(0.0, start + at - time.monotonic()))
                if kind == "postgres":
                    self.pg.crash()
                    time.sleep(self.pg_down)
                    self.pg.up()
                elif kind == "master":
                    self.srv.kill_master()
                else:
                    while not self.srv.kill_worker(self.rng):
                        time.sleep(0.05)
                self.log.append((time.monotonic() - start, kind))
        except BaseException as exc:  # reported by the run, which fails
            self.error = exc

    def summary(self) -> dict[str, int]:
        counts = {"worker": 0, "master": 0, "postgres": 0}
        for _, kind in self.log:
            counts[kind] += 1
        return counts
