"""The take-home summary: staff page, PDF and the family's own copy through its personal link.

It shows the family's strengths (map and questionnaire), active goals with their next step,
recent celebrations and ideas for the children's age bands, in the family's language; it never
shows a visit note (restricted or not), a case review, a map's barriers, a score or an answer
about adversity. Every such record is made with a distinctive word, and the HTML and the PDF's
text are searched for it.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from hopeful.framework import BUILDING_BLOCKS, get_instrument
from hopeful.framework.guidance import ideas as general_ideas
from hopeful.framework.instruments.base import Audience
from hopeful.framework.visit_guide import get_visit_guide
from hopeful.web.audit.models import AuditEvent
from hopeful.web.casework import selectors_summary
from hopeful.web.casework import services as s
from hopeful.web.casework.models import GoalStatus
from hopeful.web.casework.selectors_summary import take_home
from hopeful.web.families.models import ConsentPurpose, ConsentRecord
from hopeful.web.surveys.models import CampaignStatus, LinkKind
from tests.web import factories as f
from tests.web.practice.factories import PCE7_ANSWERS, make_submission

pytestmark = pytest.mark.django_db

#: Shown: the family's own words and plans.
SHOWN = {
    "map strength": "StrengthAbuelaCuentos",
    "map people and places": "PeopleBibliotecaCentral",
    "goal": "GoalCaminarJuntos",
    "next step": "NextStepParqueSabado",
    "celebration": "CelebrateBiciNueva",
}

#: Never shown, wherever they were written.
NEVER = {
    "map barriers note": "BarrierNoteTok",
    "map next steps": "MapNextStepTok",
    "reached goal": "ReachedGoalTok",
    "visit note": "VisitNoteOpenTok",
    "what the family said at a visit": "VisitSaidTok",
    "visit prompt answer": "VisitPromptTok",
    "restricted note": "RestrictedSecretTok",
    "review adversity": "AdversityTok",
    "review distress": "DistressTok",
    "review plan": "ReviewPlanTok",
    "review wants": "ReviewWantsTok",
    "review strengths": "ReviewStrengthTok",
}

ACE_ANSWERS = {
    # every adversity item answered "yes" / "more than once"
    **dict.fromkeys(("ACEDEPRS", "ACEDRINK", "ACEDRUGS", "ACEPRISN", "ACEDIVRC"), 1),
    **dict.fromkeys(("ACEPUNCH", "ACEHURT1", "ACESWEAR", "ACETOUCH", "ACETTHEM", "ACEHVSEX"), 3),
    # the two positive items (a building block each) count as strengths
    "ACEADSAF": 5,
    "ACEADNED": 2,
}


def signed_in(user: Any) -> Client:
    client = Client()
    f.login_verified(client, user)
    return client


def staff_url(t: dict[str, Any], family: Any = None, pdf: bool = False) -> str:
    family = family or t["family_a"]
    tail = "summary.pdf" if pdf else "summary/"
    return f"/orgs/{t['org_a'].public_id}/families/{family.public_id}/{tail}"


def pdf_text(body: bytes) -> str:
    assert body.startswith(b"%PDF")
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)


def adversity_texts() -> list[str]:
    """Every way an ACE item could show: its short name and question, in both languages."""
    ace = get_instrument("ace_brfss")
    return [
        text.get_text(language)
        for item in ace.items
        if item.block is None
        for text in (item.construct, item.text)
        for language in ("en", "es")
    ]


@pytest.fixture
def story(two_tenants: dict[str, Any]) -> dict[str, Any]:
    """Family A speaks Spanish, has a two-year-old, a map, goals, celebrations, visits (one
    restricted), a case review and questionnaire answers including the ACE questions."""
    t = two_tenants
    family = t["family_a"]
    family.preferred_language = "es"
    family.save(update_fields=["preferred_language"])
    today = timezone.localdate()
    f.make_child(family, dt.date(today.year - 2, today.month, 1))
    practitioner = t["members_a"]["practitioner"]
    s.strengths_map_save(
        family=family,
        actor=practitioner,
        content={
            "relationships": {
                "strengths": f"{SHOWN['map strength']} por la noche",
                "people_places": SHOWN["map people and places"],
                "barriers": ["transport"],
                "barriers_note": NEVER["map barriers note"],
                "next_steps": NEVER["map next steps"],
            }
        },
    )
    goal = s.goal_add(
        family=family,
        actor=practitioner,
        block="engagement",
        text=f"{SHOWN['goal']} al parque",
        next_step=SHOWN["next step"],
        due_on=today + dt.timedelta(days=30),
    )
    reached = s.goal_add(
        family=family,
        actor=practitioner,
        block="relationships",
        text=NEVER["reached goal"],
        next_step="x",
        due_on=today,
    )
    s.goal_progress(goal=reached, actor=practitioner, text="done", status=GoalStatus.REACHED)
    s.celebration_add(
        family=family,
        actor=practitioner,
        words=f"{SHOWN['celebration']} para Ana",
        celebrated_on=today,
        goal=goal,
    )
    s.visit_record(
        family=family,
        actor=practitioner,
        visited_on=today,
        mode="home",
        prompts={"rel-1to4-p1": NEVER["visit prompt answer"]},
        known_prompts=["rel-1to4-p1"],
        guide_version="2026.1",
        family_said=NEVER["what the family said at a visit"],
        note=NEVER["visit note"],
    )
    s.visit_record(
        family=family,
        actor=practitioner,
        visited_on=today,
        mode="phone",
        note=NEVER["restricted note"],
        restricted=True,
    )
    s.case_review_create(
        family=family,
        actor=practitioner,
        reviewed_on=today,
        strengths={"relationships": NEVER["review strengths"]},
        adversity=NEVER["review adversity"],
        distress=NEVER["review distress"],
        family_wants=NEVER["review wants"],
        plan=NEVER["review plan"],
        follow_up_on=today + dt.timedelta(days=14),
    )
    campaign = f.make_campaign(
        t["org_a"],
        t["program_a"],
        t["members_a"]["org_admin"],
        instruments=[{"id": "pce7", "version": "1.0"}, {"id": "ace_brfss", "version": "1.0"}],
    )
    make_submission(
        family,
        campaign,
        t["link_a"],
        answers={"pce7": dict(PCE7_ANSWERS), "ace_brfss": dict(ACE_ANSWERS)},
        language="es",
    )
    personal, token = f.make_link(
        campaign, t["members_a"]["org_admin"], kind=LinkKind.PERSONAL, family=family
    )
    return {**t, "today": today, "campaign": campaign, "personal": personal, "token": token}


def assert_shows_the_summary(text: str, language: str = "es") -> None:
    text = html.unescape(text)
    for what, word in SHOWN.items():
        assert word in text, what
    guide = get_visit_guide()
    for block in BUILDING_BLOCKS:
        assert block.name.get_text(language) in text
        for idea in guide.section(block.id, "age_1_4").ideas:
            assert idea.text.get_text(language) in text, (block.id, idea.id)
    pce7 = get_instrument("pce7")
    # pce2 was answered "usually": a strength, in the family's language
    assert pce7.item("pce2").construct.get_text(language) in text
    # pce3 was answered "rarely": not a strength
    assert pce7.item("pce3").construct.get_text(language) not in text


def assert_shows_nothing_else(text: str) -> None:
    text = html.unescape(text)
    for what, word in NEVER.items():
        assert word not in text, what
    for adversity in adversity_texts():
        assert adversity not in text, adversity


# -- the selector ---------------------------------------------------------------------------


def test_take_home_holds_strengths_goals_celebrations_and_ideas_for_the_childs_band(
    story: dict[str, Any],
) -> None:
    summary = take_home(story["family_a"], "es", story["today"])
    assert summary.language == "es"
    assert summary.answers_included
    relationships = summary.blocks[0]
    assert relationships.id == "relationships"
    assert relationships.name == "Relaciones"
    assert relationships.strengths[0] == f"{SHOWN['map strength']} por la noche"
    assert get_instrument("pce7").item("pce2").construct.get_text("es") in relationships.strengths
    assert relationships.people_places == [SHOWN["map people and places"]]
    assert [g.label for g in relationships.ideas] == ["De 1 a 4 años"]
    assert [(g.text, g.next_step) for g in summary.goals] == [
        (f"{SHOWN['goal']} al parque", SHOWN["next step"])
    ]
    assert summary.goals[0].block_name == "Participación"
    assert [c.words for c in summary.celebrations] == [f"{SHOWN['celebration']} para Ana"]
    assert_shows_nothing_else(repr(summary))


def test_take_home_reads_no_visit_no_review_and_no_scores(story: dict[str, Any]) -> None:
    """Structural: the queries behind the summary never touch a visit or a case review, and
    load neither the map's other parts' columns nor the questionnaire's score values."""
    with CaptureQueriesContext(connection) as queries:
        take_home(story["family_a"], "es", story["today"])
    sql = "\n".join(q["sql"] for q in queries.captured_queries).lower()
    assert "casework_visit" not in sql
    assert "casework_casereview" not in sql
    assert "casework_goalupdate" not in sql
    assert '"surveys_instrumentscore"."values"' not in sql
    assert '"surveys_submission"."demographics"' not in sql
    names = vars(selectors_summary)
    assert "Visit" not in names
    assert "CaseReview" not in names
    assert "visible_visits" not in names


def test_without_care_consent_the_questionnaire_is_left_out(story: dict[str, Any]) -> None:
    family = story["family_a"]
    ConsentRecord.objects.create(
        organization=family.organization,
        family=family,
        purpose=ConsentPurpose.CARE,
        granted=False,
        text_version="2026-1",
        language="es",
    )
    summary = take_home(family, "es", story["today"])
    assert not summary.answers_included
    strengths = [text for block in summary.blocks for text in block.strengths]
    assert strengths == [f"{SHOWN['map strength']} por la noche"]
    page = signed_in(story["members_a"]["practitioner"]).get(staff_url(story))
    assert "Strengths from questionnaires are left out" in page.content.decode()


def test_only_recent_celebrations_newest_first(story: dict[str, Any]) -> None:
    family, today = story["family_a"], story["today"]
    for days in range(1, 8):
        s.celebration_add(
            family=family,
            actor=story["members_a"]["practitioner"],
            words=f"Older{days}",
            celebrated_on=today - dt.timedelta(days=days),
        )
    summary = take_home(family, "en", today)
    assert [c.words for c in summary.celebrations] == [
        f"{SHOWN['celebration']} para Ana",
        *(f"Older{d}" for d in range(1, selectors_summary.RECENT_CELEBRATIONS)),
    ]


def test_a_family_without_children_gets_ideas_for_any_age(two_tenants: dict[str, Any]) -> None:
    summary = take_home(two_tenants["family_a"], "en", dt.date(2026, 6, 15))
    for block in summary.blocks:
        (group,) = block.ideas
        assert group.label == ""
        expected = general_ideas(block.id, Audience.PARENT_REPORT_CHILD)
        assert group.ideas == [text.get_text("en") for text in expected]
        assert block.strengths == []
    assert summary.goals == []
    assert summary.celebrations == []


# -- the staff page and its PDF -------------------------------------------------------------


def test_the_staff_page_shows_the_summary_in_the_familys_language(story: dict[str, Any]) -> None:
    client = signed_in(story["members_a"]["practitioner"])
    response = client.get(staff_url(story))
    assert response.status_code == 200
    text = response.content.decode()
    assert '<html lang="en">' in text  # the staff's language around it
    assert '<div lang="es">' in text
    assert "Take-home summary for Family A." in text
    assert "It is in Spanish, the family's preferred language." in text
    assert 'class="staff-note no-print"' in text
    assert "casework/summary.css" in text
    assert staff_url(story, pdf=True) in text
    assert_shows_the_summary(text)
    assert_shows_nothing_else(text)
    event = AuditEvent.objects.get(verb="family.summary_view")
    assert event.actor == story["members_a"]["practitioner"]
    assert event.organization == story["org_a"]
    assert event.object_id == str(story["family_a"].public_id)


def test_the_pdf_download(story: dict[str, Any]) -> None:
    client = signed_in(story["members_a"]["org_admin"])
    response = client.get(staff_url(story, pdf=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="hopeful-summary-{story["today"]:%Y-%m-%d}.pdf"' in disposition
    assert "Family" not in disposition
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content)
    for what, word in SHOWN.items():
        assert word in text, what
    assert "Relaciones" in text
    assert "Family A" not in text  # the family's name is only in the staff note
    assert_shows_nothing_else(text)
    assert AuditEvent.objects.filter(verb="family.summary_pdf").count() == 1


def test_the_family_page_links_to_the_summary(story: dict[str, Any]) -> None:
    client = signed_in(story["members_a"]["practitioner"])
    url = f"/orgs/{story['org_a'].public_id}/families/{story['family_a'].public_id}/"
    assert staff_url(story) in client.get(url).content.decode()


@pytest.mark.parametrize("pdf", [False, True])
def test_a_family_of_another_program_or_organization_is_not_found(
    story: dict[str, Any], pdf: bool
) -> None:
    t = story
    elsewhere = f.make_family(t["org_a"], t["other_program_a"], "North family")
    client = signed_in(t["members_a"]["practitioner"])  # sees the main site only
    assert client.get(staff_url(t, elsewhere, pdf=pdf)).status_code == 404
    # organization B's family under A's address, and A's family for B's practitioner
    assert client.get(staff_url(t, t["family_b"], pdf=pdf)).status_code == 404
    outsider = signed_in(t["members_b"]["org_admin"])
    assert outsider.get(staff_url(t, pdf=pdf)).status_code == 404
    assert not AuditEvent.objects.filter(verb__startswith="family.summary").exists()


@pytest.mark.parametrize("role", ["analyst", "researcher", "viewer"])
def test_aggregate_roles_may_not_open_it(story: dict[str, Any], role: str) -> None:
    client = signed_in(story["members_a"][role])
    assert client.get(staff_url(story)).status_code == 403
    assert client.get(staff_url(story, pdf=True)).status_code == 403


# -- the family's copy through its personal link --------------------------------------------


def family_url(token: str, prefix: str = "", pdf: bool = False) -> str:
    return f"{prefix}/s/{token}/{'plan.pdf' if pdf else 'plan/'}"


def assert_private(response: Any) -> None:
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex"


def test_the_family_reads_its_plan_without_an_account(story: dict[str, Any]) -> None:
    token = story["token"]
    response = Client().get(family_url(token, "/es"))
    assert response.status_code == 200
    assert_private(response)
    text = response.content.decode()
    assert '<html lang="es">' in text
    assert '<meta name="robots" content="noindex">' in text
    assert family_url(token, "/es", pdf=True) in text
    assert_shows_the_summary(text)
    assert_shows_nothing_else(text)
    event = AuditEvent.objects.get(verb="family.summary_view")
    assert event.actor is None
    assert event.organization == story["org_a"]
    assert event.extra["via"] == "personal_link"
    assert event.extra["link"] == str(story["personal"].public_id)


def test_the_family_reads_it_in_english_at_the_english_address(story: dict[str, Any]) -> None:
    text = Client().get(family_url(story["token"])).content.decode()
    assert_shows_the_summary(text, language="en")
    assert_shows_nothing_else(text)


def test_the_family_downloads_its_plan(story: dict[str, Any]) -> None:
    response = Client().get(family_url(story["token"], "/es", pdf=True))
    assert response.status_code == 200
    assert_private(response)
    assert response["Content-Type"] == "application/pdf"
    assert "Family" not in response["Content-Disposition"]
    text = pdf_text(response.content)
    for what, word in SHOWN.items():
        assert word in text, what
    assert_shows_nothing_else(text)
    assert AuditEvent.objects.get(verb="family.summary_pdf").actor is None


@pytest.mark.parametrize("pdf", [False, True])
def test_a_public_link_or_an_unknown_token_is_not_found(story: dict[str, Any], pdf: bool) -> None:
    for token in (story["token_a"], "x" * 43):  # A's public link; a made-up token
        response = Client().get(family_url(token, pdf=pdf))
        assert response.status_code == 404
        assert_private(response)
        assert "We could not find this survey" in response.content.decode()
    assert not AuditEvent.objects.filter(verb__startswith="family.summary").exists()


@pytest.mark.parametrize(
    "change",
    [{"revoked_at": timezone.now()}, {"expires_at": timezone.now() - dt.timedelta(minutes=1)}],
    ids=["revoked", "expired"],
)
def test_a_revoked_or_expired_link_is_gone(story: dict[str, Any], change: dict[str, Any]) -> None:
    link = story["personal"]
    for field, value in change.items():
        setattr(link, field, value)
    link.save()
    for pdf in (False, True):
        response = Client().get(family_url(story["token"], pdf=pdf))
        assert response.status_code == 410
        assert_private(response)
        assert "This survey link is closed" in response.content.decode()
    assert not AuditEvent.objects.filter(verb__startswith="family.summary").exists()


def test_the_plan_stays_readable_after_the_campaign_closes(story: dict[str, Any]) -> None:
    story["campaign"].status = CampaignStatus.CLOSED
    story["campaign"].save(update_fields=["status"])
    assert Client().get(family_url(story["token"])).status_code == 200


def test_only_get(story: dict[str, Any]) -> None:
    assert Client().post(family_url(story["token"])).status_code == 405
    client = signed_in(story["members_a"]["practitioner"])
    assert client.post(staff_url(story)).status_code == 405


def test_a_personal_link_offers_the_familys_plan_and_a_public_link_does_not(
    two_tenants: dict[str, Any],
) -> None:
    t = two_tenants
    _link, token = f.make_link(
        t["campaign_a"], t["members_a"]["org_admin"], kind=LinkKind.PERSONAL, family=t["family_a"]
    )
    start = Client().get(f"/s/{token}/").content.decode()
    assert f'href="/s/{token}/plan/"' in start
    public = Client().get(f"/s/{t['token_a']}/").content.decode()
    assert "/plan/" not in public
