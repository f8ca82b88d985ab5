"""`hopeful demo` (what `make demo` runs) sets up a database, prints how to sign in and serves."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from hopeful.cli import DEMO_FAMILIES, DEMO_FAMILIES_MAX, main

HOPEFUL = Path(sys.executable).with_name("hopeful")


def clean_env() -> dict[str, str]:
    """The environment of a fresh shell: no test settings, no PostgreSQL, no HOPEFUL_*."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HOPEFUL_", "DJANGO_")) and k != "DATABASE_URL"
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.read().decode("utf-8")


def test_it_sets_up_the_demo_prints_the_sign_in_and_serves_the_app(tmp_path: Path) -> None:
    """What `make demo` runs, end to end, in a fresh directory and a fresh shell: set up (only,
    with `--no-serve`), then serve. Three families per organization keep the load short: the
    default number is loaded (and checked) in-process by tests/web/core/test_load_demo.py."""
    env = clean_env()
    setup = subprocess.run(
        [str(HOPEFUL), "demo", "--no-serve", "--families", "3"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # migrating takes ~60 s alone; CI runs three test processes at once
        check=False,
    )
    assert setup.returncode == 0, setup.stderr
    assert "demo@hopeful.example" in setup.stdout
    assert "password: hopeful-demo" in setup.stdout
    assert "/accounts/login/" in setup.stdout
    assert "Loading 3 synthetic families per organization" in setup.stdout
    assert "Loaded: 10 organizations, 30 families" in setup.stdout  # and 8 network peers
    assert "is serving" not in setup.stdout
    assert (tmp_path / "var" / "hopeful.sqlite3").is_file()

    port = free_port()
    server = subprocess.Popen(
        # the data directory given as an absolute path: the same database, nothing new elsewhere
        [
            str(HOPEFUL),
            "demo",
            "--families",
            "3",
            "--data-dir",
            str(tmp_path / "var"),
            "--port",
            str(port),
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, body = get(f"http://127.0.0.1:{port}/health/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "the demo server did not start in 120 s"
                time.sleep(0.3)
        assert status == 200
        assert json.loads(body)["database"] == "ok"
        status, page = get(f"http://127.0.0.1:{port}/es/instruments/pce7/")
        assert status == 200
        assert "¿Sentía que podía hablar con su familia sobre sus sentimientos?" in page
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["var"]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("0", "at least 1 (got 0)"),
        ("-5", "at least 1 (got -5)"),
        ("abc", "a whole number, like 400 or 20000 (got 'abc')"),
        ("1e3", "a whole number"),
        ("100001", "at most 100,000 families per organization (got 100,001)"),
    ],
)
def test_a_bad_number_of_families_stops_before_anything_is_set_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str, message: str
) -> None:
    data_dir = tmp_path / "var"
    with pytest.raises(SystemExit) as stopped:
        main(["demo", "--no-serve", "--data-dir", str(data_dir), f"--families={given}"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "hopeful demo: error: argument --families:" in err
    assert message in err
    assert not data_dir.exists()


def test_the_command_and_the_demo_agree_on_the_numbers_of_families() -> None:
    from hopeful.web.core import demo  # Django is set up by pytest-django

    assert DEMO_FAMILIES == demo.FAMILIES_PER_ORGANIZATION
    assert DEMO_FAMILIES_MAX == demo.MAX_FAMILIES_PER_ORGANIZATION
