"""The deployable stack (Dockerfile, compose.yaml, env.example; docs/deployment.md), checked
offline: the image cannot be built in CI (no Docker daemon, no registry but PyPI's), so these
tests check what can go wrong without one: commands that do not exist, health checks on the
wrong address, variables that are not settings, variables left out of env.example."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.urls import resolve

from hopeful.cli import _parser

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "hopeful"

#: Quoted HOPEFUL_* names in the code that are not environment variables.
NOT_ENVIRONMENT = {
    "HOPEFUL_SHARES_FROM_TABLES": "a setting tests switch, not read from the environment",
    "HOPEFUL_DEMO": "set by `hopeful demo` itself, never in a deployment",
}
#: Variables of the stack itself (compose.yaml and the database image), not of the app.
STACK_VARIABLES = {
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "POSTGRES_DB",
    "HOPEFUL_PORT",
    "HOPEFUL_IMAGE",
}
APP_SERVICES = ("migrate", "web", "worker")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def app_variables() -> set[str]:
    """Every environment variable the code reads (and ``NAME_FILE`` of the secrets)."""
    names = {"DATABASE_URL"}
    secrets = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r'"(HOPEFUL_[A-Z0-9_]+)"', text))
        secrets.update(re.findall(r'env_secret\(\s*"(HOPEFUL_[A-Z0-9_]+)"', text))
    return (names | {f"{name}_FILE" for name in secrets}) - set(NOT_ENVIRONMENT)


def env_example() -> dict[str, bool]:
    """Variable name -> whether env.example marks it REQUIRED (commented lines included: a
    ``# REQUIRED`` comment applies to the next uncommented variable)."""
    found: dict[str, bool] = {}
    required = False
    for line in (ROOT / "env.example").read_text(encoding="utf-8").splitlines():
        if line.startswith("# REQUIRED"):
            required = True
        match = re.match(r"^(#\s?)?([A-Z][A-Z0-9_]+)=", line)
        if match:
            commented = match.group(1) is not None
            found[match.group(2)] = required and not commented
            required = required and commented
    return found


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions (continuation lines joined), as (INSTRUCTION, rest)."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.replace("\\\n", " ").splitlines() if line.strip()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
        for line in lines
        if not line.lstrip().startswith("#")
    ]


def instruction(name: str) -> list[str]:
    return [rest for key, rest in dockerfile() if key == name]


def health_url(code: str) -> str:
    match = re.search(r"'(http://127\.0\.0\.1:8000(/[^']*))'", code)
    assert match, code
    return match.group(2)


def test_the_stack_has_its_services_with_health_checks_and_order(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"db", "migrate", "web", "worker"}
    assert services["db"]["image"] == "postgres:15"
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    for name in ("web", "worker"):
        assert services[name]["healthcheck"]["test"][0] == "CMD", name
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert services["migrate"]["restart"] == "no"
    # the database and the data directory live in named volumes
    assert set(compose["volumes"]) == {"database", "data"}
    assert services["db"]["volumes"] == ["database:/var/lib/postgresql/data"]
    for name in APP_SERVICES:
        assert services[name]["volumes"] == ["data:/data"], name
        assert services[name]["environment"]["HOPEFUL_DATA_DIR"] == "/data"
        assert services[name]["env_file"] == ".env"
    # the web port is published on loopback only (a TLS proxy in front)
    assert services["web"]["ports"][0].startswith("127.0.0.1:")


def test_every_command_exists(compose: dict[str, Any]) -> None:
    services = compose["services"]
    (cmd,) = instruction("CMD")
    image_command = json.loads(cmd)
    assert services["web"]["command"] == image_command
    expected = {"web": "_cmd_serve", "worker": "_cmd_worker", "migrate": "_cmd_manage"}
    for name, handler in expected.items():
        command = services[name]["command"]
        assert command[0] == "hopeful"
        args = _parser().parse_args(command[1:])
        assert args.handler.__name__ == handler, name
    serve = _parser().parse_args(image_command[1:])
    assert (serve.host, serve.port) == ("0.0.0.0", 8000)  # noqa: S104 - inside a container
    assert services["migrate"]["command"][2:] == ["migrate", "--noinput"]
    (entrypoint,) = instruction("ENTRYPOINT")
    assert json.loads(entrypoint) == ["tini", "--"]


def test_health_checks_ask_the_health_view_with_a_host_env_example_allows(
    compose: dict[str, Any],
) -> None:
    (healthcheck,) = instruction("HEALTHCHECK")
    image_test = json.loads(healthcheck.split(" CMD ", 1)[1])
    web_test = compose["services"]["web"]["healthcheck"]["test"]
    assert web_test[1:] == image_test
    code = image_test[-1]
    compile(code, "healthcheck", "exec")
    assert resolve(health_url(code)).url_name == "health"
    assert "'Host': 'localhost'" in code
    allowed = re.search(r"^HOPEFUL_ALLOWED_HOSTS=(.*)$", (ROOT / "env.example").read_text(), re.M)
    assert allowed is not None
    assert "localhost" in allowed.group(1).split(",")
    # the worker's check reads its heartbeat by this container's host name
    worker_code = compose["services"]["worker"]["healthcheck"]["test"][-1]
    compile(worker_code, "healthcheck", "exec")
    from hopeful.web.core.models import WorkerHeartbeat

    fields = {field.name for field in WorkerHeartbeat._meta.get_fields()}
    assert {"hostname", "last_seen"} <= fields
    assert "hostname=socket.gethostname()" in worker_code


def test_compose_sets_only_real_variables(compose: dict[str, Any]) -> None:
    known = app_variables()
    for name in APP_SERVICES:
        unknown = set(compose["services"][name]["environment"]) - known
        assert not unknown, (name, unknown)
    assert set(compose["services"]["db"]["environment"]) <= STACK_VARIABLES
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    interpolated = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))
    assert interpolated - set(env_example()) == set()


def test_env_example_lists_every_variable_and_only_real_ones() -> None:
    listed = env_example()
    missing = sorted(app_variables() - set(listed))
    assert not missing, f"add these to env.example (and docs/deployment.md): {missing}"
    unknown = sorted(set(listed) - app_variables() - STACK_VARIABLES)
    assert not unknown, f"env.example lists variables nothing reads: {unknown}"
    required = {name for name, is_required in listed.items() if is_required}
    assert required == {
        "HOPEFUL_SECRET_KEY",
        "POSTGRES_PASSWORD",
        "HOPEFUL_ALLOWED_HOSTS",
        "HOPEFUL_SITE_URL",
        "HOPEFUL_TRUST_X_FORWARDED_PROTO",
    }


def test_the_image_runs_unprivileged_with_what_weasyprint_needs() -> None:
    (user,) = instruction("USER")
    assert user not in ("root", "0")
    runs = " ".join(instruction("RUN"))
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"):
        assert package in runs
        assert package in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert all(
        f.startswith("python:3.1")
        for f in re.findall(r"PYTHON_IMAGE=(\S+)", runs + " ".join(instruction("ARG")))
    )
    # everything the image copies is in the build context .dockerignore lets through
    allowed = {
        line[1:].rstrip("/")
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.startswith("!")
    }
    for copy in instruction("COPY"):
        if copy.startswith("--from"):
            continue
        *sources, _target = shlex.split(copy)
        for source in sources:
            assert source in allowed, source
            assert (ROOT / source).exists(), source
