from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from hopeful.stats import new_record_key
from hopeful.web.accounts.models import User
from hopeful.web.insights import selectors as insights_selectors
from hopeful.web.surveys import models as surveys_models

PASSWORD = "correct horse battery staple"  # noqa: S105


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def alice(db: None) -> User:
    return User.objects.create_user("alice@example.org", PASSWORD, display_name="Alice")


def build_two_tenants() -> dict[str, object]:
    """Organizations A and B with the same shape: programs, a member in every role, a family
    with full consent, an open pce7 campaign with a public link (tokens in ``*_token``)."""
    from tests.web import factories as f  # needs the Django app registry

    out: dict[str, object] = {}
    for key, name in (("a", "Sunrise Clinic"), ("b", "Riverbend Home Visiting")):
        org = f.make_org(name)
        program = f.make_program(org, "Main site")
        other_program = f.make_program(org, "North site")
        members = {role: f.make_member(org, role, f"{role}@{key}.example.org") for role in f.ROLES}
        # the practitioner sees the main site only
        org.memberships.get(role="practitioner").programs.set([program])
        family = f.make_family(org, program, f"Family {key.upper()}")
        f.grant_consent(family)
        campaign = f.make_campaign(org, program, members["org_admin"])
        link, token = f.make_link(campaign, members["org_admin"])
        out.update(
            {
                f"org_{key}": org,
                f"program_{key}": program,
                f"other_program_{key}": other_program,
                f"members_{key}": members,
                f"family_{key}": family,
                f"campaign_{key}": campaign,
                f"link_{key}": link,
                f"token_{key}": token,
            }
        )
    return out


@pytest.fixture
def two_tenants(db: None) -> dict[str, object]:
    """The two organizations of :func:`build_two_tenants`, made for this test."""
    return build_two_tenants()


@pytest.fixture(scope="module")
def shared_two_tenants(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[dict[str, object]]:
    """The two organizations made once for a whole module of many short tests (the URL
    inventory and the role matrix: a thousand requests), as Django's ``setUpTestData``: they
    are made in a transaction that stays open for the module and is rolled back at its end,
    and each test runs in a savepoint inside it, so what one test changes the next never sees.
    A test takes them through a ``two_tenants`` fixture of its module that returns these."""
    from django.db import transaction

    rng = random.Random(zlib.crc32(b"shared_two_tenants"))  # noqa: S311 - not a secret
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(surveys_models, "new_record_key", lambda: new_record_key(rng))
        with transaction.atomic():
            made = build_two_tenants()
            patch.undo()
            yield made
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A request under ``/es/`` (or a worker run in Spanish) leaves Spanish active in the
    thread; the next test starts from the default language again."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_dashboard_caches() -> None:
    """Each test starts with no remembered dashboards: row ids are reused after a test's
    transaction is rolled back, so a data version could repeat across tests."""
    insights_selectors.clear_caches()


@pytest.fixture(autouse=True)
def _seeded_record_keys(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Record keys are random when stored; in tests they come from a generator seeded by the
    test's name, so every published (perturbed) number is the same on every run."""
    rng = random.Random(zlib.crc32(request.node.nodeid.encode()))  # noqa: S311 - not a secret
    monkeypatch.setattr(surveys_models, "new_record_key", lambda: new_record_key(rng))
