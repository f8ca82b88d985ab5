"""Org admins create, open, close and link campaigns; practitioners list; others are kept out."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hopeful.framework import get_instrument
from hopeful.web.audit.models import AuditEvent
from hopeful.web.surveys import services_campaigns as campaigns
from hopeful.web.surveys.errors import CampaignError
from hopeful.web.surveys.models import Campaign, CampaignLink, CampaignStatus, LinkKind
from tests.web import factories as f
from tests.web.factories import SITE_MENU_QUERIES

pytestmark = pytest.mark.django_db


def admin_client(two_tenants: dict[str, Any], role: str = "org_admin", key: str = "a") -> Client:
    client = Client()
    f.login_verified(client, two_tenants[f"members_{key}"][role])
    return client


def base(two_tenants: dict[str, Any]) -> str:
    return f"/orgs/{two_tenants['org_a'].public_id}/campaigns/"


def create_draft(two_tenants: dict[str, Any], client: Client, instruments: list[str]) -> Campaign:
    response = client.post(
        base(two_tenants) + "new/",
        {
            "name": "Spring check-in",
            "program": two_tenants["program_a"].pk,
            "instruments": instruments,
            "languages": ["en", "es"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Campaign.objects.get(name="Spring check-in")


def test_an_org_admin_creates_a_draft_campaign_from_registry_instruments(
    two_tenants: dict[str, Any],
) -> None:
    client = admin_client(two_tenants)
    form = client.get(base(two_tenants) + "new/").content.decode()
    assert "adults about their own childhood" in form  # the audience is shown
    campaign = create_draft(two_tenants, client, ["pce7", "nsch_family_resilience"])
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.instruments == [{"id": "pce7"}, {"id": "nsch_family_resilience"}]
    assert campaign.program == two_tenants["program_a"]
    assert AuditEvent.objects.filter(verb="campaign.create").count() == 1


def test_opening_pins_each_instruments_latest_version(two_tenants: dict[str, Any]) -> None:
    client = admin_client(two_tenants)
    campaign = create_draft(two_tenants, client, ["pce7", "ace_brfss"])
    client.post(f"{base(two_tenants)}{campaign.public_id}/open/")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    assert campaign.instruments == [
        {"id": "pce7", "version": get_instrument("pce7").version},
        {"id": "ace_brfss", "version": get_instrument("ace_brfss").version},
    ]
    assert AuditEvent.objects.filter(verb="campaign.open").count() == 1


def test_an_empty_campaign_cannot_open(two_tenants: dict[str, Any]) -> None:
    admin = two_tenants["members_a"]["org_admin"]
    campaign = campaigns.campaign_create(
        program=two_tenants["program_a"],
        name="Empty",
        instrument_ids=[],
        languages=["en"],
        actor=admin,
    )
    with pytest.raises(CampaignError):
        campaigns.campaign_open(campaign=campaign, actor=admin)
    client = admin_client(two_tenants)
    client.post(f"{base(two_tenants)}{campaign.public_id}/open/")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_an_open_campaigns_instruments_cannot_change(two_tenants: dict[str, Any]) -> None:
    campaign = two_tenants["campaign_a"]
    admin = two_tenants["members_a"]["org_admin"]
    with pytest.raises(CampaignError):
        campaigns.campaign_update(
            campaign=campaign, name="x", instrument_ids=["bce10"], languages=["en"], actor=admin
        )
    client = admin_client(two_tenants)
    client.post(
        f"{base(two_tenants)}{campaign.public_id}/edit/",
        {
            "name": "Renamed",
            "instruments": ["bce10"],
            "languages": ["en"],
            "program": two_tenants["other_program_a"].pk,
        },
    )
    campaign.refresh_from_db()
    assert campaign.name == "Renamed"  # renaming is fine ...
    assert campaign.instruments == [{"id": "pce7", "version": "1.0"}]  # ... the rest is fixed
    assert campaign.program == two_tenants["program_a"]


def test_closing_a_campaign_closes_its_links(two_tenants: dict[str, Any]) -> None:
    client = admin_client(two_tenants)
    campaign = two_tenants["campaign_a"]
    client.post(f"{base(two_tenants)}{campaign.public_id}/close/")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    page = Client().get(f"/s/{two_tenants['token_a']}/")
    assert page.status_code == 410
    assert "<form" not in page.content.decode().split("<main", 1)[1]


def test_a_public_link_is_shown_once_and_only_its_hash_is_stored(
    two_tenants: dict[str, Any],
) -> None:
    client = admin_client(two_tenants)
    campaign = two_tenants["campaign_a"]
    response = client.post(
        f"{base(two_tenants)}{campaign.public_id}/links/new/",
        {"kind": "public", "rate_limit_per_minute": "30"},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    url = re.search(r"http://testserver/s/([A-Za-z0-9_-]+)/", response.content.decode())
    assert url is not None
    token = url.group(1)
    assert len(token) >= 43
    link = CampaignLink.objects.get(token_hash=hashlib.sha256(token.encode()).hexdigest())
    assert link.rate_limit_per_minute == 30
    assert link.kind == LinkKind.PUBLIC
    assert f"http://testserver/es/s/{token}/" in response.content.decode()
    detail = client.get(f"{base(two_tenants)}{campaign.public_id}/").content.decode()
    assert token not in detail
    assert Client().get(f"/s/{token}/").status_code == 200


def test_a_personal_link_is_bound_to_a_family_of_the_campaigns_program(
    two_tenants: dict[str, Any],
) -> None:
    client = admin_client(two_tenants)
    campaign = two_tenants["campaign_a"]
    url = f"{base(two_tenants)}{campaign.public_id}/links/new/"
    other = f.make_family(two_tenants["org_a"], two_tenants["other_program_a"], "Elsewhere")
    refused = client.post(
        url, {"kind": "personal", "family": other.pk, "rate_limit_per_minute": "5"}
    )
    assert refused.status_code == 200
    assert not CampaignLink.objects.filter(kind=LinkKind.PERSONAL).exists()
    family = two_tenants["family_a"]
    client.post(url, {"kind": "personal", "family": family.pk, "rate_limit_per_minute": "5"})
    assert CampaignLink.objects.get(kind=LinkKind.PERSONAL).family == family


def test_a_revoked_link_stops_at_once_with_a_410_and_no_form(two_tenants: dict[str, Any]) -> None:
    client = admin_client(two_tenants)
    campaign, link = two_tenants["campaign_a"], two_tenants["link_a"]
    client.post(f"{base(two_tenants)}{campaign.public_id}/links/{link.public_id}/revoke/")
    link.refresh_from_db()
    assert link.revoked_at is not None
    page = Client().get(f"/s/{two_tenants['token_a']}/agree/")
    assert page.status_code == 410
    assert page["Referrer-Policy"] == "same-origin"
    assert "csrfmiddlewaretoken" not in page.content.decode()


def test_an_expired_link_is_gone(two_tenants: dict[str, Any]) -> None:
    _link, token = f.make_link(
        two_tenants["campaign_a"],
        two_tenants["members_a"]["org_admin"],
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert Client().get(f"/s/{token}/").status_code == 410


def test_a_tampered_or_unknown_token_is_not_found(two_tenants: dict[str, Any]) -> None:
    token = two_tenants["token_a"]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    page = Client().get(f"/s/{tampered}/")
    assert page.status_code == 404
    assert page["Referrer-Policy"] == "same-origin"
    assert Client().get("/s/short/").status_code == 404


def test_practitioners_list_and_read_campaigns_but_do_not_manage_them(
    two_tenants: dict[str, Any],
) -> None:
    client = admin_client(two_tenants, "practitioner")
    campaign = two_tenants["campaign_a"]
    listing = client.get(base(two_tenants))
    assert listing.status_code == 200
    assert campaign.name in listing.content.decode()
    assert client.get(f"{base(two_tenants)}{campaign.public_id}/").status_code == 200
    assert client.get(base(two_tenants) + "new/").status_code == 403
    assert client.post(f"{base(two_tenants)}{campaign.public_id}/close/").status_code == 403


def campaign_urls(two_tenants: dict[str, Any]) -> list[tuple[str, str]]:
    campaign, link = two_tenants["campaign_a"], two_tenants["link_a"]
    root = base(two_tenants)
    item = f"{root}{campaign.public_id}/"
    return [
        ("get", root),
        ("get", root + "new/"),
        ("get", item),
        ("get", item + "edit/"),
        ("post", item + "open/"),
        ("post", item + "close/"),
        ("get", item + "links/new/"),
        ("post", f"{item}links/{link.public_id}/revoke/"),
    ]


def test_a_member_of_another_organization_gets_404_on_every_campaign_url(
    two_tenants: dict[str, Any],
) -> None:
    outsider = admin_client(two_tenants, "org_admin", key="b")
    for method, url in campaign_urls(two_tenants):
        assert getattr(outsider, method)(url).status_code == 404, url
    two_tenants["campaign_a"].refresh_from_db()
    assert two_tenants["campaign_a"].status == CampaignStatus.OPEN


def test_org_bs_campaign_under_org_as_address_is_404_for_org_a(two_tenants: dict[str, Any]) -> None:
    client = admin_client(two_tenants)
    url = f"{base(two_tenants)}{two_tenants['campaign_b'].public_id}/"
    assert client.get(url).status_code == 404
    assert client.post(url + "close/").status_code == 404


def test_a_viewer_gets_403_on_every_campaign_url(two_tenants: dict[str, Any]) -> None:
    viewer = admin_client(two_tenants, "viewer")
    for method, url in campaign_urls(two_tenants):
        assert getattr(viewer, method)(url).status_code == 403, url


def test_the_campaign_list_makes_a_fixed_number_of_queries(
    two_tenants: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = admin_client(two_tenants)
    for n in range(5):
        f.make_campaign(
            two_tenants["org_a"], two_tenants["program_a"], two_tenants["members_a"]["org_admin"]
        ).name = f"c{n}"
    with django_assert_max_num_queries(12 + SITE_MENU_QUERIES):
        assert client.get(base(two_tenants)).status_code == 200
