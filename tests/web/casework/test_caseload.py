"""The caseload page: a person's families with the next thing due (dates fixed by passing
``today`` to the selectors), search over every family the person sees, the org admins' table
of everyone's caseload, and assigning a family (good input stored and audited, bad input
changing nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hopeful.web.audit.models import AuditEvent
from hopeful.web.casework import services as s
from hopeful.web.casework.models import Assignment
from hopeful.web.casework.selectors_caseload import (
    QUESTIONNAIRE_INTERVAL,
    caseload,
    member_caseloads,
    next_due,
)
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Membership, Role, SupportGrant
from tests.web import factories as f
from tests.web.empty_states import page_box
from tests.web.factories import SITE_MENU_QUERIES
from tests.web.practice.factories import make_submission

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def membership(user: Any, org: Any) -> Membership:
    return Membership.objects.get(user=user, organization=org)


def access_of(user: Any, org: Any) -> Access:
    m = membership(user, org)
    return Access(organization=org, role=m.role, membership=m)


def caseload_url(t: dict[str, Any], **query: str) -> str:
    url = reverse("casework:caseload", args=[t["org_a"].public_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def assign_url(t: dict[str, Any], family: Any = None) -> str:
    family = family or t["family_a"]
    return reverse("casework:assign", args=[t["org_a"].public_id, family.public_id])


def signed_in(client: Client, user: Any) -> Client:
    f.login_verified(client, user)
    return client


@pytest.fixture
def t(two_tenants: dict[str, Any]) -> dict[str, Any]:
    return two_tenants


def assign(t: dict[str, Any], family: Any, *users: Any) -> None:
    s.assignments_set(
        family=family,
        memberships=[membership(u, t["org_a"]) for u in users],
        actor=t["members_a"][Role.ORG_ADMIN],
    )


# -- what is due next (a pure function of the dates) --------------------------------------------


def test_the_next_thing_due_is_the_earliest_of_goal_review_and_questionnaire() -> None:
    due = next_due(
        goal_due_on=dt.date(2026, 6, 10),
        goal_text="Read together",
        review_follow_up_on=dt.date(2026, 6, 20),
        last_submitted_at=noon(dt.date(2026, 1, 1)),
        today=TODAY,
    )
    assert due is not None
    assert (due.kind, due.on, due.overdue) == ("goal", dt.date(2026, 6, 10), True)
    assert "Read together" in due.label


def test_a_questionnaire_is_due_182_days_after_the_last_one() -> None:
    last = dt.date(2026, 1, 10)
    due = next_due(
        goal_due_on=None,
        goal_text=None,
        review_follow_up_on=dt.date(2026, 12, 1),
        last_submitted_at=noon(last),
        today=TODAY,
    )
    assert due is not None
    assert due.kind == "questionnaire"
    assert due.on == last + dt.timedelta(days=182) == dt.date(2026, 7, 11)
    assert dt.timedelta(days=182) == QUESTIONNAIRE_INTERVAL
    assert not due.overdue


def test_due_today_is_not_overdue_and_yesterday_is() -> None:
    today = next_due(
        goal_due_on=None,
        goal_text=None,
        review_follow_up_on=TODAY,
        last_submitted_at=None,
        today=TODAY,
    )
    yesterday = next_due(
        goal_due_on=None,
        goal_text=None,
        review_follow_up_on=TODAY - dt.timedelta(days=1),
        last_submitted_at=None,
        today=TODAY,
    )
    assert today is not None
    assert not today.overdue
    assert yesterday is not None
    assert yesterday.overdue


def test_on_the_same_day_a_goal_comes_before_a_review() -> None:
    due = next_due(
        goal_due_on=TODAY,
        goal_text="Walk to the park",
        review_follow_up_on=TODAY,
        last_submitted_at=None,
        today=TODAY,
    )
    assert due is not None
    assert due.kind == "goal"


def test_nothing_dated_means_nothing_due() -> None:
    assert (
        next_due(
            goal_due_on=None,
            goal_text=None,
            review_follow_up_on=None,
            last_submitted_at=None,
            today=TODAY,
        )
        is None
    )


# -- the caseload, from the database ---------------------------------------------------------


@pytest.fixture
def families(t: dict[str, Any]) -> dict[str, Any]:
    """Four families of A's main site on the practitioner's caseload: one with an overdue
    goal, one with a review follow-up, one with a questionnaire due, one with nothing yet;
    and a fifth of the main site not on it."""
    org, program = t["org_a"], t["program_a"]
    practitioner = t["members_a"][Role.PRACTITIONER]
    made = {
        "goal": f.make_family(org, program, "Delgado"),
        "review": f.make_family(org, program, "Begay"),
        "questionnaire": f.make_family(org, program, "Chen"),
        "nothing": f.make_family(org, program, "Abara"),
        "unassigned": f.make_family(org, program, "Okafor"),
    }
    for family in made.values():
        f.grant_consent(family)
    s.goal_add(
        family=made["goal"],
        actor=practitioner,
        block="relationships",
        text="Read together at bedtime",
        next_step="Library card",
        due_on=dt.date(2026, 6, 10),
        today=dt.date(2026, 5, 1),
    )
    s.case_review_create(
        family=made["review"],
        actor=practitioner,
        reviewed_on=dt.date(2026, 6, 1),
        strengths={"relationships": "Warm bedtime routine"},
        family_wants="More time outdoors",
        plan="Visit the park together",
        follow_up_on=dt.date(2026, 6, 20),
        today=TODAY,
    )
    make_submission(
        made["questionnaire"],
        t["campaign_a"],
        t["link_a"],
        submitted_at=noon(dt.date(2026, 3, 1)),
    )
    for key in ("goal", "review", "questionnaire", "nothing"):
        assign(t, made[key], practitioner)
    return made


def test_the_caseload_lists_assigned_families_due_first(
    t: dict[str, Any], families: dict[str, Any]
) -> None:
    practitioner = t["members_a"][Role.PRACTITIONER]
    page = caseload(access=access_of(practitioner, t["org_a"]), actor=practitioner, today=TODAY)
    assert [row.name for row in page.rows] == ["Delgado", "Begay", "Chen", "Abara"]
    goal, review, questionnaire, nothing = page.rows
    assert goal.due is not None
    assert goal.due.overdue
    assert goal.due.on == dt.date(2026, 6, 10)
    assert review.due is not None
    assert review.due.kind == "review"
    assert review.due.on == dt.date(2026, 6, 20)
    assert not review.due.overdue
    assert questionnaire.due is not None
    assert questionnaire.due.kind == "questionnaire"
    assert questionnaire.due.on == dt.date(2026, 3, 1) + dt.timedelta(days=182)
    assert not questionnaire.no_questionnaire
    assert nothing.due is None
    assert nothing.no_questionnaire
    assert page.overdue == 1
    assert page.results is None
    event = AuditEvent.objects.get(verb="caseload.view")
    assert event.extra == {"count": 4}
    assert event.actor == practitioner


def test_a_goal_reached_is_no_longer_due(t: dict[str, Any], families: dict[str, Any]) -> None:
    practitioner = t["members_a"][Role.PRACTITIONER]
    goal = families["goal"].goals.get()
    s.goal_progress(goal=goal, actor=practitioner, text="We did it", status="reached", today=TODAY)
    page = caseload(access=access_of(practitioner, t["org_a"]), actor=practitioner, today=TODAY)
    row = next(r for r in page.rows if r.name == "Delgado")
    assert row.due is None
    assert row.no_questionnaire
    assert page.overdue == 0


def test_the_latest_review_decides_the_follow_up(
    t: dict[str, Any], families: dict[str, Any]
) -> None:
    practitioner = t["members_a"][Role.PRACTITIONER]
    s.case_review_create(
        family=families["review"],
        actor=practitioner,
        reviewed_on=dt.date(2026, 6, 14),
        strengths={"engagement": "Joined the library club"},
        family_wants="Keep going",
        plan="Same plan",
        follow_up_on=dt.date(2026, 9, 1),
        today=TODAY,
    )
    page = caseload(access=access_of(practitioner, t["org_a"]), actor=practitioner, today=TODAY)
    row = next(r for r in page.rows if r.name == "Begay")
    assert row.due is not None
    assert row.due.on == dt.date(2026, 9, 1)


def test_a_family_of_a_program_the_practitioner_no_longer_sees_leaves_the_caseload(
    t: dict[str, Any], families: dict[str, Any]
) -> None:
    practitioner = t["members_a"][Role.PRACTITIONER]
    membership(practitioner, t["org_a"]).programs.set([t["other_program_a"]])
    page = caseload(access=access_of(practitioner, t["org_a"]), actor=practitioner, today=TODAY)
    assert page.rows == []


def test_the_page_shows_the_rows_with_overdue_in_words(client: Client, t: dict[str, Any]) -> None:
    practitioner = t["members_a"][Role.PRACTITIONER]
    late, later = (f.make_family(t["org_a"], t["program_a"], n) for n in ("Late", "Later"))
    for family, due in ((late, dt.date(2000, 1, 10)), (later, dt.date(2999, 1, 10))):
        s.goal_add(
            family=family,
            actor=practitioner,
            block="engagement",
            text=f"Goal of {family.display_name}",
            next_step="Start",
            due_on=due,
            today=dt.date(2000, 1, 1),
        )
        assign(t, family, practitioner)
    body = signed_in(client, practitioner).get(caseload_url(t)).content.decode()
    assert body.index("Goal of Late") < body.index("Goal of Later")
    assert body.count("Overdue</strong>") == 1
    assert reverse("practice:family_detail", args=[t["org_a"].public_id, late.public_id]) in body
    assert "<script" not in body
    assert f'href="{reverse("casework:reminders", args=[t["org_a"].public_id])}"' in body


@pytest.mark.parametrize("count", [1, 8])
def test_the_caseload_takes_a_fixed_number_of_queries(
    client: Client, t: dict[str, Any], django_assert_max_num_queries: Any, count: int
) -> None:
    # the same bound for 1 family as for 8: nothing is read family by family
    admin = t["members_a"][Role.ORG_ADMIN]
    practitioner = t["members_a"][Role.PRACTITIONER]
    for i in range(count):
        family = f.make_family(t["org_a"], t["program_a"], f"Family {i}")
        assign(t, family, practitioner, admin)
    signed_in(client, admin)
    with django_assert_max_num_queries(19 + SITE_MENU_QUERIES):
        response = client.get(caseload_url(t, q="family"))
    assert response.status_code == 200


# -- search -----------------------------------------------------------------------------------


def test_search_finds_any_family_the_person_sees_by_part_of_its_name(
    client: Client, t: dict[str, Any], families: dict[str, Any]
) -> None:
    north = f.make_family(t["org_a"], t["other_program_a"], "Okada")
    practitioner = t["members_a"][Role.PRACTITIONER]
    page = caseload(
        access=access_of(practitioner, t["org_a"]), actor=practitioner, query=" OKA ", today=TODAY
    )
    assert page.query == "OKA"
    assert page.results is not None
    # Okafor is not on the caseload but in the practitioner's program; Okada's program is not
    assert [(r.name, r.on_caseload) for r in page.results] == [("Okafor", False)]
    # an org admin sees every program; B's families are never found
    admin = t["members_a"][Role.ORG_ADMIN]
    found = caseload(access=access_of(admin, t["org_a"]), actor=admin, query="ok", today=TODAY)
    assert found.results is not None
    assert {r.name for r in found.results} == {"Okafor", north.display_name}
    nobody = caseload(access=access_of(admin, t["org_a"]), actor=admin, query="Family B")
    assert nobody.results == []
    # audited, without the words searched
    searches = AuditEvent.objects.filter(verb="family.search")
    assert searches.get(actor=practitioner).extra == {"count": 1}
    assert sorted(e.extra["count"] for e in searches.filter(actor=admin)) == [0, 2]


def test_search_matches_codes_and_marks_families_on_the_caseload(
    client: Client, t: dict[str, Any], families: dict[str, Any]
) -> None:
    practitioner = t["members_a"][Role.PRACTITIONER]
    f.make_family(t["org_a"], t["program_a"], "FAM-0042")
    body = signed_in(client, practitioner).get(caseload_url(t, q="fam-004")).content.decode()
    assert "FAM-0042" in body
    assert "Not on this caseload" in body
    body = client.get(caseload_url(t, q="chen")).content.decode()
    assert "Families matching “chen”" in body
    assert "On this caseload" in body


def test_a_search_with_no_match_says_what_it_searched_and_what_to_try(
    client: Client, t: dict[str, Any]
) -> None:
    signed_in(client, t["members_a"][Role.PRACTITIONER])
    box = page_box(client, caseload_url(t, q="zzz"), "search-empty")
    assert box.text.startswith("No family matches “zzz”.")
    assert "from every program you see" in box.text
    assert box.hrefs == [reverse("practice:submissions", args=[t["org_a"].public_id])]


# -- empty caseloads --------------------------------------------------------------------------


def test_an_empty_caseload_says_what_will_show_and_the_next_step(
    client: Client, t: dict[str, Any]
) -> None:
    signed_in(client, t["members_a"][Role.PRACTITIONER])
    box = page_box(client, caseload_url(t), "caseload-empty")
    assert box.text.startswith("No families on your caseload yet.")
    assert "Your organization's admins assign families to you" in box.text
    assert box.hrefs == [reverse("practice:submissions", args=[t["org_a"].public_id])]


def test_an_admin_with_no_caseloads_is_told_how_to_assign(
    client: Client, t: dict[str, Any]
) -> None:
    signed_in(client, t["members_a"][Role.ORG_ADMIN])
    box = page_box(client, caseload_url(t), "caseloads-empty")
    assert box.text.startswith("No one has a caseload yet.")
    assert "choose “Assign to practitioners”" in box.text
    mine = page_box(client, caseload_url(t), "caseload-empty")
    assert "search for it above or open it from the recent submissions" in mine.text


# -- the org admins' table of caseloads ---------------------------------------------------------


def test_admins_see_everyones_caseload_in_numbers(
    t: dict[str, Any], families: dict[str, Any]
) -> None:
    admin = t["members_a"][Role.ORG_ADMIN]
    assign(t, families["nothing"], t["members_a"][Role.PRACTITIONER], admin)
    lines = member_caseloads(access=access_of(admin, t["org_a"]), today=TODAY)
    by_role = {line.role: line for line in lines}
    assert by_role["Practitioner"].families == 4
    assert by_role["Practitioner"].overdue == 1
    assert by_role["Organization admin"].families == 1
    assert by_role["Organization admin"].overdue == 0
    practitioner = membership(t["members_a"][Role.PRACTITIONER], t["org_a"])
    assert by_role["Practitioner"].url.endswith(f"?member={practitioner.public_id}")


def test_an_admin_opens_a_practitioners_caseload_and_a_practitioner_may_not(
    client: Client, t: dict[str, Any], families: dict[str, Any]
) -> None:
    practitioner = t["members_a"][Role.PRACTITIONER]
    member_id = str(membership(practitioner, t["org_a"]).public_id)
    body = signed_in(client, t["members_a"][Role.ORG_ADMIN]).get(caseload_url(t)).content.decode()
    assert "Caseloads" in body
    assert f"?member={member_id}" in body
    shown = client.get(caseload_url(t, member=member_id)).content.decode()
    assert "Caseload of practitioner@a.example.org" in shown
    assert shown.index("Delgado") < shown.index("Begay") < shown.index("Chen")
    # someone of another organization, or no one, is not found
    b_member = membership(t["members_b"][Role.PRACTITIONER], t["org_b"]).public_id
    assert client.get(caseload_url(t, member=str(b_member))).status_code == 404
    assert client.get(caseload_url(t, member="not-a-uuid")).status_code == 404
    # practitioners see their own caseload only, and no table of everyone's
    client.logout()
    signed_in(client, practitioner)
    assert client.get(caseload_url(t, member=member_id)).status_code == 403
    assert "Caseloads of the organization" not in client.get(caseload_url(t)).content.decode()


def test_support_access_has_no_caseload_but_sees_the_table(
    client: Client, t: dict[str, Any], families: dict[str, Any]
) -> None:
    staff = f.make_user("support@hope.example.org", is_network_staff=True)
    SupportGrant.objects.create(
        staff=staff,
        organization=t["org_a"],
        granted_by=t["members_a"][Role.ORG_ADMIN],
        reason="Help",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    response = signed_in(client, staff).get(caseload_url(t))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Support access has no caseload of its own." in body
    assert "Caseloads of the organization" in body
    # and may not assign
    assert client.get(assign_url(t)).status_code == 403


def test_the_organization_home_links_the_caseload_for_those_who_may_open_it(
    client: Client, t: dict[str, Any]
) -> None:
    home = reverse("practice:home", args=[t["org_a"].public_id])
    for role, linked in ((Role.PRACTITIONER, True), (Role.ORG_ADMIN, True), (Role.ANALYST, False)):
        client.logout()
        body = signed_in(client, t["members_a"][role]).get(home).content.decode()
        assert (f'href="{caseload_url(t)}"' in body) is linked, role


# -- assigning a family -------------------------------------------------------------------------


def test_the_assign_page_offers_who_works_with_the_familys_program(
    client: Client, t: dict[str, Any]
) -> None:
    north_practitioner = f.make_member(
        t["org_a"], Role.PRACTITIONER, "north@a.example.org", programs=[t["other_program_a"]]
    )
    every = f.make_member(t["org_a"], Role.PRACTITIONER, "every@a.example.org", all_programs=True)
    body = signed_in(client, t["members_a"][Role.ORG_ADMIN]).get(assign_url(t)).content.decode()
    for user in (t["members_a"][Role.ORG_ADMIN], t["members_a"][Role.PRACTITIONER], every):
        assert f'value="{membership(user, t["org_a"]).public_id}"' in body
    for user in (north_practitioner, t["members_a"][Role.ANALYST]):
        assert f'value="{membership(user, t["org_a"]).public_id}"' not in body
    assert 'type="checkbox"' in body


def test_assigning_stores_exactly_the_choice_and_is_audited(
    client: Client, t: dict[str, Any]
) -> None:
    practitioner = membership(t["members_a"][Role.PRACTITIONER], t["org_a"])
    admin = membership(t["members_a"][Role.ORG_ADMIN], t["org_a"])
    signed_in(client, t["members_a"][Role.ORG_ADMIN])
    response = client.post(
        assign_url(t), {"members": [str(practitioner.public_id), str(admin.public_id)]}
    )
    family_url = reverse(
        "practice:family_detail", args=[t["org_a"].public_id, t["family_a"].public_id]
    )
    assert response.status_code == 302
    assert response["Location"] == family_url
    assert set(t["family_a"].assignments.values_list("membership", flat=True)) == {
        practitioner.pk,
        admin.pk,
    }
    event = AuditEvent.objects.get(verb="caseload.assign")
    assert event.object_id == str(t["family_a"].public_id)
    # ticking no one takes the family off every caseload
    assert client.post(assign_url(t), {}).status_code == 302
    assert not t["family_a"].assignments.exists()
    assert AuditEvent.objects.filter(verb="caseload.assign").count() == 2


@pytest.mark.parametrize("who", ["analyst", "other_org", "other_program", "nonsense"])
def test_a_bad_choice_is_refused_clearly_and_changes_nothing(
    client: Client, t: dict[str, Any], who: str
) -> None:
    practitioner = membership(t["members_a"][Role.PRACTITIONER], t["org_a"])
    assign(t, t["family_a"], t["members_a"][Role.PRACTITIONER])
    if who == "analyst":
        bad = str(membership(t["members_a"][Role.ANALYST], t["org_a"]).public_id)
    elif who == "other_org":
        bad = str(membership(t["members_b"][Role.PRACTITIONER], t["org_b"]).public_id)
    elif who == "other_program":
        north = f.make_member(
            t["org_a"], Role.PRACTITIONER, "north@a.example.org", programs=[t["other_program_a"]]
        )
        bad = str(membership(north, t["org_a"]).public_id)
    else:
        bad = "not-a-member"
    before = list(Assignment.objects.values_list("pk", "family", "membership"))
    audited = AuditEvent.objects.filter(verb="caseload.assign").count()
    signed_in(client, t["members_a"][Role.ORG_ADMIN])
    response = client.post(assign_url(t), {"members": [bad]})
    assert response.status_code == 200
    assert "Choose from the people listed." in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert list(Assignment.objects.values_list("pk", "family", "membership")) == before
    assert AuditEvent.objects.filter(verb="caseload.assign").count() == audited
    assert t["family_a"].assignments.get().membership == practitioner


def test_a_family_of_another_program_or_organization_cannot_be_assigned_by_its_id(
    client: Client, t: dict[str, Any]
) -> None:
    signed_in(client, t["members_a"][Role.ORG_ADMIN])
    other = reverse("casework:assign", args=[t["org_a"].public_id, t["family_b"].public_id])
    assert client.get(other).status_code == 404
    assert client.post(other, {}).status_code == 404
