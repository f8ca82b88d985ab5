"""The network view with nothing to show says what it will show; when the state and kind
filters match no organization it says so and offers to show all states and kinds."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from tests.web import factories as f
from tests.web.empty_states import empty_state, page_box
from tests.web.network.factories import network_org

pytestmark = pytest.mark.django_db

URL = "/network/"
#: A month every test year has complete (as the network view tests use).
WHEN = timezone.make_aware(dt.datetime.combine(dt.date(2026, 2, 10), dt.time(12)))


@pytest.fixture
def staff(client: Client) -> Client:
    f.login_verified(client, f.make_user("net@hope.example.org", is_network_staff=True))
    return client


def test_no_answers_at_all_says_what_the_view_will_show(staff: Client) -> None:
    box = page_box(staff, URL, "network-empty")
    assert box.text.startswith("No questionnaire answers yet.")
    assert "by state and kind of organization, the share of families" in box.text
    assert "Member organizations' admins send questionnaires" in box.text
    assert box.hrefs == []  # network staff run no organization's campaigns from here


def test_filters_that_match_no_organization_offer_all_states_and_kinds(staff: Client) -> None:
    for i in range(3):
        network_org(f"Org WI clinic {i}", "WI", "clinic", 12, when=WHEN, start=i * 100)
        network_org(f"Org MN school {i}", "MN", "school", 12, when=WHEN, start=500 + i * 100)
    query = {"year": "2026", "unit": "quarter", "state": "WI", "kind": "school"}
    box = page_box(staff, f"{URL}?{urlencode(query)}", "network-empty")
    assert box.text.startswith("No organization matches these filters.")
    assert "No member organization of this state and kind sent answers" in box.text
    assert len(box.hrefs) == 1
    params = parse_qs(urlsplit(box.hrefs[0]).query, keep_blank_values=True)
    assert params["state"] == [""]
    assert params["kind"] == [""]
    assert params["year"] == ["2026"]
    shown = staff.get(URL, {**query, "state": "", "kind": ""})
    assert empty_state(shown.content, "network-empty") is None
    assert b"All network organizations" in shown.content
