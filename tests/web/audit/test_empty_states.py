"""An empty audit log says what it will list; when filters match nothing it says so and
offers to clear them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hopeful.web.audit.services import audit_record
from tests.web.empty_states import EmptyOrg, empty_state, make_empty_org, page_box

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet() -> EmptyOrg:
    return make_empty_org()


def log_url(quiet: EmptyOrg) -> str:
    return reverse("audit:events", args=[quiet.org.public_id])


def test_an_empty_log_says_what_it_will_list(client: Client, quiet: EmptyOrg) -> None:
    box = page_box(quiet.client(client, "org_admin"), log_url(quiet), "events-empty")
    assert box.text.startswith("No events yet.")
    assert "Each time someone views or changes family records" in box.text
    members = reverse("organizations:members", args=[quiet.org.public_id])
    assert box.hrefs == [members]
    assert "Clear the filters" not in box.text
    assert client.get(members).status_code == 200


def test_filters_that_match_nothing_say_so_and_offer_to_clear_them(
    client: Client, quiet: EmptyOrg
) -> None:
    audit_record(verb="family.view", actor=quiet.members["practitioner"], organization=quiet.org)
    admin = quiet.client(client, "org_admin")
    box = page_box(admin, log_url(quiet) + "?actor_email=nobody@example.org", "events-empty")
    assert box.text.startswith("No events match these filters.")
    assert "Clear the filters and show every event" in box.text
    assert box.hrefs == [log_url(quiet)]
    cleared = admin.get(log_url(quiet))
    assert empty_state(cleared.content, "events-empty") is None
    assert b"family.view" in cleared.content


def test_a_filter_that_was_not_understood_is_not_counted_as_a_filter(
    client: Client, quiet: EmptyOrg
) -> None:
    box = page_box(
        quiet.client(client, "org_admin"), log_url(quiet) + "?date_from=nope", "events-empty"
    )
    assert box.text.startswith("No events yet.")


@pytest.mark.parametrize("role", ["practitioner", "analyst", "researcher", "viewer"])
def test_only_org_admins_reach_the_log(client: Client, quiet: EmptyOrg, role: str) -> None:
    assert quiet.client(client, role).get(log_url(quiet)).status_code == 403
