"""Shared test set-up.

Browser tests (marked ``e2e``) need Debian's chromium. Without it they are skipped with the
reason shown, except in CI (``CI=true``), where a missing browser is a failure: a green CI run
must mean the browser tests ran.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("e2e") is None or CHROMIUM.exists():
        return
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"chromium is required in CI: {CHROMIUM} is missing (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium to run browser tests)")


def pytest_configure(config: pytest.Config) -> None:
    """SQLite test databases start from a migrated copy (tests/sqlite_template.py)."""
    from tests.sqlite_template import install

    install()


# -- the PostgreSQL pass: only the tests that use the database ---------------------------------
# CI runs tests/web a second time against PostgreSQL (HOPEFUL_TESTS_DATABASE_ONLY=1). A test
# without the database (no django_db mark, no fixture that needs it) cannot tell the two apart:
# pytest-django refuses it any query. It runs once, in the SQLite pass, instead of twice.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)


def uses_database(item: pytest.Item) -> bool:
    """Whether the test can tell the databases apart: it uses the database, and is not marked
    ``one_database`` (checks that are costly and do not depend on the database, such as the
    dashboards' attack audits: linear programs over numbers that pages on both databases
    publish)."""
    if item.get_closest_marker("one_database") is not None:
        return False
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(fixtures & DATABASE_FIXTURES)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("HOPEFUL_TESTS_DATABASE_ONLY") != "1":
        return
    without = [item for item in items if not uses_database(item)]
    if without:
        config.hook.pytest_deselected(items=without)
        items[:] = [item for item in items if uses_database(item)]


# -- hypothesis: deterministic in `make test` and CI -------------------------------------------
# The default profile derandomizes every property test: the same examples on every run, so a
# test passes or fails by the code, never by chance. Failing examples found by a wider search
# are pinned with @example in the test. `HYPOTHESIS_PROFILE=wide` (see `make test-wide`) runs
# a longer random search as a separate job.
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile("deterministic", derandomize=True, database=None)
hypothesis_settings.register_profile(
    "wide", derandomize=False, max_examples=500, deadline=None, print_blob=True
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: the public site's menu is cached, and a test's
    pages are rolled back without the signals that would clear it."""
    from django.conf import settings

    if not settings.configured:
        return
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _research_files_in_this_runs_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded research files go to this test process's own temporary folder (removed with
    pytest's others), never to a folder CI's parallel processes share."""
    from django.conf import settings

    settings.HOPEFUL_RESEARCH_DIR = tmp_path_factory.mktemp("research")
