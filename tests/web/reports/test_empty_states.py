"""With no report yet, the reports page says what it will list and points to its own form,
which every role the page lets in may use."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.empty_states import empty_state, make_empty_org, page_box

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["org_admin", "analyst"])
def test_no_report_yet_points_to_the_request_form(client: Client, role: str) -> None:
    quiet = make_empty_org()
    url = reverse("reports:list", args=[quiet.org.public_id])
    box = page_box(quiet.client(client, role), url, "reports-empty")
    assert box.text.startswith("No reports yet.")
    assert "will be listed here, newest first, with their progress" in box.text
    assert box.hrefs == ["#ask-report"]
    body = client.get(url).content.decode()
    assert 'id="ask-report"' in body
    assert 'method="post"' in body  # the form the link leads to is on the page


@pytest.mark.parametrize("role", ["practitioner", "researcher", "viewer"])
def test_roles_without_reports_are_offered_no_report_page(client: Client, role: str) -> None:
    quiet = make_empty_org()
    url = reverse("reports:list", args=[quiet.org.public_id])
    home = quiet.client(client, role).get(reverse("practice:home", args=[quiet.org.public_id]))
    assert f'href="{url}"' not in home.content.decode()
    assert client.get(url).status_code == 403


def test_a_report_asked_for_is_listed_instead(client: Client) -> None:
    quiet = make_empty_org()
    url = reverse("reports:list", args=[quiet.org.public_id])
    admin = quiet.client(client, "org_admin")
    response = admin.post(url, {"kind": "pdf"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert empty_state(admin.get(url).content, "reports-empty") is None
