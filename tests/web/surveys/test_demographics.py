"""The optional "About your family" step: vocabulary, the step, review, HTML and JSON
submissions (strict, nothing stored on rejection), replay and conflict, and hashes."""

from __future__ import annotations

import hashlib
import html as htmllib
import json
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from hopeful.web.surveys import demographics as demo
from hopeful.web.surveys import services
from hopeful.web.surveys.models import Draft, Submission
from tests.web import factories as f
from tests.web.surveys.conftest import row_counts

pytestmark = pytest.mark.django_db

PCE7 = {f"pce{i}": "4" for i in range(1, 8)}
NSCH_0_5 = [{"id": "nsch_flourishing_0_5", "version": "1.0"}]

FULL = {
    "race_ethnicity": ["white", "asian"],
    "income": "25-50k",
    "gender": "woman",
    "disability": "no",
    "zip": "02139",
}
FULL_STORED = {
    "race_ethnicity": ["asian", "white"],
    "income": "25-50k",
    "gender": "woman",
    "disability": "no",
    "zip3": "021",
}


def _hidden(html: str) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for key, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        data.setdefault(key, []).append(htmllib.unescape(value))  # as a browser would
    return data


def _to_about(client: Client, token: str, prefix: str = "") -> Any:
    """Consent, a name and pce7: the family lands on the about step."""
    client.get(f"{prefix}/s/{token}/")
    client.post(f"{prefix}/s/{token}/agree/", {"purposes": ["care"]})
    client.post(f"{prefix}/s/{token}/name/", {"name": "Blue Bird"})
    page = client.post(f"{prefix}/s/{token}/q/pce7/", PCE7, follow=True)
    assert page.redirect_chain[-1][0] == f"{prefix}/s/{token}/about/"
    return page


def _about_post(**answers: Any) -> dict[str, Any]:
    return {key: value for key, value in answers.items() if value is not None}


# -- the vocabulary ----------------------------------------------------------------------------


def test_every_question_offers_prefer_not_to_say_and_has_spanish_labels() -> None:
    texts = [demo.ZIP_TEXT, demo.ZIP_HINT]
    for question in demo.QUESTIONS:
        assert demo.PREFER_NOT in question.codes
        texts.append(question.text)
        texts.extend(label for code, label in question.choices if code != "no")
    for text in texts:
        with translation.override("en"):
            english = str(text)
        with translation.override("es"):
            spanish = str(text)
        assert spanish != english, english
    assert demo.INCOME.codes == {"<25k", "25-50k", "50-100k", "100k+", demo.PREFER_NOT}
    assert demo.CHILD_GENDER.about_child
    assert [q.key for q in demo.questions_for(about_child=False)] == [
        "race_ethnicity",
        "income",
        "gender",
        "disability",
    ]


def test_the_restricted_zip3s_include_the_hhs_list_and_the_list_we_were_given() -> None:
    hhs_2000 = [
        "036",
        "059",
        "063",
        "102",
        "203",
        "556",
        "692",
        "790",
        "821",
        "823",
        "830",
        "831",
        "878",
        "879",
        "884",
        "890",
        "893",
    ]
    given = [
        "036",
        "059",
        "102",
        "202",
        "203",
        "204",
        "205",
        "369",
        "556",
        "692",
        "753",
        "772",
        "821",
        "823",
        "878",
        "879",
        "884",
        "893",
    ]
    assert len(hhs_2000) == 17
    assert set(hhs_2000) == demo.SAFE_HARBOR_ZIP3_2000
    assert set(given) <= demo.RESTRICTED_ZIP3
    assert set(hhs_2000) <= demo.RESTRICTED_ZIP3
    for zip3 in demo.RESTRICTED_ZIP3:
        assert demo.zip3_from_zip(zip3 + "01") == "000"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("02139", "021"),
        ("90210", "902"),
        ("00501", "005"),
        ("03601", "000"),
        ("20201", "000"),
        ("89301", "000"),
        ("06390", "000"),
        (demo.PREFER_NOT, demo.PREFER_NOT),
    ],
)
def test_a_zip_code_is_kept_as_its_zip3(given: str, stored: str) -> None:
    assert demo.demographics_clean({"zip": given}) == {"zip3": stored}


@pytest.mark.parametrize(
    "given",
    [
        {"zip": "0213"},
        {"zip": "021399"},
        {"zip": "02l39"},
        {"zip": 2139},
        {"zip": "02139-1234"},
        {"zip3": "021"},
        {"income": "1M"},
        {"income": ["<25k"]},
        {"gender": "Woman"},
        {"race_ethnicity": "white"},
        {"race_ethnicity": ["white", "white"]},
        {"race_ethnicity": ["white", demo.PREFER_NOT]},
        {"race_ethnicity": ["martian"]},
        {"religion": "none"},
        {"disability": True},
    ],
)
def test_anything_outside_the_vocabulary_is_refused(given: dict[str, Any]) -> None:
    with pytest.raises(demo.DemographicsError):
        demo.demographics_clean(given)


def test_unanswered_questions_are_left_out() -> None:
    assert demo.demographics_clean({"income": None, "race_ethnicity": []}) == {}
    assert demo.demographics_clean(FULL) == FULL_STORED


# -- the step ----------------------------------------------------------------------------------


def test_the_step_comes_before_the_review_on_every_campaign(two_tenants: dict[str, Any]) -> None:
    client = Client()
    token = two_tenants["token_a"]
    html = _to_about(client, token).content.decode()
    assert "About your family" in html
    assert "Step 5 of 6" in html
    assert "check that every family can access positive experiences" in html
    assert "Every question is optional" in html
    assert 'name="skip"' in html
    # labelled groups: one fieldset per question, the ZIP code in its own with a label
    assert html.count("<fieldset") == 5
    assert html.count("<legend>") == 5
    assert '<label for="id_zip">ZIP code</label>' in html
    assert 'inputmode="numeric"' in html
    assert html.count("Prefer not to say") == 5
    assert 'type="checkbox" name="race_ethnicity" value="hispanic_latino"' in html
    assert "sex or gender of the child" not in html  # pce7 is not about a child


def test_the_childs_sex_or_gender_is_asked_when_a_questionnaire_is_about_a_child(
    two_tenants: dict[str, Any],
) -> None:
    admin = two_tenants["members_a"]["org_admin"]
    campaign = f.make_campaign(
        two_tenants["org_a"], two_tenants["program_a"], admin, instruments=NSCH_0_5
    )
    _link, token = f.make_link(campaign, admin)
    client = Client()
    client.post(f"/s/{token}/agree/", {"purposes": ["care"]})
    page = client.get(f"/s/{token}/about/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "What is the sex or gender of the child these questions are about?" in html
    assert 'name="child_gender" value="girl"' in html
    assert html.count("<fieldset") == 6


def test_the_step_is_in_spanish(two_tenants: dict[str, Any]) -> None:
    client = Client()
    token = two_tenants["token_a"]
    html = _to_about(client, token, prefix="/es").content.decode()
    assert 'lang="es"' in html
    assert "Sobre su familia" in html
    assert "Prefiero no decirlo" in html
    assert "Omitir" in html
    assert "Prefer not to say" not in html


def test_skipping_stores_no_answers_and_the_submission_has_none(
    two_tenants: dict[str, Any],
) -> None:
    client = Client()
    token = two_tenants["token_a"]
    _to_about(client, token)
    client.post(f"/s/{token}/about/", {"income": "<25k", "zip": "02139"})
    page = client.post(f"/s/{token}/about/", {"income": "<25k", "skip": "1"}, follow=True)
    assert page.redirect_chain[-1][0] == f"/s/{token}/review/"
    draft = Draft.objects.get()
    assert draft.state["demographics"] == {}
    assert "about" in draft.state["done"]
    html = page.content.decode()
    assert "About your family" in html
    fields = _hidden(html)
    assert not [key for key in fields if key.startswith("about_")]
    done = client.post(f"/s/{token}/submit/", fields, follow=True)
    assert done.status_code == 200
    assert Submission.objects.get().demographics == {}


def test_answers_are_reviewed_and_stored_sorted_with_the_zip3_only(
    two_tenants: dict[str, Any],
) -> None:
    client = Client()
    token = two_tenants["token_a"]
    _to_about(client, token)
    page = client.post(
        f"/s/{token}/about/",
        {
            "race_ethnicity": ["white", "hispanic_latino", "asian"],
            "income": "50-100k",
            "gender": "another_gender",
            "disability": "yes",
            "zip": " 02139 ",
        },
        follow=True,
    )
    assert page.redirect_chain[-1][0] == f"/s/{token}/review/"
    html = page.content.decode()
    assert "Asian, Hispanic or Latino/a, White" in html
    assert "$50,000 to $99,999" in html
    assert "Non-binary or another gender" in html
    fields = _hidden(html)
    assert fields["about_race_ethnicity"] == ["asian", "hispanic_latino", "white"]
    assert fields["about_zip"] == ["02139"]
    assert fields["about_income"] == ["50-100k"]
    done = client.post(f"/s/{token}/submit/", fields, follow=True)
    assert done.status_code == 200
    submission = Submission.objects.get()
    assert submission.demographics == {
        "race_ethnicity": ["asian", "hispanic_latino", "white"],
        "income": "50-100k",
        "gender": "another_gender",
        "disability": "yes",
        "zip3": "021",
    }
    assert "02139" not in json.dumps(submission.demographics)
    assert not Draft.objects.exists()  # the draft (the only place with the full ZIP) is gone


def test_a_restricted_zip3_is_stored_as_000_and_prefer_not_to_say_is_kept(
    two_tenants: dict[str, Any],
) -> None:
    client = Client()
    token = two_tenants["token_a"]
    _to_about(client, token)
    page = client.post(
        f"/s/{token}/about/",
        {"zip": "05901", "race_ethnicity": [demo.PREFER_NOT], "income": demo.PREFER_NOT},
        follow=True,
    )
    client.post(f"/s/{token}/submit/", _hidden(page.content.decode()))
    assert Submission.objects.get().demographics == {
        "zip3": "000",
        "race_ethnicity": [demo.PREFER_NOT],
        "income": demo.PREFER_NOT,
    }


def test_zip_prefer_not_to_say(two_tenants: dict[str, Any]) -> None:
    client = Client()
    token = two_tenants["token_a"]
    _to_about(client, token)
    page = client.post(f"/s/{token}/about/", {"zip_prefer_not": "on"}, follow=True)
    assert page.redirect_chain[-1][0] == f"/s/{token}/review/"
    client.post(f"/s/{token}/submit/", _hidden(page.content.decode()))
    assert Submission.objects.get().demographics == {"zip3": demo.PREFER_NOT}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"zip": "1234"}, "zip", "Write the 5 digits of your ZIP code"),
        ({"zip": "abcde"}, "zip", "Write the 5 digits of your ZIP code"),
        ({"zip": "021399"}, "zip", "Write the 5 digits of your ZIP code"),
        ({"zip": "02139", "zip_prefer_not": "on"}, "zip", "not both"),
        ({"race_ethnicity": ["white", demo.PREFER_NOT]}, "race_ethnicity", "on its own"),
        ({"race_ethnicity": ["martian"]}, "race_ethnicity", "Select a valid choice"),
        ({"income": "1M"}, "income", "Select a valid choice"),
        ({"child_gender": "girl"}, None, None),  # not asked on pce7: ignored, not stored
    ],
)
def test_a_bad_answer_is_a_form_error_and_nothing_is_saved(
    two_tenants: dict[str, Any], data: dict[str, Any], field: str | None, message: str | None
) -> None:
    client = Client()
    token = two_tenants["token_a"]
    _to_about(client, token)
    response = client.post(f"/s/{token}/about/", data)
    draft = Draft.objects.get()
    if field is None:
        assert response.status_code == 302
        assert draft.state["demographics"] == {}
        return
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert 'role="alert"' in response.content.decode()
    assert "demographics" not in draft.state
    assert "about" not in draft.state["done"]


def test_the_answers_come_back_when_the_step_is_opened_again(two_tenants: dict[str, Any]) -> None:
    client = Client()
    token = two_tenants["token_a"]
    _to_about(client, token)
    client.post(f"/s/{token}/about/", {"income": "<25k", "zip": "02139", "gender": "man"})
    html = client.get(f"/s/{token}/about/").content.decode()
    assert 'value="02139"' in html
    assert re.search(r'value="&lt;25k"[^>]*checked', html)
    assert re.search(r'value="man"[^>]*checked', html)


# -- the review form (tampering) ---------------------------------------------------------------


def _review_fields(client: Client, token: str, **answers: Any) -> dict[str, list[str]]:
    _to_about(client, token)
    page = client.post(f"/s/{token}/about/", answers, follow=True)
    return _hidden(page.content.decode())


@pytest.mark.parametrize(
    "tamper",
    [
        {"about_income": ["1M"]},
        {"about_income": ["<25k", "25-50k"]},
        {"about_zip": ["021"]},
        {"about_zip": ["02139-0000"]},
        {"about_zip3": ["021"]},
        {"about_religion": ["none"]},
        {"about_race_ethnicity": ["white", "white"]},
        {"about_race_ethnicity": ["martian"]},
        {"about_child_gender": ["girl"]},  # this campaign asks about no child
    ],
)
def test_the_review_form_refuses_answers_outside_the_vocabulary(
    two_tenants: dict[str, Any], tamper: dict[str, list[str]]
) -> None:
    client = Client()
    token = two_tenants["token_a"]
    fields = _review_fields(client, token, income="<25k")
    before = row_counts()
    response = client.post(f"/s/{token}/submit/", {**fields, **tamper})
    assert response.status_code == 400
    assert "nothing was stored" in response.content.decode()
    assert row_counts() == before
    assert client.post(f"/s/{token}/submit/", fields).status_code == 302  # the real one works


# -- the JSON API ------------------------------------------------------------------------------


def _body(client_uuid: str | None = None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "client_uuid": client_uuid or str(uuid.uuid4()),
        "language": "en",
        "consent": {"care": True, "program_improvement": False, "research": False},
        "name": "Colibrí",
        "answers": {"pce7": {"pce1": 5, "pce2": 4, "pce3": None}},
    }
    data.update(overrides)
    return data


def _post(client: Client, token: str, data: Any) -> Any:
    return client.post(
        f"/s/{token}/api/submissions/", json.dumps(data), content_type="application/json"
    )


def test_the_api_stores_demographics_in_their_stored_form(two_tenants: dict[str, Any]) -> None:
    response = _post(Client(), two_tenants["token_a"], _body(demographics=FULL))
    assert response.status_code == 201
    submission = Submission.objects.get(public_id=response.json()["submission"])
    assert submission.demographics == FULL_STORED


def test_the_api_without_demographics_stores_an_empty_dict(two_tenants: dict[str, Any]) -> None:
    client = Client()
    for extra in (
        {},
        {"demographics": None},
        {"demographics": {}},
        {"demographics": {"income": None}},
    ):
        response = _post(client, two_tenants["token_a"], _body(**extra))
        assert response.status_code == 201, extra
        assert Submission.objects.get(public_id=response.json()["submission"]).demographics == {}


def test_the_api_stores_the_childs_gender_for_a_survey_about_a_child(
    two_tenants: dict[str, Any],
) -> None:
    admin = two_tenants["members_a"]["org_admin"]
    campaign = f.make_campaign(
        two_tenants["org_a"], two_tenants["program_a"], admin, instruments=NSCH_0_5
    )
    _link, token = f.make_link(campaign, admin)
    body = _body(
        answers={"nsch_flourishing_0_5": {"K6Q70_R": 1}},
        demographics={"child_gender": "boy", "disability": "yes"},
    )
    response = _post(Client(), token, body)
    assert response.status_code == 201
    submission = Submission.objects.get(public_id=response.json()["submission"])
    assert submission.demographics == {"child_gender": "boy", "disability": "yes"}


@pytest.mark.parametrize(
    "demographics",
    [
        "white",
        ["white"],
        {"zip": "0213"},
        {"zip": 2139},
        {"zip": "02139 "},
        {"zip3": "021"},
        {"income": "100k"},
        {"race_ethnicity": "asian"},
        {"race_ethnicity": ["asian", 1]},
        {"race_ethnicity": [demo.PREFER_NOT, "asian"]},
        {"gender": "girl"},
        {"child_gender": "girl"},  # pce7 asks about no child
        {"ethnicity": "hispanic_latino"},
        {"disability": False},
    ],
)
def test_the_api_refuses_demographics_outside_the_vocabulary_and_stores_nothing(
    two_tenants: dict[str, Any], demographics: Any
) -> None:
    before = row_counts()
    response = _post(Client(), two_tenants["token_a"], _body(demographics=demographics))
    assert response.status_code == 400, demographics
    assert row_counts() == before


def test_an_identical_replay_is_the_original_and_changed_demographics_conflict(
    two_tenants: dict[str, Any],
) -> None:
    client = Client()
    token = two_tenants["token_a"]
    body = _body(demographics=FULL)
    first = _post(client, token, body)
    assert first.status_code == 201
    replay = _post(client, token, body)
    assert replay.status_code == 200
    assert replay.json()["submission"] == first.json()["submission"]
    # the same answers in another order are the same answers
    reordered = _body(
        body["client_uuid"], demographics={**FULL, "race_ethnicity": ["asian", "white"]}
    )
    assert _post(client, token, reordered).status_code == 200
    before = row_counts()
    for changed in (
        {**FULL, "income": "<25k"},
        {**FULL, "zip": "90210"},
        {key: value for key, value in FULL.items() if key != "gender"},
        {},
    ):
        response = _post(client, token, _body(body["client_uuid"], demographics=changed))
        assert response.status_code == 409, changed
    assert row_counts() == before
    assert Submission.objects.get().demographics == FULL_STORED


def test_a_replay_without_demographics_then_with_them_conflicts(
    two_tenants: dict[str, Any],
) -> None:
    client = Client()
    token = two_tenants["token_a"]
    body = _body()
    assert _post(client, token, body).status_code == 201
    assert _post(client, token, {**body, "demographics": {}}).status_code == 200
    assert _post(client, token, {**body, "demographics": {"disability": "no"}}).status_code == 409


# -- hashes ------------------------------------------------------------------------------------


def test_submissions_without_demographics_hash_as_before(two_tenants: dict[str, Any]) -> None:
    client_uuid = "8d7a5e0c-8a43-4f43-9a0e-3c1f0b1f2a11"
    response = _post(Client(), two_tenants["token_a"], _body(client_uuid))
    assert response.status_code == 201
    # the canonical payload as it was before demographics existed, written out by hand
    before = (
        '{"answers":{"pce7":{"pce1":5,"pce2":4,"pce3":null,"pce4":null,"pce5":null,"pce6":null,'
        '"pce7":null}},"consent":{"care":true,"program_improvement":false,"research":false},'
        '"language":"en","name":"Colibrí"}'
    )
    expected = hashlib.sha256(before.encode()).hexdigest()
    assert Submission.objects.get().payload_hash == expected
    payload = services.SubmissionPayload(
        client_uuid=uuid.UUID(client_uuid),
        language="en",
        consent={"care": True},
        name="Colibrí",
        answers={"pce7": {"pce1": 5, "pce2": 4}},
        demographics={},
    )
    instruments = services.pinned_instruments(two_tenants["campaign_a"])
    canonical = services.canonical_payload(payload, instruments)
    assert "demographics" not in canonical
    assert services.payload_hash(canonical) == expected


def test_demographics_are_in_the_hash_when_given(two_tenants: dict[str, Any]) -> None:
    instruments = services.pinned_instruments(two_tenants["campaign_a"])
    payload = services.SubmissionPayload(
        client_uuid=uuid.uuid4(),
        language="en",
        consent={"care": True},
        name="",
        answers={},
        demographics=FULL_STORED,
    )
    canonical = services.canonical_payload(payload, instruments)
    assert canonical["demographics"] == FULL_STORED
