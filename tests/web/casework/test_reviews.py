"""Case reviews: writing one (strengths first), signing it off (only a supervisor of the
family's program who did not write it), and the reviews due, on fixed dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hopeful.web.audit.models import AuditEvent
from hopeful.web.casework import services as s
from hopeful.web.casework.models import Assignment, CaseReview
from hopeful.web.casework.selectors_reviews import reviews_due
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Membership, Role, SupportGrant
from tests.web import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def t(two_tenants: dict[str, Any]) -> dict[str, Any]:
    """Organization A with a supervisor of the main site (a practitioner) besides the cast."""
    t = dict(two_tenants)
    t["supervisor"] = f.make_member(
        t["org_a"],
        Role.PRACTITIONER,
        "supervisor@a.example.org",
        [t["program_a"]],
        is_supervisor=True,
    )
    return t


def signed_in(client: Client, user: Any) -> Client:
    f.login_verified(client, user)
    return client


def today() -> dt.date:
    return timezone.localdate()


def url(name: str, t: dict[str, Any], **kwargs: Any) -> str:
    return reverse(f"casework:{name}", kwargs={"org_id": t["org_a"].public_id, **kwargs})


def review_new_url(t: dict[str, Any], family: Any = None) -> str:
    return url("review_new", t, family_id=(family or t["family_a"]).public_id)


def make_review(t: dict[str, Any], author: Any = None, family: Any = None, **kw: Any) -> CaseReview:
    values: dict[str, Any] = {
        "family": family or t["family_a"],
        "actor": author or t["members_a"][Role.PRACTITIONER],
        "reviewed_on": today(),
        "strengths": {"relationships": "Grandmother helps every week"},
        "family_wants": "More time outside",
        "plan": "Find a playgroup",
        "follow_up_on": today() + dt.timedelta(days=30),
    }
    values.update(kw)
    return s.case_review_create(**values)


WRITES = ("case_review.create", "case_review.sign_off")


def state() -> tuple[Any, ...]:
    return (
        sorted(CaseReview.objects.values_list("pk", "signed_off_by_id")),
        AuditEvent.objects.filter(verb__in=WRITES).count(),
    )


def review_data(**changes: str) -> dict[str, str]:
    data = {
        "reviewed_on": today().isoformat(),
        "strengths-relationships": "Grandmother helps every week",
        "strengths-engagement": "Goes to the Saturday market with neighbours",
        "adversity": "Moved twice this year",
        "distress": "Trouble falling asleep",
        "family_wants": "A quieter routine at night",
        "plan": "Bedtime story routine; ask about the library's story hour",
        "follow_up_on": (today() + dt.timedelta(days=28)).isoformat(),
    }
    data.update(changes)
    return data


# -- writing a review ---------------------------------------------------------------------------


def test_the_review_form_asks_for_strengths_first_in_neutral_words(
    client: Client, t: dict[str, Any]
) -> None:
    content = signed_in(client, t["members_a"][Role.PRACTITIONER]).get(review_new_url(t))
    text = content.content.decode()
    order = [
        "id_reviewed_on",
        "id_strengths-relationships",
        "id_strengths-emotional_growth",
        "id_adversity",
        "id_distress",
        "id_family_wants",
        "id_plan",
        "id_follow_up_on",
    ]
    positions = [text.index(f'id="{field_id}"') for field_id in order]
    assert positions == sorted(positions)
    assert "without labels" in text
    assert "not a diagnosis" in text


def test_a_good_review_is_stored_audited_and_opens_its_page(
    client: Client, t: dict[str, Any]
) -> None:
    author = t["members_a"][Role.PRACTITIONER]
    response = signed_in(client, author).post(review_new_url(t), review_data())
    review = CaseReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("review", t, review_id=review.public_id)
    assert review.practitioner == author
    assert review.strengths == {
        "relationships": "Grandmother helps every week",
        "engagement": "Goes to the Saturday market with neighbours",
    }
    assert AuditEvent.objects.filter(verb="case_review.create").exists()
    page = client.get(response["Location"]).content.decode()
    assert page.index("Grandmother helps every week") < page.index("Moved twice this year")
    assert "Waiting for a supervisor" in page
    assert ">Sign off<" not in page  # the author is no supervisor here


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"reviewed_on": "tomorrow"}, "id_reviewed_on", "This date is in the future."),
        ({"follow_up_on": "today"}, "id_follow_up_on", "The follow-up comes after the review."),
        ({"plan": " "}, "id_plan", "This field is required."),
        ({"family_wants": ""}, "id_family_wants", "This field is required."),
        (
            {"strengths-relationships": "", "strengths-engagement": ""},
            "",
            "Name the family&#x27;s strengths in at least one building block.",
        ),
    ],
)
def test_a_bad_review_shows_the_error_and_stores_nothing(
    client: Client, t: dict[str, Any], changes: dict[str, str], field_id: str, message: str
) -> None:
    days = {"tomorrow": today() + dt.timedelta(days=1), "today": today()}
    data = review_data(**{k: days[v].isoformat() if v in days else v for k, v in changes.items()})
    before = state()
    response = signed_in(client, t["members_a"][Role.PRACTITIONER]).post(review_new_url(t), data)
    assert response.status_code == 400
    content = response.content.decode()
    if field_id:
        label = content.split(f'for="{field_id}"', 1)[1].split("</label>", 1)[0]
        assert message in label
    else:
        assert message in content.split('class="error-summary"', 1)[1]
    assert state() == before


def test_a_family_of_another_program_or_organization_is_404(
    client: Client, t: dict[str, Any]
) -> None:
    elsewhere = f.make_family(t["org_a"], t["other_program_a"], "North family")
    signed_in(client, t["members_a"][Role.PRACTITIONER])
    other_reviews = [
        make_review(t, author=t["members_a"][Role.ORG_ADMIN], family=elsewhere),
        make_review(t, author=t["members_b"][Role.PRACTITIONER], family=t["family_b"]),
    ]
    before = state()
    for family in (elsewhere, t["family_b"]):
        assert client.get(review_new_url(t, family)).status_code == 404
        assert client.post(review_new_url(t, family), review_data()).status_code == 404
    for review in other_reviews:
        assert client.get(url("review", t, review_id=review.public_id)).status_code == 404
        assert client.post(url("review", t, review_id=review.public_id)).status_code == 404
    assert state() == before


# -- signing off --------------------------------------------------------------------------------


def test_a_supervisor_of_the_program_signs_off_once(client: Client, t: dict[str, Any]) -> None:
    review = make_review(t)
    review_url = url("review", t, review_id=review.public_id)
    signed_in(client, t["supervisor"])
    page = client.get(review_url).content.decode()
    assert ">Sign off<" in page
    response = client.post(review_url)
    assert response.status_code == 302
    assert response["Location"] == review_url
    review.refresh_from_db()
    assert review.signed_off_by == t["supervisor"]
    assert AuditEvent.objects.filter(
        verb="case_review.sign_off", object_id=str(review.public_id)
    ).exists()
    page = client.get(review_url).content.decode()
    assert "Signed off by supervisor@a.example.org" in page
    assert ">Sign off<" not in page
    # a second sign-off is refused and changes nothing
    before = state()
    again = client.post(review_url)
    assert again.status_code == 403
    assert "already signed off" in again.content.decode()
    assert state() == before


@pytest.mark.parametrize("who", ["author", "practitioner", "admin", "far_supervisor"])
def test_no_one_else_signs_off(client: Client, t: dict[str, Any], who: str) -> None:
    org = t["org_a"]
    author = t["supervisor"]
    if who == "far_supervisor":
        # supervises the north site only
        user = f.make_member(
            org, Role.PRACTITIONER, "far@a.example.org", [t["other_program_a"]], is_supervisor=True
        )
    elif who == "author":
        user = author
    elif who == "practitioner":
        user = t["members_a"][Role.PRACTITIONER]
    else:
        user = t["members_a"][Role.ORG_ADMIN]  # sees every program, but is not a supervisor
    review = make_review(t, author=author)
    review_url = url("review", t, review_id=review.public_id)
    signed_in(client, user)
    before = state()
    page = client.get(review_url)
    if who == "far_supervisor":
        assert page.status_code == 404  # the family is not in their programs
        assert client.post(review_url).status_code == 404
    else:
        assert ">Sign off<" not in page.content.decode()
        refused = client.post(review_url)
        assert refused.status_code == 403
        assert 'class="error-summary"' in refused.content.decode()
    assert state() == before
    if who == "author":
        assert "another supervisor" in page.content.decode()


def test_support_access_signs_nothing(client: Client, t: dict[str, Any]) -> None:
    staff = f.make_user("support@hope.example.org", is_network_staff=True)
    SupportGrant.objects.create(
        staff=staff,
        organization=t["org_a"],
        granted_by=t["members_a"][Role.ORG_ADMIN],
        reason="help",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    review = make_review(t)
    signed_in(client, staff)
    before = state()
    assert client.get(url("review", t, review_id=review.public_id)).status_code == 200
    assert client.post(url("review", t, review_id=review.public_id)).status_code == 403
    assert client.get(review_new_url(t)).status_code == 403
    assert state() == before


# -- the member edit form sets who supervises ---------------------------------------------------


def test_an_admin_makes_a_member_a_supervisor_and_it_is_audited(
    client: Client, t: dict[str, Any]
) -> None:
    membership = Membership.objects.get(user=t["members_a"][Role.PRACTITIONER])
    edit = reverse("organizations:member_edit", args=[t["org_a"].public_id, membership.public_id])
    signed_in(client, t["members_a"][Role.ORG_ADMIN])
    assert 'name="is_supervisor"' in client.get(edit).content.decode()
    data = {"role": "practitioner", "programs": [str(t["program_a"].pk)], "is_supervisor": "on"}
    assert client.post(edit, data).status_code == 302
    membership.refresh_from_db()
    assert membership.is_supervisor
    event = AuditEvent.objects.get(verb="member.role_change")
    assert (event.extra["before"]["is_supervisor"], event.extra["after"]["is_supervisor"]) == (
        False,
        True,
    )
    client.post(edit, {"role": "practitioner", "programs": [str(t["program_a"].pk)]})
    membership.refresh_from_db()
    assert not membership.is_supervisor


# -- the reviews due ----------------------------------------------------------------------------


def access_of(user: Any, org: Any) -> Access:
    membership = Membership.objects.get(user=user, organization=org)
    return Access(organization=org, role=membership.role, membership=membership)


def on(t: dict[str, Any], family: Any, author: Any, reviewed: int, follow_up: int) -> CaseReview:
    """A review ``reviewed`` days from TODAY, following up ``follow_up`` days from TODAY."""
    return make_review(
        t,
        author=author,
        family=family,
        reviewed_on=TODAY + dt.timedelta(days=reviewed),
        follow_up_on=TODAY + dt.timedelta(days=follow_up),
        today=TODAY,
    )


def test_the_reviews_due_on_fixed_dates(t: dict[str, Any]) -> None:
    org, practitioner = t["org_a"], t["members_a"][Role.PRACTITIONER]
    supervisor = t["supervisor"]
    overdue = t["family_a"]
    soon = f.make_family(org, t["program_a"], "Soon")
    later = f.make_family(org, t["program_a"], "Later")
    reviewed_again = f.make_family(org, t["program_a"], "Reviewed again")
    north = f.make_family(org, t["other_program_a"], "North")

    on(t, overdue, practitioner, -60, -3)  # follow-up passed
    on(t, soon, practitioner, -20, 14)  # due on the last day of the window
    on(t, later, practitioner, -20, 15)  # not yet
    on(t, reviewed_again, practitioner, -90, -30)  # its latest review follows up later
    latest = on(t, reviewed_again, supervisor, -1, 60)
    on(t, north, t["members_a"][Role.ORG_ADMIN], -40, -10)  # a program neither of them sees
    s.case_review_sign_off(
        review=CaseReview.objects.get(family=later),
        supervisor=access_of(supervisor, org).membership,
    )

    mine = reviews_due(access=access_of(practitioner, org), actor=practitioner, today=TODAY)
    assert not mine.is_supervisor
    assert mine.to_sign == []
    assert [r.family for r in mine.waiting] == ["Reviewed again", "Family A", "Soon"]
    assert [(r.family, r.overdue) for r in mine.follow_ups] == [("Family A", True), ("Soon", False)]
    assert mine.due_by == TODAY + dt.timedelta(days=14)

    theirs = reviews_due(access=access_of(supervisor, org), actor=supervisor, today=TODAY)
    assert theirs.is_supervisor
    # waiting for them: the practitioner's unsigned reviews of the main site, oldest first
    assert [r.family for r in theirs.to_sign] == ["Reviewed again", "Family A", "Soon"]
    assert [r.review_url for r in theirs.waiting] == [url("review", t, review_id=latest.public_id)]
    assert [r.family for r in theirs.follow_ups] == ["Family A", "Soon"]

    # a family on the practitioner's caseload counts, whoever wrote its latest review
    Assignment.objects.create(
        organization=org,
        family=later,
        membership=access_of(practitioner, org).membership,
        assigned_by=t["members_a"][Role.ORG_ADMIN],
    )
    CaseReview.objects.filter(family=later).update(practitioner=supervisor)
    later_day = TODAY + dt.timedelta(days=2)
    mine = reviews_due(access=access_of(practitioner, org), actor=practitioner, today=later_day)
    assert [r.family for r in mine.follow_ups] == ["Family A", "Soon", "Later"]


def test_the_reviews_due_page_is_linked_from_the_org_home_and_bounded_in_queries(
    client: Client, t: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    supervisor = t["supervisor"]
    signed_in(client, supervisor)
    home = client.get(reverse("practice:home", args=[t["org_a"].public_id])).content.decode()
    assert url("reviews", t) in home
    empty = client.get(url("reviews", t)).content.decode()
    for box in ("to-sign-empty", "waiting-empty", "follow-ups-empty"):
        assert f'id="{box}"' in empty
    for number in range(12):
        family = f.make_family(t["org_a"], t["program_a"], f"Family {number:02d}")
        make_review(
            t,
            family=family,
            reviewed_on=today() - dt.timedelta(days=40),
            follow_up_on=today() - dt.timedelta(days=1 + number),
        )
    with django_assert_max_num_queries(14):
        response = client.get(url("reviews", t))
    content = response.content.decode()
    assert content.count("Overdue:") == 12
    assert "Family 00" in content
    assert AuditEvent.objects.filter(verb="case_review.list_view").exists()
