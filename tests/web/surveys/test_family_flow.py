"""A family answers on a link, step by step, with JavaScript off (the Django test client)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from hopeful.framework import get_instrument, score_response
from hopeful.web.families.models import ConsentRecord
from hopeful.web.families.selectors import consent_current
from hopeful.web.surveys.models import Draft, InstrumentScore, Submission
from tests.web import factories as f

pytestmark = pytest.mark.django_db


def _hidden(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)


def answer_everything(client: Client, prefix: str, token: str, codes: dict[str, str]) -> Any:
    """Walk every step; return the response of the final POST (followed)."""
    start = client.get(f"{prefix}/s/{token}/")
    assert start.status_code == 200
    assert start["Referrer-Policy"] == "same-origin"
    page = client.post(
        f"{prefix}/s/{token}/agree/", {"purposes": ["care", "research"]}, follow=True
    )
    assert page.status_code == 200
    page = client.post(f"{prefix}/s/{token}/name/", {"name": "Blue Bird"}, follow=True)
    assert page.status_code == 200
    page = client.post(f"{prefix}/s/{token}/q/pce7/", codes, follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0] == f"{prefix}/s/{token}/about/"
    page = client.post(f"{prefix}/s/{token}/about/", {"skip": "1"}, follow=True)
    assert page.redirect_chain[-1][0] == f"{prefix}/s/{token}/review/"
    fields = _hidden(page.content.decode())
    data: dict[str, list[str]] = {}
    for key, value in fields:
        data.setdefault(key, []).append(value)
    return client.post(f"{prefix}/s/{token}/submit/", data, follow=True)


CODES = {"pce1": "5", "pce2": "4", "pce3": "2", "pce4": "8", "pce5": "4", "pce6": "", "pce7": "9"}


def test_a_family_answers_in_english_and_sees_its_strengths(two_tenants: dict[str, Any]) -> None:
    client = Client()
    token = two_tenants["token_a"]
    page = answer_everything(client, "", token, CODES)
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "Here are your family&#x27;s strengths" in html
        or "Here are your family's strengths" in html
    )
    assert "Talking with family about feelings" in html  # pce1 = 5, affirmative
    assert "Support from friends" in html
    assert "Community traditions" not in html  # pce3 = 2, not a strength
    assert "Ideas suggested by HOPEful" in html
    submission = Submission.objects.get()
    assert submission.language == "en"
    assert submission.family.display_name == "Blue Bird"
    assert submission.family.program == two_tenants["program_a"]
    assert submission.answers["pce7"] == {
        "pce1": 5,
        "pce2": 4,
        "pce3": 2,
        "pce4": 8,
        "pce5": 4,
        "pce6": None,
        "pce7": 9,
    }
    assert consent_current(submission.family) == {
        "care": True,
        "program_improvement": False,
        "research": True,
    }
    assert not Draft.objects.exists()  # the draft became the family code


def test_the_stored_scores_equal_the_frameworks_under_the_pinned_version(
    two_tenants: dict[str, Any],
) -> None:
    answer_everything(Client(), "", two_tenants["token_a"], CODES)
    score = InstrumentScore.objects.get()
    expected = score_response(
        get_instrument("pce7", "1.0"), Submission.objects.get().answers["pce7"]
    )
    assert score.instrument_version == "1.0"
    assert score.values == dict(expected.values)
    assert score.reason == expected.reason == "missing: pce6, pce7"


def test_a_family_answers_in_spanish_through_the_es_prefix(two_tenants: dict[str, Any]) -> None:
    client = Client()
    token = two_tenants["token_a"]
    start = client.get(f"/es/s/{token}/")
    assert "Elija su idioma" in start.content.decode()
    consent_page = client.get(f"/es/s/{token}/agree/")
    assert 'lang="es"' in consent_page.content.decode()
    assert "Paso 2 de 6" in consent_page.content.decode()
    items = client.get(f"/es/s/{token}/q/pce7/")  # consent comes first: nothing to show yet
    assert items.templates[0].name == "surveys/public/answers_not_found.html"
    assert f'href="/es/s/{token}/resume/"' in items.content.decode()
    page = answer_everything(client, "/es", token, CODES)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hablar con la familia sobre los sentimientos" in html
    assert "Ideas sugeridas por HOPEful" in html
    assert Submission.objects.get().language == "es"


def test_every_step_shows_its_place_in_the_survey(two_tenants: dict[str, Any]) -> None:
    client = Client()
    token = two_tenants["token_a"]
    assert "Step 1 of 6" in client.get(f"/s/{token}/").content.decode()
    client.post(f"/s/{token}/agree/", {"purposes": ["care"]})
    assert "Step 3 of 6" in client.get(f"/s/{token}/name/").content.decode()
    page = client.get(f"/s/{token}/q/pce7/").content.decode()
    assert "Step 4 of 6" in page
    # every item is a labelled radio group with every option, the missing codes included
    assert page.count("<fieldset") == 7
    assert page.count('value="7"') == 7
    assert page.count('value="9"') == 7
    assert "Prefer not to answer" in page or "prefer not to answer" in page.lower()


def test_without_any_consent_nothing_is_stored_and_the_family_is_told_kindly(
    two_tenants: dict[str, Any],
) -> None:
    client = Client()
    token = two_tenants["token_a"]
    page = client.post(f"/s/{token}/agree/", {})
    assert page.status_code == 200
    assert "Nothing was stored" in page.content.decode()
    assert not Draft.objects.exists()
    later = client.get(f"/s/{token}/q/pce7/")
    assert "We could not find your answers" in later.content.decode()
    assert "<form" not in later.content.decode()


def test_the_sensitive_topic_notice_comes_before_the_ace_questions(
    two_tenants: dict[str, Any],
) -> None:
    org, program = two_tenants["org_a"], two_tenants["program_a"]
    campaign = f.make_campaign(
        org,
        program,
        two_tenants["members_a"]["org_admin"],
        instruments=[{"id": "ace_brfss", "version": "1.0"}],
    )
    _, token = f.make_link(campaign, two_tenants["members_a"]["org_admin"])
    client = Client()
    page = client.post(f"/s/{token}/agree/", {"purposes": ["care"]}, follow=True)
    page = client.post(f"/s/{token}/name/", {"name": ""}, follow=True)
    assert page.redirect_chain[-1][0] == f"/s/{token}/q/ace_brfss/notice/"
    assert "988" in page.content.decode()


def test_the_summary_of_an_ace_submission_shows_no_score_and_no_ace_content(
    two_tenants: dict[str, Any],
) -> None:
    org, program = two_tenants["org_a"], two_tenants["program_a"]
    campaign = f.make_campaign(
        org,
        program,
        two_tenants["members_a"]["org_admin"],
        instruments=[{"id": "ace_brfss", "version": "1.0"}, {"id": "pce7", "version": "1.0"}],
    )
    _, token = f.make_link(campaign, two_tenants["members_a"]["org_admin"])
    client = Client()
    client.post(f"/s/{token}/agree/", {"purposes": ["care"]})
    client.post(f"/s/{token}/name/", {"name": "Oak"})
    ace = {i.id: str(min(i.affirmative)) for i in get_instrument("ace_brfss").items}
    client.post(f"/s/{token}/q/ace_brfss/", ace)
    client.post(f"/s/{token}/q/pce7/", dict.fromkeys(CODES, "5"))
    page = client.post(f"/s/{token}/about/", {"skip": "1"}, follow=True)
    data: dict[str, list[str]] = {}
    for key, value in _hidden(page.content.decode()):
        data.setdefault(key, []).append(value)
    summary = client.post(f"/s/{token}/submit/", data, follow=True)
    assert summary.status_code == 200
    html = summary.content.decode()
    ace_score = InstrumentScore.objects.get(instrument_id="ace_brfss")
    assert ace_score.values["score"] == 8  # stored for practitioners ...
    assert "ACE" not in html  # ... never shown to the family
    for word in ("adverse", "Adverse", "score", "Score", "risk", "Risk", "band"):
        assert word not in html
    for item in get_instrument("ace_brfss").items:
        if item.block is None:
            assert item.construct["en"] not in html
    assert "An adult at home who made you feel safe" in html  # a protective item is a strength


def test_a_family_can_leave_and_resume_with_its_code(two_tenants: dict[str, Any]) -> None:
    token = two_tenants["token_a"]
    first = Client()
    page = first.post(f"/s/{token}/agree/", {"purposes": ["care"]}, follow=True)
    code = re.search(r'class="code" translate="no">([A-Z0-9 ]+)<', page.content.decode()).group(1)
    assert len(code.replace(" ", "")) == 10
    first.post(f"/s/{token}/name/", {"name": "Cedar"})
    draft = Draft.objects.get()
    assert code.replace(" ", "") not in draft.resume_code_hash
    assert draft.state["name"] == "Cedar"

    later = Client()
    resumed = later.post(f"/s/{token}/resume/", {"code": code.lower()}, follow=True)
    assert resumed.redirect_chain[-1][0] == f"/s/{token}/q/pce7/"
    assert later.get(f"/s/{token}/name/").context["form"].initial["name"] == "Cedar"


def test_a_wrong_resume_code_is_refused_and_guessing_is_throttled(
    two_tenants: dict[str, Any],
) -> None:
    token = two_tenants["token_a"]
    client = Client()
    for _ in range(10):
        page = client.post(f"/s/{token}/resume/", {"code": "AAAAA BBBBB"})
        assert page.status_code == 200
        assert "could not find" in page.content.decode()
    assert client.post(f"/s/{token}/resume/", {"code": "AAAAA BBBBB"}).status_code == 429


def test_a_family_changes_its_consent_from_the_summary(two_tenants: dict[str, Any]) -> None:
    client = Client()
    summary = answer_everything(client, "", two_tenants["token_a"], CODES)
    url = summary.redirect_chain[-1][0]
    family = Submission.objects.get().family
    client.post(url, {"purposes": ["research"]})
    assert consent_current(family) == {
        "care": False,
        "program_improvement": False,
        "research": True,
    }


def test_a_family_changes_its_consent_later_with_its_family_code(
    two_tenants: dict[str, Any],
) -> None:
    token = two_tenants["token_a"]
    client = Client()
    summary = answer_everything(client, "", token, CODES)
    code = re.search(r'class="code" translate="no">([A-Z0-9 ]+)<', summary.content.decode()).group(
        1
    )
    family = Submission.objects.get().family
    other = Client()
    page = other.post(f"/s/{token}/consent/", {"code": code})
    assert page.context["family_found"]
    other.post(f"/s/{token}/consent/", {"code": code, "save": "1", "purposes": ["care"]})
    assert consent_current(family) == {
        "care": True,
        "program_improvement": False,
        "research": False,
    }
    # the first "no" (group totals) and the revocation (research), as history
    assert ConsentRecord.objects.filter(family=family, granted=False).count() == 2
    wrong = other.post(f"/s/{token}/consent/", {"code": "ZZZZZ ZZZZZ"})
    assert not wrong.context["family_found"]


def test_the_summary_works_only_with_its_signed_address(two_tenants: dict[str, Any]) -> None:
    client = Client()
    summary = answer_everything(client, "", two_tenants["token_a"], CODES)
    url = summary.redirect_chain[-1][0]
    assert Client().get(url).status_code == 200  # the signed address is the key
    assert Client().get(url[:-3] + "xx/").status_code == 404
    # the same signature under another link's token is not accepted
    other = url.replace(two_tenants["token_a"], two_tenants["token_b"])
    assert Client().get(other).status_code == 404


def test_a_personal_link_answers_for_its_family_and_skips_the_name(
    two_tenants: dict[str, Any],
) -> None:
    family = two_tenants["family_a"]
    _, token = f.make_link(
        two_tenants["campaign_a"],
        two_tenants["members_a"]["org_admin"],
        kind="personal",
        family=family,
    )
    client = Client()
    page = client.post(f"/s/{token}/agree/", {"purposes": ["care"]}, follow=True)
    assert page.redirect_chain[-1][0] == f"/s/{token}/q/pce7/"
    assert "Step 3 of 5" in page.content.decode()
    assert client.get(f"/s/{token}/name/").status_code == 404
    client.post(f"/s/{token}/q/pce7/", CODES)
    page = client.post(f"/s/{token}/about/", {"skip": "1"}, follow=True)
    data: dict[str, list[str]] = {}
    for key, value in _hidden(page.content.decode()):
        data.setdefault(key, []).append(value)
    client.post(f"/s/{token}/submit/", data)
    assert Submission.objects.get().family == family
