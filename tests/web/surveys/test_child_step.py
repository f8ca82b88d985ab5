"""The child step: a parent-report questionnaire asks for the child's birth year and month."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hopeful.web.families.models import AgeBand, Child
from hopeful.web.surveys import services
from hopeful.web.surveys.forms import ChildForm
from hopeful.web.surveys.models import Draft, LinkKind, Submission
from tests.web import factories as f
from tests.web.surveys.conftest import row_counts

pytestmark = pytest.mark.django_db

NSCH_0_5 = [{"id": "nsch_flourishing_0_5", "version": "1.0"}]
ANSWERS_0_5 = {"K6Q70_R": "1", "K6Q73_R": "2", "K6Q71_R": "1", "K6Q72_R": ""}


def _months_ago(months: int) -> dt.date:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _hidden(html: str) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for key, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        data.setdefault(key, []).append(value)
    return data


@pytest.fixture
def child_link(two_tenants: dict[str, Any]) -> dict[str, Any]:
    admin = two_tenants["members_a"]["org_admin"]
    campaign = f.make_campaign(
        two_tenants["org_a"], two_tenants["program_a"], admin, instruments=NSCH_0_5
    )
    link, token = f.make_link(campaign, admin)
    return {"campaign": campaign, "link": link, "token": token, "admin": admin, **two_tenants}


def _begin(client: Client, token: str, prefix: str = "", name: str | None = "Blue Bird") -> Any:
    client.get(f"{prefix}/s/{token}/")
    page = client.post(f"{prefix}/s/{token}/agree/", {"purposes": ["care"]}, follow=True)
    if name is not None:
        page = client.post(f"{prefix}/s/{token}/name/", {"name": name}, follow=True)
    return page


def _child(month: int | str, year: int | str, nickname: str = "", **extra: str) -> dict[str, Any]:
    return {"birth_month": str(month), "birth_year": str(year), "nickname": nickname, **extra}


def _answer(client: Client, token: str, prefix: str = "") -> Any:
    """Answer the questionnaire, skip the questions about the family: the review page."""
    page = client.post(f"{prefix}/s/{token}/q/nsch_flourishing_0_5/", ANSWERS_0_5, follow=True)
    assert page.redirect_chain[-1][0] == f"{prefix}/s/{token}/about/"
    return client.post(f"{prefix}/s/{token}/about/", {"skip": "1"}, follow=True)


def _finish(client: Client, token: str, prefix: str = "") -> Any:
    page = _answer(client, token, prefix)
    assert page.redirect_chain[-1][0] == f"{prefix}/s/{token}/review/"
    return client.post(f"{prefix}/s/{token}/submit/", _hidden(page.content.decode()), follow=True)


# -- when the step is shown --------------------------------------------------------------------


def test_the_step_follows_the_name_when_a_questionnaire_is_about_a_child(
    child_link: dict[str, Any],
) -> None:
    client = Client()
    page = _begin(client, child_link["token"])
    assert page.redirect_chain[-1][0] == f"/s/{child_link['token']}/child/"
    html = page.content.decode()
    assert "About your child" in html
    assert "Step 4 of 7" in html
    assert 'name="birth_month"' in html
    assert 'name="birth_year"' in html
    assert '<label for="id_birth_month">Birth month</label>' in html
    assert ">March</option>" in html
    this_year = timezone.localdate().year
    assert f'<option value="{this_year}">' in html
    assert f'<option value="{this_year - 17}">' in html
    assert f'<option value="{this_year - 18}">' not in html


def test_the_step_follows_consent_on_a_personal_link(child_link: dict[str, Any]) -> None:
    _link, token = f.make_link(
        child_link["campaign"],
        child_link["admin"],
        kind=LinkKind.PERSONAL,
        family=child_link["family_a"],
    )
    client = Client()
    page = _begin(client, token, name=None)
    assert page.redirect_chain[-1][0] == f"/s/{token}/child/"
    assert "Step 3 of 6" in page.content.decode()


def test_the_step_is_not_there_without_a_parent_report_questionnaire(
    two_tenants: dict[str, Any],
) -> None:
    client = Client()
    token = two_tenants["token_a"]  # pce7 only: adults about their own childhood
    page = _begin(client, token)
    assert page.redirect_chain[-1][0] == f"/s/{token}/q/pce7/"
    assert client.get(f"/s/{token}/child/").status_code == 404


def test_the_step_is_in_spanish_with_spanish_month_names(child_link: dict[str, Any]) -> None:
    client = Client()
    page = _begin(client, child_link["token"], prefix="/es")
    html = page.content.decode()
    assert page.redirect_chain[-1][0] == f"/es/s/{child_link['token']}/child/"
    assert "Sobre su niño o niña" in html
    assert ">marzo</option>" in html
    assert "Mes de nacimiento" in html


# -- skipping and saving -----------------------------------------------------------------------


def test_skipping_goes_on_and_the_submission_has_no_child(child_link: dict[str, Any]) -> None:
    client = Client()
    token = child_link["token"]
    _begin(client, token)
    before = Child.objects.count()
    page = client.post(f"/s/{token}/child/", _child("", ""), follow=True)
    assert page.redirect_chain[-1][0] == f"/s/{token}/q/nsch_flourishing_0_5/"
    page = _answer(client, token)
    html = page.content.decode()
    assert "Your child:" in html
    assert "(not given)" in html
    assert "child_birth_month" not in _hidden(html)
    done = client.post(f"/s/{token}/submit/", _hidden(html), follow=True)
    assert done.status_code == 200
    assert Submission.objects.filter(link=child_link["link"]).count() == 1
    assert Child.objects.count() == before


def test_the_skip_button_clears_what_was_typed(child_link: dict[str, Any]) -> None:
    client = Client()
    token = child_link["token"]
    _begin(client, token)
    born = _months_ago(30)
    client.post(f"/s/{token}/child/", _child(born.month, born.year, "Pip"))
    page = client.post(f"/s/{token}/child/", _child(born.month, born.year, "Pip", skip="1"))
    assert page.status_code == 302
    draft = Draft.objects.get(link=child_link["link"])
    assert draft.state["child_birth_month"] == ""
    assert draft.state["child_nickname"] == ""
    assert "child" in draft.state["done"]


def test_a_birth_month_creates_one_child_with_its_age_band(child_link: dict[str, Any]) -> None:
    client = Client()
    token = child_link["token"]
    _begin(client, token)
    born = _months_ago(30)
    page = client.post(f"/s/{token}/child/", _child(born.month, born.year, " Pip "), follow=True)
    assert page.redirect_chain[-1][0] == f"/s/{token}/q/nsch_flourishing_0_5/"
    draft = Draft.objects.get(link=child_link["link"])
    assert draft.state["child_birth_month"] == f"{born:%Y-%m}"
    assert draft.state["child_nickname"] == "Pip"
    review = _answer(client, token)
    html = review.content.decode()
    assert f"born {born:%B} {born.year} (Pip)" in html
    fields = _hidden(html)
    assert fields["child_birth_month"] == [f"{born:%Y-%m}"]
    assert fields["child_nickname"] == ["Pip"]
    before = Child.objects.count()
    done = client.post(f"/s/{token}/submit/", fields, follow=True)
    assert done.status_code == 200
    assert Child.objects.count() == before + 1
    submission = Submission.objects.get(link=child_link["link"])
    child = Child.objects.get(family=submission.family)
    assert child.birth_month == born.replace(day=1)
    assert child.nickname == "Pip"
    assert child.organization == child_link["org_a"]
    assert child.age_band() == AgeBand.ONE_TO_5
    # a double tap sends the same form again: still one submission and one child
    again = client.post(f"/s/{token}/submit/", fields, follow=True)
    assert again.status_code == 200
    assert Submission.objects.filter(link=child_link["link"]).count() == 1
    assert Child.objects.count() == before + 1


def test_a_personal_link_adds_no_second_child_born_the_same_month(
    child_link: dict[str, Any],
) -> None:
    family = child_link["family_a"]
    born = _months_ago(40)
    f.make_child(family, born)
    link, token = f.make_link(
        child_link["campaign"], child_link["admin"], kind=LinkKind.PERSONAL, family=family
    )
    client = Client()
    _begin(client, token, name=None)
    client.post(f"/s/{token}/child/", _child(born.month, born.year))
    done = _finish(client, token)
    assert done.status_code == 200
    assert Submission.objects.get(link=link).family == family
    assert family.children.count() == 1
    other = _months_ago(20)
    client = Client()
    _begin(client, token, name=None)
    client.post(f"/s/{token}/child/", _child(other.month, other.year, "Kit"))
    assert _finish(client, token).status_code == 200
    assert sorted(family.children.values_list("birth_month", flat=True)) == [born, other]


# -- form errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "year", "nickname", "message"),
    [
        ("3", "", "", "Choose the year too, or leave both empty."),
        ("", "2020", "", "Choose the month too, or leave both empty."),
        ("", "", "Pip", "Add the birth month and year too, or leave the nickname empty."),
        ("13", "2020", "", "Select a valid choice."),
        ("3", "1990", "", "Select a valid choice."),
        ("x", "2020", "", "Select a valid choice."),
        ("3", "2020", "P" * 41, "at most 40 characters"),
    ],
)
def test_an_incomplete_or_impossible_date_is_a_form_error_and_nothing_is_saved(
    child_link: dict[str, Any], month: str, year: str, nickname: str, message: str
) -> None:
    client = Client()
    token = child_link["token"]
    _begin(client, token)
    draft = Draft.objects.get(link=child_link["link"])
    state = dict(draft.state)
    page = client.post(f"/s/{token}/child/", _child(month, year, nickname))
    assert page.status_code == 400
    html = page.content.decode()
    assert "Please check the birth month and year." in html
    assert message in html
    draft.refresh_from_db()
    assert draft.state == state


def test_a_month_that_has_not_come_yet_is_a_form_error(child_link: dict[str, Any]) -> None:
    today = timezone.localdate()
    if today.month == 12:
        pytest.skip("no later month in this year to choose")
    client = Client()
    token = child_link["token"]
    _begin(client, token)
    page = client.post(f"/s/{token}/child/", _child(today.month + 1, today.year))
    assert page.status_code == 400
    assert "This month has not come yet." in page.content.decode()
    assert "child_birth_month" not in Draft.objects.get(link=child_link["link"]).state


# -- the age-range note ------------------------------------------------------------------------


def test_a_child_outside_the_age_range_gets_a_note_once_then_goes_on(
    child_link: dict[str, Any],
) -> None:
    client = Client()
    token = child_link["token"]
    _begin(client, token)
    born = _months_ago(2)  # the questions are for 6 months to 5 years
    page = client.post(f"/s/{token}/child/", _child(born.month, born.year), follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0] == f"/s/{token}/child/"
    html = page.content.decode()
    assert "These questions are written for children 6 months to 5 years old." in html
    assert 'role="alert"' not in html  # a note, not an error
    assert f'<option value="{born.year}" selected>' in html
    assert Draft.objects.get(link=child_link["link"]).state["child_birth_month"] == f"{born:%Y-%m}"
    page = client.post(
        f"/s/{token}/child/", _child(born.month, born.year, noted=f"{born:%Y-%m}"), follow=True
    )
    assert page.redirect_chain[-1][0] == f"/s/{token}/q/nsch_flourishing_0_5/"
    # and the child is stored when the answers are sent
    page = client.get(f"/s/{token}/child/")
    assert "6 months to 5 years old" in page.content.decode()
    done = _finish(client, token)
    assert done.status_code == 200
    child = Child.objects.get(family=Submission.objects.get(link=child_link["link"]).family)
    assert child.age_band() == AgeBand.UNDER_1


def test_a_child_in_the_age_range_gets_no_note(child_link: dict[str, Any]) -> None:
    client = Client()
    token = child_link["token"]
    _begin(client, token)
    born = _months_ago(6)
    page = client.post(f"/s/{token}/child/", _child(born.month, born.year), follow=True)
    assert page.redirect_chain[-1][0] == f"/s/{token}/q/nsch_flourishing_0_5/"
    page = client.get(f"/s/{token}/child/")
    assert "These questions are written for" not in page.content.decode()


def test_the_age_note_in_spanish_and_for_older_children(two_tenants: dict[str, Any]) -> None:
    admin = two_tenants["members_a"]["org_admin"]
    campaign = f.make_campaign(
        two_tenants["org_a"],
        two_tenants["program_a"],
        admin,
        instruments=[*NSCH_0_5, {"id": "nsch_flourishing_6_17", "version": "1.0"}],
    )
    _link, token = f.make_link(campaign, admin)
    client = Client()
    _begin(client, token, prefix="/es")
    born = _months_ago(12)
    page = client.post(f"/es/s/{token}/child/", _child(born.month, born.year), follow=True)
    html = page.content.decode()
    assert page.redirect_chain[-1][0] == f"/es/s/{token}/child/"
    assert "Estas preguntas son para niños y niñas de 6 a 17 años." in html
    assert "6 meses a 5 años" not in html  # one year old is in the 0-5 range


# -- the JSON API ------------------------------------------------------------------------------


def _body(client_uuid: str | None = None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "client_uuid": client_uuid or str(uuid.uuid4()),
        "language": "en",
        "consent": {"care": True, "program_improvement": False, "research": False},
        "name": "Colibrí",
        "answers": {"nsch_flourishing_0_5": {"K6Q70_R": 1, "K6Q73_R": 2}},
    }
    data.update(overrides)
    return data


def _post(client: Client, token: str, data: Any) -> Any:
    raw = data if isinstance(data, str) else json.dumps(data)
    return client.post(f"/s/{token}/api/submissions/", raw, content_type="application/json")


def test_the_api_stores_a_child_with_its_birth_month(child_link: dict[str, Any]) -> None:
    born = _months_ago(80)
    data = _body(child_birth_month=f"{born:%Y-%m}", child_nickname="Pip")
    response = _post(Client(), child_link["token"], data)
    assert response.status_code == 201
    submission = Submission.objects.get(public_id=response.json()["submission"])
    child = submission.family.children.get()
    assert (child.birth_month, child.nickname) == (born, "Pip")
    assert child.age_band() == AgeBand.SIX_TO_11


def test_the_api_without_a_child_stores_none_and_hashes_as_before(
    child_link: dict[str, Any],
) -> None:
    before = Child.objects.count()
    data = _body()
    response = _post(Client(), child_link["token"], data)
    assert response.status_code == 201
    assert Child.objects.count() == before
    submission = Submission.objects.get(public_id=response.json()["submission"])
    payload = services.SubmissionPayload(
        client_uuid=uuid.UUID(data["client_uuid"]),
        language="en",
        consent=data["consent"],
        name="Colibrí",
        answers=data["answers"],
    )
    canonical = services.canonical_payload(
        payload, services.pinned_instruments(child_link["campaign"])
    )
    assert set(canonical) == {"answers", "consent", "language", "name"}
    assert submission.payload_hash == services.payload_hash(canonical)
    null = _post(Client(), child_link["token"], _body(child_birth_month=None))
    assert null.status_code == 201
    assert Child.objects.count() == before


def _bad_months() -> list[Any]:
    today = timezone.localdate()
    future = _months_ago(-1)
    old = _months_ago(18 * 12 + 1)
    return [
        "",
        "2020",
        "2020-3",
        "2020-03-01",
        "20-03",
        "2020-00",
        "2020-13",
        "March 2020",
        " 2020-03",
        202003,
        ["2020-03"],
        f"{future:%Y-%m}",
        f"{old:%Y-%m}",
        f"{today.year + 1}-01",
    ]


@pytest.mark.parametrize("value", _bad_months())
def test_the_api_refuses_a_bad_birth_month_and_stores_nothing(
    child_link: dict[str, Any], value: Any
) -> None:
    before = row_counts()
    children = Child.objects.count()
    response = _post(Client(), child_link["token"], _body(child_birth_month=value))
    assert response.status_code == 400, value
    assert row_counts() == before
    assert Child.objects.count() == children


@pytest.mark.parametrize(
    "overrides",
    [
        {"child_nickname": "P" * 41},
        {"child_nickname": "Pi\x00p"},
        {"child_nickname": 7},
        {"child_nickname": "Pip"},  # a nickname needs a birth month
        {"child_birth_month": "2020-03", "child_age": 5},
    ],
)
def test_the_api_refuses_a_bad_nickname_and_stores_nothing(
    child_link: dict[str, Any], overrides: dict[str, Any]
) -> None:
    before = row_counts()
    children = Child.objects.count()
    response = _post(Client(), child_link["token"], _body(**overrides))
    assert response.status_code == 400
    assert row_counts() == before
    assert Child.objects.count() == children


def test_the_api_refuses_a_child_for_a_survey_that_asks_about_none(
    two_tenants: dict[str, Any],
) -> None:
    before = row_counts()
    data = {
        "client_uuid": str(uuid.uuid4()),
        "language": "en",
        "consent": {"care": True},
        "name": "",
        "answers": {"pce7": {"pce1": 5}},
        "child_birth_month": f"{_months_ago(30):%Y-%m}",
    }
    response = _post(Client(), two_tenants["token_a"], data)
    assert response.status_code == 400
    assert row_counts() == before


def test_an_identical_replay_with_a_child_is_the_original(child_link: dict[str, Any]) -> None:
    data = _body(child_birth_month=f"{_months_ago(30):%Y-%m}", child_nickname="Pip")
    client = Client()
    first = _post(client, child_link["token"], data)
    assert first.status_code == 201
    before = row_counts()
    children = Child.objects.count()
    again = _post(client, child_link["token"], data)
    assert again.status_code == 200
    assert again.json() == {"submission": first.json()["submission"], "created": False}
    assert row_counts() == before
    assert Child.objects.count() == children


@pytest.mark.parametrize(
    "change",
    [
        {"child_birth_month": None},
        {"child_birth_month": "CHANGED"},
        {"child_nickname": "Kit"},
    ],
)
def test_a_changed_child_under_the_same_uuid_is_a_conflict(
    child_link: dict[str, Any], change: dict[str, Any]
) -> None:
    data = _body(child_birth_month=f"{_months_ago(30):%Y-%m}", child_nickname="Pip")
    client = Client()
    assert _post(client, child_link["token"], data).status_code == 201
    before = row_counts()
    children = Child.objects.count()
    if change.get("child_birth_month") == "CHANGED":
        change = {"child_birth_month": f"{_months_ago(31):%Y-%m}"}
    changed = {**data, **change}
    if changed["child_birth_month"] is None:
        changed.pop("child_nickname")
    response = _post(client, child_link["token"], changed)
    assert response.status_code == 409
    assert row_counts() == before
    assert Child.objects.count() == children


def test_the_review_form_refuses_a_tampered_birth_month(child_link: dict[str, Any]) -> None:
    client = Client()
    token = child_link["token"]
    _begin(client, token)
    born = _months_ago(30)
    client.post(f"/s/{token}/child/", _child(born.month, born.year))
    page = _answer(client, token)
    fields = _hidden(page.content.decode())
    before = row_counts()
    children = Child.objects.count()
    for bad in (["2020-13"], [f"{_months_ago(-1):%Y-%m}"], ["2020-03", "2021-03"]):
        response = client.post(f"/s/{token}/submit/", {**fields, "child_birth_month": bad})
        assert response.status_code == 400
    response = client.post(f"/s/{token}/submit/", {**fields, "child_nickname": ["x" * 41]})
    assert response.status_code == 400
    assert row_counts() == before
    assert Child.objects.count() == children


@pytest.mark.parametrize(
    ("month", "year", "valid", "value"),
    [
        ("6", "2026", True, "2026-06"),
        ("7", "2026", False, ""),
        ("12", "2025", True, "2025-12"),
        ("1", "2009", True, "2009-01"),
        ("12", "2008", False, ""),
        ("", "", True, ""),
    ],
)
def test_the_child_form_on_a_fixed_day(month: str, year: str, valid: bool, value: str) -> None:
    form = ChildForm(_child(month, year), today=dt.date(2026, 6, 15))
    assert form.is_valid() is valid
    if valid:
        assert form.birth_month_value() == value
