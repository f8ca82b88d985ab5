"""The casework part of a family's page: one timeline, newest first (restricted visits only for
their author and the program's supervisors), building-block scores over time as an inline SVG
with its data table, the team, and the contact details with their edit page (audited without
the values; bad input refused and nothing changed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hopeful.web.audit.models import AuditEvent
from hopeful.web.casework import services as s
from hopeful.web.casework.models import Goal, GoalUpdate, StrengthsMap
from hopeful.web.casework.selectors_family import family_timeline
from hopeful.web.casework.services import CaseworkError
from hopeful.web.casework.services_family import family_contact_update
from hopeful.web.families.models import ConsentPurpose, ConsentRecord, Family
from hopeful.web.organizations.access import Access
from hopeful.web.organizations.models import Membership, Role, SupportGrant
from tests.web import factories as f
from tests.web.empty_states import page_box
from tests.web.factories import SITE_MENU_QUERIES
from tests.web.practice.factories import make_submission

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def membership(user: Any, org: Any) -> Membership:
    return Membership.objects.get(user=user, organization=org)


def access_of(user: Any, org: Any) -> Access:
    m = membership(user, org)
    return Access(organization=org, role=m.role, membership=m)


def family_url(t: dict[str, Any]) -> str:
    return reverse("practice:family_detail", args=[t["org_a"].public_id, t["family_a"].public_id])


def contact_url(t: dict[str, Any]) -> str:
    return reverse("casework:contact", args=[t["org_a"].public_id, t["family_a"].public_id])


def signed_in(client: Client, user: Any) -> Client:
    client.logout()
    f.login_verified(client, user)
    return client


@pytest.fixture
def t(two_tenants: dict[str, Any]) -> dict[str, Any]:
    return two_tenants


def restricted_visit(t: dict[str, Any]) -> Any:
    return s.visit_record(
        family=t["family_a"],
        actor=t["members_a"][Role.PRACTITIONER],
        visited_on=dt.date(2026, 6, 3),
        mode="home",
        note="Private worry about housing",
        restricted=True,
        today=TODAY,
    )


# -- the timeline -------------------------------------------------------------------------------


@pytest.fixture
def history(t: dict[str, Any]) -> dict[str, Any]:
    """One of everything, each on its own fixed day (the order the timeline must show, newest
    first, is the reverse of the days)."""
    family, practitioner = t["family_a"], t["members_a"][Role.PRACTITIONER]
    submission = make_submission(
        family, t["campaign_a"], t["link_a"], submitted_at=at(dt.date(2026, 5, 1))
    )
    s.visit_record(
        family=family,
        actor=practitioner,
        visited_on=dt.date(2026, 5, 4),
        mode="clinic",
        note="Talked about bedtime reading",
        today=TODAY,
    )
    saved = s.strengths_map_save(
        family=family,
        content={"relationships": {"strengths": "Grandma reads stories"}},
        actor=practitioner,
    )
    StrengthsMap.objects.filter(pk=saved.pk).update(created_at=at(dt.date(2026, 5, 6)))
    goal = s.goal_add(
        family=family,
        actor=practitioner,
        block="relationships",
        text="Read together at bedtime",
        next_step="Get a library card",
        due_on=dt.date(2026, 7, 1),
        today=dt.date(2026, 5, 8),
    )
    Goal.objects.filter(pk=goal.pk).update(created_at=at(dt.date(2026, 5, 8)))
    update = s.goal_progress(
        goal=goal, actor=practitioner, text="Three nights this week", status="active", today=TODAY
    )
    GoalUpdate.objects.filter(pk=update.pk).update(created_at=at(dt.date(2026, 5, 20)))
    s.celebration_add(
        family=family,
        actor=practitioner,
        words="First library visit!",
        celebrated_on=dt.date(2026, 5, 25),
        block="engagement",
        today=TODAY,
    )
    s.case_review_create(
        family=family,
        actor=practitioner,
        reviewed_on=dt.date(2026, 6, 1),
        strengths={"relationships": "Warm routines"},
        family_wants="Keep reading",
        plan="Check in monthly",
        follow_up_on=dt.date(2026, 7, 1),
        today=TODAY,
    )
    return {"submission": submission, "goal": goal}


def test_the_timeline_shows_everything_newest_first(
    t: dict[str, Any], history: dict[str, Any]
) -> None:
    practitioner = t["members_a"][Role.PRACTITIONER]
    entries = family_timeline(
        access=access_of(practitioner, t["org_a"]),
        user=practitioner,
        family=t["family_a"],
        language="en",
        submissions=[history["submission"]],
    )
    assert [e.kind for e in entries] == [
        "review",
        "celebration",
        "goal_update",
        "goal",
        "map",
        "visit",
        "questionnaire",
    ]
    assert [e.on for e in entries] == sorted((e.on for e in entries), reverse=True)
    goal = entries[3]
    assert goal.title == "Read together at bedtime"
    assert goal.block_name == "Relationships"
    assert entries[-1].url == f"#submission-{history['submission'].public_id}"
    org_id = t["org_a"].public_id
    assert goal.url == reverse("casework:goal", args=[org_id, history["goal"].public_id])
    assert entries[2].url == goal.url  # progress opens its goal
    visit = entries[5]
    assert "/visits/" in visit.url
    assert "/reviews/" in entries[0].url
    assert "score 4 (group 3-5)" in entries[-1].lines[0]


def test_the_family_page_shows_the_timeline_in_that_order(
    client: Client, t: dict[str, Any], history: dict[str, Any]
) -> None:
    body = signed_in(client, t["members_a"][Role.PRACTITIONER]).get(family_url(t)).content.decode()
    timeline = body[body.index('id="timeline"') :]
    order = [
        "Keep reading",
        "First library visit!",
        "Three nights this week",
        "Next step: Get a library card",
        "Strengths map, version 1",
        "Talked about bedtime reading",
        "The family answered a questionnaire",
    ]
    positions = [timeline.index(text) for text in order]
    assert positions == sorted(positions)
    assert f'href="#submission-{history["submission"].public_id}"' in timeline
    assert f'id="submission-{history["submission"].public_id}"' in body
    assert "<script" not in body


def test_questionnaires_leave_the_timeline_when_the_family_withdraws_care_consent(
    client: Client, t: dict[str, Any], history: dict[str, Any]
) -> None:
    ConsentRecord.objects.create(
        organization=t["org_a"],
        family=t["family_a"],
        purpose=ConsentPurpose.CARE,
        granted=False,
        text_version="2026-1",
        language="en",
    )
    body = signed_in(client, t["members_a"][Role.PRACTITIONER]).get(family_url(t)).content.decode()
    assert "The family answered a questionnaire" not in body
    assert "block-chart" not in body
    assert "Talked about bedtime reading" in body  # the care team's own records stay


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("author", True),
        ("supervisor", True),
        ("other_practitioner", False),
        ("admin", False),
        ("supervising_admin", True),
    ],
)
def test_a_restricted_visit_shows_only_for_its_author_and_supervisors(
    client: Client, t: dict[str, Any], who: str, sees: bool
) -> None:
    restricted_visit(t)
    org, program = t["org_a"], t["program_a"]
    people = {
        "author": t["members_a"][Role.PRACTITIONER],
        "admin": t["members_a"][Role.ORG_ADMIN],
    }
    if who == "supervisor":
        people[who] = f.make_member(
            org, Role.PRACTITIONER, "sup@a.example.org", programs=[program], is_supervisor=True
        )
    elif who == "other_practitioner":
        people[who] = f.make_member(
            org, Role.PRACTITIONER, "other@a.example.org", programs=[program]
        )
    elif who == "supervising_admin":
        people[who] = f.make_member(org, Role.ORG_ADMIN, "boss@a.example.org", is_supervisor=True)
    body = signed_in(client, people[who]).get(family_url(t)).content.decode()
    assert ("Private worry about housing" in body) is sees
    assert ("tag--restricted" in body) is sees


def test_support_access_never_reads_a_restricted_visit(client: Client, t: dict[str, Any]) -> None:
    restricted_visit(t)
    staff = f.make_user("support@hope.example.org", is_network_staff=True)
    SupportGrant.objects.create(
        staff=staff,
        organization=t["org_a"],
        granted_by=t["members_a"][Role.ORG_ADMIN],
        reason="Help",
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    body = signed_in(client, staff).get(family_url(t)).content.decode()
    assert "Private worry about housing" not in body
    # support looks; it neither assigns nor edits contact details
    assert (
        reverse("casework:assign", args=[t["org_a"].public_id, t["family_a"].public_id]) not in body
    )
    assert contact_url(t) not in body
    assert client.get(contact_url(t)).status_code == 403


def test_an_empty_timeline_says_what_will_show(client: Client, t: dict[str, Any]) -> None:
    signed_in(client, t["members_a"][Role.PRACTITIONER])
    box = page_box(client, family_url(t), "timeline-empty")
    assert box.text.startswith("Nothing on the timeline yet.")
    assert box.hrefs == [reverse("casework:caseload", args=[t["org_a"].public_id])]


# -- building blocks over time ------------------------------------------------------------------


def test_block_scores_over_time_are_an_svg_with_the_same_numbers_in_a_table(
    client: Client, t: dict[str, Any]
) -> None:
    family = t["family_a"]
    make_submission(family, t["campaign_a"], t["link_a"], submitted_at=at(dt.date(2026, 1, 5)))
    better = {"pce1": 5, "pce2": 5, "pce3": 5, "pce4": 5, "pce5": 5, "pce6": 5, "pce7": 5}
    make_submission(
        family,
        t["campaign_a"],
        t["link_a"],
        answers={"pce7": better},
        submitted_at=at(dt.date(2026, 6, 5)),
    )
    body = signed_in(client, t["members_a"][Role.PRACTITIONER]).get(family_url(t)).content.decode()
    chart = body[body.index("<svg") : body.index("</svg>")]
    assert 'role="img"' in chart
    assert "aria-label=" in chart
    for block in ("Relationships", "Environment", "Engagement", "Emotional growth"):
        assert block in chart
    # oldest first, in the chart and in its table: 2 of 3, then 3 of 3 for relationships
    table = body[body.index("</svg>") : body.index('id="timeline"')]
    assert table.index("2 of 3") < table.index("3 of 3")
    assert "0 of 2" in table
    assert "2 of 2" in table
    assert table.index('datetime="2026-01-05"') < table.index('datetime="2026-06-05"')


def test_no_block_scores_yet_says_what_will_show(client: Client, t: dict[str, Any]) -> None:
    signed_in(client, t["members_a"][Role.ORG_ADMIN])
    box = page_box(client, family_url(t), "blocks-empty")
    assert box.text.startswith("No building-block scores yet.")
    assert reverse("campaigns:create", args=[t["org_a"].public_id]) in box.hrefs


# -- team and links -----------------------------------------------------------------------------


def test_the_page_names_the_team_and_links_the_casework_pages(
    client: Client, t: dict[str, Any]
) -> None:
    practitioner = t["members_a"][Role.PRACTITIONER]
    practitioner.display_name = "Rosa Méndez"
    practitioner.save()
    s.assignments_set(
        family=t["family_a"],
        memberships=[membership(practitioner, t["org_a"])],
        actor=t["members_a"][Role.ORG_ADMIN],
    )
    org_id, family_id = t["org_a"].public_id, t["family_a"].public_id
    assign = reverse("casework:assign", args=[org_id, family_id])
    caseload = reverse("casework:caseload", args=[org_id])
    body = signed_in(client, t["members_a"][Role.ORG_ADMIN]).get(family_url(t)).content.decode()
    assert "Rosa Méndez" in body
    for url in (assign, caseload, contact_url(t)):
        assert f'href="{url}"' in body
    for name in ("visit_new", "map", "goal_new", "celebration_new", "review_new"):
        assert f'href="{reverse(f"casework:{name}", args=[org_id, family_id])}"' in body, name
    # practitioners do not assign
    body = signed_in(client, practitioner).get(family_url(t)).content.decode()
    assert assign not in body
    assert f'href="{contact_url(t)}"' in body
    assert "Rosa Méndez" in body


# -- contact details ----------------------------------------------------------------------------


def test_contact_details_are_saved_and_audited_without_their_values(
    client: Client, t: dict[str, Any]
) -> None:
    practitioner = t["members_a"][Role.PRACTITIONER]
    signed_in(client, practitioner)
    assert client.get(contact_url(t)).status_code == 200
    response = client.post(
        contact_url(t),
        {"contact_email": "rivera.family@Example.ORG", "contact_phone": " +1 (608) 555-0100 "},
    )
    assert response.status_code == 302
    assert response["Location"] == family_url(t)
    family = Family.objects.get(pk=t["family_a"].pk)
    assert family.contact_email == "rivera.family@example.org"
    assert family.contact_phone == "+1 (608) 555-0100"
    event = AuditEvent.objects.get(verb="family.contact_change")
    assert event.actor == practitioner
    assert event.object_id == str(family.public_id)
    assert event.extra == {"fields": ["contact_email", "contact_phone"]}
    assert "rivera" not in str(event.extra)
    assert "555" not in str(event.extra)
    assert AuditEvent.objects.filter(verb="family.contact_view").exists()
    body = client.get(family_url(t)).content.decode()
    assert "rivera.family@example.org" in body
    assert "+1 (608) 555-0100" in body
    # the same again changes nothing and audits nothing more
    client.post(
        contact_url(t),
        {"contact_email": "rivera.family@example.org", "contact_phone": "+1 (608) 555-0100"},
    )
    assert AuditEvent.objects.filter(verb="family.contact_change").count() == 1
    # empty fields clear them
    assert (
        client.post(contact_url(t), {"contact_email": "", "contact_phone": ""}).status_code == 302
    )
    family.refresh_from_db()
    assert (family.contact_email, family.contact_phone) == ("", "")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"contact_email": "not an email", "contact_phone": ""}, "Enter a valid email address."),
        (
            {"contact_email": "", "contact_phone": "call me maybe"},
            "Use digits, spaces and + ( ) - only.",
        ),
        ({"contact_email": "", "contact_phone": "1" * 40}, "at most 32 characters"),
    ],
)
def test_bad_contact_details_are_refused_and_change_nothing(
    client: Client, t: dict[str, Any], data: dict[str, str], message: str
) -> None:
    Family.objects.filter(pk=t["family_a"].pk).update(contact_email="kept@example.org")
    response = signed_in(client, t["members_a"][Role.ORG_ADMIN]).post(contact_url(t), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    family = Family.objects.get(pk=t["family_a"].pk)
    assert (family.contact_email, family.contact_phone) == ("kept@example.org", "")
    assert not AuditEvent.objects.filter(verb="family.contact_change").exists()


def test_the_service_refuses_a_bad_email_on_its_own(t: dict[str, Any]) -> None:
    with pytest.raises(CaseworkError) as error:
        family_contact_update(
            family=t["family_a"], actor=t["members_a"][Role.ORG_ADMIN], email="a@", phone=""
        )
    assert error.value.field == "contact_email"
    assert Family.objects.get(pk=t["family_a"].pk).contact_email == ""
    assert not AuditEvent.objects.filter(verb="family.contact_change").exists()


def test_contact_details_of_another_programs_family_are_not_found(
    client: Client, t: dict[str, Any]
) -> None:
    north = f.make_family(t["org_a"], t["other_program_a"], "North family")
    url = reverse("casework:contact", args=[t["org_a"].public_id, north.public_id])
    signed_in(client, t["members_a"][Role.PRACTITIONER])
    assert client.get(url).status_code == 404
    assert client.post(url, {"contact_email": "x@example.org"}).status_code == 404
    north.refresh_from_db()
    assert north.contact_email == ""


@pytest.mark.parametrize("days", [1, 8])
def test_the_family_page_takes_a_fixed_number_of_queries(
    client: Client, t: dict[str, Any], django_assert_max_num_queries: Any, days: int
) -> None:
    # the same bound for 1 of each record as for 8: nothing is read record by record
    practitioner = t["members_a"][Role.PRACTITIONER]
    for day in range(1, days + 1):
        make_submission(
            t["family_a"], t["campaign_a"], t["link_a"], submitted_at=at(dt.date(2026, 1, day))
        )
        s.visit_record(
            family=t["family_a"],
            actor=practitioner,
            visited_on=dt.date(2026, 2, day),
            mode="phone",
            note=f"Call {day}",
            today=TODAY,
        )
        goal = s.goal_add(
            family=t["family_a"],
            actor=practitioner,
            block="environment",
            text=f"Goal {day}",
            next_step="Start",
            due_on=dt.date(2026, 7, day),
            today=TODAY,
        )
        s.goal_progress(goal=goal, actor=practitioner, text="Begun", status="active", today=TODAY)
    signed_in(client, practitioner)
    with django_assert_max_num_queries(36 + SITE_MENU_QUERIES):
        response = client.get(family_url(t))
    assert response.status_code == 200
