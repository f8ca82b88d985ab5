"""A family's goals page, goals with their progress, and celebrations: good input stores,
audits and redirects; bad input shows the error next to its field and stores nothing; a
family or goal outside the reader's programs or organization is 404; support access looks
but does not write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hopeful.web.audit.models import AuditEvent
from hopeful.web.casework import services as s
from hopeful.web.casework.models import Celebration, Goal, GoalStatus, GoalUpdate
from hopeful.web.organizations.models import Role, SupportGrant
from tests.web import factories as f
from tests.web.factories import SITE_MENU_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def t(two_tenants: dict[str, Any]) -> dict[str, Any]:
    return two_tenants


@pytest.fixture
def practitioner(client: Client, t: dict[str, Any]) -> Client:
    """A's practitioner (sees the main site, where A's family is)."""
    f.login_verified(client, t["members_a"][Role.PRACTITIONER])
    return client


def today() -> dt.date:
    return timezone.localdate()


def url(name: str, t: dict[str, Any], **kwargs: Any) -> str:
    return reverse(f"casework:{name}", kwargs={"org_id": t["org_a"].public_id, **kwargs})


def family_url(name: str, t: dict[str, Any], family: Any = None) -> str:
    return url(name, t, family_id=(family or t["family_a"]).public_id)


def make_goal(t: dict[str, Any], family: Any = None, **kw: Any) -> Goal:
    values: dict[str, Any] = {
        "family": family or t["family_a"],
        "actor": t["members_a"][Role.PRACTITIONER],
        "block": "environment",
        "text": "A safe place to play after school",
        "next_step": "Visit the park with the neighbours",
        "due_on": today() + dt.timedelta(days=20),
    }
    values.update(kw)
    return s.goal_add(**values)


#: The audit verbs of the writes on these pages (reads are audited too, and support access).
WRITES = ("goal.create", "goal.update", "celebration.create")


def counts() -> tuple[int, ...]:
    return (
        Goal.objects.count(),
        GoalUpdate.objects.count(),
        Celebration.objects.count(),
        AuditEvent.objects.filter(verb__in=WRITES).count(),
    )


def error_next_to(content: str, field_id: str, message: str) -> bool:
    """The message is inside the field's label (or legend), as accounts/_fields.html puts it."""
    label = content.split(f'for="{field_id}"', 1)[-1].split("</label>", 1)[0]
    return message in label


GOAL = {
    "block": "relationships",
    "text": "Read together at bedtime",
    "next_step": "Pick a book at the library",
}


# -- a new goal ---------------------------------------------------------------------------------


def test_the_goal_form_offers_the_four_building_blocks_in_the_pages_language(
    practitioner: Client, t: dict[str, Any]
) -> None:
    content = practitioner.get(family_url("goal_new", t)).content.decode()
    for name in ("Relationships", "Environment", "Engagement", "Emotional growth"):
        assert name in content
    assert 'type="date"' in content
    spanish = practitioner.get("/es" + family_url("goal_new", t)).content.decode()
    assert "Relaciones" in spanish


def test_a_good_goal_is_stored_audited_and_opens_its_page(
    practitioner: Client, t: dict[str, Any]
) -> None:
    due = today() + dt.timedelta(days=14)
    response = practitioner.post(family_url("goal_new", t), {**GOAL, "due_on": due.isoformat()})
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("goal", t, goal_id=goal.public_id)
    assert (goal.family, goal.block, goal.text, goal.due_on) == (
        t["family_a"],
        "relationships",
        "Read together at bedtime",
        due,
    )
    assert AuditEvent.objects.filter(verb="goal.create", object_id=str(goal.public_id)).exists()
    page = practitioner.get(response["Location"]).content.decode()
    assert "Read together at bedtime" in page
    assert "Pick a book at the library" in page


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"due_on": "past"}, "id_due_on", "Choose today or a later date."),
        ({"text": "   "}, "id_text", "This field is required."),
        ({"next_step": ""}, "id_next_step", "This field is required."),
        ({"due_on": ""}, "id_due_on", "This field is required."),
        ({"block": "courage"}, "", "Select a valid choice."),
    ],
)
def test_a_bad_goal_shows_the_error_by_its_field_and_stores_nothing(
    practitioner: Client, t: dict[str, Any], changes: dict[str, str], field_id: str, message: str
) -> None:
    data = {**GOAL, "due_on": (today() + dt.timedelta(days=5)).isoformat(), **changes}
    if data["due_on"] == "past":
        data["due_on"] = (today() - dt.timedelta(days=1)).isoformat()
    before = counts()
    response = practitioner.post(family_url("goal_new", t), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content
    if field_id:
        assert error_next_to(content, field_id, message), content
    else:
        assert message in content
    assert counts() == before


def test_a_family_of_another_program_or_organization_is_404_and_stores_nothing(
    practitioner: Client, t: dict[str, Any]
) -> None:
    elsewhere = f.make_family(t["org_a"], t["other_program_a"], "North family")
    data = {**GOAL, "due_on": (today() + dt.timedelta(days=5)).isoformat()}
    before = counts()
    for family in (elsewhere, t["family_b"]):
        assert practitioner.get(family_url("family_goals", t, family)).status_code == 404
        for name in ("goal_new", "celebration_new"):
            assert practitioner.get(family_url(name, t, family)).status_code == 404
            assert practitioner.post(family_url(name, t, family), data).status_code == 404
    assert counts() == before


# -- a goal's page and its progress -------------------------------------------------------------


def test_progress_is_stored_audited_and_shown_newest_first(
    practitioner: Client, t: dict[str, Any]
) -> None:
    goal = make_goal(t)
    goal_url = url("goal", t, goal_id=goal.public_id)
    new_date = today() + dt.timedelta(days=40)
    response = practitioner.post(
        goal_url,
        {
            "text": "Went twice; the slide is a favourite",
            "status": "active",
            "next_step": "Go on Saturdays",
            "due_on": new_date.isoformat(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == goal_url
    goal.refresh_from_db()
    assert (goal.status, goal.next_step, goal.due_on) == ("active", "Go on Saturdays", new_date)
    assert goal.updates.get().text == "Went twice; the slide is a favourite"
    assert AuditEvent.objects.filter(verb="goal.update", object_id=str(goal.public_id)).exists()
    practitioner.post(goal_url, {"text": "Saturdays are a habit now", "status": "active"})
    content = practitioner.get(goal_url).content.decode()
    assert content.index("Saturdays are a habit now") < content.index("the slide is a favourite")
    goal.refresh_from_db()
    assert goal.next_step == "Go on Saturdays"  # an empty next step keeps the current one


def test_a_reached_goal_offers_a_celebration_linked_to_it(
    practitioner: Client, t: dict[str, Any]
) -> None:
    goal = make_goal(t)
    goal_url = url("goal", t, goal_id=goal.public_id)
    assert "?goal=" not in practitioner.get(goal_url).content.decode()
    response = practitioner.post(
        goal_url, {"text": "They play there every week", "status": GoalStatus.REACHED}, follow=True
    )
    content = response.content.decode()
    celebrate = f"{family_url('celebration_new', t)}?goal={goal.public_id}"
    assert f'href="{celebrate}"' in content
    assert "Record a celebration" in content
    # the celebration form opens linked to the goal, in the goal's building block
    form = practitioner.get(celebrate).content.decode()
    assert f'value="{goal.public_id}" selected' in form


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"due_on": "past"}, "id_due_on", "Choose today or a later date."),
        ({"text": ""}, "id_text", "This field is required."),
        ({"status": "abandoned"}, "", "Select a valid choice."),
    ],
)
def test_bad_progress_shows_the_error_and_stores_nothing(
    practitioner: Client, t: dict[str, Any], changes: dict[str, str], field_id: str, message: str
) -> None:
    goal = make_goal(t)
    data = {"text": "Went once", "status": "active", **changes}
    if data.get("due_on") == "past":
        data["due_on"] = (today() - dt.timedelta(days=3)).isoformat()
    before = counts()
    response = practitioner.post(url("goal", t, goal_id=goal.public_id), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert error_next_to(content, field_id, message) if field_id else message in content
    assert counts() == before
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_a_goal_of_another_program_or_organization_is_404(
    practitioner: Client, t: dict[str, Any]
) -> None:
    elsewhere = f.make_family(t["org_a"], t["other_program_a"], "North family")
    goals = [
        make_goal(t, family=elsewhere),
        make_goal(t, family=t["family_b"], actor=t["members_b"][Role.PRACTITIONER]),
    ]
    before = counts()
    for goal in goals:
        goal_url = url("goal", t, goal_id=goal.public_id)
        assert practitioner.get(goal_url).status_code == 404
        assert practitioner.post(goal_url, {"text": "x", "status": "reached"}).status_code == 404
    assert counts() == before


# -- celebrations -------------------------------------------------------------------------------


def test_a_celebration_is_stored_audited_and_shown_on_the_familys_page(
    practitioner: Client, t: dict[str, Any]
) -> None:
    form = practitioner.get(family_url("celebration_new", t)).content.decode()
    assert f'value="{today().isoformat()}"' in form  # today by default
    response = practitioner.post(
        family_url("celebration_new", t),
        {"words": "We cooked dinner together", "celebrated_on": today().isoformat()},
    )
    assert response.status_code == 302
    assert response["Location"] == family_url("family_goals", t)
    celebration = Celebration.objects.get()
    assert (celebration.words, celebration.block, celebration.goal) == (
        "We cooked dinner together",
        "",
        None,
    )
    assert AuditEvent.objects.filter(verb="celebration.create").exists()
    assert "We cooked dinner together" in practitioner.get(response["Location"]).content.decode()


def test_a_celebration_of_a_goal_goes_back_to_the_goal_in_its_block(
    practitioner: Client, t: dict[str, Any]
) -> None:
    goal = make_goal(t)
    form = practitioner.get(f"{family_url('celebration_new', t)}?goal={goal.public_id}")
    assert 'value="environment" id="id_block_2" checked' in form.content.decode()
    response = practitioner.post(
        family_url("celebration_new", t),
        {
            "words": "First trip to the park",
            "celebrated_on": today().isoformat(),
            "block": "environment",
            "goal": goal.public_id,
        },
    )
    assert response["Location"] == url("goal", t, goal_id=goal.public_id)
    celebration = Celebration.objects.get()
    assert (celebration.goal, celebration.block) == (goal, "environment")
    assert "First trip to the park" in practitioner.get(response["Location"]).content.decode()


def test_a_bad_celebration_shows_the_error_and_stores_nothing(
    practitioner: Client, t: dict[str, Any]
) -> None:
    neighbours = f.make_family(t["org_a"], t["program_a"], "Neighbours")
    their_goal = make_goal(t, family=neighbours)
    make_goal(t)
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    cases = [
        (
            {"words": "A good day", "celebrated_on": tomorrow},
            "id_celebrated_on",
            "This date is in the future.",
        ),
        (
            {"words": "", "celebrated_on": today().isoformat()},
            "id_words",
            "This field is required.",
        ),
        (
            {
                "words": "A good day",
                "celebrated_on": today().isoformat(),
                "goal": their_goal.public_id,
            },
            "id_goal",
            "Select a valid choice.",
        ),
    ]
    before = counts()
    for data, field_id, message in cases:
        response = practitioner.post(family_url("celebration_new", t), data)
        assert response.status_code == 400
        assert error_next_to(response.content.decode(), field_id, message), data
    assert counts() == before


# -- the family's goals page, and support access ------------------------------------------------


def test_the_familys_page_links_here_and_empty_lists_say_what_will_show(
    practitioner: Client, t: dict[str, Any]
) -> None:
    family_page = reverse(
        "practice:family_detail", args=[t["org_a"].public_id, t["family_a"].public_id]
    )
    assert family_url("family_goals", t) in practitioner.get(family_page).content.decode()
    content = practitioner.get(family_url("family_goals", t)).content.decode()
    for box in ("goals-empty", "celebrations-empty", "reviews-empty"):
        assert f'id="{box}"' in content
    assert family_url("goal_new", t) in content
    assert family_url("review_new", t) in content
    assert AuditEvent.objects.filter(verb="casework.view").exists()


def test_the_familys_page_lists_goals_by_status_with_passed_dates_marked(
    practitioner: Client, t: dict[str, Any]
) -> None:
    working = make_goal(t, text="Dinner together twice a week", due_on=today())
    Goal.objects.filter(pk=working.pk).update(due_on=today() - dt.timedelta(days=2))
    reached = make_goal(t, text="Join the library")
    s.goal_progress(
        goal=reached, actor=t["members_a"][Role.PRACTITIONER], text="Done", status="reached"
    )
    content = practitioner.get(family_url("family_goals", t)).content.decode()
    assert content.index("Dinner together twice a week") < content.index("Join the library")
    assert "the date has passed" in content
    assert url("goal", t, goal_id=reached.public_id) in content


def test_support_access_reads_a_goal_but_writes_nothing(client: Client, t: dict[str, Any]) -> None:
    staff = f.make_user("support@hope.example.org", is_network_staff=True)
    SupportGrant.objects.create(
        staff=staff,
        organization=t["org_a"],
        granted_by=t["members_a"][Role.ORG_ADMIN],
        reason="help",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    f.login_verified(client, staff)
    goal = make_goal(t)
    before = counts()
    page = client.get(family_url("family_goals", t))
    assert page.status_code == 200
    assert family_url("goal_new", t) not in page.content.decode()
    goal_page = client.get(url("goal", t, goal_id=goal.public_id)).content.decode()
    assert "Record progress" not in goal_page
    assert client.get(family_url("goal_new", t)).status_code == 403
    assert (
        client.post(
            url("goal", t, goal_id=goal.public_id), {"text": "x", "status": "reached"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            family_url("celebration_new", t), {"words": "x", "celebrated_on": today().isoformat()}
        ).status_code
        == 403
    )
    assert counts() == before


def test_the_goal_pages_queries_do_not_grow_with_the_familys_records(
    practitioner: Client, t: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    author = t["members_a"][Role.PRACTITIONER]
    goals = [make_goal(t, text=f"Goal {n}") for n in range(8)]
    for goal in goals:
        s.goal_progress(goal=goal, actor=author, text="Going well", status="active")
        s.celebration_add(
            family=t["family_a"], actor=author, words="Proud", celebrated_on=today(), goal=goal
        )
        s.case_review_create(
            family=t["family_a"],
            actor=author,
            reviewed_on=today(),
            strengths={"engagement": "Choir"},
            family_wants="More music",
            plan="Keep going",
            follow_up_on=today() + dt.timedelta(days=9),
        )
    with django_assert_max_num_queries(20 + SITE_MENU_QUERIES):
        assert practitioner.get(family_url("family_goals", t)).status_code == 200
    with django_assert_max_num_queries(20 + SITE_MENU_QUERIES):
        assert practitioner.get(url("goal", t, goal_id=goals[0].public_id)).status_code == 200


def test_the_goal_page_suggests_community_strengths_of_its_block_near_a_zip(
    practitioner: Client, t: dict[str, Any]
) -> None:
    """A family's next step: places near a ZIP code the practitioner types (never stored)
    that give the goal's building block, members-only ones included; a bad ZIP is said."""
    from tests.web.assets.helpers import make_asset

    goal = make_goal(t)  # environment
    make_asset(name="Harbor Park", kind="park", blocks=["environment"], zip_code="02139")
    make_asset(name="Quiet Garden", blocks=["environment"], zip_code="02111", visibility="members")
    make_asset(name="Story Time", blocks=["relationships"], zip_code="02111")  # another block
    make_asset(name="Far Trail", blocks=["environment"], zip_code="10001")  # 188 miles away
    page = url("goal", t, goal_id=goal.public_id)
    assert "Community strengths nearby" in practitioner.get(page).content.decode()
    found = practitioner.get(page + "?near=02111").content.decode()
    assert found.index("Quiet Garden") < found.index("Harbor Park")  # nearest first
    assert "Members only" in found
    assert "Story Time" not in found
    assert "Far Trail" not in found
    bad = practitioner.get(page + "?near=00000").content.decode()
    assert "know the ZIP code 00000" in bad
    assert not AuditEvent.objects.exclude(verb="assets.create").filter(extra__icontains="02111")
