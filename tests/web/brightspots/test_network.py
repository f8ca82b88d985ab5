"""The network page: member organizations compared (names shown to network staff only),
non-members never; consent as the dashboard's; small organizations too few to compare."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hopeful.web.brightspots.model import BETTER, BrightResult
from hopeful.web.organizations.models import Organization, Role
from tests.web import factories as f
from tests.web.insights.factories import expected_count

from .factories import add_program_families, network_url, revoke


def member(name: str, count: int, base: int, *, network: bool = True, start: int = 0) -> list[Any]:
    org = f.make_org(name, network_member=network)
    program = f.make_program(org, "Main site")
    admin = f.make_member(org, Role.ORG_ADMIN)
    campaign = f.make_campaign(org, program, admin)
    link, _token = f.make_link(campaign, admin)
    return add_program_families(program, campaign, link, count, base=base, start=start)


def staff(client: Client) -> Client:
    f.login_verified(client, f.make_user("net@hope.example.org", is_network_staff=True))
    return client


@pytest.mark.django_db
def test_member_organizations_are_compared(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    member("Alder Clinic", 30, 3, start=0)
    member("Birch School", 30, 3, start=100)
    bright = member("Cedar Home Visiting", 30, 5, start=200)
    member("Outside Clinic", 30, 7, network=False, start=300)
    tiny = member("Dogwood Pilot", 4, 3, start=400)
    response = staff(client).get(network_url())
    assert response.status_code == 200
    result = response.context["result"]
    assert isinstance(result, BrightResult)
    assert result.fitted
    rows = {r.label: r for r in result.rows}
    assert "Outside Clinic" not in rows
    assert rows["Cedar Home Visiting"].verdict == BETTER
    assert rows["Cedar Home Visiting"].families == expected_count(bright)
    assert not rows["Dogwood Pilot"].compared
    body = response.content.decode()
    assert "Outside Clinic" not in body
    assert "Dogwood Pilot: too few families to compare" in body
    assert "1 of 3 organizations does better than expected" in body
    assert f">{len(tiny)}<" not in body
    # warm: remembered per network data version
    with django_assert_max_num_queries(12):
        again = client.get(network_url())
    assert again.context["result"] is result


@pytest.mark.django_db
def test_consent_is_the_dashboards(client: Client) -> None:
    first = member("Alder Clinic", 20, 3, start=0)
    member("Birch School", 20, 3, start=100)
    staff(client)
    before = {r.label: r for r in client.get(network_url()).context["result"].rows}
    assert before["Alder Clinic"].families == expected_count(first)
    revoke(first[0].family)
    after = {r.label: r for r in client.get(network_url()).context["result"].rows}
    assert after["Alder Clinic"].families == expected_count(first[1:])


@pytest.mark.django_db
def test_network_empty_state_and_bad_filters(client: Client) -> None:
    staff(client)
    response = client.get(network_url())
    assert response.status_code == 200
    assert "No questionnaire answers to compare yet." in response.content.decode()
    member("Alder Clinic", 12, 3)
    assert Organization.objects.filter(network_member=True).count() == 1
    response = client.get(network_url())
    assert response.context["result"].reason == "too_few_units"
    assert "Fewer than two organizations have enough families" in response.content.decode()
    response = client.get(network_url("?outcome=odds"))
    assert response.status_code == 400
    assert "Some filters were not understood" in response.content.decode()
