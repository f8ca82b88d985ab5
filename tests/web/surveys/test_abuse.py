"""Abuse limits on family survey links: per-address and per-link limits (429 + Retry-After),
bounded JSON bodies, too many form fields, and links flagged for unusual volume."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client, override_settings

from hopeful.web.audit.models import AuditEvent
from hopeful.web.surveys import drafts
from hopeful.web.surveys.models import AttemptKind, LinkFlag, Submission
from tests.web import factories as f
from tests.web.surveys.conftest import pce7_post, row_counts

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def survey() -> dict[str, Any]:
    """One organization with an open pce7 campaign, its admin and a public link."""
    org = f.make_org()
    program = f.make_program(org)
    admin = f.make_member(org, "org_admin", "admin@example.org")
    campaign = f.make_campaign(org, program, admin)
    link, token = f.make_link(campaign, admin, rate_limit_per_minute=1000)
    return {"org": org, "admin": admin, "campaign": campaign, "link": link, "token": token}


def api_body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "client_uuid": str(uuid.uuid4()),
        "language": "en",
        "consent": {"care": True},
        "name": "Blue Bird",
        "answers": {"pce7": {f"pce{i}": 4 for i in range(1, 8)}},
    }
    data.update(overrides)
    return data


def api_post(token: str, body: Any, ip: str = "198.51.100.1") -> Any:
    raw = body if isinstance(body, str) else json.dumps(body)
    return Client(REMOTE_ADDR=ip).post(
        f"/s/{token}/api/submissions/", raw, content_type="application/json"
    )


@override_settings(HOPEFUL_LIMIT_SURVEY_IP=2)
def test_survey_page_posts_per_address_answer_429_with_retry_after(survey: dict) -> None:
    token = survey["token"]
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            assert Client().post(f"/s/{token}/agree/", {}).status_code != 429
        refused = Client().post(f"/s/{token}/agree/", {})
        other_address = Client(REMOTE_ADDR="203.0.113.9").post(f"/s/{token}/agree/", {})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "601"
    assert refused["Cache-Control"] == "no-store"
    page = refused.content.decode()
    assert "Please wait 11 minutes and try again" in page
    assert f"/s/{token}/" in page  # the survey's own page, with a way back to its start
    assert other_address.status_code != 429


@override_settings(HOPEFUL_LIMIT_SURVEY_LINK=2)
def test_posts_per_link_are_limited_whatever_the_address(survey: dict) -> None:
    before = row_counts()
    with time_machine.travel(T0, tick=False):
        for n in range(2):
            assert api_post(survey["token"], api_body(), ip=f"198.51.100.{n}").status_code == 201
        refused = api_post(survey["token"], api_body(), ip="198.51.100.99")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "61"
    assert refused.json()["retry_after"] == 61
    assert "Please wait 2 minutes" in refused.json()["error"]
    assert row_counts()["submissions"] == before["submissions"] + 2


@override_settings(HOPEFUL_LIMIT_SURVEY_IP=1)
def test_the_api_is_limited_per_address_and_answers_json(survey: dict) -> None:
    with time_machine.travel(T0, tick=False):
        assert api_post(survey["token"], api_body()).status_code == 201
        refused = api_post(survey["token"], api_body())
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert refused["Retry-After"] == "601"


def test_the_links_own_per_minute_limit_carries_retry_after(survey: dict) -> None:
    link = survey["link"]
    link.rate_limit_per_minute = 1
    link.save()
    with time_machine.travel(T0, tick=False):
        assert api_post(survey["token"], api_body()).status_code == 201
    with time_machine.travel(T0 + dt.timedelta(seconds=20), tick=False):
        api = api_post(survey["token"], api_body())
        page = Client().post(f"/s/{survey['token']}/submit/", pce7_post(str(uuid.uuid4())))
    assert (api.status_code, api["Retry-After"], api.json()["retry_after"]) == (429, "40", 40)
    assert (page.status_code, page["Retry-After"]) == (429, "40")
    assert "Please wait a minute" in page.content.decode()


def test_too_many_wrong_codes_answer_429_with_retry_after(survey: dict) -> None:
    for _ in range(drafts.MAX_CODE_ATTEMPTS):
        drafts.code_attempt_record(link=survey["link"], kind=AttemptKind.RESUME)
    refused = Client().post(f"/s/{survey['token']}/resume/", {"code": "ABCDEFGHJK"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(int(drafts.ATTEMPT_WINDOW.total_seconds()))


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("[" * 30_000 + "]" * 30_000, id="nested-30000-deep"),
        pytest.param(
            json.dumps(api_body(answers={"pce7": {"pce1": [[[[[[[[[1]]]]]]]]]}})),
            id="nested-deeper-than-the-bound",
        ),
        pytest.param(json.dumps(api_body(name=[0] * 6000)), id="too-many-values"),
        pytest.param(json.dumps(api_body(name="x" * 5000)), id="too-long-a-string"),
    ],
)
def test_bodies_too_deep_or_too_big_in_structure_are_400_and_store_nothing(
    survey: dict, body: str
) -> None:
    before = row_counts()
    response = api_post(survey["token"], body)
    assert response.status_code == 400
    assert response.json() == {"error": "The body is not valid JSON."}
    assert row_counts() == before


def test_a_form_post_with_too_many_fields_answers_the_400_page(survey: dict) -> None:
    before = row_counts()
    fields = pce7_post(str(uuid.uuid4())) | {f"x{i}": "1" for i in range(1100)}
    response = Client().post(
        f"/s/{survey['token']}/submit/",
        urlencode(fields, doseq=True),  # small enough (9 kB) to pass the 64 kB body limit
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "The request could not be read" in response.content.decode()
    assert row_counts() == before


@override_settings(HOPEFUL_LINK_FLAG_PER_HOUR=2)
def test_a_link_with_unusual_volume_is_flagged_once_per_hour_and_shown_to_its_organization(
    survey: dict,
) -> None:
    token, link = survey["token"], survey["link"]
    with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
        for n in range(4):
            assert api_post(token, api_body(), ip=f"198.51.100.{n}").status_code == 201
    with time_machine.travel(T0 + dt.timedelta(minutes=65), tick=False):
        for n in range(2):
            assert api_post(token, api_body(), ip=f"198.51.100.{n}").status_code == 201
    flags = list(LinkFlag.objects.order_by("hour_start").values_list("hour_start", "submissions"))
    assert flags == [(T0, 2), (T0 + dt.timedelta(hours=1), 2)]
    events = AuditEvent.objects.filter(verb="link.flagged", object_id=str(link.public_id))
    assert events.count() == 2
    assert events.first().organization == survey["org"]  # type: ignore[union-attr]
    assert Submission.objects.count() == 6

    client = Client()
    f.login_verified(client, survey["admin"])
    with time_machine.travel(T0 + dt.timedelta(minutes=70), tick=False):
        page = client.get(
            f"/orgs/{survey['org'].public_id}/campaigns/{survey['campaign'].public_id}/"
        )
    html = page.content.decode()
    assert 'id="link-flags"' in html
    assert "received 2 answers in the hour from 2026-03-02 11:00 (UTC)" in html
    assert "revoke the link" in html


@override_settings(HOPEFUL_LINK_FLAG_PER_HOUR=2)
def test_the_admins_of_a_flagged_links_organization_get_one_email_each_in_their_language(
    survey: dict, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail
    from django_tasks_db.models import DBTaskResult

    from hopeful.web.surveys import tasks
    from tests.web.newsletter.helpers import run_queued

    admin = survey["admin"]
    admin.preferred_language = "es"
    admin.save(update_fields=["preferred_language"])
    second = f.make_member(survey["org"], "org_admin", "second-admin@example.org")
    gone = f.make_member(survey["org"], "org_admin", "gone@example.org")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    f.make_member(survey["org"], "analyst", "analyst@example.org")
    elsewhere = f.make_org("Elsewhere")
    f.make_member(elsewhere, "org_admin", "other-admin@example.org")

    with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
        for n in range(4):  # flagged at the second answer, once for the hour
            with django_capture_on_commit_callbacks(execute=True):
                response = api_post(survey["token"], api_body(), ip=f"198.51.100.{n}")
            assert response.status_code == 201
    queued = DBTaskResult.objects.filter(task_path=tasks.send_link_flag.module_path)
    assert queued.count() == 1
    assert "@" not in str(queued.get().args_kwargs)  # no address in the queue
    assert mail.outbox == []
    assert run_queued() == 1
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == sorted([admin.email, second.email])
    spanish, english = by_address[admin.email], by_address[second.email]
    assert 'lang="es"' in spanish.alternatives[0][0]
    assert "recibió 2 respuestas en la hora desde las 2026-03-02 10:00 (UTC)" in spanish.body
    assert "received 2 answers in the hour from 2026-03-02 10:00 (UTC)" in english.body
    page = f"/orgs/{survey['org'].public_id}/campaigns/{survey['campaign'].public_id}/"
    assert page in english.body
    assert "Blue Bird" not in english.body + spanish.body  # nothing of a family
