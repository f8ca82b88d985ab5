"""A family whose page was refused (CSRF) or whose session was lost gets back in, and nothing it
had saved, or had not, is changed on the way."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.views.csrf import csrf_failure as django_csrf_failure

from hopeful.web.surveys import views_expired
from hopeful.web.surveys.models import CampaignStatus, Draft, Submission
from tests.web import factories as f
from tests.web.surveys.conftest import row_counts

pytestmark = pytest.mark.django_db

PCE7 = {"pce1": "5", "pce2": "4", "pce3": "2", "pce4": "8", "pce5": "4", "pce6": "", "pce7": "9"}
BCE10 = {f"bce{i}": "1" for i in range(1, 11)} | {"bce4": "2"}
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CODE = re.compile(r'class="code" translate="no">([A-Z0-9 ]+)<')
BIG_LINK = re.compile(r'<a class="button button--big" href="([^"]+)"')
#: How a browser (and submit.js) sends the review form; the test client's default is multipart.
FORM = "application/x-www-form-urlencoded"
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def failure_view(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The contract of the project's CSRF_FAILURE_VIEW: the survey's page first, else Django's."""
    response = views_expired.csrf_failure(request, reason)
    return response if response is not None else django_csrf_failure(request, reason)


@pytest.fixture(autouse=True)
def _survey_csrf_page(settings: Any) -> None:
    settings.CSRF_FAILURE_VIEW = failure_view


@pytest.fixture
def token(two_tenants: dict[str, Any]) -> str:
    """A public link whose campaign has two questionnaires: pce7, then bce10."""
    admin = two_tenants["members_a"]["org_admin"]
    campaign = f.make_campaign(
        two_tenants["org_a"],
        two_tenants["program_a"],
        admin,
        instruments=[{"id": "pce7", "version": "1.0"}, {"id": "bce10", "version": "1.0"}],
    )
    return f.make_link(campaign, admin)[1]


def post_form(client: Client, url: str, data: dict[str, Any]) -> Any:
    """Open the page as a browser would, then send its form with the page's CSRF token."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    match = CSRF_FIELD.search(page.content.decode())
    assert match
    return client.post(url, {**data, "csrfmiddlewaretoken": match.group(1)})


def answer_first_page(client: Client, prefix: str, token: str) -> str:
    """Consent, a name and the first questionnaire (saved in the draft); the resume code."""
    base = f"{prefix}/s/{token}"
    assert post_form(client, f"{base}/agree/", {"purposes": ["care", "research"]})["Location"] == (
        f"{base}/name/"
    )
    code = CODE.search(client.get(f"{base}/name/").content.decode())
    assert code
    assert post_form(client, f"{base}/name/", {"name": "Blue Bird"})["Location"] == (
        f"{base}/q/pce7/"
    )
    assert post_form(client, f"{base}/q/pce7/", PCE7)["Location"] == f"{base}/q/bce10/"
    return code.group(1)


def finish(client: Client, prefix: str, token: str) -> Submission:
    """The optional questions skipped, the review page's form sent: the stored submission."""
    base = f"{prefix}/s/{token}"
    assert post_form(client, f"{base}/about/", {"skip": "1"})["Location"] == f"{base}/review/"
    data: dict[str, list[str]] = {}
    for key, value in HIDDEN.findall(client.get(f"{base}/review/").content.decode()):
        data.setdefault(key, []).append(value)
    assert "csrfmiddlewaretoken" in data
    sent = client.post(f"{base}/submit/", urlencode(data, doseq=True), content_type=FORM)
    assert sent.status_code == 302, sent.content.decode()[:2000]
    return Submission.objects.get()


def drop_csrf_cookie(client: Client) -> None:
    del client.cookies[django_settings.CSRF_COOKIE_NAME]


# -- (a) a refused form ------------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "language"), [("", "en"), ("/es", "es")])
def test_a_refused_page_keeps_the_saved_answers_and_continues_at_the_same_step(
    token: str, prefix: str, language: str
) -> None:
    client = Client(enforce_csrf_checks=True)
    code = answer_first_page(client, prefix, token)
    step = f"{prefix}/s/{token}/q/bce10/"
    page = client.get(step)
    form_token = CSRF_FIELD.search(page.content.decode())
    assert form_token
    draft = Draft.objects.get()
    before = (draft.state, draft.updated_at, row_counts())

    drop_csrf_cookie(client)  # the browser lost (or blocked) its security cookie
    refused = client.post(step, {**BCE10, "csrfmiddlewaretoken": form_token.group(1)})

    assert refused.status_code == 403
    assert refused.templates[0].name == "surveys/public/form_refused.html"
    assert refused["Referrer-Policy"] == "same-origin"
    assert refused["Cache-Control"] == "no-store"
    assert refused["X-Robots-Tag"] == "noindex"
    html = refused.content.decode()
    assert f'lang="{language}"' in html
    assert refused.context["draft_kept"]
    assert BIG_LINK.findall(html) == [step]  # a plain GET link back to this step
    assert "<form" not in html.split('id="main"')[1]  # nothing on the page sends anything
    assert CODE.search(html).group(1) == code  # the resume code box, as on every step
    if language == "en":
        assert "We could not accept this page" in html
        assert "The answers you saved on earlier pages are kept." in html
        assert "The answers on this page were not sent." in html
        assert "allow cookies for this site" in html
    draft.refresh_from_db()
    assert (draft.state, draft.updated_at, row_counts()) == before
    assert "bce10" not in draft.state["answers"]
    assert draft.state["answers"]["pce7"]["pce1"] == 5

    again = client.get(step)  # "Continue"
    assert again.status_code == 200
    assert django_settings.CSRF_COOKIE_NAME in client.cookies  # a fresh token
    assert post_form(client, step, BCE10)["Location"] == f"{prefix}/s/{token}/about/"
    submission = finish(client, prefix, token)
    assert submission.language == language
    assert submission.family.display_name == "Blue Bird"
    assert submission.answers["pce7"]["pce1"] == 5  # answered before the refused page
    assert submission.answers["bce10"] == {f"bce{i}": 2 if i == 4 else 1 for i in range(1, 11)}


def test_a_refused_final_send_continues_at_the_review_and_stores_nothing(token: str) -> None:
    client = Client(enforce_csrf_checks=True)
    answer_first_page(client, "", token)
    assert post_form(client, f"/s/{token}/q/bce10/", BCE10).status_code == 302
    assert post_form(client, f"/s/{token}/about/", {"skip": "1"}).status_code == 302
    data = dict(HIDDEN.findall(client.get(f"/s/{token}/review/").content.decode()))
    drop_csrf_cookie(client)
    refused = client.post(f"/s/{token}/submit/", urlencode(data), content_type=FORM)
    assert refused.status_code == 403
    assert BIG_LINK.findall(refused.content.decode()) == [f"/s/{token}/review/"]
    assert not Submission.objects.exists()
    assert "bce10" in Draft.objects.get().state["answers"]


def test_a_refused_page_without_a_draft_offers_the_resume_code_and_the_start(token: str) -> None:
    client = Client(enforce_csrf_checks=True)  # a new browser: no session, no cookie
    before = row_counts()
    refused = client.post(f"/es/s/{token}/q/pce7/", PCE7)
    assert refused.status_code == 403
    assert not refused.context["draft_kept"]
    html = refused.content.decode()
    assert BIG_LINK.findall(html) == [f"/es/s/{token}/resume/"]
    assert f'href="/es/s/{token}/"' in html
    assert 'class="code"' not in html
    assert row_counts() == before
    assert not Draft.objects.exists()


def test_a_refused_code_page_continues_on_the_same_page(token: str) -> None:
    refused = Client(enforce_csrf_checks=True).post(f"/s/{token}/resume/", {"code": "ABCDE"})
    assert refused.status_code == 403
    html = refused.content.decode()
    assert BIG_LINK.findall(html) == [f"/s/{token}/resume/"]
    assert "What you typed on this page was not sent." in html


def test_a_refused_page_of_a_closed_link_says_the_link_is_closed(token: str) -> None:
    client = Client(enforce_csrf_checks=True)
    answer_first_page(client, "", token)
    campaign = Draft.objects.get().link.campaign
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    drop_csrf_cookie(client)
    refused = client.post(f"/s/{token}/q/bce10/", BCE10)
    assert refused.status_code == 410
    assert "This survey link is closed" in refused.content.decode()


# -- (b) a lost session ------------------------------------------------------------------------


def test_a_lost_session_says_where_the_answers_are_and_the_code_continues(token: str) -> None:
    code = answer_first_page(Client(), "", token)
    draft = Draft.objects.get()
    before = (draft.state, draft.updated_at, row_counts())

    later = Client()  # the session cookie expired, or another browser
    shown = later.get(f"/s/{token}/q/bce10/")
    assert shown.status_code == 200
    posted = later.post(f"/s/{token}/q/bce10/", BCE10)
    assert posted.status_code == 409
    assert posted["Cache-Control"] == "no-store"
    html = posted.content.decode()
    assert "We could not find your answers in this browser" in html
    assert "The answers on this page were not saved." in html
    assert "your answers are saved for 14 days" in html
    assert BIG_LINK.findall(html) == [f"/s/{token}/resume/"]
    assert f'href="/s/{token}/">Start from the beginning<' in html
    assert "<form" not in html.split('id="main"')[1]
    draft.refresh_from_db()
    assert (draft.state, draft.updated_at, row_counts()) == before

    resumed = later.post(f"/s/{token}/resume/", {"code": code}, follow=True)
    assert resumed.redirect_chain[-1][0] == f"/s/{token}/q/bce10/"  # the first unfinished step
    assert later.get(f"/s/{token}/name/").context["form"].initial["name"] == "Blue Bird"
    assert later.post(f"/s/{token}/q/bce10/", BCE10)["Location"] == f"/s/{token}/about/"
    submission = finish(later, "", token)
    assert submission.family.display_name == "Blue Bird"
    assert submission.answers["pce7"]["pce1"] == 5
    assert submission.answers["bce10"]["bce4"] == 2


def test_a_new_family_still_starts_with_the_language_and_consent(token: str) -> None:
    client = Client()
    assert client.get(f"/s/{token}/").status_code == 200
    assert client.get(f"/s/{token}/agree/").status_code == 200
    assert client.post(f"/s/{token}/agree/", {"purposes": ["care"]})["Location"] == (
        f"/s/{token}/name/"
    )


# -- (c) not a survey page ---------------------------------------------------------------------


def _refused_request(path: str) -> HttpRequest:
    request = RequestFactory().post(path, {"x": "1"})
    request.session = SessionStore()
    return request


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/es/accounts/login/",
        "/no/such/page/",
        "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/q/pce7/",
        "/es/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/agree/",
        "/s/short/agree/",
    ],
)
def test_a_refused_form_elsewhere_is_left_to_the_sites_page(path: str, token: str) -> None:
    assert views_expired.csrf_failure(_refused_request(path), "CSRF cookie not set.") is None


def test_the_json_api_is_not_a_page(token: str) -> None:
    request = _refused_request(f"/s/{token}/api/submissions/")
    assert views_expired.csrf_failure(request, "CSRF cookie not set.") is None


@pytest.mark.parametrize(("prefix", "language"), [("", "en"), ("/es", "es")])
def test_a_refused_survey_page_is_answered_in_the_urls_language(
    token: str, prefix: str, language: str
) -> None:
    response = views_expired.csrf_failure(_refused_request(f"{prefix}/s/{token}/agree/"), "")
    assert response is not None
    assert response.status_code == 403
    assert f'lang="{language}"' in response.content.decode()
    assert f'href="{prefix}/s/{token}/resume/"' in response.content.decode()
