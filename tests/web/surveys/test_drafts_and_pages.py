"""Drafts, resume codes and the shape of the family pages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

import hopeful.web.surveys
from hopeful.web.surveys import drafts
from hopeful.web.surveys.models import Draft
from tests.web import factories as f

pytestmark = pytest.mark.django_db

TEMPLATES = Path(hopeful.web.surveys.__file__).parent / "templates" / "surveys" / "public"


def start(client: Client, token: str) -> str:
    page = client.post(f"/s/{token}/agree/", {"purposes": ["care"]}, follow=True)
    match = re.search(r'class="code" translate="no">([A-Z0-9 ]+)<', page.content.decode())
    assert match
    return match.group(1)


def test_an_expired_draft_cannot_be_resumed_and_is_purged(two_tenants: dict[str, Any]) -> None:
    token = two_tenants["token_a"]
    code = start(Client(), token)
    Draft.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    page = Client().post(f"/s/{token}/resume/", {"code": code})
    assert "could not find" in page.content.decode()
    assert drafts.drafts_purge_expired() == 1
    assert not Draft.objects.exists()


def test_saving_a_step_keeps_the_draft_for_14_more_days(two_tenants: dict[str, Any]) -> None:
    client = Client()
    start(client, two_tenants["token_a"])
    client.post(f"/s/{two_tenants['token_a']}/name/", {"name": "Willow"})
    draft = Draft.objects.get()
    assert draft.expires_at - draft.updated_at == dt.timedelta(days=14)
    assert draft.state["language"] == "en"
    assert draft.state["consent"] == {
        "care": True,
        "program_improvement": False,
        "research": False,
    }


def test_a_resume_code_works_only_on_its_own_link(two_tenants: dict[str, Any]) -> None:
    code = start(Client(), two_tenants["token_a"])
    page = Client().post(f"/s/{two_tenants['token_b']}/resume/", {"code": code})
    assert "could not find" in page.content.decode()


def test_resuming_before_sensitive_questions_shows_their_notice_first(
    two_tenants: dict[str, Any],
) -> None:
    admin = two_tenants["members_a"]["org_admin"]
    campaign = f.make_campaign(
        two_tenants["org_a"],
        two_tenants["program_a"],
        admin,
        instruments=[{"id": "ace_brfss", "version": "1.0"}],
    )
    _, token = f.make_link(campaign, admin, kind="personal", family=two_tenants["family_a"])
    code = start(Client(), token)
    page = Client().post(f"/s/{token}/resume/", {"code": code})
    assert page["Location"] == f"/s/{token}/q/ace_brfss/notice/"


def test_changing_an_answer_gives_the_review_a_new_client_uuid(
    two_tenants: dict[str, Any],
) -> None:
    token = two_tenants["token_a"]
    client = Client()
    start(client, token)
    client.post(f"/s/{token}/q/pce7/", {"pce1": "4"})
    first = client.get(f"/s/{token}/review/").context["client_uuid"]
    assert client.get(f"/s/{token}/review/").context["client_uuid"] == first  # a reload
    client.post(f"/s/{token}/q/pce7/", {"pce1": "5"})
    assert client.get(f"/s/{token}/review/").context["client_uuid"] != first


def test_a_tampered_radio_value_is_refused_and_not_saved(two_tenants: dict[str, Any]) -> None:
    token = two_tenants["token_a"]
    client = Client()
    start(client, token)
    page = client.post(f"/s/{token}/q/pce7/", {"pce1": "6"})
    assert page.status_code == 400
    assert "pce7" not in Draft.objects.get().state["answers"]


def test_the_double_tap_from_the_review_page_stores_one_submission(
    two_tenants: dict[str, Any],
) -> None:
    from hopeful.web.surveys.models import Submission

    token = two_tenants["token_a"]
    client = Client()
    start(client, token)
    client.post(f"/s/{token}/q/pce7/", {"pce1": "4"})
    review = client.get(f"/s/{token}/review/").content.decode()
    data: dict[str, list[str]] = {}
    for key, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', review):
        data.setdefault(key, []).append(value)
    first = client.post(f"/s/{token}/submit/", data)
    second = client.post(f"/s/{token}/submit/", data)
    assert first.status_code == second.status_code == 302
    assert Submission.objects.count() == 1


def test_family_pages_never_send_answers_names_or_codes_in_a_query_string() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        for form in re.findall(r"<form[^>]*>", text):
            assert 'method="post"' in form, (template.name, form)


def test_every_family_page_keeps_the_link_out_of_referrers(two_tenants: dict[str, Any]) -> None:
    token = two_tenants["token_a"]
    client = Client()
    for url in (
        f"/s/{token}/",
        f"/s/{token}/agree/",
        f"/s/{token}/resume/",
        f"/s/{token}/consent/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cache-Control"] == "no-store"
